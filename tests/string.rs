//! Public-API tests of `CowString`.

// The bad-input tests pass reversed ranges and one-char strings on purpose, to match `String`;
// the comparison tests spell out both directions and owned operands to reach every impl.
#![allow(
    clippy::reversed_empty_ranges,
    clippy::single_char_add_str,
    clippy::nonminimal_bool,
    clippy::cmp_owned
)]
// The tests compare with `String` methods newer than the crate's MSRV (`extend_from_within` is
// 1.87); the library itself calls none of them.
#![allow(clippy::incompatible_msrv)]

mod support;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::BuildHasher;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread;

use cowkit::{CowString, cow_format};
use support::{assert_no_leak, live_allocations, panic_message};

const LONG: &str = "a text of more than fifteen bytes, so it lives on the heap";

#[test]
fn handle_and_option_are_16_bytes() {
    assert_eq!(size_of::<CowString>(), 16);
    assert_eq!(size_of::<Option<CowString>>(), 16);
}

#[test]
fn up_to_16_bytes_stay_inline_without_allocating() {
    let before = live_allocations();
    let mut s = CowString::new();
    for _ in 0..16 {
        s.push('x');
    }
    let fits = CowString::from("sixteen bytes...");
    let multi = CowString::from("é€😀abcdefg"); // 2 + 3 + 4 + 7 bytes
    let nuls = CowString::from("\0".repeat(16).as_str());
    let ends_in_2_byte_char = CowString::from("fourteen bytesé");
    assert_eq!(live_allocations(), before, "inline text must not allocate");
    for t in [&s, &fits, &multi, &nuls, &ends_in_2_byte_char] {
        assert!(t.is_inline() && t.len() == 16, "{t:?}");
    }
    assert_eq!(nuls, "\0".repeat(16));
    assert_eq!(ends_in_2_byte_char, "fourteen bytesé");
    assert_eq!(s.capacity(), 16);
    s.push('y');
    assert!(!s.is_inline(), "17 bytes spill to the heap");
    assert_eq!(s, "xxxxxxxxxxxxxxxxy");
    // Down from 16 and back, through every edit that changes the length in place.
    let mut t = fits.clone();
    assert_eq!(t.pop(), Some('.'));
    assert_eq!((t.len(), t.as_str()), (15, "sixteen bytes.."));
    t.push('!');
    assert_eq!(t, "sixteen bytes..!");
    t.truncate(3);
    t.insert_str(3, "teen bytes, 16!");
    assert_eq!(t, "sixteen bytes, 16!");
    let mut u = CowString::from("abcdefghijklmnop");
    u.remove(0);
    u.insert(15, 'q');
    assert_eq!(u, "bcdefghijklmnopq");
    assert!(u.is_inline());
    u.retain(|c| c != 'q');
    assert_eq!(u, "bcdefghijklmnop");
    // Option keeps the size, and `None` is not any text.
    let some = Some(CowString::from("sixteen bytes..."));
    assert_eq!(some.as_deref(), Some("sixteen bytes..."));
    let none: Option<CowString> = None;
    assert!(none.is_none());
}

#[test]
fn static_texts_neither_allocate_nor_count_and_copy_on_write() {
    const LONG_CONST: CowString = CowString::from_static(LONG);
    const SHORT: CowString = CowString::from_static("sixteen bytes...");
    static IN_A_STATIC: CowString = CowString::from_static(LONG);
    assert_no_leak(|| {
        let before = live_allocations();
        let a = LONG_CONST;
        let b = a.clone();
        let short = SHORT;
        assert_eq!(live_allocations(), before, "static texts must not allocate");
        assert!(a.is_static() && !a.is_inline() && short.is_inline() && !short.is_static());
        assert_eq!(
            a.as_ptr(),
            LONG.as_ptr(),
            "the handle points at the static text"
        );
        assert!(a.ptr_eq(&b) && a == b && a == LONG);
        assert_eq!((a.strong_count(), a.capacity()), (1, LONG.len()));
        assert_eq!(IN_A_STATIC, LONG);
        // Reads and shortening edits copy nothing.
        let mut c = b.clone();
        c.truncate(10);
        assert!(c.is_static() && c == LONG[..10]);
        assert_eq!(c.pop(), LONG[..10].chars().last());
        // The first write copies, into a private heap block or inline.
        let mut d = a.clone();
        d.push('!');
        assert!(!d.is_static() && d.is_unique() && d == format!("{LONG}!"));
        let mut e = a.clone();
        e[0..1].make_ascii_uppercase();
        assert!(!e.is_inline() && !e.is_static() && e.starts_with('A'));
        let mut f = a.clone();
        f.truncate(5);
        f.shrink_to_fit();
        assert!(f.is_inline() && f == LONG[..5]);
        let mut g = a.clone();
        g.clear();
        assert!(g.is_inline() && g.is_empty());
        assert_eq!(a, LONG, "the static text is never written");
    });
}

#[test]
fn heap_to_inline_and_back() {
    assert_no_leak(|| {
        let mut s = CowString::from(LONG);
        s.truncate(5);
        assert!(!s.is_inline(), "truncate keeps the buffer, like String");
        s.shrink_to_fit();
        assert!(s.is_inline());
        assert_eq!(s, &LONG[..5]);
        s.push_str(&LONG[5..]);
        assert!(!s.is_inline());
        assert_eq!(s, LONG);
        let other = s.clone();
        s.clear(); // shared: lets the block go, back to inline
        assert!(s.is_inline() && s.is_empty());
        assert_eq!(other, LONG);
    });
}

#[test]
fn clone_shares_the_block_and_counts() {
    assert_no_leak(|| {
        let a = CowString::from(LONG);
        let before = live_allocations();
        let b = a.clone();
        let c = b.clone();
        assert_eq!(live_allocations(), before, "clone must not allocate");
        assert!(a.ptr_eq(&b) && b.ptr_eq(&c));
        assert_eq!(a.strong_count(), 3);
        assert_eq!(a.as_ptr(), c.as_ptr(), "reads never copy");
        drop(b);
        assert_eq!(c.strong_count(), 2);
    });
}

#[test]
fn equality_of_clones_and_of_different_lengths_of_one_block() {
    let a = CowString::from(LONG);
    let mut b = a.clone();
    assert_eq!(a, b);
    b.truncate(20); // still the same block, shorter view: no copy, and not equal
    assert!(!a.ptr_eq(&b));
    assert_ne!(a, b);
    assert_eq!(b, &LONG[..20]);
}

/// Each write on a shared text leaves the other clone unchanged and gives `String`'s result.
#[test]
fn every_write_on_a_shared_text_leaves_the_clone_unchanged() {
    type Write = (&'static str, fn(&mut CowString), fn(&mut String));
    let writes: &[Write] = &[
        ("push", |s| s.push('!'), |s| s.push('!')),
        ("push_str", |s| s.push_str("++"), |s| s.push_str("++")),
        (
            "pop",
            |s| {
                let _ = s.pop();
            },
            |s| {
                let _ = s.pop();
            },
        ),
        ("insert", |s| s.insert(3, 'é'), |s| s.insert(3, 'é')),
        (
            "insert_str",
            |s| s.insert_str(0, ">>"),
            |s| s.insert_str(0, ">>"),
        ),
        (
            "remove",
            |s| {
                let _ = s.remove(2);
            },
            |s| {
                let _ = s.remove(2);
            },
        ),
        ("truncate", |s| s.truncate(4), |s| s.truncate(4)),
        ("clear", |s| s.clear(), |s| s.clear()),
        (
            "retain",
            |s| s.retain(|c| c != 't'),
            |s| s.retain(|c| c != 't'),
        ),
        (
            "replace_range",
            |s| s.replace_range(2..9, "-"),
            |s| s.replace_range(2..9, "-"),
        ),
        (
            "split_off",
            |s| drop(s.split_off(6)),
            |s| drop(s.split_off(6)),
        ),
        ("drain", |s| drop(s.drain(1..5)), |s| drop(s.drain(1..5))),
        (
            "upper",
            |s| s.make_ascii_uppercase(),
            |s| s.make_ascii_uppercase(),
        ),
        (
            "lower",
            |s| s.make_ascii_lowercase(),
            |s| s.make_ascii_lowercase(),
        ),
        (
            "index_mut",
            |s| s[2..6].make_ascii_uppercase(),
            |s| s[2..6].make_ascii_uppercase(),
        ),
        (
            "as_mut_str",
            |s| s.as_mut_str().make_ascii_uppercase(),
            |s| s.as_mut_str().make_ascii_uppercase(),
        ),
        ("reserve", |s| s.reserve(100), |s| s.reserve(100)),
        (
            "shrink_to_fit",
            |s| s.shrink_to_fit(),
            |s| s.shrink_to_fit(),
        ),
        ("+=", |s| *s += "tail", |s| *s += "tail"),
        (
            "reserve_exact",
            |s| s.reserve_exact(7),
            |s| s.reserve_exact(7),
        ),
        (
            "try_reserve",
            |s| s.try_reserve(9).unwrap(),
            |s| s.try_reserve(9).unwrap(),
        ),
        ("shrink_to", |s| s.shrink_to(3), |s| s.shrink_to(3)),
        (
            "extend_from_within",
            |s| s.extend_from_within(2..7),
            |s| s.extend_from_within(2..7),
        ),
        (
            "deref_mut",
            |s| (**s).make_ascii_uppercase(),
            |s| (**s).make_ascii_uppercase(),
        ),
        (
            "get_mut",
            |s| s.get_mut(1..4).unwrap().make_ascii_uppercase(),
            |s| s.get_mut(1..4).unwrap().make_ascii_uppercase(),
        ),
        (
            "drain, half run",
            |s| {
                let mut d = s.drain(1..8);
                d.next();
                d.next_back();
            },
            |s| {
                let mut d = s.drain(1..8);
                d.next();
                d.next_back();
            },
        ),
        ("extend", |s| s.extend(["x", "y"]), |s| s.extend(["x", "y"])),
        (
            "write!",
            |s| write!(s, "{}", 42).unwrap(),
            |s| write!(s, "{}", 42).unwrap(),
        ),
    ];
    for text in [LONG, "short text"] {
        for (name, ours, std) in writes {
            assert_no_leak(|| {
                let original = CowString::from(text);
                let mut copy = original.clone();
                let mut expected = String::from(text);
                ours(&mut copy);
                std(&mut expected);
                assert_eq!(copy, expected, "{name} on {text:?}");
                assert_eq!(original, text, "{name} showed through the other clone");
            });
        }
    }
}

#[test]
fn appends_after_a_clone_copy_once_then_grow_in_place() {
    let original = CowString::from(LONG);
    let mut s = original.clone();
    s.push('!'); // the one copy
    let block = s.as_ptr();
    assert!(s.capacity() > s.len(), "the copy has room to grow");
    let room = s.capacity() - s.len();
    for _ in 0..room {
        s.push('.');
    }
    assert_eq!(s.as_ptr(), block, "appends within the room stay in place");
    assert_eq!(original, LONG);
}

#[test]
fn index_mut_on_a_unique_text_writes_in_place() {
    let mut s = CowString::from(LONG);
    let block = s.as_ptr();
    s[0..6].make_ascii_uppercase();
    assert_eq!(s.as_ptr(), block);
    assert!(s.starts_with("A TEXT"));
}

#[test]
fn reads_index_like_str() {
    let s = CowString::from(LONG);
    assert_eq!(&s[2..6], "text");
    assert_eq!(&s[..1], "a");
    assert_eq!(&s[52..], "e heap");
    assert_eq!(&s[..=1], "a ");
    assert_eq!(&s[2..=5], "text");
    assert_eq!(&s[..], LONG);
}

#[test]
fn bad_indices_panic_exactly_as_string_does() {
    let text = "aé€😀z"; // bytes: a 0, é 1..3, € 3..6, 😀 6..10, z 10
    type Call = (&'static str, fn(&mut CowString), fn(&mut String));
    let calls: &[Call] = &[
        (
            "insert inside é",
            |s| s.insert(2, 'x'),
            |s| s.insert(2, 'x'),
        ),
        (
            "insert past end",
            |s| s.insert(12, 'x'),
            |s| s.insert(12, 'x'),
        ),
        (
            "insert_str inside €",
            |s| s.insert_str(4, "x"),
            |s| s.insert_str(4, "x"),
        ),
        (
            "remove inside 😀",
            |s| {
                let _ = s.remove(7);
            },
            |s| {
                let _ = s.remove(7);
            },
        ),
        (
            "remove at end",
            |s| {
                let _ = s.remove(11);
            },
            |s| {
                let _ = s.remove(11);
            },
        ),
        (
            "remove past end",
            |s| {
                let _ = s.remove(12);
            },
            |s| {
                let _ = s.remove(12);
            },
        ),
        ("truncate inside é", |s| s.truncate(2), |s| s.truncate(2)),
        (
            "split_off inside €",
            |s| drop(s.split_off(5)),
            |s| drop(s.split_off(5)),
        ),
        (
            "split_off past end",
            |s| drop(s.split_off(12)),
            |s| drop(s.split_off(12)),
        ),
        (
            "replace_range inside",
            |s| s.replace_range(2..3, ""),
            |s| s.replace_range(2..3, ""),
        ),
        (
            "replace_range past end",
            |s| s.replace_range(0..20, ""),
            |s| s.replace_range(0..20, ""),
        ),
        (
            "replace_range reversed",
            |s| s.replace_range(3..1, ""),
            |s| s.replace_range(3..1, ""),
        ),
        (
            "drain inside",
            |s| drop(s.drain(7..)),
            |s| drop(s.drain(7..)),
        ),
        (
            "drain past end",
            |s| drop(s.drain(..20)),
            |s| drop(s.drain(..20)),
        ),
        (
            "drain reversed",
            |s| drop(s.drain(6..3)),
            |s| drop(s.drain(6..3)),
        ),
        (
            "index_mut inside",
            |s| s[0..2].make_ascii_uppercase(),
            |s| s[0..2].make_ascii_uppercase(),
        ),
        (
            "extend_from_within inside",
            |s| s.extend_from_within(2..),
            |s| s.extend_from_within(2..),
        ),
        (
            "extend_from_within end inside",
            |s| s.extend_from_within(..8),
            |s| s.extend_from_within(..8),
        ),
        (
            "replace_range end inside",
            |s| s.replace_range(..4, ""),
            |s| s.replace_range(..4, ""),
        ),
        (
            "drain end inside",
            |s| drop(s.drain(3..4)),
            |s| drop(s.drain(3..4)),
        ),
        (
            "index_mut past end",
            |s| s[0..30].make_ascii_uppercase(),
            |s| s[0..30].make_ascii_uppercase(),
        ),
    ];
    for (name, ours, std) in calls {
        let mut s = CowString::from(text);
        let mut t = String::from(text);
        let (mine, theirs) = (
            panic_message(|| ours(&mut s)),
            panic_message(|| std(&mut t)),
        );
        assert!(theirs.is_some(), "{name}: the case must panic for String");
        assert_eq!(mine, theirs, "{name}");
        assert_eq!(
            s, text,
            "{name}: a panicking call must leave the text as it was"
        );
    }
    // Every bound shape at the edges: both panic, or neither.
    use std::ops::Bound::{self, Excluded, Included, Unbounded};
    let edges = [0, 1, 2, 3, 5, 6, 10, 11, 12, usize::MAX];
    let shapes = |n: usize| [Included(n), Excluded(n), Unbounded];
    let mut ranges: Vec<(Bound<usize>, Bound<usize>)> = Vec::new();
    for a in edges {
        for b in edges {
            for start in shapes(a) {
                for end in shapes(b) {
                    ranges.push((start, end));
                }
            }
        }
    }
    for range in ranges {
        let (mut s, mut t) = (CowString::from(text), String::from(text));
        let mine = panic_message(|| s.replace_range(range, "~"));
        let theirs = panic_message(|| t.replace_range(range, "~"));
        assert_eq!(mine, theirs, "replace_range({range:?})");
        assert_eq!(s, t);
        let (mut s, mut t) = (CowString::from(text), String::from(text));
        let (mut x, mut y) = (String::new(), String::new());
        let mine = panic_message(|| x = s.drain(range).collect());
        let theirs = panic_message(|| y = t.drain(range).collect());
        assert_eq!(mine, theirs, "drain({range:?})");
        assert_eq!((s.as_str(), x), (t.as_str(), y));
        let (mut s, mut t) = (CowString::from(text), String::from(text));
        let mine = panic_message(|| s.extend_from_within(range));
        let theirs = panic_message(|| t.extend_from_within(range));
        assert_eq!(mine, theirs, "extend_from_within({range:?})");
        assert_eq!(s, t);
        let (s, t) = (CowString::from(text), String::from(text));
        let mine = panic_message(|| {
            let _ = &s[range];
        });
        let theirs = panic_message(|| {
            let _ = &t[range];
        });
        assert_eq!(mine, theirs, "[{range:?}]");
    }
    // Calls that String accepts at the edges are accepted too.
    let mut s = CowString::from(text);
    s.insert(11, '!');
    s.truncate(100);
    assert_eq!(s.split_off(12), "");
    assert_eq!(s, "aé€😀z!");
}

#[test]
fn reserve_past_the_maximum_panics_with_capacity_overflow() {
    for mut s in [CowString::from("a"), CowString::from(LONG)] {
        let msg = panic_message(|| s.reserve(usize::MAX));
        assert_eq!(msg.as_deref(), Some("capacity overflow"));
        let msg = panic_message(|| s.reserve_exact(usize::MAX - 1));
        assert_eq!(msg.as_deref(), Some("capacity overflow"));
        assert_eq!(s.len(), s.as_str().len());
    }
    for capacity in [usize::MAX, usize::MAX - 15, isize::MAX as usize + 1] {
        let mine = panic_message(|| drop(CowString::with_capacity(capacity)));
        let theirs = panic_message(|| drop(String::with_capacity(capacity)));
        assert_eq!(mine, theirs, "with_capacity({capacity})");
        assert_eq!(mine.as_deref(), Some("capacity overflow"));
    }
}

#[test]
fn try_reserve_reports_std_errors_and_keeps_the_text() {
    use std::collections::TryReserveError;
    for text in ["a", LONG] {
        let original = CowString::from(text);
        let mut s = original.clone();
        let mut t = String::from(text);
        for additional in [usize::MAX, usize::MAX - 1, isize::MAX as usize] {
            let mine: Result<(), TryReserveError> = s.try_reserve(additional);
            let theirs = t.try_reserve(additional);
            assert_eq!(mine, theirs, "try_reserve({additional})");
            assert_eq!(
                s.try_reserve_exact(additional),
                t.try_reserve_exact(additional)
            );
            assert_eq!(s, text);
        }
        // Far beyond memory but below the maximum: the allocator refuses. The kinds are not
        // public, so the errors are compared through their messages.
        let huge = 1 << 55;
        let (mine, theirs) = (s.try_reserve(huge), t.try_reserve(huge));
        assert_eq!(
            mine.map_err(|e| e.to_string()),
            theirs.map_err(|e| e.to_string())
        );
        assert!(s.try_reserve_exact(huge).is_err());
        assert_eq!(s, text);
        assert!(
            original.ptr_eq(&s) || s.is_inline(),
            "a failure unshares nothing"
        );
        // Success: private, with the room asked for (exactly, for `_exact`).
        s.try_reserve_exact(40).unwrap();
        assert!(s.is_unique() && s.capacity() == text.len() + 40);
        assert_eq!(original, text);
    }
}

#[test]
fn panicking_retain_leaves_valid_text_and_leaks_nothing() {
    assert_no_leak(|| {
        let mut s = CowString::from("a-b-c-d-e-f-g-h-i-j");
        let mut seen = 0;
        let result = catch_unwind(AssertUnwindSafe(|| {
            s.retain(|c| {
                seen += 1;
                if seen == 6 {
                    std::panic::resume_unwind(Box::new("stop"));
                }
                c != '-'
            })
        }));
        assert!(result.is_err());
        drop(result);
        // The five judged chars lost their dashes; the rest is kept as it was.
        assert_eq!(s, "abc-d-e-f-g-h-i-j");
    });
}

#[test]
fn drain_iterates_both_ways_and_is_fused() {
    let mut s = CowString::from("héllo wörld");
    let mut d = s.drain(..7);
    assert_eq!(d.size_hint(), "héllo ".chars().size_hint());
    assert_eq!(d.next(), Some('h'));
    assert_eq!(d.next_back(), Some(' '));
    assert_eq!(d.as_str(), "éllo");
    assert_eq!(format!("{d:?}"), "Drain(\"éllo\")");
    let as_ref: &[u8] = d.as_ref();
    assert_eq!(as_ref, "éllo".as_bytes());
    assert_eq!(d.by_ref().collect::<String>(), "éllo");
    assert_eq!((d.next(), d.next_back()), (None, None));
    drop(d);
    assert_eq!(s, "wörld");
    assert_eq!(s.drain(1..).last(), Some('d'));
    assert_eq!(s, "w");
}

/// `String::drain` is not `must_use` and removes its range on drop; so does ours. A leaked
/// `Drain` removes nothing, and shares nothing it should not.
#[test]
#[deny(unused_must_use)]
fn drain_removes_on_drop_and_a_leaked_drain_removes_nothing() {
    assert_no_leak(|| {
        let original = CowString::from(LONG);
        let mut s = original.clone();
        s.drain(..2);
        assert_eq!(s, &LONG[2..]);
        assert_eq!(original, LONG);
        let mut t = String::from(LONG);
        std::mem::forget(t.drain(..4));
        std::mem::forget(s.drain(..4));
        assert_eq!(s, &LONG[2..]);
        // An empty range does not unshare.
        let mut shared = original.clone();
        shared.drain(3..3);
        assert!(shared.ptr_eq(&original));
        // A short text drains in place, inline.
        let mut short = CowString::from("αβγ");
        let d = short.drain(2..4);
        assert_eq!(d.collect::<Vec<_>>(), ['β']);
        assert_eq!(short, "αγ");
    });
}

#[test]
fn add_assign_and_std_api_reach_through_deref_as_for_string() {
    let other = CowString::from("-cow");
    let owned = String::from("-string");
    let boxed: Box<str> = "-box".into();
    let mut s = CowString::from("x");
    let mut t = String::from("x");
    s += &other; // `&CowString` coerces to `&str`, as `&String` does for `String`
    s += &owned;
    s += &boxed;
    t += &other;
    t += &owned;
    t += &boxed;
    assert_eq!(s, t);
    let shared = s.clone();
    let m: &mut str = &mut s; // DerefMut unshares
    m.make_ascii_uppercase();
    assert_eq!(shared, t);
    assert_eq!(s, t.to_uppercase());
    let (left, right) = s.split_at_mut(2);
    left.make_ascii_lowercase();
    assert_eq!(right, "COW-STRING-BOX");
    use std::ops::Bound::{Excluded, Included};
    let range = (Excluded(0), Included(3));
    assert_eq!(&s[range], &"x-COW"[range]);
    s[(Included(0), Excluded(1))].make_ascii_uppercase();
    assert_eq!(&s[..3], "X-C");
}

#[test]
fn from_utf8_and_utf16_match_string() {
    let cases: &[&[u8]] = &[
        b"",
        b"cow",
        b"a\xffb",
        b"\xf0\x9f",
        LONG.as_bytes(),
        "é€😀".as_bytes(),
        b"\xc3",
    ];
    for bytes in cases {
        let mine = CowString::from_utf8(bytes.to_vec());
        let theirs = String::from_utf8(bytes.to_vec());
        match (mine, theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => {
                assert_eq!(a.utf8_error(), b.utf8_error());
                assert_eq!(a.as_bytes(), b.as_bytes());
                assert_eq!(a.to_string(), b.to_string());
                assert_eq!(a.clone().into_bytes(), b.into_bytes());
                let _: &dyn std::error::Error = &a;
            }
            (a, b) => panic!("{bytes:?}: {a:?} vs {b:?}"),
        }
        assert_eq!(
            CowString::from_utf8_lossy(bytes),
            String::from_utf8_lossy(bytes)
        );
        if let Ok(text) = std::str::from_utf8(bytes) {
            // SAFETY: checked just above.
            let unchecked = unsafe { CowString::from_utf8_unchecked(bytes.to_vec()) };
            assert_eq!(unchecked, text);
        }
    }
    let units: &[&[u16]] = &[
        &[],
        &[0x61, 0x62],
        &[0xD834, 0xDD1E, 0x6d],
        &[0xD800],
        &[0x61, 0xDC00, 0x62],
        &[0xD834],
    ];
    for v in units {
        let (mine, theirs) = (CowString::from_utf16(v), String::from_utf16(v));
        match (mine, theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!("{v:?}: {a:?} vs {b:?}"),
        }
        assert_eq!(CowString::from_utf16_lossy(v), String::from_utf16_lossy(v));
    }
}

#[test]
fn conversions_out_match_string() {
    use std::rc::Rc;
    use std::sync::Arc;
    for text in ["short", LONG] {
        let s = || CowString::from(text);
        assert_eq!(&*Arc::<str>::from(s()), text);
        assert_eq!(&*Rc::<str>::from(s()), text);
        assert_eq!(&*Box::<str>::from(s()), text);
        assert_eq!(&*s().into_boxed_str(), text);
        assert_eq!(Cow::<str>::from(s()), text);
        assert_eq!(Vec::<u8>::from(s()), text.as_bytes());
        assert_eq!(s().into_bytes(), text.as_bytes());
        assert_eq!(String::from(&s()), text);
        assert_eq!(CowString::from(&s()), text);
        let leaked: &'static mut str = s().leak();
        assert_eq!(leaked, text);
        // SAFETY: `leak` documents its memory as a `Box<str>` of exactly the text; taken back
        // once, so the leak checkers see nothing left.
        drop(unsafe { Box::from_raw(leaked as *mut str) });
        let e: Box<dyn std::error::Error + Send + Sync> = s().into();
        assert_eq!(e.to_string(), text);
        let e: Box<dyn std::error::Error> = s().into();
        assert_eq!(e.to_string(), text);
        #[cfg(feature = "std")]
        {
            assert_eq!(std::ffi::OsString::from(s()), text);
            assert_eq!(std::path::PathBuf::from(s()), std::path::Path::new(text));
        }
    }
    let parts = || [CowString::from("a"), CowString::from(LONG)];
    assert_eq!(parts().into_iter().collect::<String>(), format!("a{LONG}"));
    assert_eq!(
        parts().into_iter().collect::<Cow<'_, str>>(),
        format!("a{LONG}")
    );
    let mut t = String::from(">");
    t.extend(parts());
    assert_eq!(t, format!(">a{LONG}"));
}

#[test]
fn to_cow_string_formats_like_to_string() {
    use cowkit::ToCowString;
    assert_eq!(42.to_cow_string(), 42.to_string());
    assert!(42.to_cow_string().is_inline());
    assert_eq!('é'.to_cow_string(), "é");
    assert_eq!(LONG.to_cow_string(), LONG);
    assert_eq!(3.5f64.to_cow_string(), "3.5");
}

#[test]
fn hash_equals_str_and_map_lookups_by_str_work() {
    let state = std::collections::hash_map::RandomState::new();
    for text in ["short", LONG] {
        assert_eq!(state.hash_one(CowString::from(text)), state.hash_one(text));
    }
    let mut map: HashMap<CowString, u32> = HashMap::new();
    map.insert(CowString::from(LONG), 1);
    map.insert("k".into(), 2);
    assert_eq!(map.get(LONG), Some(&1));
    assert_eq!(map.get("k"), Some(&2));
}

#[test]
fn comparisons_both_ways_with_every_string_type() {
    let s = CowString::from("beta");
    let string = String::from("beta");
    let cow: Cow<'_, str> = Cow::Borrowed("beta");
    assert!(s == *"beta" && *"beta" == s);
    assert!(s == "beta" && "beta" == s);
    assert!(s == string && string == s);
    assert!(s == cow && cow == s);
    assert!(s < *"gamma" && *"alpha" < s);
    assert!(s < "gamma" && "alpha" < s);
    assert!(s < String::from("gamma") && String::from("alpha") < s);
    assert!(s > Cow::Borrowed("alpha") && Cow::Borrowed("gamma") > s);
    assert!(CowString::from("a") < CowString::from("b"));
    assert_eq!(
        CowString::from(LONG).cmp(&CowString::from(LONG)),
        std::cmp::Ordering::Equal
    );
}

#[test]
fn conversions_in_and_out() {
    let text = String::from(LONG);
    assert_eq!(CowString::from(text.as_str()), LONG);
    assert_eq!(CowString::from(&text), LONG);
    assert_eq!(CowString::from(text.clone()), LONG);
    assert_eq!(CowString::from(text.clone().into_boxed_str()), LONG);
    assert_eq!(CowString::from(Cow::Borrowed(LONG)), LONG);
    assert_eq!(CowString::from(Cow::<str>::Owned(text.clone())), LONG);
    assert_eq!(CowString::from('€'), "€");
    assert_eq!("parsed".parse::<CowString>().unwrap(), "parsed");
    assert_eq!(String::from(CowString::from(LONG)), LONG);
    assert_eq!(CowString::from(LONG).into_string(), LONG);
    assert_eq!(CowString::default(), "");
}

#[test]
fn collect_extend_add_and_write() {
    let chars: CowString = LONG.chars().collect();
    assert_eq!(chars, LONG);
    let strs: CowString = ["ab", "cd"].into_iter().collect();
    assert_eq!(strs, "abcd");
    let strings: CowString = vec![String::from("x"), String::from("y")]
        .into_iter()
        .collect();
    assert_eq!(strings, "xy");
    let cows: CowString = [CowString::from("p"), CowString::from(LONG)]
        .into_iter()
        .collect();
    assert_eq!(cows, format!("p{LONG}"));
    let refs: CowString = ['a', 'b'].iter().collect();
    assert_eq!(refs, "ab");
    let mut s = CowString::from("x") + "y" + "z";
    s += "!";
    write!(s, "{}", 7).unwrap();
    assert_eq!(s, "xyz!7");
}

#[cfg(feature = "std")]
#[test]
fn formatting_and_views() {
    let s = CowString::from("tab\there");
    assert_eq!(format!("{s}"), "tab\there");
    assert_eq!(format!("{s:?}"), "\"tab\\there\"");
    let as_bytes: &[u8] = s.as_ref();
    assert_eq!(as_bytes, b"tab\there");
    let file = CowString::from("/tmp/x");
    let path: &std::path::Path = file.as_ref();
    assert_eq!(path, std::path::Path::new("/tmp/x"));
    let os: &std::ffi::OsStr = s.as_ref();
    assert_eq!(os, "tab\there");
}

#[test]
fn cow_format_writes_short_results_inline() {
    let short = cow_format!("{}-{}", "ab", 12);
    assert!(short.is_inline());
    assert_eq!(short, "ab-12");
    let long = cow_format!("{LONG}{}", 1);
    assert!(!long.is_inline());
    assert_eq!(long, format!("{LONG}1"));
    assert_eq!(cow_format!("literal"), "literal");
}

#[test]
fn send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<CowString>();
}

#[test]
fn clones_on_threads_write_their_own_copies() {
    let base = CowString::from(LONG);
    thread::scope(|scope| {
        for t in 0..4 {
            let mut mine = base.clone();
            scope.spawn(move || {
                for round in 0..2_000 {
                    let reader = mine.clone();
                    if round % 100 == 0 {
                        mine.push_str("+");
                    }
                    assert!(reader.starts_with(LONG));
                }
                mine[0..1].make_ascii_uppercase();
                assert_eq!(mine.len(), LONG.len() + 20, "thread {t}");
            });
        }
    });
    assert_eq!(base, LONG);
    assert_eq!(base.strong_count(), 1);
}

#[cfg(feature = "serde")]
#[test]
fn serde_as_a_string() {
    let s = CowString::from(LONG);
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(json, serde_json::to_string(LONG).unwrap());
    let back: CowString = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    let short: CowString = serde_json::from_str("\"hi\"").unwrap();
    assert!(short.is_inline());
    assert!(serde_json::from_str::<CowString>("12").is_err());
}

#[test]
fn appends_of_every_short_length_match_string() {
    // Appends of 0..=40 bytes take the short-copy paths (1, 2..=3, 4..=7, 8..=16 bytes) and the
    // `memcpy` one, onto inline, heap and shared texts.
    let text = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    for start in [0, 5, 15, 16, 40] {
        for n in 0..=40 {
            let mut expected = String::from(&text[..start]);
            let mut s = CowString::from(&text[..start]);
            let shared = s.clone();
            expected.push_str(&text[start % 3..start % 3 + n]);
            s.push_str(&text[start % 3..start % 3 + n]);
            assert_eq!(s, expected, "start {start}, n {n}");
            assert_eq!(shared, &text[..start], "a clone changed");
            s.push('é');
            expected.push('é');
            assert_eq!(s, expected);
        }
    }
}

#[test]
fn char_pushes_at_every_inline_length_match_string() {
    // A char of each width (1 to 4 bytes) pushed onto inline texts of every length 0..=16,
    // where it lands in the first word, across the two words or at the last byte, and spills
    // to the heap when it does not fit; each text reached fresh and by shortening a longer one
    // (truncate, pop, remove, drain, retain, clear), so that bytes of the old text once lay
    // past its end.
    const TEXT: &str = "0123456789abcdef";
    for ch in ['y', 'é', '€', '🐄'] {
        for len in 0..=16 {
            type Shorten = fn(&mut CowString, &mut String, usize);
            let ways: [(&str, Shorten); 6] = [
                ("fresh", |s, e, len| {
                    *s = CowString::from(&TEXT[..len]);
                    *e = String::from(&TEXT[..len]);
                }),
                ("truncate", |s, e, len| {
                    s.truncate(len);
                    e.truncate(len);
                }),
                ("pop", |s, e, len| {
                    while s.len() > len {
                        assert_eq!(s.pop(), e.pop());
                    }
                }),
                ("remove", |s, e, len| {
                    while s.len() > len {
                        assert_eq!(s.remove(0), e.remove(0));
                    }
                }),
                ("drain", |s, e, len| {
                    let cut = s.len() - len;
                    assert!(s.drain(..cut).eq(e.drain(..cut)));
                }),
                ("retain", |s, e, len| {
                    let mut left = s.len() - len;
                    let mut left_e = left;
                    s.retain(|_| {
                        let keep = left == 0;
                        left = left.saturating_sub(1);
                        keep
                    });
                    e.retain(|_| {
                        let keep = left_e == 0;
                        left_e = left_e.saturating_sub(1);
                        keep
                    });
                }),
            ];
            for (way, shorten) in ways {
                let mut s = CowString::from(TEXT);
                let mut expected = String::from(TEXT);
                if way == "fresh" || len == 0 && way == "retain" {
                    // `retain` to nothing is `clear`'s case; check `clear` too.
                    s.clear();
                    expected.clear();
                }
                shorten(&mut s, &mut expected, len);
                assert_eq!(s, expected, "{way} to {len}");
                s.push(ch);
                expected.push(ch);
                assert_eq!(s, expected, "push {ch:?} after {way} to {len}");
                assert_eq!(
                    s.is_inline(),
                    expected.len() <= 16,
                    "{way} to {len}, {ch:?}"
                );
                s.push_str("xy");
                expected.push_str("xy");
                assert_eq!(s, expected, "push_str after {way} to {len}, {ch:?}");
            }
        }
    }
}

#[test]
fn collect_and_extend_of_chars_match_string() {
    // `Extend<char>` reserves from the iterator's lower bound: a lying bound (too high, or 0)
    // changes nothing but capacity, and an empty iterator leaves a shared text shared.
    let words = "naïve café größe, déjà vu: 🐄 über alles";
    for take in 0..=words.chars().count() {
        let expected: String = words.chars().take(take).collect();
        let s: CowString = words.chars().take(take).collect();
        assert_eq!(s, expected);
        let s: CowString = words.chars().take(take).filter(|_| true).collect();
        assert_eq!(s, expected);
    }
    struct Lying<I>(I, usize);
    impl<I: Iterator<Item = char>> Iterator for Lying<I> {
        type Item = char;
        fn next(&mut self) -> Option<char> {
            self.0.next()
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            (self.1, None)
        }
    }
    let s: CowString = Lying("abc".chars(), 1000).collect();
    assert_eq!(s, "abc");
    let mut shared = CowString::from(LONG);
    let other = shared.clone();
    shared.extend("".chars());
    assert!(shared.ptr_eq(&other), "an empty extend unshared the text");
    shared.extend("!".chars());
    assert_eq!(shared, format!("{LONG}!"));
    assert_eq!(other, LONG);
}

//! Public-API tests of `CowVec<T>` (issue 22): every method and trait against `Vec<T>` with
//! exact values and `Vec`'s panic messages, clones that never see each other's writes, large
//! vectors (many chunks, several table levels), `split_off` / `append` at and off chunk
//! boundaries (found through `chunks()`, so no test assumes a chunk size), zero-sized
//! elements, `Send` / `Sync`, the `CowCell<CowVec<T>>` pattern, and regression guards for
//! element types whose `Clone` or `Drop` panics part way through a chunk copy, or whose
//! iterator panics or lies in `size_hint`.
//!
//! Elements that count themselves ([`Probe`]) keep a live count in a [`Tally`] and a canary
//! that their drop overwrites: a second drop of one finds the canary dead (a double drop), a
//! count above zero at the end is a leak; the counting allocator of `tests/support` catches
//! leaked memory.
//!
//! The tests of the `sharing` module check the structural sharing: chunks shared by pointer
//! after a write, a split or an append. (`tests/model.rs` runs the random-operation model.)

mod support;

use std::collections::BTreeSet;
use std::collections::hash_map::DefaultHasher;
use std::fmt::Debug;
use std::hash::{Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicIsize, AtomicU64, AtomicUsize, Ordering};

use cowkit::CowVec;
use cowkit::vec::{Chunks, IntoIter, Iter, IterMut};
use support::{assert_no_leak, panic_message};

/// A length past several chunks and several table levels for any chunk size up to a few KiB.
const LARGE: usize = 100_000;

fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// `0, 1, 2, …` as `u64`.
fn counting(n: usize) -> Vec<u64> {
    (0..n as u64).collect()
}

/// Asserts that every read path of `v` gives `want`: `len`, `is_empty`, `get`, `first`,
/// `last`, `iter` both ways, `chunks` (each non-empty, in order, together the vector),
/// `to_vec`, `IntoIterator for &CowVec`.
#[track_caller]
fn check<T: Clone + PartialEq + Debug>(v: &CowVec<T>, want: &[T]) {
    assert_eq!(v.len(), want.len(), "len");
    assert_eq!(v.is_empty(), want.is_empty(), "is_empty");
    assert_eq!(v.first(), want.first(), "first");
    assert_eq!(v.last(), want.last(), "last");
    assert_eq!(v.get(want.len()), None, "get(len)");
    assert_eq!(v.iter().len(), want.len(), "iter().len()");
    assert!(v.iter().eq(want.iter()), "iter() differs");
    assert!(v.iter().rev().eq(want.iter().rev()), "iter().rev() differs");
    assert!(v.into_iter().eq(want.iter()), "&CowVec into_iter differs");
    let mut at = 0;
    for chunk in v.chunks() {
        assert!(!chunk.is_empty(), "an empty chunk at {at}");
        assert!(at + chunk.len() <= want.len(), "chunks past the end");
        assert!(
            chunk == &want[at..at + chunk.len()],
            "chunk at {at} differs"
        );
        at += chunk.len();
    }
    assert_eq!(
        at,
        want.len(),
        "chunks cover {at} of {} elements",
        want.len()
    );
    assert_eq!(v.to_vec(), want, "to_vec");
}

/// The offsets where one chunk ends and the next starts (not 0 or `len`).
fn chunk_boundaries<T>(v: &CowVec<T>) -> Vec<usize> {
    let mut at = 0;
    let mut cuts = Vec::new();
    for chunk in v.chunks() {
        at += chunk.len();
        cuts.push(at);
    }
    cuts.pop();
    cuts
}

/// A pseudo-random sequence (xorshift64) from a fixed seed, so runs repeat.
fn noise(seed: u64) -> impl FnMut() -> u64 {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}

// ---------------------------------------------------------------------------------------------
// Construction, conversion, reads

#[test]
fn construction_and_conversions() {
    let empty: CowVec<u64> = CowVec::new();
    check(&empty, &[]);
    check(&CowVec::<u64>::default(), &[]);
    assert_eq!(empty, CowVec::default());

    let want = counting(1000);
    let from_vec = CowVec::from(want.clone());
    check(&from_vec, &want);
    let from_slice = CowVec::from(&want[..]);
    check(&from_slice, &want);
    let collected: CowVec<u64> = want.iter().copied().collect();
    check(&collected, &want);
    let from_iter = CowVec::from_iter(0..1000u64);
    check(&from_iter, &want);
    assert_eq!(from_vec, from_slice);
    assert_eq!(from_vec, collected);

    assert_eq!(Vec::from(from_vec.clone()), want);
    let shared = from_vec.clone();
    assert_eq!(
        Vec::from(shared),
        want,
        "Vec::from of a shared vector copies"
    );
    check(&from_vec, &want);
    let strings: CowVec<String> = ["a", "bc", ""].iter().map(|s| s.to_string()).collect();
    check(
        &strings,
        &["a".to_string(), "bc".to_string(), String::new()],
    );
}

#[test]
fn reads_match_vec_at_every_index() {
    for n in [0, 1, 2, 63, 64, 65, 511, 512, 513, 4097, LARGE] {
        let want = counting(n);
        let v = CowVec::from(want.clone());
        check(&v, &want);
        let mut next = noise(n as u64);
        for _ in 0..2000.min(n * 2) {
            let i = (next() % (n as u64 + 2)) as usize;
            assert_eq!(v.get(i), want.get(i), "get({i}) of {n}");
            if i < n {
                assert_eq!(v[i], want[i]);
            }
        }
        for (i, x) in want.iter().enumerate().take(3000) {
            assert_eq!(v.get(i), Some(x));
            assert_eq!(&v[i], x);
        }
    }
}

#[test]
fn debug_formats_as_a_list() {
    let v = CowVec::from(vec![1u8, 2, 3]);
    assert_eq!(format!("{v:?}"), "[1, 2, 3]");
    assert_eq!(format!("{v:#?}"), format!("{:#?}", vec![1u8, 2, 3]));
    assert_eq!(format!("{:?}", CowVec::<u8>::new()), "[]");
    let big = counting(2000);
    assert_eq!(
        format!("{:?}", CowVec::from(big.clone())),
        format!("{big:?}")
    );
    let strings = CowVec::from(vec!["a", "b\"c"]);
    assert_eq!(format!("{strings:?}"), r#"["a", "b\"c"]"#);
}

#[test]
fn iterators_are_exact_and_double_ended() {
    let want = counting(LARGE);
    let v = CowVec::from(want.clone());
    // Front and back alternately, meeting in the middle; `len` counts down exactly.
    let mut it: Iter<'_, u64> = v.iter();
    let (mut front, mut back) = (0, want.len());
    let mut step = 0;
    while front < back {
        assert_eq!(it.len(), back - front);
        assert_eq!(it.size_hint(), (back - front, Some(back - front)));
        if step % 3 == 2 {
            back -= 1;
            assert_eq!(it.next_back(), Some(&want[back]));
        } else {
            assert_eq!(it.next(), Some(&want[front]));
            front += 1;
        }
        step += 1;
    }
    assert_eq!(it.len(), 0);
    assert_eq!(it.next(), None);
    assert_eq!(it.next_back(), None);

    assert_eq!(v.iter().nth(LARGE - 1), Some(&want[LARGE - 1]));
    assert_eq!(v.iter().rev().nth(7), Some(&want[LARGE - 8]));
    assert_eq!(v.iter().copied().sum::<u64>(), want.iter().sum::<u64>());
    assert_eq!(v.iter().nth(12_345), Some(&12_345));

    let chunks: Chunks<'_, u64> = v.chunks();
    assert_eq!(chunks.map(<[u64]>::len).sum::<usize>(), LARGE);
    assert!(
        v.chunks().count() > 1,
        "{LARGE} elements fit one chunk: the test reaches no table"
    );
}

#[test]
fn into_iterator_for_owned_shared_and_mutable() {
    let want: Vec<String> = (0..700).map(|i| i.to_string()).collect();
    let mut v = CowVec::from(want.clone());

    // By reference.
    let mut seen = Vec::new();
    for s in &v {
        seen.push(s.clone());
    }
    assert_eq!(seen, want);

    // By mutable reference, on a vector shared with a clone: the clone keeps its values.
    let kept = v.clone();
    for s in &mut v {
        s.push('!');
    }
    let shouted: Vec<String> = want.iter().map(|s| format!("{s}!")).collect();
    check(&v, &shouted);
    check(&kept, &want);
    let it: IterMut<'_, String> = v.iter_mut();
    assert_eq!(it.len(), 700);
    for (i, s) in v.iter_mut().enumerate() {
        *s = i.to_string();
    }
    check(&v, &want);

    // Owned, while a clone shares the elements: the clone keeps them.
    let owned: IntoIter<String> = kept.clone().into_iter();
    assert_eq!(owned.len(), 700);
    assert_eq!(owned.rev().collect::<Vec<_>>(), {
        let mut r = want.clone();
        r.reverse();
        r
    });
    check(&kept, &want);
    // Owned and unique.
    let mut owned = v.into_iter();
    assert_eq!(owned.next(), Some("0".to_string()));
    assert_eq!(owned.next_back(), Some("699".to_string()));
    assert_eq!(owned.len(), 698);
    assert_eq!(owned.collect::<Vec<_>>(), want[1..699]);
}

// ---------------------------------------------------------------------------------------------
// Writes

/// One scripted sequence of every write, on a `CowVec` and a `Vec` side by side.
#[test]
fn writes_match_vec() {
    let mut want = counting(3000);
    let mut v = CowVec::from(want.clone());

    v.push(7);
    want.push(7);
    assert_eq!(v.pop(), want.pop());
    assert_eq!(v.pop(), want.pop());
    v.insert(0, 100);
    want.insert(0, 100);
    v.insert(1500, 101);
    want.insert(1500, 101);
    let len = v.len();
    v.insert(len, 102);
    want.insert(len, 102);
    check(&v, &want);
    assert_eq!(v.remove(0), want.remove(0));
    assert_eq!(v.remove(777), want.remove(777));
    assert_eq!(v.remove(want.len() - 1), want.remove(want.len() - 1));
    check(&v, &want);

    *v.get_mut(5).unwrap() = 55;
    want[5] = 55;
    assert_eq!(v.get_mut(want.len()), None);
    v[2000] = 2;
    want[2000] = 2;
    v.swap(0, 2999 - 2);
    want.swap(0, 2999 - 2);
    v.swap(10, 10);
    want.swap(10, 10);
    check(&v, &want);

    v.retain(|x| x % 3 != 0);
    want.retain(|x| x % 3 != 0);
    check(&v, &want);
    v.truncate(1500);
    want.truncate(1500);
    v.truncate(5000); // past the end: nothing
    check(&v, &want);

    let tail = v.split_off(700);
    let want_tail = want.split_off(700);
    check(&v, &want);
    check(&tail, &want_tail);
    let mut other = CowVec::from(counting(900));
    v.append(&mut other);
    want.append(&mut counting(900));
    check(&v, &want);
    check(&other, &[]);
    v.extend([1u64, 2, 3]);
    want.extend([1u64, 2, 3]);
    v.extend(&[4u64, 5]);
    want.extend(&[4u64, 5]);
    check(&v, &want);

    v.clear();
    check(&v, &[]);
    v.push(9);
    check(&v, &[9]);
    assert_eq!(v.pop(), Some(9));
    assert_eq!(v.pop(), None);
}

/// Every write, on a large vector, at its start, middle and end.
#[test]
fn writes_on_a_large_vector() {
    let mut want = counting(LARGE);
    let mut v = CowVec::from(want.clone());
    for i in [0, 1, LARGE / 2, LARGE - 2, LARGE - 1] {
        v[i] = u64::MAX - i as u64;
        want[i] = u64::MAX - i as u64;
    }
    check(&v, &want);
    for i in [0, LARGE / 3, LARGE / 2 + 1, v.len()] {
        v.insert(i, 42);
        want.insert(i, 42);
    }
    check(&v, &want);
    for i in [0, LARGE / 4] {
        assert_eq!(v.remove(i), want.remove(i));
    }
    let last = want.len() - 1;
    assert_eq!(v.remove(last), want.remove(last));
    check(&v, &want);
    for k in 0..5000 {
        v.push(k);
        want.push(k);
    }
    for _ in 0..7000 {
        assert_eq!(v.pop(), want.pop());
    }
    check(&v, &want);
    let far = want.len() - 3;
    v.swap(3, far);
    want.swap(3, far);
    v.retain(|x| x % 1000 != 7);
    want.retain(|x| x % 1000 != 7);
    check(&v, &want);
    let mut sum = 0;
    for x in v.iter_mut() {
        *x = x.wrapping_mul(3);
        sum += 1;
    }
    want.iter_mut().for_each(|x| *x = x.wrapping_mul(3));
    assert_eq!(sum, want.len());
    check(&v, &want);
    v.truncate(LARGE / 7);
    want.truncate(LARGE / 7);
    check(&v, &want);
}

/// A million elements: a table one level taller than at [`LARGE`] for 4 KiB chunks and a
/// fan-out of 16 (1,954 chunks). Writes at both ends and in the middle beside a snapshot, a
/// split far from the start and the append back, pushes and pops across the last chunk.
#[test]
fn a_million_elements() {
    const M: usize = 1_000_000;
    let mut want = counting(M);
    let snapshot = CowVec::from(want.clone());
    let mut v = snapshot.clone();
    for i in [0, 1, M / 2, M - 2, M - 1] {
        v[i] = 7;
        want[i] = 7;
        assert_eq!(snapshot[i], i as u64);
    }
    let tail = v.split_off(700_001);
    let mut want_tail = want.split_off(700_001);
    check(&tail, &want_tail);
    let mut tail = tail;
    v.append(&mut tail);
    want.append(&mut want_tail);
    for k in 0..3000 {
        v.push(k);
        want.push(k);
    }
    for _ in 0..4500 {
        assert_eq!(v.pop(), want.pop());
    }
    check(&v, &want);
    check(&snapshot, &counting(M));
}

/// Builds a vector one `push` at a time across many chunks and table heights, reading back
/// after every growth step; then shrinks it back one `pop` at a time.
#[test]
fn push_and_pop_through_table_heights() {
    let mut v = CowVec::new();
    let mut want = Vec::new();
    for i in 0..LARGE as u64 {
        v.push(i);
        want.push(i);
        if (i as usize).is_power_of_two() {
            check(&v, &want);
        }
    }
    check(&v, &want);
    while !want.is_empty() {
        assert_eq!(v.pop(), want.pop());
        if want.len().is_power_of_two() {
            check(&v, &want);
        }
    }
    check(&v, &[]);
    assert_eq!(v.pop(), None);
}

#[test]
fn extend_and_from_iter_with_lying_size_hints() {
    /// Yields `0..n` and claims `hint` as its size.
    struct Liar {
        next: u64,
        n: u64,
        hint: (usize, Option<usize>),
    }
    impl Iterator for Liar {
        type Item = u64;
        fn next(&mut self) -> Option<u64> {
            (self.next < self.n).then(|| {
                self.next += 1;
                self.next - 1
            })
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            self.hint
        }
    }
    let liar = |n: u64, hint| Liar { next: 0, n, hint };
    for n in [0, 5, 3000] {
        for hint in [
            (0, Some(0)),
            (0, None),
            (1, Some(1)),
            (1 << 16, Some(1 << 16)),
            (1 << 20, None),
        ] {
            let want = counting(n as usize);
            let v: CowVec<u64> = liar(n, hint).collect();
            check(&v, &want);
            let mut w = CowVec::from(vec![9u64; 700]);
            let keep = w.clone();
            w.extend(liar(n, hint));
            let mut want_w = vec![9u64; 700];
            want_w.extend(&want);
            check(&w, &want_w);
            check(&keep, &[9; 700]);
        }
        // A lower bound of `usize::MAX`: `Vec` panics (capacity overflow) rather than trust it;
        // a `CowVec` may panic too, and if it does not, it holds exactly the items.
        for hint in [(usize::MAX, None), (usize::MAX, Some(usize::MAX))] {
            let std = catch_unwind(|| liar(n, hint).collect::<Vec<u64>>());
            let ours = catch_unwind(|| liar(n, hint).collect::<CowVec<u64>>());
            if let Ok(v) = &ours {
                check(v, &counting(n as usize));
            }
            if let Ok(v) = std {
                assert_eq!(v, counting(n as usize));
            }
            let mut w = CowVec::from(vec![9u64; 700]);
            if catch_unwind(AssertUnwindSafe(|| w.extend(liar(n, hint)))).is_ok() {
                let mut want_w = vec![9u64; 700];
                want_w.extend(counting(n as usize));
                check(&w, &want_w);
            } else {
                let now = w.to_vec();
                assert!(now.len() >= 700 && now[..700] == [9; 700]);
                check(&w, &now);
            }
        }
    }
}

#[test]
fn a_panicking_iterator_leaves_a_valid_vector() {
    assert_no_leak(|| {
        let items = |n: usize| {
            let mut i = 0;
            std::iter::from_fn(move || {
                if i == n {
                    resume_unwind(Box::new("the iterator panicked"));
                }
                i += 1;
                Some((i - 1).to_string())
            })
        };
        for n in [0, 1, 600, 2500] {
            assert!(catch_unwind(|| items(n).collect::<CowVec<String>>()).is_err());

            let before: Vec<String> = (0..800).map(|i| format!("x{i}")).collect();
            let mut v = CowVec::from(before.clone());
            let keep = v.clone();
            let result = catch_unwind(AssertUnwindSafe(|| v.extend(items(n))));
            assert!(result.is_err());
            drop(result);
            // `Vec::extend` keeps what it took before the panic: `v` is the old vector and a
            // prefix of the new items.
            let after = v.to_vec();
            assert!(after.len() >= before.len() && after[..800] == before[..]);
            let taken: Vec<String> = (0..after.len() - 800).map(|i| i.to_string()).collect();
            assert_eq!(after[800..], taken[..]);
            check(&v, &after);
            check(&keep, &before);
            v.push("more".to_string());
            assert_eq!(v.last().map(String::as_str), Some("more"));
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Panics, with `Vec`'s messages

#[test]
#[should_panic(expected = "index out of bounds: the len is 3 but the index is 3")]
fn index_past_the_end_panics() {
    let v = CowVec::from(vec![1, 2, 3]);
    let _ = v[3];
}

#[test]
#[should_panic(expected = "index out of bounds: the len is 0 but the index is 0")]
fn index_of_empty_panics() {
    let v = CowVec::<u8>::new();
    let _ = v[0];
}

#[test]
#[should_panic(expected = "index out of bounds: the len is 100000 but the index is 100000")]
fn index_mut_past_the_end_of_a_large_vector_panics() {
    let mut v = CowVec::from(counting(LARGE));
    v[LARGE] = 1;
}

#[test]
#[should_panic(expected = "insertion index (is 4) should be <= len (is 3)")]
fn insert_past_the_end_panics() {
    let mut v = CowVec::from(vec![1, 2, 3]);
    v.insert(4, 9);
}

#[test]
#[should_panic(expected = "removal index (is 3) should be < len (is 3)")]
fn remove_past_the_end_panics() {
    let mut v = CowVec::from(vec![1, 2, 3]);
    v.remove(3);
}

#[test]
#[should_panic(expected = "`at` split index (is 4) should be <= len (is 3)")]
fn split_off_past_the_end_panics() {
    let mut v = CowVec::from(vec![1, 2, 3]);
    let _ = v.split_off(4);
}

#[test]
#[should_panic(expected = "index out of bounds")]
fn swap_past_the_end_panics() {
    let mut v = CowVec::from(vec![1, 2, 3]);
    v.swap(0, 3);
}

/// The same out-of-range calls on `Vec` and on `CowVec` panic with the same message (so the
/// wording follows the toolchain's `Vec`), and leave a shared clone untouched.
#[test]
fn panic_messages_are_vecs() {
    for n in [0usize, 1, 5, 3000] {
        let base = CowVec::from(counting(n));
        for bad in [n, n + 1, n + 1000] {
            let mut ours = base.clone();
            let mut std = counting(n);
            let cases: [(&str, Option<String>, Option<String>); 6] = [
                (
                    "index",
                    panic_message(|| {
                        let _ = ours[bad];
                    }),
                    panic_message(|| {
                        let _ = std[bad];
                    }),
                ),
                (
                    "index_mut",
                    panic_message(|| ours[bad] = 1),
                    panic_message(|| std[bad] = 1),
                ),
                (
                    "insert",
                    panic_message(|| ours.insert(bad + 1, 1)),
                    panic_message(|| std.insert(bad + 1, 1)),
                ),
                (
                    "remove",
                    panic_message(|| {
                        ours.remove(bad);
                    }),
                    panic_message(|| {
                        std.remove(bad);
                    }),
                ),
                (
                    "split_off",
                    panic_message(|| {
                        let _ = ours.split_off(bad + 1);
                    }),
                    panic_message(|| {
                        let _ = std.split_off(bad + 1);
                    }),
                ),
                (
                    "swap",
                    panic_message(|| ours.swap(0, bad)),
                    panic_message(|| std.swap(0, bad)),
                ),
            ];
            for (what, ours, std) in cases {
                assert!(std.is_some(), "{what}({bad}) of {n}: Vec did not panic");
                assert_eq!(ours, std, "{what}({bad}) of {n}");
            }
            check(&ours, &counting(n));
            check(&base, &counting(n));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Clones

#[test]
fn clones_never_see_each_others_writes() {
    let base = counting(LARGE);
    let a = CowVec::from(base.clone());
    let b = a.clone();
    assert!(CowVec::ptr_eq(&a, &b));
    assert_eq!(a, b);

    // Each write through a fresh clone leaves `a` (and every other clone) as it was.
    type Write = fn(&mut CowVec<u64>, &mut Vec<u64>);
    let writes: [(&str, Write); 14] = [
        ("index_mut", |v, m| {
            v[LARGE / 2] = 1;
            m[LARGE / 2] = 1;
        }),
        ("get_mut", |v, m| {
            *v.get_mut(0).unwrap() = 2;
            m[0] = 2;
        }),
        ("push", |v, m| {
            v.push(3);
            m.push(3);
        }),
        ("pop", |v, m| assert_eq!(v.pop(), m.pop())),
        ("insert", |v, m| {
            v.insert(1234, 4);
            m.insert(1234, 4);
        }),
        ("remove", |v, m| {
            assert_eq!(v.remove(77_777), m.remove(77_777))
        }),
        ("truncate", |v, m| {
            v.truncate(50_001);
            m.truncate(50_001);
        }),
        ("clear", |v, m| {
            v.clear();
            m.clear();
        }),
        ("retain", |v, m| {
            v.retain(|x| x % 2 == 0);
            m.retain(|x| x % 2 == 0);
        }),
        ("split_off", |v, m| {
            let tail = v.split_off(33_333);
            check(&tail, &m.split_off(33_333));
        }),
        ("append", |v, m| {
            let mut more = CowVec::from(vec![5u64; 1000]);
            v.append(&mut more);
            m.extend([5u64; 1000]);
        }),
        ("swap", |v, m| {
            v.swap(1, LARGE - 2);
            m.swap(1, LARGE - 2);
        }),
        ("iter_mut", |v, m| {
            v.iter_mut().for_each(|x| *x += 1);
            m.iter_mut().for_each(|x| *x += 1);
        }),
        ("extend", |v, m| {
            v.extend(0..10u64);
            m.extend(0..10u64);
        }),
    ];
    let mut forks = Vec::new();
    for (name, write) in writes {
        let mut fork = a.clone();
        let mut model = base.clone();
        write(&mut fork, &mut model);
        check(&fork, &model);
        check(&a, &base);
        assert!(
            !CowVec::ptr_eq(&fork, &a),
            "{name}: still ptr_eq after a write"
        );
        assert_eq!(fork == a, model == base, "{name}: ==");
        forks.push((name, fork, model));
    }
    // The other way: a write to the original shows in no fork.
    let mut a = a;
    a[0] = 999;
    let mut want = base.clone();
    want[0] = 999;
    check(&a, &want);
    check(&b, &base);
    for (name, fork, model) in &forks {
        check(fork, model);
        assert_eq!(fork.len(), model.len(), "{name}");
    }
}

#[test]
fn writes_to_a_unique_vector_stay_ptr_eq_to_nothing_else() {
    let mut a = CowVec::from(counting(1000));
    let b = a.clone();
    a[0] = 5;
    assert!(!CowVec::ptr_eq(&a, &b));
    let c = a.clone();
    assert!(CowVec::ptr_eq(&a, &c));
    assert!(CowVec::ptr_eq(&c, &c.clone()));
    drop(c);
    a[1] = 6; // unique again
    assert_eq!((a[0], a[1], b[0], b[1]), (5, 6, 0, 1));
}

#[test]
fn split_off_and_append_at_and_off_chunk_boundaries() {
    let want = counting(20_000);
    let base = CowVec::from(want.clone());
    let cuts = chunk_boundaries(&base);
    assert!(!cuts.is_empty(), "20,000 elements in one chunk");
    let mut ats: BTreeSet<usize> = [0, 1, want.len() - 1, want.len()].into();
    for &cut in cuts.iter().take(4).chain(cuts.iter().rev().take(3)) {
        ats.extend([cut - 1, cut, cut + 1]);
    }
    ats.insert(cuts[cuts.len() / 2]);
    for &at in &ats {
        let mut head = base.clone();
        let tail = head.split_off(at);
        check(&head, &want[..at]);
        check(&tail, &want[at..]);
        check(&base, &want);

        // Put back together, both ways round, and onto a third vector.
        let mut joined = head.clone();
        let mut rest = tail.clone();
        joined.append(&mut rest);
        check(&joined, &want);
        check(&rest, &[]);
        assert_eq!(joined, base);
        assert_eq!(hash_of(&joined), hash_of(&base));
        let mut swapped = tail.clone();
        swapped.append(&mut head.clone());
        let mut want_swapped = want[at..].to_vec();
        want_swapped.extend_from_slice(&want[..at]);
        check(&swapped, &want_swapped);
        check(&head, &want[..at]);
        check(&tail, &want[at..]);

        // Appending pieces whose lengths are and are not multiples of a chunk.
        let mut built = CowVec::new();
        let mut pieces = want.clone();
        let mut model = Vec::new();
        for cut in [at, at / 2, 1, 0] {
            let mut piece = CowVec::from(pieces.split_off(cut.min(pieces.len())));
            model.extend(piece.iter().copied());
            built.append(&mut piece);
            check(&built, &model);
        }
    }
}

/// Every element of a vector and its clones, splits, truncations and appends is dropped
/// exactly once, and every allocation is freed.
#[test]
fn every_element_is_dropped_exactly_once() {
    let tally = Tally::default();
    assert_no_leak(|| {
        let base: CowVec<Probe<'_>> = (0..3000).map(|i| tally.probe(i)).collect();
        assert_eq!(tally.alive(), 3000);
        let mut a = base.clone();
        let mut b = base.clone();
        a[10].value = 1;
        b.truncate(1777);
        let mut c = a.split_off(1500);
        c.append(&mut b.clone());
        b.retain(|p| p.value % 5 != 0);
        let mut d = c.clone();
        d.insert(3, tally.probe(7));
        let _ = d.remove(100);
        let popped = d.pop();
        d.swap(0, 1000);
        d.clear();
        let mut owned = c.clone().into_iter();
        let _ = owned.next();
        let _ = owned.next_back();
        drop(owned); // part consumed
        let vec = Vec::from(a.clone());
        let partial: Vec<_> = b.iter().take(10).cloned().collect();
        drop((a, b, c, d, popped, vec, partial));
        assert_eq!(tally.alive(), 3000, "only the base's elements are left");
        drop(base);
    });
    tally.assert_all_dropped_once();
}

// ---------------------------------------------------------------------------------------------
// Comparison, hashing, serde

#[test]
fn eq_ord_and_hash_match_vec() {
    let samples: Vec<Vec<u64>> = vec![
        vec![],
        vec![0],
        vec![1],
        vec![0, 1],
        vec![0, 2],
        counting(1000),
        counting(1001),
        {
            let mut v = counting(1000);
            v[999] = 0;
            v
        },
        {
            let mut v = counting(LARGE);
            v[LARGE / 2] = u64::MAX;
            v
        },
        counting(LARGE),
    ];
    let ours: Vec<CowVec<u64>> = samples.iter().map(|v| CowVec::from(v.clone())).collect();
    for (a, va) in ours.iter().zip(&samples) {
        assert_eq!(hash_of(a), hash_of(va), "hash of {} elements", va.len());
        assert_eq!(hash_of(a), hash_of(&va[..]));
        for (b, vb) in ours.iter().zip(&samples) {
            assert_eq!(a == b, va == vb);
            assert_eq!(a != b, va != vb);
            assert_eq!(a.cmp(b), va.cmp(vb));
            assert_eq!(a.partial_cmp(b), va.partial_cmp(vb));
            assert_eq!(a < b, va < vb);
        }
    }
    // A clone with one write differs; put back, it is equal again and hashes alike.
    let mut x = ours[9].clone();
    x[LARGE - 1] = 0;
    assert_ne!(x, ours[9]);
    assert!(x < ours[9]);
    x[LARGE - 1] = LARGE as u64 - 1;
    assert_eq!(x, ours[9]);
    assert_eq!(hash_of(&x), hash_of(&samples[9]));

    // PartialOrd without Ord: NaN compares as in a Vec.
    let nan = CowVec::from(vec![1.0, f64::NAN]);
    let one = CowVec::from(vec![1.0, 2.0]);
    assert_eq!(
        nan.partial_cmp(&one),
        vec![1.0, f64::NAN].partial_cmp(&vec![1.0, 2.0])
    );
    assert_ne!(nan, CowVec::from(vec![1.0, f64::NAN]));
}

#[cfg(feature = "serde")]
#[test]
fn serde_as_a_sequence() {
    for want in [vec![], vec![1u64, 2, 3], counting(LARGE)] {
        let v = CowVec::from(want.clone());
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, serde_json::to_string(&want).unwrap());
        let back: CowVec<u64> = serde_json::from_str(&json).unwrap();
        check(&back, &want);
    }
    let strings: CowVec<String> = serde_json::from_str(r#"["a","b"]"#).unwrap();
    check(&strings, &["a".to_string(), "b".to_string()]);
    assert!(serde_json::from_str::<CowVec<u8>>(r#"[1, 300]"#).is_err());
    assert!(serde_json::from_str::<CowVec<u8>>(r#"{"a": 1}"#).is_err());
}

// ---------------------------------------------------------------------------------------------
// Zero-sized elements

#[test]
fn zero_sized_elements() {
    let mut v: CowVec<()> = CowVec::new();
    for _ in 0..LARGE {
        v.push(());
    }
    check(&v, &[(); LARGE]);
    let snapshot = v.clone();
    v.insert(5, ());
    v.remove(LARGE / 2);
    assert_eq!(v.pop(), Some(()));
    v.truncate(LARGE - 10);
    check(&v, &[(); LARGE - 10]);
    let tail = v.split_off(LARGE / 3);
    check(&tail, &[(); LARGE - 10 - LARGE / 3]);
    let mut tail = tail;
    v.append(&mut tail);
    check(&v, &[(); LARGE - 10]);
    v.retain(|_| false);
    check(&v, &[]);
    check(&snapshot, &[(); LARGE]);
    let collected: CowVec<()> = std::iter::repeat_n((), 3000).collect();
    assert_eq!(collected.iter().count(), 3000);
    assert_eq!(collected.into_iter().count(), 3000);
    assert_eq!(CowVec::from(vec![(); 7]), CowVec::from(&[(); 7][..]));
}

#[test]
fn zero_sized_elements_with_drop_are_dropped_exactly_once() {
    thread_local! {
        static MADE: std::cell::Cell<isize> = const { std::cell::Cell::new(0) };
    }
    struct Z;
    impl Z {
        fn new() -> Z {
            MADE.with(|m| m.set(m.get() + 1));
            Z
        }
    }
    impl Clone for Z {
        fn clone(&self) -> Z {
            Z::new()
        }
    }
    impl Drop for Z {
        fn drop(&mut self) {
            MADE.with(|m| m.set(m.get() - 1));
        }
    }
    assert_eq!(size_of::<Z>(), 0);
    assert_no_leak(|| {
        let mut v: CowVec<Z> = (0..5000).map(|_| Z::new()).collect();
        let keep = v.clone();
        v.push(Z::new());
        v.truncate(4000);
        let tail = v.split_off(1000);
        drop(v.remove(3));
        v.retain(|_| true);
        // The kept 5,000, plus at most one copy of each element the writes left in `v` and
        // `tail` (how many depends on which chunks they copied).
        let live = MADE.with(|m| m.get()) as usize;
        assert!(
            (5000..=5000 + v.len() + tail.len()).contains(&live),
            "{live} Z alive"
        );
        drop((keep, tail, v));
    });
    assert_eq!(
        MADE.with(|m| m.get()),
        0,
        "a ZST leaked or was dropped twice"
    );
}

// ---------------------------------------------------------------------------------------------
// Send and Sync

/// Compile-time checks: `CowVec<T>` is `Send` and `Sync` exactly when `T` is both, as
/// `Arc<T>` (clones share chunks across threads, so `&T` crosses threads with a clone).
#[allow(dead_code)]
const _: () = {
    fn send_sync<T: Send + Sync>() {}
    fn checks() {
        send_sync::<CowVec<u64>>();
        send_sync::<CowVec<String>>();
        send_sync::<CowVec<std::sync::Mutex<u8>>>();
        send_sync::<Iter<'static, u64>>();
        send_sync::<Chunks<'static, u64>>();
        send_sync::<IntoIter<u64>>();
    }
    /// Implemented by every type twice when `Self: Send` (the call below is then ambiguous and
    /// fails to compile), once otherwise (static_assertions' `assert_not_impl_any!` trick).
    trait AmbiguousIfSend<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfSend<()> for T {}
    impl<T: ?Sized + Send> AmbiguousIfSend<u8> for T {}
    trait AmbiguousIfSync<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfSync<()> for T {}
    impl<T: ?Sized + Sync> AmbiguousIfSync<u8> for T {}
    fn negative() {
        <CowVec<std::rc::Rc<u8>> as AmbiguousIfSend<_>>::check();
        <CowVec<std::rc::Rc<u8>> as AmbiguousIfSync<_>>::check();
        // `Cell` is `Send` but not `Sync`: a clone on another thread would share it.
        <CowVec<std::cell::Cell<u8>> as AmbiguousIfSend<_>>::check();
        <CowVec<std::cell::Cell<u8>> as AmbiguousIfSync<_>>::check();
        // A `MutexGuard` is `Sync` but not `Send`.
        <CowVec<std::sync::MutexGuard<'static, u8>> as AmbiguousIfSend<_>>::check();
    }
};

#[test]
fn clones_are_written_on_other_threads_independently() {
    let want = counting(LARGE);
    let base = CowVec::from(want.clone());
    std::thread::scope(|scope| {
        for t in 0..4u64 {
            let mut mine = base.clone();
            let want = &want;
            scope.spawn(move || {
                let mut model = want.clone();
                for k in 0..500 {
                    let i = (k * 197 + t as usize * 31) % LARGE;
                    mine[i] = t;
                    model[i] = t;
                }
                mine.push(t);
                model.push(t);
                check(&mine, &model);
            });
        }
    });
    check(&base, &want);
}

// ---------------------------------------------------------------------------------------------
// CowCell<CowVec<T>>: the large-n copy-on-write list

#[cfg(feature = "std")]
mod cell_pattern {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    use cowkit::CowCell;

    use super::*;

    #[test]
    fn readers_keep_whole_snapshots() {
        let want = counting(LARGE);
        let cell = CowCell::new(CowVec::from(want.clone()));
        let before = cell.load();
        let kept = cell.snapshot();
        cell.update(|v| v[LARGE / 2] = 7);
        cell.update(|v| v.push(8));
        let now = cell.load();
        let mut model = want.clone();
        model[LARGE / 2] = 7;
        model.push(8);
        check(&now, &model);
        check(&before, &want);
        check(&kept, &want);
        // A batch of writes in one update: one published version.
        let n = cell.update(|v| {
            v.truncate(10);
            v.insert(0, 1);
            v.len()
        });
        assert_eq!(n, 11);
        check(&cell.load(), &[1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        check(&now, &model);
    }

    /// One writer publishes versions in which every element holds the version number; readers
    /// on other threads check that every snapshot they take is whole (all elements equal, at
    /// both ends and in the middle) and never changes while they hold it. Bounded: 300 writes.
    #[test]
    fn snapshots_from_threads_are_whole_and_never_change() {
        const N: usize = 20_000;
        const WRITES: u64 = 300;
        let cell = Arc::new(CowCell::new(CowVec::from(vec![0u64; N])));
        let done = Arc::new(AtomicBool::new(false));
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let (cell, done) = (Arc::clone(&cell), Arc::clone(&done));
                std::thread::spawn(move || {
                    let mut seen = 0;
                    let mut last = 0;
                    while !done.load(Ordering::Acquire) || seen == 0 {
                        let snap = cell.load();
                        let version = snap[0];
                        assert!(version >= last, "versions went back: {version} < {last}");
                        last = version;
                        assert_eq!(snap.len(), N);
                        assert_eq!(snap[N / 2], version);
                        assert_eq!(snap[N - 1], version);
                        let held = cell.snapshot();
                        let first = held[0];
                        std::thread::yield_now();
                        assert!(held.iter().all(|&x| x == first), "a torn snapshot");
                        seen += 1;
                    }
                    seen
                })
            })
            .collect();
        for version in 1..=WRITES {
            cell.update(|v| {
                // Every element: the spine copies and every chunk in turn.
                for x in v.iter_mut() {
                    *x = version;
                }
            });
            if version % 50 == 0 {
                std::thread::yield_now();
            }
        }
        done.store(true, Ordering::Release);
        for reader in readers {
            assert!(reader.join().expect("a reader panicked") > 0);
        }
        check(&cell.load(), &vec![WRITES; N]);
    }

    /// A single-element write through the cell, while readers hold snapshots, changes only the
    /// cell's current version.
    #[test]
    fn single_writes_beside_held_snapshots() {
        let cell = CowCell::new(CowVec::from(counting(LARGE)));
        let mut held = Vec::new();
        let mut model = counting(LARGE);
        for k in 0..50usize {
            held.push((cell.load(), model.clone()));
            let i = (k * 7919) % LARGE;
            cell.update(|v| v[i] = 0);
            model[i] = 0;
        }
        check(&cell.load(), &model);
        for (snap, want) in &held {
            check(snap, want);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Panic safety: a `Clone` or `Drop` of `T` that panics part way through a chunk copy

/// Counts of live [`Probe`]s and the instructions for the next panic. Nothing here allocates,
/// so that the counting allocator sees only the vector's own memory.
struct Tally {
    /// Probes made minus probes dropped.
    alive: AtomicIsize,
    /// The next id.
    next: AtomicU64,
    /// Drops of a probe already dropped (its canary says so).
    double_drops: AtomicUsize,
    /// Clones made.
    clones: AtomicUsize,
    /// When non-zero, the clone that brings this to zero panics.
    clone_countdown: AtomicUsize,
    /// The id of the probe whose `Drop` panics (once); `NO_ID` for none.
    drop_panic_id: AtomicU64,
}

const NO_ID: u64 = u64::MAX;
/// A live probe's canary; a dropped one's is overwritten with [`DEAD`].
const ALIVE: u64 = 0xA11E_A11E_A11E_A11E;
const DEAD: u64 = 0xDEAD_DEAD_DEAD_DEAD;

impl Default for Tally {
    fn default() -> Self {
        Tally {
            alive: AtomicIsize::new(0),
            next: AtomicU64::new(0),
            double_drops: AtomicUsize::new(0),
            clones: AtomicUsize::new(0),
            clone_countdown: AtomicUsize::new(0),
            drop_panic_id: AtomicU64::new(NO_ID),
        }
    }
}

impl Tally {
    fn probe(&self, value: u32) -> Probe<'_> {
        self.alive.fetch_add(1, Ordering::Relaxed);
        Probe {
            id: self.next.fetch_add(1, Ordering::Relaxed),
            value,
            canary: ALIVE,
            tally: self,
        }
    }

    fn alive(&self) -> usize {
        let alive = self.alive.load(Ordering::Relaxed);
        assert!(alive >= 0, "more drops than probes: {alive}");
        alive as usize
    }

    fn clones(&self) -> usize {
        self.clones.load(Ordering::Relaxed)
    }

    /// The `k`-th clone from now panics (k ≥ 1).
    fn arm_clone_panic(&self, k: usize) {
        self.clone_countdown.store(k, Ordering::Relaxed);
    }

    fn disarm(&self) {
        self.clone_countdown.store(0, Ordering::Relaxed);
        self.drop_panic_id.store(NO_ID, Ordering::Relaxed);
    }

    fn arm_drop_panic(&self, id: u64) {
        self.drop_panic_id.store(id, Ordering::Relaxed);
    }

    #[track_caller]
    fn assert_all_dropped_once(&self) {
        assert_eq!(self.double_drops.load(Ordering::Relaxed), 0, "double drops");
        assert_eq!(self.alive(), 0, "probes leaked");
    }
}

/// An element that counts itself in a [`Tally`]; its clone and drop panic when told to (with
/// `resume_unwind`: no panic hook runs, so nothing allocates or prints mid-test).
struct Probe<'t> {
    id: u64,
    value: u32,
    /// [`ALIVE`] until dropped.
    canary: u64,
    tally: &'t Tally,
}

impl Debug for Probe<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Probe({}#{})", self.value, self.id)
    }
}

impl PartialEq for Probe<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Clone for Probe<'_> {
    fn clone(&self) -> Self {
        assert_eq!(self.canary, ALIVE, "a clone of a dropped probe");
        let t = self.tally;
        let countdown = t.clone_countdown.load(Ordering::Relaxed);
        if countdown > 0 {
            t.clone_countdown.store(countdown - 1, Ordering::Relaxed);
            if countdown == 1 {
                resume_unwind(Box::new("Probe::clone panicked"));
            }
        }
        t.clones.fetch_add(1, Ordering::Relaxed);
        t.probe(self.value)
    }
}

impl Drop for Probe<'_> {
    fn drop(&mut self) {
        let t = self.tally;
        if self.canary != ALIVE {
            t.double_drops.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.canary = DEAD;
        t.alive.fetch_sub(1, Ordering::Relaxed);
        if t.drop_panic_id.load(Ordering::Relaxed) == self.id {
            t.drop_panic_id.store(NO_ID, Ordering::Relaxed);
            resume_unwind(Box::new("Probe::drop panicked"));
        }
    }
}

fn values(v: &CowVec<Probe<'_>>) -> Vec<u32> {
    v.iter().map(|p| p.value).collect()
}

/// Asserts the chunks of `v` are consistent with its iterator and length.
#[track_caller]
fn assert_valid(v: &CowVec<Probe<'_>>) {
    let by_iter = values(v);
    assert_eq!(by_iter.len(), v.len());
    let by_chunks: Vec<u32> = v.chunks().flatten().map(|p| p.value).collect();
    assert_eq!(by_chunks, by_iter);
    assert!(v.chunks().all(|c| !c.is_empty()));
    assert!(
        v.iter()
            .rev()
            .map(|p| p.value)
            .eq(by_iter.iter().rev().copied())
    );
}

/// What a write interrupted by a panicking clone may leave.
enum After {
    /// The vector's value before the write.
    Unchanged,
    /// A prefix of the old value, at least this long (a truncation may drop whole chunks
    /// before it copies the chunk it cuts).
    PrefixOfAtLeast(usize),
    /// A subsequence of the old value without any element that `keep` would keep removed.
    RetainedPart(fn(u32) -> bool),
}

/// For the `k`-th clone of each `k` the write makes (all of the first 48, then a spread up to
/// the last): runs `write` on a fork of `base` with that clone panicking; then checks that the
/// fork is valid and holds what `after` allows, that `base` is untouched, that nothing the
/// failed write made is alive once the fork drops, and that the same write then succeeds.
fn clone_panics_anywhere<'t>(
    tally: &'t Tally,
    base: &CowVec<Probe<'t>>,
    after: After,
    write: impl Fn(&mut CowVec<Probe<'t>>),
) {
    let old = values(base);
    // How many clones the write makes when nothing panics.
    let start = tally.clones();
    let mut fork = base.clone();
    write(&mut fork);
    let want_after = values(&fork);
    drop(fork);
    let total = tally.clones() - start;
    assert_eq!(tally.alive(), base.len());
    let mut ks: BTreeSet<usize> = (1..=total.min(48)).collect();
    ks.extend((1..=16).map(|j| total * j / 16).filter(|&k| k > 0));
    for k in ks {
        let mut fork = base.clone();
        tally.arm_clone_panic(k);
        let result = catch_unwind(AssertUnwindSafe(|| write(&mut fork)));
        tally.disarm();
        assert!(result.is_err(), "clone {k} of {total} did not panic");
        drop(result);
        assert_valid(&fork);
        let now = values(&fork);
        match after {
            After::Unchanged => assert_eq!(now, old, "changed by a write that failed at clone {k}"),
            After::PrefixOfAtLeast(min) => {
                assert!(now.len() >= min && now[..] == old[..now.len()], "clone {k}")
            }
            After::RetainedPart(keep) => {
                let mut rest = now.iter().peekable();
                for x in &old {
                    if rest.peek() == Some(&x) {
                        rest.next();
                    } else {
                        assert!(!keep(*x), "retain lost a kept element at clone {k}");
                    }
                }
                assert!(
                    rest.next().is_none(),
                    "retain made up elements at clone {k}"
                );
            }
        }
        assert_eq!(values(base), old, "the shared base changed (clone {k})");
        drop(fork);
        assert_eq!(
            tally.alive(),
            base.len(),
            "a failed write at clone {k} leaked"
        );
        assert_eq!(tally.double_drops.load(Ordering::Relaxed), 0);
    }
    // The same write, unarmed, on a fork, still does what it should.
    let mut fork = base.clone();
    write(&mut fork);
    assert_eq!(values(&fork), want_after);
}

/// Base vectors of several chunks of probes; the panicking clone lands at every position of
/// the chunk copies each write makes.
#[test]
fn a_panicking_clone_during_a_chunk_copy_leaks_nothing_and_changes_nothing() {
    let tally = Tally::default();
    assert_no_leak(|| {
        let n = 1500u32;
        let base: CowVec<Probe<'_>> = (0..n).map(|i| tally.probe(i)).collect();
        let t = &tally;
        let mid = n as usize / 2;
        for i in [0, 1, mid, n as usize - 1] {
            clone_panics_anywhere(t, &base, After::Unchanged, |v| v[i].value = 9_999);
            clone_panics_anywhere(t, &base, After::Unchanged, |v| {
                v.get_mut(i).unwrap().value = 9_999
            });
        }
        clone_panics_anywhere(t, &base, After::Unchanged, |v| v.push(t.probe(1)));
        clone_panics_anywhere(t, &base, After::Unchanged, |v| drop(v.pop()));
        for i in [0, mid, n as usize] {
            clone_panics_anywhere(t, &base, After::Unchanged, |v| v.insert(i, t.probe(2)));
        }
        for i in [0, mid, n as usize - 1] {
            clone_panics_anywhere(t, &base, After::Unchanged, |v| drop(v.remove(i)));
        }
        clone_panics_anywhere(t, &base, After::Unchanged, |v| v.swap(1, n as usize - 2));
        // Every element rewritten to its own value: the vector keeps its value either way.
        clone_panics_anywhere(t, &base, After::Unchanged, |v| {
            for p in v.iter_mut() {
                p.value += 0;
            }
        });
        for at in [1, mid + 1, n as usize - 1] {
            clone_panics_anywhere(t, &base, After::Unchanged, |v| drop(v.split_off(at)));
            clone_panics_anywhere(t, &base, After::PrefixOfAtLeast(at), |v| v.truncate(at));
        }
        fn keep(x: u32) -> bool {
            x % 3 != 0
        }
        clone_panics_anywhere(t, &base, After::RetainedPart(keep), |v| {
            v.retain(|p| keep(p.value))
        });
        drop(base);
    });
    tally.assert_all_dropped_once();
}

/// Writes that read a shared vector into new storage (`to_vec`, `From<&[T]>`, `Vec::from` and
/// `into_iter` of a shared vector, `Extend` and `append` from a shared source) with a clone
/// panicking part way: nothing leaks, and both sides stay whole.
#[test]
fn a_panicking_clone_while_copying_out_leaks_nothing() {
    let tally = Tally::default();
    assert_no_leak(|| {
        let base: CowVec<Probe<'_>> = (0..1200).map(|i| tally.probe(i)).collect();
        let old = values(&base);
        let plain: Vec<Probe<'_>> = base.iter().cloned().collect();
        for k in [1, 2, 300, 1199] {
            let attempts: [&dyn Fn(); 5] = [
                &|| drop(base.to_vec()),
                &|| drop(CowVec::from(&plain[..])),
                &|| drop(Vec::from(base.clone())),
                &|| {
                    let mut it = base.clone().into_iter();
                    while it.next().is_some() {}
                },
                &|| {
                    let mut fork = base.clone();
                    fork.extend(plain.iter().cloned());
                },
            ];
            for attempt in attempts {
                tally.arm_clone_panic(k);
                let result = catch_unwind(AssertUnwindSafe(attempt));
                tally.disarm();
                drop(result);
                assert_eq!(values(&base), old);
                assert_valid(&base);
                assert_eq!(tally.alive(), 2 * 1200, "copies left alive (clone {k})");
            }
            // `append` moves elements, cloning only where `other` shares them: whatever it
            // did, nothing is lost or duplicated between the two.
            let mut head = base.clone();
            let mut tail = base.clone();
            tally.arm_clone_panic(k);
            let result = catch_unwind(AssertUnwindSafe(|| head.append(&mut tail)));
            tally.disarm();
            drop(result);
            assert_valid(&head);
            assert_valid(&tail);
            let mut joined = values(&head);
            joined.extend(values(&tail));
            let mut want = old.clone();
            want.extend(&old);
            assert_eq!(
                joined, want,
                "append lost or duplicated elements (clone {k})"
            );
            drop((head, tail));
            assert_eq!(tally.alive(), 2 * 1200);
        }
        drop((base, plain));
    });
    tally.assert_all_dropped_once();
}

/// The last handle's drop, with one element's `Drop` panicking (at the start, end, and on
/// both sides of a chunk boundary): every other element is still dropped, once, and every
/// allocation freed.
#[test]
fn a_panicking_drop_while_dropping_the_vector_drops_the_rest() {
    let tally = Tally::default();
    assert_no_leak(|| {
        let probe_base: CowVec<Probe<'_>> = (0..2000).map(|i| tally.probe(i)).collect();
        let cuts = chunk_boundaries(&probe_base);
        drop(probe_base);
        let mut positions = vec![0, 1, 1999];
        for &cut in cuts.iter().take(3) {
            positions.extend([cut - 1, cut]);
        }
        for at in positions {
            let v: CowVec<Probe<'_>> = (0..2000).map(|i| tally.probe(i)).collect();
            tally.arm_drop_panic(v[at].id);
            assert!(catch_unwind(AssertUnwindSafe(move || drop(v))).is_err());
            tally.disarm();
            assert_eq!(
                tally.alive(),
                0,
                "elements left alive after a panic at {at}"
            );
            assert_eq!(tally.double_drops.load(Ordering::Relaxed), 0);
        }
    });
    tally.assert_all_dropped_once();
}

/// Writes that drop elements (`truncate`, `clear`, `retain`, dropping a diverged clone, a part
/// consumed `into_iter`) with one element's `Drop` panicking: the vector is valid, holds a prefix
/// (or for `retain` a subsequence) of its old value, and everything is dropped exactly once.
#[test]
fn a_panicking_drop_during_a_write_leaves_a_valid_vector() {
    let tally = Tally::default();
    assert_no_leak(|| {
        let make = || -> CowVec<Probe<'_>> { (0..1500).map(|i| tally.probe(i)).collect() };
        let old: Vec<u32> = (0..1500).collect();
        for (cut, victim) in [(100, 1000), (700, 701), (0, 1499), (1499, 1499)] {
            // truncate and clear on a unique vector.
            let mut v = make();
            tally.arm_drop_panic(v[victim].id);
            let result = catch_unwind(AssertUnwindSafe(|| v.truncate(cut)));
            tally.disarm();
            assert!(result.is_err(), "the victim's drop did not run");
            drop(result);
            assert_valid(&v);
            let now = values(&v);
            assert!(now.len() >= cut && now[..] == old[..now.len()]);
            assert!(now.len() <= victim, "the victim is still in the vector");
            assert_eq!(
                tally.alive(),
                now.len(),
                "truncate at {cut} leaked or kept probes"
            );
            v.push(tally.probe(5)); // still usable
            drop(v);
            assert_eq!(tally.alive(), 0);

            let mut v = make();
            tally.arm_drop_panic(v[victim].id);
            assert!(catch_unwind(AssertUnwindSafe(|| v.clear())).is_err());
            tally.disarm();
            assert_valid(&v);
            assert_eq!(tally.alive(), v.len());
            drop(v);

            // retain removing the victim.
            let mut v = make();
            tally.arm_drop_panic(v[victim].id);
            let _ = catch_unwind(AssertUnwindSafe(|| v.retain(|p| p.value % 2 == 1)));
            tally.disarm();
            assert_valid(&v);
            let now = values(&v);
            let mut rest = now.iter().peekable();
            for x in &old {
                if rest.peek() == Some(&x) {
                    rest.next();
                } else {
                    assert!(x % 2 == 0, "retain lost a kept element");
                }
            }
            assert!(rest.next().is_none(), "retain made up elements");
            assert_eq!(tally.alive(), now.len());
            drop(v);

            // A diverged fork: dropping the original drops only what it alone holds.
            let a = make();
            let mut b = a.clone();
            b[cut.min(1499)].value = 77;
            tally.arm_drop_panic(a[cut.min(1499)].id);
            assert!(catch_unwind(AssertUnwindSafe(move || drop(a))).is_err());
            tally.disarm();
            assert_eq!(tally.alive(), b.len(), "a's own elements not all dropped");
            assert_valid(&b);
            drop(b);

            // A part-consumed owned iterator (the first element taken out).
            let v = make();
            tally.arm_drop_panic(v[victim.max(1)].id);
            let mut it = v.into_iter();
            let first = it.next();
            assert!(catch_unwind(AssertUnwindSafe(move || drop(it))).is_err());
            tally.disarm();
            assert_eq!(tally.alive(), 1, "only the element taken out is left");
            drop(first);
        }
    });
    tally.assert_all_dropped_once();
}

// ---------------------------------------------------------------------------------------------
// Structural sharing: what only the real, chunked CowVec does

/// Chunks as (address, length), to compare sharing between vectors.
fn chunk_ptrs<T>(v: &CowVec<T>) -> Vec<(*const T, usize)> {
    v.chunks().map(|c| (c.as_ptr(), c.len())).collect()
}

mod sharing {
    use super::*;

    #[test]
    fn a_write_beside_a_snapshot_copies_one_chunk() {
        let a = CowVec::from(counting(LARGE));
        for i in [0, LARGE / 2, LARGE - 1] {
            let mut b = a.clone();
            b[i] = 1;
            let (pa, pb) = (chunk_ptrs(&a), chunk_ptrs(&b));
            assert_eq!(pa.len(), pb.len());
            let differ = pa.iter().zip(&pb).filter(|(x, y)| x != y).count();
            assert_eq!(differ, 1, "a write at {i} copied {differ} chunks");
            // A second write to the same chunk copies nothing more.
            let before = chunk_ptrs(&b);
            b[i] = 2;
            assert_eq!(chunk_ptrs(&b), before);
        }
        let mut b = a.clone();
        b.push(5);
        let (pa, pb) = (chunk_ptrs(&a), chunk_ptrs(&b));
        let same = pa.iter().zip(&pb).filter(|(x, y)| x == y).count();
        assert!(
            same >= pa.len() - 1,
            "a push beside a snapshot copied {} chunks",
            pa.len() - same
        );
    }

    #[test]
    fn split_off_and_append_at_boundaries_share_whole_chunks() {
        let a = CowVec::from(counting(LARGE));
        let cuts = chunk_boundaries(&a);
        let pa = chunk_ptrs(&a);
        let at = cuts[cuts.len() / 2];
        let k = cuts.len() / 2 + 1; // chunks in the head
        let mut head = a.clone();
        let tail = head.split_off(at);
        assert_eq!(chunk_ptrs(&head), pa[..k], "split_off copied head chunks");
        assert_eq!(chunk_ptrs(&tail), pa[k..], "split_off copied tail chunks");
        let mut joined = head.clone();
        let mut rest = tail.clone();
        joined.append(&mut rest);
        let pj = chunk_ptrs(&joined);
        let shared = pj.iter().filter(|c| pa.contains(c)).count();
        assert_eq!(shared, pa.len(), "append at a boundary copied chunks");
        // Off a boundary, the head still shares every chunk before the one cut (the tail may
        // be re-chunked: no assertion on it).
        let mut head = a.clone();
        let _tail = head.split_off(at + 1);
        assert_eq!(
            chunk_ptrs(&head)[..k],
            pa[..k],
            "split_off copied whole head chunks"
        );
    }

    #[test]
    fn eq_skips_shared_chunks() {
        static EQS: AtomicUsize = AtomicUsize::new(0);
        #[derive(Clone, Debug)]
        struct Counted(u64);
        impl PartialEq for Counted {
            fn eq(&self, other: &Self) -> bool {
                EQS.fetch_add(1, Ordering::Relaxed);
                self.0 == other.0
            }
        }
        let a: CowVec<Counted> = (0..LARGE as u64).map(Counted).collect();
        let mut b = a.clone();
        EQS.store(0, Ordering::Relaxed);
        assert!(a == b);
        assert_eq!(
            EQS.load(Ordering::Relaxed),
            0,
            "clones compared element by element"
        );
        b[LARGE / 2] = Counted(LARGE as u64 / 2);
        EQS.store(0, Ordering::Relaxed);
        assert!(a == b);
        let chunk = a.chunks().map(<[Counted]>::len).max().unwrap();
        assert!(
            EQS.load(Ordering::Relaxed) <= chunk,
            "== compared {} elements, more than one chunk ({chunk})",
            EQS.load(Ordering::Relaxed)
        );
    }
}

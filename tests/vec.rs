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

/// Chunks as (address, length), to compare sharing between vectors.
fn chunk_ptrs<T>(v: &CowVec<T>) -> Vec<(*const T, usize)> {
    v.chunks().map(|c| (c.as_ptr(), c.len())).collect()
}

// The rest, by theme, in `tests/vec/`: the large-n copy-on-write list (`CowCell<CowVec<T>>`),
// panic safety, and structural sharing.
#[cfg(feature = "std")]
#[path = "vec/cell_pattern.rs"]
mod cell_pattern;
#[path = "vec/panics.rs"]
mod panics;
#[path = "vec/sharing.rs"]
mod sharing;

use panics::{Probe, Tally};

/// `nth` (and so `skip`) steps over whole chunks, and agrees with `Vec`'s at every offset near
/// the chunk boundaries, from both ends and after partial iteration.
#[test]
fn nth_and_skip_match_vec() {
    let want = counting(LARGE);
    let v = CowVec::from(want.clone());
    let bounds = chunk_boundaries(&v);
    let mut offsets: Vec<usize> = vec![0, 1, LARGE - 1, LARGE, LARGE + 5];
    for &b in bounds.iter().take(6) {
        offsets.extend([b.saturating_sub(1), b, b + 1]);
    }
    for &n in &offsets {
        assert_eq!(v.iter().nth(n), want.get(n), "nth({n})");
        assert!(v.iter().skip(n).eq(want.iter().skip(n)), "skip({n})");
        let mut a = v.iter();
        let mut b = want.iter();
        a.next_back();
        b.next_back();
        a.next();
        b.next();
        assert_eq!(a.nth(n), b.nth(n), "nth({n}) after next and next_back");
        assert_eq!(a.len(), b.len());
        assert_eq!(a.next(), b.next());
        let mut m = v.clone();
        let mut w = want.clone();
        assert_eq!(m.iter_mut().nth(n), w.get_mut(n));
    }
}

//! The operation model of `CowVec<T>`, shared by the proptest (`tests/model.rs`) and the fuzz
//! target (`fuzz/fuzz_targets/vec_ops.rs`).
//!
//! A [`VecModel`] keeps a family of `CowVec<u64>` handles made by forking (`Clone`) one another
//! — a fork of a fork of a fork — and by `split_off`, each beside a `Vec<u64>` with the values
//! it must hold. Every [`VecOp`] is applied to a handle and to its `Vec`; an op that panics on
//! the `Vec` (an index out of range) must panic on the `CowVec` too. After every op,
//! [`VecModel::check`] asserts that every handle equals its own `Vec` — so a write through one
//! handle never shows through another — that its `chunks()` are non-empty and together are the
//! vector, and that handles which are `ptr_eq` hold equal values.
//!
//! Lengths are scaled by the chunk length the vector reports for `u64` (its first chunk of a
//! long vector), so the same ops cross chunk boundaries and reach a table of two levels in any
//! build; with `--cfg cowkit_small_pages` (the fuzz build) chunks are short and tables deep.

use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use cowkit::CowVec;

use super::quiet::{panics, quiet_expected_panics};

/// At most this many handles are kept.
const MAX_HANDLES: usize = 6;

/// A handle grows by bulk ops only while it holds fewer than this many chunks: 20 chunks need
/// two table levels at a fan-out of 16.
const MAX_CHUNKS: usize = 20;

/// One operation on handle `h` (wrapped around the live handles). Indices are taken modulo
/// `len + 2`, so some fall past the end: those must panic exactly when `Vec` panics. A `Data`
/// pair `(len, seed)` is made by [`VecModel::data`].
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum VecOp {
    /// Keep `handles[h].clone()`.
    Fork(u8),
    /// Drop `handles[h]` (the last one stays).
    Drop(u8),
    /// A new handle from `data(len, seed)`, built by `From<Vec>`, `From<&[T]>`,
    /// `FromIterator`, `Extend` on an empty vector or `Default` + `push`, by `how % 5`.
    Build(u8, u16, u8),
    Push(u8, u16),
    Pop(u8),
    Insert(u8, u16, u16),
    Remove(u8, u16),
    /// `v[i] = x` through `IndexMut`.
    Set(u8, u16, u16),
    /// `*v.get_mut(i) = x` (`None` past the end, as `Vec::get_mut`).
    GetMut(u8, u16, u16),
    Swap(u8, u16, u16),
    Truncate(u8, u16),
    Clear(u8),
    /// Keep the elements not divisible by `m % 5 + 2`.
    Retain(u8, u8),
    /// `split_off(at)`; the tail is kept as a new handle (when there is room).
    SplitOff(u8, u16),
    /// `handles[h].append(&mut handles[o])` (a fork of `h` itself when `o` names `h`): `o` is
    /// left empty.
    Append(u8, u8),
    /// `extend(data(len, seed))` (`Extend<u64>`).
    Extend(u8, u16, u8),
    /// `extend(data(len, seed).iter())` (`Extend<&u64>`).
    ExtendRef(u8, u16, u8),
    /// Add `d` to every element through `iter_mut()` (or `&mut v` in a `for` loop when `d` is
    /// odd).
    AddAll(u8, u16),
    /// `get(i)`, `v[i]` (panicking past the end as `Vec`'s), `first()`, `last()`.
    Read(u8, u16),
    /// `iter()`, taking from the front or the back by the bits of `pattern`, checking `len()`
    /// at every step; then `for x in &v`.
    Iterate(u8, u16),
    /// The owned iterator of a clone: `n` from the front and `n` from the back, then the rest;
    /// and `Vec::from` of a clone, and `to_vec`.
    IntoIter(u8, u8),
    /// `==`, `cmp`, `partial_cmp` and `Hash` between two handles, against their models.
    Compare(u8, u8),
}

/// Handles under test, each with its `Vec<u64>` model.
pub struct VecModel {
    handles: Vec<CowVec<u64>>,
    models: Vec<Vec<u64>>,
    /// Elements in one chunk of a long `CowVec<u64>`, as `chunks()` reports it.
    chunk: usize,
}

impl Default for VecModel {
    fn default() -> Self {
        Self::new()
    }
}

fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl VecModel {
    /// One empty handle.
    pub fn new() -> Self {
        quiet_expected_panics();
        static CHUNK: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        let chunk = *CHUNK.get_or_init(|| {
            let long = CowVec::from(vec![0u64; 1 << 16]);
            long.chunks().next().map_or(1, <[u64]>::len)
        });
        VecModel {
            handles: vec![CowVec::new()],
            models: vec![Vec::new()],
            chunk,
        }
    }

    /// `len % (3 chunks + 2)` values from `seed` (one in four a run of up to 12 chunks, while
    /// the handle is below [`MAX_CHUNKS`]); small values, so that `retain` and comparisons
    /// find equal elements.
    fn data(&self, now: usize, len: u16, seed: u8) -> Vec<u64> {
        let len = usize::from(len);
        let n = if len % 4 == 3 && now < MAX_CHUNKS * self.chunk {
            len % (12 * self.chunk + 1)
        } else {
            len % (3 * self.chunk + 2)
        };
        let seed = u64::from(seed);
        (0..n as u64)
            .map(|i| (i * (seed | 1) + seed) % 251)
            .collect()
    }

    fn keep(&mut self, handle: CowVec<u64>, model: Vec<u64>) {
        if self.handles.len() < MAX_HANDLES {
            self.handles.push(handle);
            self.models.push(model);
        }
    }

    /// Applies `op` to a handle and to its model; both must panic or neither.
    pub fn apply(&mut self, op: &VecOp) {
        let n = self.handles.len();
        let pick = |h: u8| usize::from(h) % n;
        let at = |x: u16, len: usize| usize::from(x) % (len + 2);
        match *op {
            VecOp::Fork(h) => {
                let h = pick(h);
                let fork = self.handles[h].clone();
                assert!(CowVec::ptr_eq(&fork, &self.handles[h]), "a fresh clone");
                assert!(fork == self.handles[h]);
                let model = self.models[h].clone();
                self.keep(fork, model);
            }
            VecOp::Drop(h) => {
                if n > 1 {
                    let h = pick(h);
                    self.handles.swap_remove(h);
                    self.models.swap_remove(h);
                }
            }
            VecOp::Build(how, len, seed) => {
                let data = self.data(0, len, seed);
                let built = match how % 5 {
                    0 => CowVec::from(data.clone()),
                    1 => CowVec::from(&data[..]),
                    2 => data.iter().copied().collect(),
                    3 => {
                        let mut v = CowVec::new();
                        v.extend(data.iter().copied());
                        v
                    }
                    _ => {
                        let mut v = CowVec::default();
                        for &x in &data {
                            v.push(x);
                        }
                        v
                    }
                };
                self.keep(built, data);
            }
            VecOp::SplitOff(h, x) => {
                let h = pick(h);
                let x = at(x, self.models[h].len());
                let (v, m) = (&mut self.handles[h], &mut self.models[h]);
                let (mut ours, mut std) = (None, None);
                let (a, b) = (
                    panics(|| ours = Some(v.split_off(x))),
                    panics(|| std = Some(m.split_off(x))),
                );
                assert_eq!(a, b, "split_off({x}) panicked on one side only");
                if let (Some(tail), Some(model)) = (ours, std) {
                    assert_eq!(tail.len(), model.len(), "split_off({x})");
                    self.keep(tail, model);
                }
            }
            VecOp::Append(h, o) => {
                let (h, o) = (pick(h), pick(o));
                if h == o {
                    let mut other = self.handles[h].clone();
                    let mut model = self.models[h].clone();
                    self.handles[h].append(&mut other);
                    self.models[h].append(&mut model);
                    assert!(other.is_empty() && other.iter().next().is_none());
                } else {
                    let mut other = std::mem::take(&mut self.handles[o]);
                    let mut model = std::mem::take(&mut self.models[o]);
                    self.handles[h].append(&mut other);
                    self.models[h].append(&mut model);
                    self.handles[o] = other;
                    self.models[o] = model;
                }
            }
            VecOp::Compare(a, b) => {
                let (a, b) = (pick(a), pick(b));
                let (va, vb) = (&self.handles[a], &self.handles[b]);
                let (ma, mb) = (&self.models[a], &self.models[b]);
                assert_eq!(va == vb, ma == mb, "handle {a} == handle {b}");
                assert_eq!(va.cmp(vb), ma.cmp(mb), "handle {a} cmp handle {b}");
                assert_eq!(va.partial_cmp(vb), Some(ma.cmp(mb)));
                assert_eq!(hash_of(va), hash_of(ma), "hash of handle {a}");
                if ma == mb {
                    assert_eq!(hash_of(va), hash_of(vb));
                }
                if CowVec::ptr_eq(va, vb) {
                    assert!(ma == mb, "ptr_eq handles {a} and {b} differ");
                }
            }
            _ => self.apply_to_one(op),
        }
    }

    /// The ops on one handle.
    fn apply_to_one(&mut self, op: &VecOp) {
        let h = usize::from(handle_of(op)) % self.handles.len();
        let at = |x: u16, len: usize| usize::from(x) % (len + 2);
        let len = self.models[h].len();
        let data = match *op {
            VecOp::Extend(_, n, seed) | VecOp::ExtendRef(_, n, seed) => self.data(len, n, seed),
            _ => Vec::new(),
        };
        let (v, m) = (&mut self.handles[h], &mut self.models[h]);
        let (ours, std) = match *op {
            VecOp::Push(_, x) => {
                v.push(u64::from(x));
                m.push(u64::from(x));
                (false, false)
            }
            VecOp::Pop(_) => {
                assert_eq!(v.pop(), m.pop(), "pop");
                (false, false)
            }
            VecOp::Insert(_, i, x) => {
                let i = at(i, len);
                let x = u64::from(x);
                (panics(|| v.insert(i, x)), panics(|| m.insert(i, x)))
            }
            VecOp::Remove(_, i) => {
                let i = at(i, len);
                let (mut a, mut b) = (None, None);
                let r = (
                    panics(|| a = Some(v.remove(i))),
                    panics(|| b = Some(m.remove(i))),
                );
                assert_eq!(a, b, "remove({i})");
                r
            }
            VecOp::Set(_, i, x) => {
                let i = at(i, len);
                let x = u64::from(x);
                (panics(|| v[i] = x), panics(|| m[i] = x))
            }
            VecOp::GetMut(_, i, x) => {
                let i = at(i, len);
                let x = u64::from(x);
                match (v.get_mut(i), m.get_mut(i)) {
                    (Some(a), Some(b)) => {
                        assert_eq!(*a, *b, "get_mut({i})");
                        (*a, *b) = (x, x);
                    }
                    (None, None) => {}
                    (a, b) => panic!("get_mut({i}): {a:?} but Vec gives {b:?}"),
                }
                (false, false)
            }
            VecOp::Swap(_, a, b) => {
                let (a, b) = (at(a, len), at(b, len));
                (panics(|| v.swap(a, b)), panics(|| m.swap(a, b)))
            }
            VecOp::Truncate(_, x) => {
                let x = at(x, len);
                v.truncate(x);
                m.truncate(x);
                (false, false)
            }
            VecOp::Clear(_) => {
                v.clear();
                m.clear();
                (false, false)
            }
            VecOp::Retain(_, k) => {
                let k = u64::from(k % 5) + 2;
                let mut seen = Vec::new();
                v.retain(|x| {
                    seen.push(*x);
                    x % k != 0
                });
                assert_eq!(seen, *m, "retain visits every element once, in order");
                m.retain(|x| x % k != 0);
                (false, false)
            }
            VecOp::Extend(..) => {
                v.extend(data.iter().copied());
                m.extend_from_slice(&data);
                (false, false)
            }
            VecOp::ExtendRef(..) => {
                v.extend(data.iter());
                m.extend_from_slice(&data);
                (false, false)
            }
            VecOp::AddAll(_, d) => {
                let d = u64::from(d);
                if d % 2 == 1 {
                    for x in &mut *v {
                        *x = x.wrapping_add(d);
                    }
                } else {
                    let it = v.iter_mut();
                    assert_eq!(it.len(), len);
                    it.for_each(|x| *x = x.wrapping_add(d));
                }
                m.iter_mut().for_each(|x| *x = x.wrapping_add(d));
                (false, false)
            }
            VecOp::Read(_, i) => {
                let i = at(i, len);
                assert_eq!(v.get(i), m.get(i), "get({i})");
                assert_eq!(v.first(), m.first());
                assert_eq!(v.last(), m.last());
                let (mut a, mut b) = (None, None);
                let r = (panics(|| a = Some(v[i])), panics(|| b = Some(m[i])));
                assert_eq!(a, b, "v[{i}]");
                r
            }
            VecOp::Iterate(_, pattern) => {
                let mut it = v.iter();
                let (mut front, mut back) = (0, len);
                let mut bits = pattern;
                while front < back {
                    assert_eq!(it.len(), back - front, "iter().len()");
                    if bits & 1 == 1 {
                        back -= 1;
                        assert_eq!(it.next_back(), Some(&m[back]), "next_back at {back}");
                    } else {
                        assert_eq!(it.next(), Some(&m[front]), "next at {front}");
                        front += 1;
                    }
                    bits = bits.rotate_right(1);
                }
                assert_eq!((it.next(), it.next_back(), it.len()), (None, None, 0));
                let mut count = 0;
                for (x, y) in (&*v).into_iter().zip(m.iter()) {
                    assert_eq!(x, y);
                    count += 1;
                }
                assert_eq!(count, len);
                assert!(v.iter().rev().eq(m.iter().rev()), "iter().rev()");
                (false, false)
            }
            VecOp::IntoIter(_, k) => {
                let k = usize::from(k);
                let mut it = v.clone().into_iter();
                let front: Vec<u64> = it.by_ref().take(k).collect();
                let back: Vec<u64> = it.by_ref().rev().take(k).collect();
                let rest = it.len();
                let wf = &m[..k.min(len)];
                assert_eq!(front, wf, "into_iter front");
                let left = len - wf.len();
                let wb: Vec<u64> = m[len - k.min(left)..].iter().rev().copied().collect();
                assert_eq!(back, wb, "into_iter back");
                assert_eq!(rest, len - front.len() - back.len());
                assert_eq!(it.collect::<Vec<_>>(), m[front.len()..len - back.len()]);
                assert_eq!(Vec::from(v.clone()), *m, "Vec::from");
                assert_eq!(v.to_vec(), *m, "to_vec");
                (false, false)
            }
            VecOp::Fork(_)
            | VecOp::Drop(_)
            | VecOp::Build(..)
            | VecOp::SplitOff(..)
            | VecOp::Append(..)
            | VecOp::Compare(..) => unreachable!("handled in apply"),
        };
        assert_eq!(
            ours, std,
            "{op:?} panicked on one side only (ours: {ours}, Vec: {std})"
        );
    }

    /// Asserts that every handle equals its model through every read path that costs O(n) at
    /// most, and that `ptr_eq` handles hold equal values.
    pub fn check(&self) {
        for (k, (v, m)) in self.handles.iter().zip(&self.models).enumerate() {
            assert_eq!(v.len(), m.len(), "len of handle {k}");
            assert_eq!(v.is_empty(), m.is_empty());
            assert!(v.iter().eq(m.iter()), "handle {k} differs from its model");
            let mut at = 0;
            for chunk in v.chunks() {
                assert!(!chunk.is_empty(), "an empty chunk at {at} of handle {k}");
                assert!(
                    m.get(at..at + chunk.len()) == Some(chunk),
                    "the chunk at {at} of handle {k}"
                );
                at += chunk.len();
            }
            assert_eq!(at, m.len(), "the chunks of handle {k} cover {at}");
            assert!(CowVec::ptr_eq(v, v));
        }
        for i in 0..self.handles.len() {
            for j in i + 1..self.handles.len() {
                if CowVec::ptr_eq(&self.handles[i], &self.handles[j]) {
                    assert!(
                        self.models[i] == self.models[j],
                        "ptr_eq handles {i} and {j} differ"
                    );
                    assert!(self.handles[i] == self.handles[j]);
                    assert_eq!(self.handles[i].cmp(&self.handles[j]), Ordering::Equal);
                }
            }
        }
    }
}

/// The handle an op on one handle names.
fn handle_of(op: &VecOp) -> u8 {
    match *op {
        VecOp::Fork(h)
        | VecOp::Drop(h)
        | VecOp::Build(h, ..)
        | VecOp::Push(h, _)
        | VecOp::Pop(h)
        | VecOp::Insert(h, ..)
        | VecOp::Remove(h, _)
        | VecOp::Set(h, ..)
        | VecOp::GetMut(h, ..)
        | VecOp::Swap(h, ..)
        | VecOp::Truncate(h, _)
        | VecOp::Clear(h)
        | VecOp::Retain(h, _)
        | VecOp::SplitOff(h, _)
        | VecOp::Append(h, _)
        | VecOp::Extend(h, ..)
        | VecOp::ExtendRef(h, ..)
        | VecOp::AddAll(h, _)
        | VecOp::Read(h, _)
        | VecOp::Iterate(h, _)
        | VecOp::IntoIter(h, _)
        | VecOp::Compare(h, _) => h,
    }
}

//! The operation model of `CowString`, shared by the proptest (`tests/model.rs`) and the fuzz
//! target (`fuzz/fuzz_targets/string_ops.rs`).
//!
//! A [`StringModel`] keeps several `CowString` handles (clones of one another, so writes hit
//! shared text) and one `String` per handle. Every [`StringOp`] is applied to a handle and to
//! its `String`; an op that panics on the `String` must panic on the `CowString` too. After
//! every op, [`StringModel::check`] asserts that every handle still equals its own `String` — so
//! a write through one handle never shows through another — and the representation invariants.

use cowkit::CowString;

use super::quiet::{panics, quiet_expected_panics};

/// At most this many handles are kept.
const MAX_HANDLES: usize = 6;

/// Texts for `from_static`: inline (up to 16 bytes, a 16-byte one ending in a multi-byte
/// char and one of NULs) and static (17 bytes and more).
const STATICS: [&str; 7] = [
    "",
    "cow",
    "sixteen bytes!!!",
    "fourteen + é€",
    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    "seventeen bytes!!",
    "a static text, long enough to point at: é€😀",
];

/// One operation on handle `h` (wrapped around the live handles). Byte indices are taken
/// modulo `len + 2`, so some fall past the end or inside a multi-byte `char`: those must panic
/// exactly when `String` panics.
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum StringOp {
    /// Clone handle `h` into a new handle.
    Clone(u8),
    /// A new handle from `STATICS[i]` (wrapped) through `CowString::from_static`.
    FromStatic(u8),
    /// Drop handle `h` (the last one is kept).
    Drop(u8),
    Push(u8, char),
    PushStr(u8, String),
    Pop(u8),
    Insert(u8, u16, char),
    InsertStr(u8, u16, String),
    Remove(u8, u16),
    Truncate(u8, u16),
    Clear(u8),
    /// Keep the chars whose code point is not divisible by `n + 2`.
    Retain(u8, u8),
    ReplaceRange(u8, u16, u16, String),
    SplitOff(u8, u16),
    Drain(u8, u16, u16),
    /// `s[a..b].make_ascii_uppercase()` through `IndexMut`.
    UppercaseRange(u8, u16, u16),
    MakeAsciiLowercase(u8),
    Reserve(u8, u16),
    ShrinkToFit(u8),
    /// `s += &str`.
    AddAssign(u8, String),
    /// `s.extend(chars)`.
    ExtendChars(u8, Vec<char>),
    ExtendFromWithin(u8, u16, u16),
    ReserveExact(u8, u16),
    ShrinkTo(u8, u16),
    /// `s.drain(a..b)`, `n` chars taken from the front and `n` from the back, then dropped.
    DrainPart(u8, u16, u16, u8),
    /// `s.split_at_mut(x).0.make_ascii_uppercase()`, through `DerefMut`.
    SplitAtMutUpper(u8, u16),
}

/// Handles under test, each with its `String` model.
pub struct StringModel {
    handles: Vec<CowString>,
    models: Vec<String>,
}

impl Default for StringModel {
    fn default() -> Self {
        StringModel {
            handles: vec![CowString::new()],
            models: vec![String::new()],
        }
    }
}

impl StringModel {
    /// One empty handle.
    pub fn new() -> Self {
        quiet_expected_panics();
        Self::default()
    }

    /// Applies `op` to a handle and to its model; both must panic or neither.
    pub fn apply(&mut self, op: &StringOp) {
        let n = self.handles.len();
        let h = |i: u8| usize::from(i) % n;
        match op {
            StringOp::Clone(i) => {
                if n < MAX_HANDLES {
                    let i = h(*i);
                    self.handles.push(self.handles[i].clone());
                    self.models.push(self.models[i].clone());
                    assert!(
                        self.handles[i].is_inline() || self.handles[i].ptr_eq(&self.handles[n])
                    );
                }
                return;
            }
            StringOp::FromStatic(i) => {
                if n < MAX_HANDLES {
                    let text = STATICS[usize::from(*i) % STATICS.len()];
                    let s = CowString::from_static(text);
                    assert_eq!(s.is_inline(), text.len() <= 16);
                    assert_eq!(s.is_static(), text.len() > 16);
                    if s.is_static() {
                        assert_eq!(s.as_ptr(), text.as_ptr(), "a static handle copies nothing");
                    }
                    self.handles.push(s);
                    self.models.push(String::from(text));
                }
                return;
            }
            StringOp::Drop(i) => {
                if n > 1 {
                    let i = h(*i);
                    self.handles.swap_remove(i);
                    self.models.swap_remove(i);
                }
                return;
            }
            _ => {}
        }
        let i = h(op_handle(op));
        let (s, m) = (&mut self.handles[i], &mut self.models[i]);
        let at = |x: u16, len: usize| usize::from(x) % (len + 2);
        let len = m.len();
        let (ours, std) = match op {
            StringOp::Clone(_) | StringOp::FromStatic(_) | StringOp::Drop(_) => {
                unreachable!("handled above")
            }
            StringOp::Push(_, c) => (panics(|| s.push(*c)), panics(|| m.push(*c))),
            StringOp::PushStr(_, x) => (panics(|| s.push_str(x)), panics(|| m.push_str(x))),
            StringOp::Pop(_) => {
                let (a, b) = (s.pop(), m.pop());
                assert_eq!(a, b, "pop");
                (false, false)
            }
            StringOp::Insert(_, x, c) => {
                let x = at(*x, len);
                (panics(|| s.insert(x, *c)), panics(|| m.insert(x, *c)))
            }
            StringOp::InsertStr(_, x, t) => {
                let x = at(*x, len);
                (panics(|| s.insert_str(x, t)), panics(|| m.insert_str(x, t)))
            }
            StringOp::Remove(_, x) => {
                let x = at(*x, len);
                let (mut a, mut b) = (None, None);
                let r = (
                    panics(|| a = Some(s.remove(x))),
                    panics(|| b = Some(m.remove(x))),
                );
                assert_eq!(a, b, "remove({x})");
                r
            }
            StringOp::Truncate(_, x) => {
                let x = at(*x, len);
                (panics(|| s.truncate(x)), panics(|| m.truncate(x)))
            }
            StringOp::Clear(_) => {
                s.clear();
                m.clear();
                (false, false)
            }
            StringOp::Retain(_, k) => {
                let k = u32::from(*k) + 2;
                s.retain(|c| c as u32 % k != 0);
                m.retain(|c| c as u32 % k != 0);
                (false, false)
            }
            StringOp::ReplaceRange(_, a, b, t) => {
                let (a, b) = (at(*a, len), at(*b, len));
                (
                    panics(|| s.replace_range(a..b, t)),
                    panics(|| m.replace_range(a..b, t)),
                )
            }
            StringOp::SplitOff(_, x) => {
                let x = at(*x, len);
                let (mut a, mut b) = (None, None);
                let r = (
                    panics(|| a = Some(s.split_off(x))),
                    panics(|| b = Some(m.split_off(x))),
                );
                assert_eq!(a.as_deref(), b.as_deref(), "split_off({x})");
                r
            }
            StringOp::Drain(_, a, b) => {
                let (a, b) = (at(*a, len), at(*b, len));
                let (mut x, mut y) = (None, None);
                let r = (
                    panics(|| {
                        x = Some(s.drain(a..=b.saturating_sub(1).max(a)).collect::<String>())
                    }),
                    panics(|| {
                        y = Some(m.drain(a..=b.saturating_sub(1).max(a)).collect::<String>())
                    }),
                );
                assert_eq!(x, y, "drain");
                r
            }
            StringOp::UppercaseRange(_, a, b) => {
                let (a, b) = (at(*a, len), at(*b, len));
                (
                    panics(|| s[a..b].make_ascii_uppercase()),
                    panics(|| m[a..b].make_ascii_uppercase()),
                )
            }
            StringOp::MakeAsciiLowercase(_) => {
                s.make_ascii_lowercase();
                m.make_ascii_lowercase();
                (false, false)
            }
            StringOp::Reserve(_, x) => {
                s.reserve(usize::from(*x));
                assert!(s.capacity() >= s.len() + usize::from(*x));
                assert!(s.is_unique(), "reserve leaves the text private");
                (false, false)
            }
            StringOp::ShrinkToFit(_) => {
                s.shrink_to_fit();
                if s.len() <= 16 {
                    assert!(s.is_inline(), "shrink_to_fit moves short text inline");
                }
                (false, false)
            }
            StringOp::AddAssign(_, x) => {
                *s += x.as_str();
                *m += x.as_str();
                (false, false)
            }
            StringOp::ExtendChars(_, cs) => {
                s.extend(cs.iter().copied());
                m.extend(cs.iter().copied());
                (false, false)
            }
            StringOp::ExtendFromWithin(_, a, b) => {
                let (a, b) = (at(*a, len), at(*b, len));
                (
                    panics(|| s.extend_from_within(a..b)),
                    panics(|| m.extend_from_within(a..b)),
                )
            }
            StringOp::ReserveExact(_, x) => {
                let x = usize::from(*x);
                s.reserve_exact(x);
                m.reserve_exact(x);
                assert!(s.capacity() >= s.len() + x);
                assert!(s.is_unique(), "reserve_exact leaves the text private");
                (false, false)
            }
            StringOp::ShrinkTo(_, x) => {
                let x = usize::from(*x);
                let before = s.capacity();
                s.shrink_to(x);
                m.shrink_to(x);
                assert!(s.capacity() >= s.len().max(x.min(before)));
                // A short static text moves inline, whose capacity is 16.
                assert!(s.capacity() <= before.max(16));
                (false, false)
            }
            StringOp::DrainPart(_, a, b, n) => {
                let (a, b) = (at(*a, len), at(*b, len));
                let take = |d: &mut dyn DoubleEndedIterator<Item = char>| {
                    let front: String = d.take(usize::from(*n)).collect();
                    let back: String = d.rev().take(usize::from(*n)).collect();
                    (front, back)
                };
                let (mut x, mut y) = (None, None);
                let r = (
                    panics(|| x = Some(take(&mut s.drain(a..b)))),
                    panics(|| y = Some(take(&mut m.drain(a..b)))),
                );
                assert_eq!(x, y, "drain({a}..{b}) in part");
                r
            }
            StringOp::SplitAtMutUpper(_, x) => {
                let x = at(*x, len);
                (
                    panics(|| s.split_at_mut(x).0.make_ascii_uppercase()),
                    panics(|| m.split_at_mut(x).0.make_ascii_uppercase()),
                )
            }
        };
        assert_eq!(
            ours, std,
            "{op:?} panicked on one side only (ours: {ours}, String: {std})"
        );
    }

    /// Asserts that every handle equals its model, and the representation's invariants.
    pub fn check(&mut self) {
        for (i, (s, m)) in self.handles.iter_mut().zip(&self.models).enumerate() {
            assert_eq!(s.as_str(), m.as_str(), "handle {i}");
            assert_eq!(s.len(), m.len());
            assert!(s.len() <= s.capacity());
            if s.is_inline() {
                assert!(s.len() <= 16, "an inline text over 16 bytes");
                assert!(s.is_unique());
                assert_eq!(s.strong_count(), 1);
            }
            if s.is_static() {
                assert!(!s.is_inline() && !s.is_unique(), "a static text is shared");
                assert_eq!(s.capacity(), s.len());
                assert!(
                    STATICS
                        .iter()
                        .any(|t| t.as_bytes().as_ptr_range().contains(&s.as_ptr())
                            || (s.is_empty() && t.as_ptr() == s.as_ptr()))
                );
            }
        }
        for i in 0..self.handles.len() {
            let sharing = (0..self.handles.len())
                .filter(|&j| self.handles[i].ptr_eq(&self.handles[j]))
                .count();
            if !self.handles[i].is_static() {
                assert!(
                    self.handles[i].strong_count() >= sharing,
                    "count below the handles sharing"
                );
            }
            for j in 0..self.handles.len() {
                if self.handles[i].ptr_eq(&self.handles[j]) {
                    assert_eq!(self.models[i], self.models[j]);
                }
                assert_eq!(
                    self.handles[i] == self.handles[j],
                    self.models[i] == self.models[j]
                );
            }
        }
    }
}

fn op_handle(op: &StringOp) -> u8 {
    match op {
        StringOp::Clone(h)
        | StringOp::FromStatic(h)
        | StringOp::Drop(h)
        | StringOp::Push(h, _)
        | StringOp::PushStr(h, _)
        | StringOp::Pop(h)
        | StringOp::Insert(h, _, _)
        | StringOp::InsertStr(h, _, _)
        | StringOp::Remove(h, _)
        | StringOp::Truncate(h, _)
        | StringOp::Clear(h)
        | StringOp::Retain(h, _)
        | StringOp::ReplaceRange(h, _, _, _)
        | StringOp::SplitOff(h, _)
        | StringOp::Drain(h, _, _)
        | StringOp::UppercaseRange(h, _, _)
        | StringOp::MakeAsciiLowercase(h)
        | StringOp::Reserve(h, _)
        | StringOp::ShrinkToFit(h)
        | StringOp::AddAssign(h, _)
        | StringOp::ExtendChars(h, _)
        | StringOp::ExtendFromWithin(h, _, _)
        | StringOp::ReserveExact(h, _)
        | StringOp::ShrinkTo(h, _)
        | StringOp::DrainPart(h, _, _, _)
        | StringOp::SplitAtMutUpper(h, _) => *h,
    }
}

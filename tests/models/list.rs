//! The operation model of `CowList<T>` and `CowSet<T>`, shared by the proptest
//! (`tests/model.rs`) and the fuzz target (`fuzz/fuzz_targets/list_ops.rs`).
//!
//! A [`ListModel`] keeps a few lists (forks made by `Clone`), each beside a `Vec<u8>` model, a
//! set beside an insertion-ordered `Vec<u8>`, and snapshots taken along the way, each beside
//! the copy of the model it must keep showing. After every [`ListOp`], [`ListModel::check`]
//! asserts that each list equals its model, the set holds no duplicates and equals its model,
//! and every kept snapshot still shows what it showed when taken.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use cowkit::list::{GenericCowList, GenericCowSet};
use cowkit::{ArcSwapStrategy, Publish, Shared};

/// At most this many lists and snapshots are kept.
const MAX_KEPT: usize = 8;

/// One operation; `h` (a list) and `s` (a snapshot) wrap around the live ones. Indices are
/// raw, so they fall out of range often.
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum ListOp {
    /// `list[h].push(v)`.
    Push(u8, u8),
    /// `list[h].insert(i, v)`: `Err(v)` when `i > len`.
    Insert(u8, u8, u8),
    /// `list[h].insert_all(i, vs)`.
    InsertAll(u8, u8, Vec<u8>),
    /// `list[h].set(i, v)`: `Ok(old)` or `Err(v)`.
    Set(u8, u8, u8),
    /// `list[h].remove(i)`.
    Remove(u8, u8),
    /// `list[h].remove_item(&v)`.
    RemoveItem(u8, u8),
    /// `list[h].push_if_absent(v)`.
    PushIfAbsent(u8, u8),
    /// `list[h].extend(vs)`.
    Extend(u8, Vec<u8>),
    /// `list[h].extend_absent(vs)`.
    ExtendAbsent(u8, Vec<u8>),
    /// `list[h].retain(|x| x % (m % 5 + 2) != 0)`.
    Retain(u8, u8),
    /// `list[h].remove_all(vs)`.
    RemoveAll(u8, Vec<u8>),
    /// `list[h].replace_all(|x| *x = x.wrapping_add(d))`.
    ReplaceAll(u8, u8),
    /// `list[h].sort()`, or descending with `sort_by` when the flag is set.
    Sort(u8, bool),
    /// `list[h].clear()`.
    Clear(u8),
    /// One `update` pushing `vs` and reversing the list.
    UpdateBatch(u8, Vec<u8>),
    /// An `update` that pushes `v` and then panics: nothing may be published.
    PanickingUpdate(u8, u8),
    /// A `try_update` that pushes `v` and then fails: nothing may be published.
    FailedTryUpdate(u8, u8),
    /// Reads: `get(i)`, `get_with(i)`, `index_of(v)`, `last_index_of(v)`, `contains(v)`,
    /// `index_of_from(v, i)`, `last_index_of_from(v, i)`, compared with the model.
    Read(u8, u8, u8),
    /// `list[h].pop()`.
    Pop(u8),
    /// `list[h].truncate(n)`.
    Truncate(u8, u8),
    /// `first()`, `last()`, `iter()` (forwards and from the back) and `&list.load()`.
    Iterate(u8),
    /// `list[h].clone()`: a new, independent list.
    Fork(u8),
    /// Keep `list[h].snapshot()`.
    Snapshot(u8),
    /// Drop snapshot `s`.
    DropSnapshot(u8),
    /// `set.insert(v)`.
    SetInsert(u8),
    /// `set.remove(&v)`.
    SetRemove(u8),
    /// `set.extend(vs)`.
    SetExtend(Vec<u8>),
    /// `set.retain(|x| x % (m % 5 + 2) != 0)`.
    SetRetain(u8),
    /// `set.clear()`.
    SetClear,
}

/// Lists, a set and snapshots under test, each beside its model.
///
/// Generic over the publication strategy `P`, so that the same operations check each.
pub struct ListModel<P: Publish = ArcSwapStrategy> {
    lists: Vec<(GenericCowList<u8, P>, Vec<u8>)>,
    snapshots: Vec<(Shared<Vec<u8>>, Vec<u8>)>,
    set: (GenericCowSet<u8, P>, Vec<u8>),
}

impl<P: Publish> Default for ListModel<P> {
    fn default() -> Self {
        Self::new()
    }
}

/// The position of `h` among `len` live things (`len > 0`).
fn pick(h: u8, len: usize) -> usize {
    usize::from(h) % len
}

/// Runs `f`, which must panic (with a payload raised by `resume_unwind`, so that no panic hook
/// prints in the middle of a fuzz run).
fn expect_panic(f: impl FnOnce()) {
    assert!(
        catch_unwind(AssertUnwindSafe(f)).is_err(),
        "expected a panic"
    );
}

impl<P: Publish> ListModel<P> {
    /// One empty list, an empty set, no snapshots.
    pub fn new() -> Self {
        ListModel {
            lists: vec![(GenericCowList::new(), Vec::new())],
            snapshots: Vec::new(),
            set: (GenericCowSet::new(), Vec::new()),
        }
    }

    /// Applies `op` to the structures and to their models.
    pub fn apply(&mut self, op: &ListOp) {
        use ListOp::*;
        let n = self.lists.len();
        let h = |h: &u8| pick(*h, n);
        match op {
            Push(l, v) => {
                let (list, model) = &mut self.lists[h(l)];
                list.push(*v);
                model.push(*v);
            }
            Insert(l, i, v) => {
                let (list, model) = &mut self.lists[h(l)];
                let i = usize::from(*i);
                if i <= model.len() {
                    assert_eq!(list.insert(i, *v), Ok(()));
                    model.insert(i, *v);
                } else {
                    assert_eq!(list.insert(i, *v), Err(*v));
                }
            }
            InsertAll(l, i, vs) => {
                let (list, model) = &mut self.lists[h(l)];
                let i = usize::from(*i);
                if i <= model.len() {
                    assert_eq!(list.insert_all(i, vs.iter().copied()), Ok(()));
                    model.splice(i..i, vs.iter().copied());
                } else {
                    assert_eq!(list.insert_all(i, vs.iter().copied()), Err(vs.clone()));
                }
            }
            Set(l, i, v) => {
                let (list, model) = &mut self.lists[h(l)];
                let i = usize::from(*i);
                let expected = match model.get_mut(i) {
                    Some(slot) => Ok(std::mem::replace(slot, *v)),
                    None => Err(*v),
                };
                assert_eq!(list.set(i, *v), expected);
            }
            Remove(l, i) => {
                let (list, model) = &mut self.lists[h(l)];
                let i = usize::from(*i);
                let expected = (i < model.len()).then(|| model.remove(i));
                assert_eq!(list.remove(i), expected);
            }
            RemoveItem(l, v) => {
                let (list, model) = &mut self.lists[h(l)];
                let expected = model.iter().position(|x| x == v).map(|i| model.remove(i));
                assert_eq!(list.remove_item(v), expected.is_some());
            }
            PushIfAbsent(l, v) => {
                let (list, model) = &mut self.lists[h(l)];
                let absent = !model.contains(v);
                if absent {
                    model.push(*v);
                }
                assert_eq!(list.push_if_absent(*v), absent);
            }
            Extend(l, vs) => {
                let (list, model) = &mut self.lists[h(l)];
                list.extend(vs.iter().copied());
                model.extend_from_slice(vs);
            }
            ExtendAbsent(l, vs) => {
                let (list, model) = &mut self.lists[h(l)];
                let before = model.len();
                for v in vs {
                    if !model.contains(v) {
                        model.push(*v);
                    }
                }
                assert_eq!(list.extend_absent(vs.iter().copied()), model.len() - before);
            }
            Retain(l, m) => {
                let (list, model) = &mut self.lists[h(l)];
                let div = m % 5 + 2;
                let before = model.len();
                model.retain(|x| x % div != 0);
                assert_eq!(list.retain(|x| x % div != 0), before - model.len());
            }
            RemoveAll(l, vs) => {
                let (list, model) = &mut self.lists[h(l)];
                let before = model.len();
                model.retain(|x| !vs.contains(x));
                assert_eq!(list.remove_all(vs), before - model.len());
            }
            ReplaceAll(l, d) => {
                let (list, model) = &mut self.lists[h(l)];
                list.replace_all(|x| *x = x.wrapping_add(*d));
                model.iter_mut().for_each(|x| *x = x.wrapping_add(*d));
            }
            Sort(l, descending) => {
                let (list, model) = &mut self.lists[h(l)];
                if *descending {
                    list.sort_by(|a, b| b.cmp(a));
                    model.sort_by(|a, b| b.cmp(a));
                } else {
                    list.sort();
                    model.sort();
                }
            }
            Clear(l) => {
                let (list, model) = &mut self.lists[h(l)];
                list.clear();
                model.clear();
            }
            UpdateBatch(l, vs) => {
                let (list, model) = &mut self.lists[h(l)];
                let len = list.update(|v| {
                    v.extend_from_slice(vs);
                    v.reverse();
                    v.len()
                });
                model.extend_from_slice(vs);
                model.reverse();
                assert_eq!(len, model.len());
            }
            PanickingUpdate(l, v) => {
                let (list, _) = &self.lists[h(l)];
                expect_panic(|| {
                    list.update(|items| {
                        items.push(*v);
                        resume_unwind(Box::new("update panicked"));
                    })
                });
            }
            FailedTryUpdate(l, v) => {
                let (list, _) = &self.lists[h(l)];
                let result: Result<(), u8> = list.try_update(|items| {
                    items.push(*v);
                    Err(*v)
                });
                assert_eq!(result, Err(*v));
            }
            Read(l, i, v) => {
                let (list, model) = &self.lists[h(l)];
                let i = usize::from(*i);
                assert_eq!(list.get(i), model.get(i).copied());
                assert_eq!(
                    list.get_with(i, |x| x.wrapping_mul(3)),
                    model.get(i).map(|x| x.wrapping_mul(3))
                );
                assert_eq!(list.index_of(v), model.iter().position(|x| x == v));
                assert_eq!(list.last_index_of(v), model.iter().rposition(|x| x == v));
                assert_eq!(list.contains(v), model.contains(v));
                let from = model
                    .get(i..)
                    .and_then(|t| t.iter().position(|x| x == v))
                    .map(|p| p + i);
                assert_eq!(list.index_of_from(v, i), from);
                let upto = &model[..model.len().min(i + 1)];
                assert_eq!(
                    list.last_index_of_from(v, i),
                    upto.iter().rposition(|x| x == v)
                );
            }
            Pop(l) => {
                let (list, model) = &mut self.lists[h(l)];
                assert_eq!(list.pop(), model.pop());
            }
            Truncate(l, n) => {
                let (list, model) = &mut self.lists[h(l)];
                list.truncate(usize::from(*n));
                model.truncate(usize::from(*n));
            }
            Iterate(l) => {
                let (list, model) = &self.lists[h(l)];
                assert_eq!(list.first(), model.first().copied());
                assert_eq!(list.last(), model.last().copied());
                assert_eq!(list.iter().collect::<Vec<_>>(), *model);
                assert!(list.iter().rev().eq(model.iter().rev().copied()));
                assert_eq!(list.iter().len(), model.len());
                assert!((&list.load()).into_iter().eq(model.iter()));
            }
            Fork(l) => {
                if self.lists.len() < MAX_KEPT {
                    let (list, model) = &self.lists[h(l)];
                    let fork = (list.clone(), model.clone());
                    self.lists.push(fork);
                }
            }
            Snapshot(l) => {
                if self.snapshots.len() < MAX_KEPT {
                    let (list, model) = &self.lists[h(l)];
                    self.snapshots.push((list.snapshot(), model.clone()));
                }
            }
            DropSnapshot(s) => {
                if !self.snapshots.is_empty() {
                    let i = pick(*s, self.snapshots.len());
                    self.snapshots.swap_remove(i);
                }
            }
            SetInsert(v) => {
                let (set, model) = &mut self.set;
                let absent = !model.contains(v);
                if absent {
                    model.push(*v);
                }
                assert_eq!(set.insert(*v), absent);
            }
            SetRemove(v) => {
                let (set, model) = &mut self.set;
                let found = model.iter().position(|x| x == v).map(|i| model.remove(i));
                assert_eq!(set.remove(v), found.is_some());
            }
            SetExtend(vs) => {
                let (set, model) = &mut self.set;
                let before = model.len();
                for v in vs {
                    if !model.contains(v) {
                        model.push(*v);
                    }
                }
                assert_eq!(
                    GenericCowSet::extend(set, vs.iter().copied()),
                    model.len() - before
                );
            }
            SetRetain(m) => {
                let (set, model) = &mut self.set;
                let div = m % 5 + 2;
                let before = model.len();
                model.retain(|x| x % div != 0);
                assert_eq!(set.retain(|x| x % div != 0), before - model.len());
            }
            SetClear => {
                self.set.0.clear();
                self.set.1.clear();
            }
        }
    }

    /// Every list equals its model; the set equals its model; every snapshot is unchanged.
    pub fn check(&self) {
        for (list, model) in &self.lists {
            assert_eq!(*list.load(), *model);
            assert_eq!(list.len(), model.len());
            assert_eq!(list.is_empty(), model.is_empty());
            assert!(*list == *model);
        }
        for (snapshot, model) in &self.snapshots {
            assert_eq!(**snapshot, *model, "a kept snapshot changed");
        }
        let (set, model) = &self.set;
        assert_eq!(*set.load(), *model);
        assert_eq!(set.len(), model.len());
        for (i, x) in model.iter().enumerate() {
            assert!(!model[..i].contains(x), "the model itself has a duplicate");
            assert!(set.contains(x));
        }
    }
}

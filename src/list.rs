//! `CowList<T>` and `CowSet<T>`: Java's `CopyOnWriteArrayList` and `CopyOnWriteArraySet` on
//! [`CowCell<Vec<T>>`](crate::CowCell).
#![deny(unsafe_code)]

use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::Range;

use crate::Shared;
use crate::cell::{CowCell, Reader, Snapshot};

/// A list that many threads read without locking while writers publish edited copies: Java's
/// `CopyOnWriteArrayList`, in Rust.
///
/// Every method takes `&self`, so a list is shared as an `Arc<CowList<T>>` or a `static`.
/// Reads ([`get`](CowList::get), [`contains`](CowList::contains), iteration over
/// [`load`](CowList::load) or [`snapshot`](CowList::snapshot)) never block and run over one
/// version that never changes while in use. Each write copies the list once into an exact-size
/// allocation, edits the copy and publishes it with one atomic swap; writers take turns, so no
/// write is lost. Batch many changes into one [`update`](CowList::update) to pay for one copy.
///
/// It suits data read far more often than written: listener lists, routing tables,
/// configuration. For write-heavy data use a `Mutex<Vec<T>>` or a persistent vector (`imbl`).
///
/// Index-based writes never panic when another thread has shrunk the list meanwhile: they
/// return the value handed in (`Err(value)`) or `None`, so nothing is lost.
///
/// | Java `CopyOnWriteArrayList` | `CowList` |
/// |---|---|
/// | `size`, `isEmpty`, `get` | [`len`](CowList::len), [`is_empty`](CowList::is_empty), [`get`](CowList::get) / [`get_with`](CowList::get_with) |
/// | `contains`, `containsAll` | [`contains`](CowList::contains), [`contains_all`](CowList::contains_all) |
/// | `indexOf(e)`, `indexOf(e, from)` | [`index_of`](CowList::index_of), [`index_of_from`](CowList::index_of_from) |
/// | `lastIndexOf(e)`, `lastIndexOf(e, from)` | [`last_index_of`](CowList::last_index_of), [`last_index_of_from`](CowList::last_index_of_from) |
/// | `add(e)`, `add(i, e)`, `set(i, e)` | [`push`](CowList::push), [`insert`](CowList::insert), [`set`](CowList::set) |
/// | `addAll(c)`, `addAll(i, c)` | [`extend`](CowList::extend), [`insert_all`](CowList::insert_all) |
/// | `remove(i)`, `remove(o)` | [`remove`](CowList::remove), [`remove_item`](CowList::remove_item) |
/// | `addIfAbsent`, `addAllAbsent` | [`push_if_absent`](CowList::push_if_absent), [`extend_absent`](CowList::extend_absent) |
/// | `removeIf`, `retainAll`, `removeAll` | [`retain`](CowList::retain), [`retain`](CowList::retain), [`remove_all`](CowList::remove_all) |
/// | `replaceAll`, `sort`, `clear` | [`replace_all`](CowList::replace_all), [`sort`](CowList::sort) / [`sort_by`](CowList::sort_by), [`clear`](CowList::clear) |
/// | `iterator`, `subList`, `forEach`, `toArray` | `list.load().iter()`, `&list.load()[a..b]`, [`to_vec`](CowList::to_vec) |
/// | `equals`, `hashCode`, `toString`, `clone` | `PartialEq` (also with `Vec` and slices), `Hash` (the same as the slice's), `Debug`, `Clone` (O(1)) |
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::thread;
/// use cowkit::CowList;
///
/// let listeners = Arc::new(CowList::new());
/// listeners.push("audit");
///
/// let snapshot = listeners.snapshot(); // iterate at leisure: it never changes
/// let writer = {
///     let listeners = Arc::clone(&listeners);
///     thread::spawn(move || {
///         listeners.push("metrics");
///         listeners.push_if_absent("audit"); // already there: no copy, returns false
///     })
/// };
/// writer.join().unwrap();
///
/// assert_eq!(*snapshot, ["audit"]);
/// assert_eq!(listeners.to_vec(), ["audit", "metrics"]);
/// ```
pub struct CowList<T> {
    cell: CowCell<Vec<T>>,
}

/// A copy of `items` with `items[replaced]` swapped for `inserted`, made in one allocation of
/// exactly the right size (a published list never grows in place, so room would be wasted).
///
/// Every one-element write of the list is a call of this: push, insert, set, remove.
fn splice_copy<T: Clone>(
    items: &[T],
    replaced: Range<usize>,
    inserted: impl ExactSizeIterator<Item = T>,
) -> Vec<T> {
    let len = items.len() - replaced.len() + inserted.len();
    let mut next = Vec::with_capacity(len);
    next.extend_from_slice(&items[..replaced.start]);
    next.extend(inserted);
    next.extend_from_slice(&items[replaced.end..]);
    debug_assert_eq!(next.len(), len);
    next
}

impl<T> CowList<T> {
    /// An empty list.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::<u32>::new();
    /// assert!(list.is_empty());
    /// ```
    pub fn new() -> Self {
        CowList::from(Vec::new())
    }

    /// The number of elements in the current version.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(cowkit::CowList::from(vec![1, 2]).len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.cell.load().len()
    }

    /// Whether the current version is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(cowkit::CowList::<u8>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.cell.load().is_empty()
    }

    /// Applies `read` to the element at `index` in the current version, without cloning it.
    /// `None` when `index` is out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// let names = cowkit::CowList::from(vec![String::from("ada")]);
    /// assert_eq!(names.get_with(0, |s| s.len()), Some(3));
    /// assert_eq!(names.get_with(1, |s| s.len()), None);
    /// ```
    pub fn get_with<R>(&self, index: usize, read: impl FnOnce(&T) -> R) -> Option<R> {
        self.cell.load().get(index).map(read)
    }

    /// The current version, for a short read: iterate it, slice it, search it. It never
    /// changes, whatever writers do.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2, 3, 4]);
    /// let view = list.load();
    /// list.clear();
    /// assert_eq!(view.iter().sum::<i32>(), 10);
    /// assert_eq!(view[1..3], [2, 3]);
    /// ```
    pub fn load(&self) -> Snapshot<Vec<T>> {
        self.cell.load()
    }

    /// The current version as an owned handle, to keep or send to another thread.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec!['a']);
    /// let kept = list.snapshot();
    /// list.push('b');
    /// assert_eq!(*kept, ['a']);
    /// ```
    pub fn snapshot(&self) -> Shared<Vec<T>> {
        self.cell.snapshot()
    }

    /// A cached reader for hot loops; see [`Reader`].
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![5, 6]);
    /// let mut reader = list.reader();
    /// assert_eq!(reader.load()[1], 6);
    /// ```
    pub fn reader(&self) -> Reader<'_, Vec<T>> {
        self.cell.reader()
    }
}

impl<T: Clone> CowList<T> {
    /// A clone of the element at `index` in the current version; `None` when out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![10, 20]);
    /// assert_eq!(list.get(1), Some(20));
    /// assert_eq!(list.get(2), None);
    /// ```
    pub fn get(&self, index: usize) -> Option<T> {
        self.get_with(index, T::clone)
    }

    /// Appends `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::new();
    /// list.push(1);
    /// assert_eq!(list, [1]);
    /// ```
    pub fn push(&self, value: T) {
        self.cell.rewrite(|items| {
            let end = items.len();
            (Some(splice_copy(items, end..end, [value].into_iter())), ())
        })
    }

    /// Inserts `value` at `index`, shifting later elements right.
    ///
    /// # Errors
    ///
    /// `Err(value)`, with nothing changed, when `index > len()` at the moment of the write
    /// (where `Vec::insert` would panic).
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 3]);
    /// assert_eq!(list.insert(1, 2), Ok(()));
    /// assert_eq!(list.insert(9, 4), Err(4));
    /// assert_eq!(list, [1, 2, 3]);
    /// ```
    pub fn insert(&self, index: usize, value: T) -> Result<(), T> {
        self.cell.rewrite(|items| {
            if index > items.len() {
                return (None, Err(value));
            }
            (
                Some(splice_copy(items, index..index, [value].into_iter())),
                Ok(()),
            )
        })
    }

    /// Inserts every element of `values` at `index`, in order, in one write.
    ///
    /// The elements are collected before the writers' lock is taken.
    ///
    /// # Errors
    ///
    /// `Err(values)` (collected into a `Vec`), with nothing changed, when `index > len()` at the
    /// moment of the write.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 4]);
    /// assert_eq!(list.insert_all(1, [2, 3]), Ok(()));
    /// assert_eq!(list.insert_all(9, [5]), Err(vec![5]));
    /// assert_eq!(list, [1, 2, 3, 4]);
    /// ```
    pub fn insert_all(
        &self,
        index: usize,
        values: impl IntoIterator<Item = T>,
    ) -> Result<(), Vec<T>> {
        let values: Vec<T> = values.into_iter().collect();
        self.cell.rewrite(|items| {
            if index > items.len() {
                return (None, Err(values));
            }
            (
                Some(splice_copy(items, index..index, values.into_iter())),
                Ok(()),
            )
        })
    }

    /// Replaces the element at `index` with `value`.
    ///
    /// # Errors
    ///
    /// `Ok(old)` on success; `Err(value)`, with nothing changed, when `index >= len()` at the
    /// moment of the write (where indexing a `Vec` would panic).
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec!["a", "b"]);
    /// assert_eq!(list.set(1, "B"), Ok("b"));
    /// assert_eq!(list.set(2, "c"), Err("c"));
    /// assert_eq!(list, ["a", "B"]);
    /// ```
    pub fn set(&self, index: usize, value: T) -> Result<T, T> {
        self.cell.rewrite(|items| match items.get(index) {
            None => (None, Err(value)),
            Some(old) => (
                Some(splice_copy(items, index..index + 1, [value].into_iter())),
                Ok(old.clone()),
            ),
        })
    }

    /// Removes and returns the element at `index`, shifting later elements left; `None`, with
    /// nothing changed, when `index >= len()` at the moment of the write.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2, 3]);
    /// assert_eq!(list.remove(0), Some(1));
    /// assert_eq!(list.remove(5), None);
    /// assert_eq!(list, [2, 3]);
    /// ```
    pub fn remove(&self, index: usize) -> Option<T> {
        self.cell.rewrite(|items| match items.get(index) {
            None => (None, None),
            Some(old) => (
                Some(splice_copy(items, index..index + 1, core::iter::empty())),
                Some(old.clone()),
            ),
        })
    }

    /// Appends every element of `values`, in order, in one write (Java's `addAll`).
    ///
    /// The elements are collected before the writers' lock is taken; an empty input writes
    /// nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1]);
    /// list.extend([2, 3]);
    /// assert_eq!(list, [1, 2, 3]);
    /// ```
    pub fn extend(&self, values: impl IntoIterator<Item = T>) {
        let values: Vec<T> = values.into_iter().collect();
        if values.is_empty() {
            return;
        }
        self.cell.rewrite(|items| {
            let end = items.len();
            (Some(splice_copy(items, end..end, values.into_iter())), ())
        })
    }

    /// Keeps only the elements for which `keep` returns `true`; returns how many were removed.
    ///
    /// `keep` is called once per element, in order. When it keeps everything, nothing is
    /// copied or published. Java's `removeIf` and `retainAll` are both this.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2, 3, 4]);
    /// assert_eq!(list.retain(|n| n % 2 == 0), 2);
    /// assert_eq!(list, [2, 4]);
    /// ```
    pub fn retain(&self, mut keep: impl FnMut(&T) -> bool) -> usize {
        self.cell.rewrite(|items| {
            let Some(first) = items.iter().position(|x| !keep(x)) else {
                return (None, 0);
            };
            let mut next = Vec::with_capacity(items.len() - 1);
            next.extend_from_slice(&items[..first]);
            next.extend(items[first + 1..].iter().filter(|x| keep(x)).cloned());
            let removed = items.len() - next.len();
            (Some(next), removed)
        })
    }

    /// Applies `change` to every element, in one write.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2]);
    /// list.replace_all(|n| *n *= 10);
    /// assert_eq!(list, [10, 20]);
    /// ```
    pub fn replace_all(&self, change: impl FnMut(&mut T)) {
        self.cell.update(|items| items.iter_mut().for_each(change))
    }

    /// Sorts the list with `compare`, in one write (a stable sort, like `slice::sort_by`).
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 3, 2]);
    /// list.sort_by(|a, b| b.cmp(a));
    /// assert_eq!(list, [3, 2, 1]);
    /// ```
    pub fn sort_by(&self, compare: impl FnMut(&T, &T) -> Ordering) {
        self.cell.update(|items| items.sort_by(compare))
    }

    /// Removes every element. An empty list writes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1]);
    /// list.clear();
    /// assert!(list.is_empty());
    /// ```
    pub fn clear(&self) {
        self.cell.rewrite(|items| {
            (
                if items.is_empty() {
                    None
                } else {
                    Some(Vec::new())
                },
                (),
            )
        })
    }

    /// A clone of the current version's elements.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2]);
    /// assert_eq!(list.to_vec(), vec![1, 2]);
    /// ```
    pub fn to_vec(&self) -> Vec<T> {
        self.cell.load().to_vec()
    }

    /// The elements, taken out of the list (moved when no snapshot shares them, else cloned).
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2]);
    /// assert_eq!(list.into_vec(), vec![1, 2]);
    /// ```
    pub fn into_vec(self) -> Vec<T> {
        self.cell.into_inner()
    }

    /// Any change to the `Vec`, published as one write: one copy for any number of changes.
    /// See [`CowCell::update`].
    ///
    /// # Panics
    ///
    /// If `change` panics, nothing is published. A write to this list from inside `change`
    /// panics rather than deadlock.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![3, 1, 2]);
    /// list.update(|v| {
    ///     v.sort();
    ///     v.dedup();
    ///     v.push(4);
    /// });
    /// assert_eq!(list, [1, 2, 3, 4]);
    /// ```
    pub fn update<R>(&self, change: impl FnOnce(&mut Vec<T>) -> R) -> R {
        self.cell.update(change)
    }

    /// Like [`update`](CowList::update), but publishes only when `change` returns `Ok`.
    ///
    /// # Errors
    ///
    /// `change`'s error, unchanged; the list then keeps its previous version.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1]);
    /// let r: Result<(), &str> = list.try_update(|v| { v.push(2); Err("changed my mind") });
    /// assert!(r.is_err());
    /// assert_eq!(list, [1]);
    /// ```
    pub fn try_update<R, E>(
        &self,
        change: impl FnOnce(&mut Vec<T>) -> Result<R, E>,
    ) -> Result<R, E> {
        self.cell.try_update(change)
    }
}

impl<T: Clone + Ord> CowList<T> {
    /// Sorts the list, in one write (a stable sort, like `slice::sort`).
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![2, 1]);
    /// list.sort();
    /// assert_eq!(list, [1, 2]);
    /// ```
    pub fn sort(&self) {
        self.sort_by(T::cmp)
    }
}

impl<T: PartialEq> CowList<T> {
    /// Whether the current version holds an element equal to `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2]);
    /// assert!(list.contains(&2) && !list.contains(&3));
    /// ```
    pub fn contains(&self, value: &T) -> bool {
        self.cell.load().contains(value)
    }

    /// Whether the current version holds an element equal to each of `values`.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2, 3]);
    /// assert!(list.contains_all(&[3, 1]));
    /// assert!(!list.contains_all(&[1, 4]));
    /// ```
    pub fn contains_all(&self, values: &[T]) -> bool {
        let items = self.cell.load();
        values.iter().all(|v| items.contains(v))
    }

    /// The index of the first element equal to `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec!['a', 'b', 'a']);
    /// assert_eq!(list.index_of(&'a'), Some(0));
    /// assert_eq!(list.index_of(&'z'), None);
    /// ```
    pub fn index_of(&self, value: &T) -> Option<usize> {
        self.index_of_from(value, 0)
    }

    /// The index of the first element equal to `value` at or after `from`; `None` when
    /// `from >= len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec!['a', 'b', 'a']);
    /// assert_eq!(list.index_of_from(&'a', 1), Some(2));
    /// assert_eq!(list.index_of_from(&'a', 9), None);
    /// ```
    pub fn index_of_from(&self, value: &T, from: usize) -> Option<usize> {
        let items = self.cell.load();
        let tail = items.get(from..)?;
        tail.iter().position(|x| x == value).map(|i| from + i)
    }

    /// The index of the last element equal to `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec!['a', 'b', 'a']);
    /// assert_eq!(list.last_index_of(&'a'), Some(2));
    /// ```
    pub fn last_index_of(&self, value: &T) -> Option<usize> {
        self.last_index_of_from(value, usize::MAX)
    }

    /// The index of the last element equal to `value` at or before `from`; a `from` past the
    /// end searches the whole list.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec!['a', 'b', 'a']);
    /// assert_eq!(list.last_index_of_from(&'a', 1), Some(0));
    /// assert_eq!(list.last_index_of_from(&'a', 99), Some(2));
    /// ```
    pub fn last_index_of_from(&self, value: &T, from: usize) -> Option<usize> {
        let items = self.cell.load();
        let end = items.len().min(from.saturating_add(1));
        items[..end].iter().rposition(|x| x == value)
    }
}

impl<T: Clone + PartialEq> CowList<T> {
    /// Removes the first element equal to `value`; returns whether one was found. When none
    /// is, nothing is copied or published.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2, 1]);
    /// assert!(list.remove_item(&1));
    /// assert!(!list.remove_item(&7));
    /// assert_eq!(list, [2, 1]);
    /// ```
    pub fn remove_item(&self, value: &T) -> bool {
        // Lock-free check first, as Java does: an absent value costs no lock and no copy.
        if !self.contains(value) {
            return false;
        }
        self.cell
            .rewrite(|items| match items.iter().position(|x| x == value) {
                None => (None, false),
                Some(i) => (
                    Some(splice_copy(items, i..i + 1, core::iter::empty())),
                    true,
                ),
            })
    }

    /// Appends `value` unless an equal element is present (Java's `addIfAbsent`); returns
    /// whether it was added.
    ///
    /// The check and the append are one atomic step with respect to other writers. When the
    /// value is present, nothing is locked, copied or published.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::new();
    /// assert!(list.push_if_absent("x"));
    /// assert!(!list.push_if_absent("x"));
    /// assert_eq!(list, ["x"]);
    /// ```
    pub fn push_if_absent(&self, value: T) -> bool {
        if self.contains(&value) {
            return false;
        }
        self.cell.rewrite(|items| {
            if items.contains(&value) {
                return (None, false);
            }
            let end = items.len();
            (
                Some(splice_copy(items, end..end, [value].into_iter())),
                true,
            )
        })
    }

    /// Appends, in order, each element of `values` that is not yet in the list (nor earlier
    /// in `values`), in one write (Java's `addAllAbsent`); returns how many were added.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2]);
    /// assert_eq!(list.extend_absent([2, 3, 3, 4]), 2);
    /// assert_eq!(list, [1, 2, 3, 4]);
    /// ```
    pub fn extend_absent(&self, values: impl IntoIterator<Item = T>) -> usize {
        let candidates: Vec<T> = values.into_iter().collect();
        if candidates.is_empty() {
            return 0;
        }
        self.cell.rewrite(|items| {
            let mut added: Vec<T> = Vec::new();
            for value in candidates {
                if !items.contains(&value) && !added.contains(&value) {
                    added.push(value);
                }
            }
            if added.is_empty() {
                return (None, 0);
            }
            let (end, count) = (items.len(), added.len());
            (Some(splice_copy(items, end..end, added.into_iter())), count)
        })
    }

    /// Removes every element equal to one of `values` (Java's `removeAll`); returns how many
    /// were removed.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2, 3, 2]);
    /// assert_eq!(list.remove_all(&[2, 9]), 2);
    /// assert_eq!(list, [1, 3]);
    /// ```
    pub fn remove_all(&self, values: &[T]) -> usize {
        self.retain(|x| !values.contains(x))
    }
}

impl<T> Default for CowList<T> {
    fn default() -> Self {
        CowList::new()
    }
}

impl<T> Clone for CowList<T> {
    /// A new, independent list that starts from this one's current version, shared (O(1)).
    fn clone(&self) -> Self {
        CowList {
            cell: self.cell.clone(),
        }
    }
}

impl<T> From<Vec<T>> for CowList<T> {
    fn from(items: Vec<T>) -> Self {
        CowList {
            cell: CowCell::new(items),
        }
    }
}

impl<T: Clone> From<&[T]> for CowList<T> {
    fn from(items: &[T]) -> Self {
        CowList::from(items.to_vec())
    }
}

impl<T, const N: usize> From<[T; N]> for CowList<T> {
    fn from(items: [T; N]) -> Self {
        CowList::from(Vec::from(items))
    }
}

impl<T> FromIterator<T> for CowList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        CowList::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T: Clone> Extend<T> for CowList<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        CowList::extend(self, iter)
    }
}

impl<T: fmt::Debug> fmt::Debug for CowList<T> {
    /// Formats the current version as a list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.cell.load().iter()).finish()
    }
}

impl<T: PartialEq> PartialEq for CowList<T> {
    /// Element-wise equality of the two current versions.
    fn eq(&self, other: &Self) -> bool {
        self.cell.load()[..] == other.cell.load()[..]
    }
}

impl<T: Eq> Eq for CowList<T> {}

impl<T: PartialEq<U>, U> PartialEq<Vec<U>> for CowList<T> {
    fn eq(&self, other: &Vec<U>) -> bool {
        self.cell.load()[..] == other[..]
    }
}

impl<T: PartialEq<U>, U> PartialEq<[U]> for CowList<T> {
    fn eq(&self, other: &[U]) -> bool {
        self.cell.load()[..] == *other
    }
}

impl<T: PartialEq<U>, U> PartialEq<&[U]> for CowList<T> {
    fn eq(&self, other: &&[U]) -> bool {
        self.cell.load()[..] == **other
    }
}

impl<T: PartialEq<U>, U, const N: usize> PartialEq<[U; N]> for CowList<T> {
    fn eq(&self, other: &[U; N]) -> bool {
        self.cell.load()[..] == other[..]
    }
}

impl<T: PartialEq<U>, U> PartialEq<CowList<U>> for Vec<T> {
    fn eq(&self, other: &CowList<U>) -> bool {
        self[..] == other.cell.load()[..]
    }
}

impl<T: Hash> Hash for CowList<T> {
    /// Hashes the current version exactly as its slice (and a `Vec` of the same elements)
    /// hashes, so a list and a `Vec` that are equal hash equally.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.cell.load()[..].hash(state)
    }
}

/// A set that many threads read without locking while writers publish edited copies: Java's
/// `CopyOnWriteArraySet`, in Rust.
///
/// The elements are kept in insertion order in a [`CowList`]-style vector and compared with
/// `PartialEq` only (no `Hash` or `Ord` needed), so lookups and inserts are O(n): it is meant
/// for small sets read far more often than written (listener sets, feature flags). Every
/// method takes `&self`; [`load`](CowSet::load) and [`snapshot`](CowSet::snapshot) give a
/// version that never changes while in use.
///
/// # Examples
///
/// ```
/// let flags = cowkit::CowSet::new();
/// assert!(flags.insert("beta"));
/// assert!(!flags.insert("beta")); // present: no copy, no publish
/// assert!(flags.insert("dark-mode"));
/// assert_eq!(*flags.load(), ["beta", "dark-mode"]); // insertion order
/// assert!(flags.remove(&"beta"));
/// assert_eq!(flags.len(), 1);
/// ```
pub struct CowSet<T> {
    list: CowList<T>,
}

impl<T> CowSet<T> {
    /// An empty set.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(cowkit::CowSet::<u8>::new().is_empty());
    /// ```
    pub fn new() -> Self {
        CowSet {
            list: CowList::new(),
        }
    }

    /// The number of elements in the current version.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(cowkit::CowSet::from(vec![1, 1, 2]).len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether the current version is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(cowkit::CowSet::<u8>::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The current version (elements in insertion order), for a short read.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::from(vec![2, 1]);
    /// assert_eq!(*set.load(), [2, 1]);
    /// ```
    pub fn load(&self) -> Snapshot<Vec<T>> {
        self.list.load()
    }

    /// The current version as an owned handle.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::from(vec![1]);
    /// let kept = set.snapshot();
    /// set.insert(2);
    /// assert_eq!(*kept, [1]);
    /// ```
    pub fn snapshot(&self) -> Shared<Vec<T>> {
        self.list.snapshot()
    }

    /// A cached reader for hot loops; see [`Reader`].
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::from(vec![1]);
    /// assert_eq!(set.reader().load().len(), 1);
    /// ```
    pub fn reader(&self) -> Reader<'_, Vec<T>> {
        self.list.reader()
    }
}

impl<T: PartialEq> CowSet<T> {
    /// Whether the set holds an element equal to `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::from(vec!["a"]);
    /// assert!(set.contains(&"a"));
    /// ```
    pub fn contains(&self, value: &T) -> bool {
        self.list.contains(value)
    }

    /// Whether the set holds an element equal to each of `values`.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::from(vec![1, 2]);
    /// assert!(set.contains_all(&[2, 1]) && !set.contains_all(&[3]));
    /// ```
    pub fn contains_all(&self, values: &[T]) -> bool {
        self.list.contains_all(values)
    }
}

impl<T: Clone + PartialEq> CowSet<T> {
    /// Adds `value` unless an equal element is present; returns whether it was added.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::new();
    /// assert!(set.insert(1));
    /// assert!(!set.insert(1));
    /// ```
    pub fn insert(&self, value: T) -> bool {
        self.list.push_if_absent(value)
    }

    /// Removes the element equal to `value`; returns whether there was one.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::from(vec![1]);
    /// assert!(set.remove(&1) && !set.remove(&1));
    /// ```
    pub fn remove(&self, value: &T) -> bool {
        self.list.remove_item(value)
    }

    /// Adds each element of `values` not yet present, in one write (Java's `addAll`);
    /// returns how many were added.
    ///
    /// Called as a method on a `&mut CowSet`, Rust picks the `Extend` trait's `extend`
    /// (same effect, no count); write `CowSet::extend(&set, ..)` there to get the count.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::from(vec![1]);
    /// assert_eq!(set.extend([1, 2, 2, 3]), 2);
    /// assert_eq!(set.len(), 3);
    /// ```
    pub fn extend(&self, values: impl IntoIterator<Item = T>) -> usize {
        self.list.extend_absent(values)
    }

    /// Keeps only the elements for which `keep` returns `true` (Java's `removeIf` and
    /// `retainAll`); returns how many were removed.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::from(vec![1, 2, 3]);
    /// assert_eq!(set.retain(|n| *n != 2), 1);
    /// assert_eq!(*set.load(), [1, 3]);
    /// ```
    pub fn retain(&self, keep: impl FnMut(&T) -> bool) -> usize {
        self.list.retain(keep)
    }

    /// Removes each element equal to one of `values` (Java's `removeAll`); returns how many
    /// were removed.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::from(vec![1, 2, 3]);
    /// assert_eq!(set.remove_all(&[1, 3, 5]), 2);
    /// ```
    pub fn remove_all(&self, values: &[T]) -> usize {
        self.list.remove_all(values)
    }

    /// Removes every element. An empty set writes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::from(vec![1]);
    /// set.clear();
    /// assert!(set.is_empty());
    /// ```
    pub fn clear(&self) {
        self.list.clear()
    }

    /// A clone of the current elements, in insertion order.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(cowkit::CowSet::from(vec![3, 3, 1]).to_vec(), vec![3, 1]);
    /// ```
    pub fn to_vec(&self) -> Vec<T> {
        self.list.to_vec()
    }
}

impl<T> Default for CowSet<T> {
    fn default() -> Self {
        CowSet::new()
    }
}

impl<T> Clone for CowSet<T> {
    /// A new, independent set that starts from this one's current version, shared (O(1)).
    fn clone(&self) -> Self {
        CowSet {
            list: self.list.clone(),
        }
    }
}

impl<T: PartialEq> From<Vec<T>> for CowSet<T> {
    /// The set of `items`, keeping the first of equal elements, in order (O(n²) comparisons).
    fn from(mut items: Vec<T>) -> Self {
        let mut kept = 0;
        for i in 0..items.len() {
            if !items[..kept].contains(&items[i]) {
                items.swap(kept, i);
                kept += 1;
            }
        }
        items.truncate(kept);
        CowSet {
            list: CowList::from(items),
        }
    }
}

impl<T: PartialEq> FromIterator<T> for CowSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        CowSet::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T: Clone + PartialEq> Extend<T> for CowSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        CowSet::extend(self, iter);
    }
}

impl<T: fmt::Debug> fmt::Debug for CowSet<T> {
    /// Formats the current version as a set, in insertion order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.list.load().iter()).finish()
    }
}

impl<T: PartialEq> PartialEq for CowSet<T> {
    /// Set equality of the two current versions: the same elements, in any order.
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.list.load(), other.list.load());
        a.len() == b.len() && a.iter().all(|x| b.contains(x))
    }
}

impl<T: Eq> Eq for CowSet<T> {}

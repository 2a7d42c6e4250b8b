//! [`CowList<T>`] and [`CowSet<T>`] (Java's `CopyOnWriteArrayList` and `CopyOnWriteArraySet`,
//! on [`CowCell<Vec<T>>`](crate::CowCell)) and [`Iter`], their iterator over one version.
//! Both collections are also exported at the crate root.
//!
//! The list is here; the set (a list of distinct elements) in `set.rs`; the iterator and the
//! by-value conversions of both in `iter.rs`.
#![deny(unsafe_code)]

pub(crate) mod iter;
pub(crate) mod set;

pub use self::iter::Iter;
pub use self::set::{CowSet, GenericCowSet};

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::Range;

use crate::cell::publish::{ArcSwapStrategy, Publish};
use crate::cell::{CellOwner, Draft, GenericCowCell, OwnedReader, Reader, Snapshot};
use crate::shared::Shared;
use std::sync::Arc;

/// A list that many threads read without locking while writers publish edited copies: Java's
/// `CopyOnWriteArrayList`, in Rust.
///
/// Every method takes `&self`, so a list is shared as an `Arc<CowList<T>>` or a `static` (through
/// `LazyLock`, since `new` allocates its first version; see the second example).
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
///
/// A list in a `static`, and iteration (`for x in &list` clones each element of one version;
/// `for x in &list.load()` borrows them):
///
/// ```
/// use std::sync::LazyLock;
/// use cowkit::CowList;
///
/// static HOSTS: LazyLock<CowList<String>> = LazyLock::new(CowList::new);
///
/// HOSTS.push("a.example".to_string());
/// HOSTS.push("b.example".to_string());
/// assert!(HOSTS.contains("a.example")); // a `&str` finds a `String`: no allocation
/// for host in &HOSTS.load() {
///     assert!(host.ends_with(".example"));
/// }
/// let owned: Vec<String> = HOSTS.iter().collect();
/// assert_eq!(owned.len(), 2);
/// ```
pub type CowList<T> = GenericCowList<T, ArcSwapStrategy>;

/// A [`CowList`] generic over its publication strategy `P` (see
/// [`publish`](crate::cell::publish)): `cowkit::CowList<T>` is this on [`ArcSwapStrategy`],
/// `cowkit::seize::CowList<T>` on seize. Its methods are documented here; the type's
/// guarantees and examples on [`CowList`].
pub struct GenericCowList<T, P: Publish = ArcSwapStrategy> {
    cell: GenericCowCell<Vec<T>, P>,
}

/// Publishes a copy of `items` with `items[replaced]` swapped for `count` elements that
/// `move_in` moves onto the end of the copy, made in one allocation of exactly the right size
/// (a published list never grows in place, so room would be wasted).
///
/// Every write of the list that does not run a user closure on the copy is a call of this.
///
/// The copy is built in the draft, outside the writers' lock, and the new elements come from a
/// place their caller owns, also outside it. `move_in` runs after the clones of the prefix and
/// before those of the suffix: a `Clone` that panics in the prefix leaves the new elements
/// with their owner, one in the suffix leaves them in the draft. Either way they, and the
/// clones made so far (`Vec` keeps what `extend_from_slice` has written when a clone panics),
/// are dropped after the lock is released. `move_in` itself must only move (no user code).
fn splice_copy<T: Clone>(
    draft: &mut Draft<Vec<T>>,
    items: &[T],
    replaced: Range<usize>,
    count: usize,
    move_in: impl FnOnce(&mut Vec<T>),
) {
    let len = items.len() - replaced.len() + count;
    let next = draft.publish(Vec::with_capacity(len));
    next.extend_from_slice(&items[..replaced.start]);
    move_in(next);
    debug_assert_eq!(next.len(), replaced.start + count);
    next.extend_from_slice(&items[replaced.end..]);
    debug_assert_eq!(next.len(), len);
}

impl<T, P: Publish> GenericCowList<T, P> {
    /// An empty list.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::<u32>::new();
    /// assert!(list.is_empty());
    /// ```
    pub fn new() -> Self {
        GenericCowList::from(Vec::new())
    }

    /// The number of elements in the current version.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(cowkit::CowList::from(vec![1, 2]).len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.cell.read(Vec::len)
    }

    /// Whether the current version is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(cowkit::CowList::<u8>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.cell.read(Vec::is_empty)
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
        self.cell.read(|items| items.get(index).map(read))
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
    pub fn load(&self) -> Snapshot<Vec<T>, P> {
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
    pub fn reader(&self) -> Reader<'_, Vec<T>, P> {
        self.cell.reader()
    }

    /// A cached reader that owns the list (through this `Arc`), to keep in a struct or move
    /// to another thread; see [`OwnedReader`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// let list = Arc::new(cowkit::CowList::from(vec![1, 2]));
    /// let mut reader = list.owned_reader();
    /// list.push(3);
    /// assert_eq!(*reader.load(), [1, 2, 3]);
    /// ```
    pub fn owned_reader(self: &Arc<Self>) -> OwnedReader<Vec<T>, P>
    where
        T: 'static,
        Self: Send + Sync,
    {
        OwnedReader::new(Arc::clone(self) as Arc<dyn CellOwner<Vec<T>, P>>)
    }
}

impl<T, P: Publish> CellOwner<Vec<T>, P> for GenericCowList<T, P>
where
    Self: Send + Sync,
{
    fn cell(&self) -> &GenericCowCell<Vec<T>, P> {
        &self.cell
    }
}

impl<T: Clone, P: Publish> GenericCowList<T, P> {
    /// An iterator over clones of the elements of the current version (the version at this
    /// call: later writes do not show). Java's `iterator()`; `for x in &list` is this.
    ///
    /// It owns that version (one count) and clones each element as it is reached. To iterate
    /// by reference, iterate a [`load`](CowList::load) instead: `for x in &list.load()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![String::from("a"), String::from("b")]);
    /// let mut seen = Vec::new();
    /// for name in &list {
    ///     list.push(name.clone() + "!"); // writes do not disturb the iteration
    ///     seen.push(name);
    /// }
    /// assert_eq!(seen, ["a", "b"]);
    /// assert_eq!(list.len(), 4);
    /// ```
    pub fn iter(&self) -> Iter<T> {
        let snapshot = self.snapshot();
        Iter::new(snapshot)
    }

    /// A clone of the first element of the current version; `None` when it is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2]);
    /// assert_eq!((list.first(), list.last()), (Some(1), Some(2)));
    /// ```
    pub fn first(&self) -> Option<T> {
        self.cell.read(|items| items.first().cloned())
    }

    /// A clone of the last element of the current version; `None` when it is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(cowkit::CowList::<u8>::new().last(), None);
    /// ```
    pub fn last(&self) -> Option<T> {
        self.cell.read(|items| items.last().cloned())
    }

    /// Removes and returns the last element, in one atomic write; `None` when the list is
    /// empty. (`remove(len() - 1)` would race with other writers between the two calls.)
    ///
    /// # Examples
    ///
    /// ```
    /// let stack = cowkit::CowList::from(vec![1, 2]);
    /// assert_eq!(stack.pop(), Some(2));
    /// assert_eq!(stack.pop(), Some(1));
    /// assert_eq!(stack.pop(), None);
    /// ```
    pub fn pop(&self) -> Option<T> {
        self.cell.rewrite(|items, draft| {
            let last = items.last()?;
            let end = items.len();
            splice_copy(draft, items, end - 1..end, 0, |_| {});
            Some(last.clone())
        })
    }

    /// Shortens the list to its first `len` elements, in one write; a list no longer than
    /// `len` is left as it is (nothing copied or published), as `Vec::truncate` does.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2, 3]);
    /// list.truncate(1);
    /// list.truncate(5);
    /// assert_eq!(list, [1]);
    /// ```
    pub fn truncate(&self, len: usize) {
        self.cell.rewrite(|items, draft| {
            if len < items.len() {
                splice_copy(draft, items, len..items.len(), 0, |_| {});
            }
        })
    }

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
        let mut value = Some(value);
        self.cell.rewrite(|items, draft| {
            let end = items.len();
            splice_copy(draft, items, end..end, 1, |next| next.extend(value.take()));
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
        let mut value = Some(value);
        self.cell.rewrite(|items, draft| {
            if index <= items.len() {
                splice_copy(draft, items, index..index, 1, |next| {
                    next.extend(value.take())
                });
            }
        });
        value.map_or(Ok(()), Err)
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
        let mut values: Vec<T> = values.into_iter().collect();
        let count = values.len();
        let inserted = self.cell.rewrite(|items, draft| {
            if index > items.len() {
                return false;
            }
            splice_copy(draft, items, index..index, count, |next| {
                next.append(&mut values);
            });
            true
        });
        if inserted { Ok(()) } else { Err(values) }
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
        let mut value = Some(value);
        let old = self.cell.rewrite(|items, draft| {
            let old = items.get(index)?;
            splice_copy(draft, items, index..index + 1, 1, |next| {
                next.extend(value.take());
            });
            Some(old.clone())
        });
        match (old, value) {
            (Some(old), None) => Ok(old),
            (None, Some(value)) => Err(value),
            _ => unreachable!("the value is moved into the list exactly when the old one is taken"),
        }
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
        self.cell.rewrite(|items, draft| {
            let old = items.get(index)?;
            splice_copy(draft, items, index..index + 1, 0, |_| {});
            Some(old.clone())
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
        let mut values: Vec<T> = values.into_iter().collect();
        if values.is_empty() {
            return;
        }
        let count = values.len();
        self.cell.rewrite(|items, draft| {
            let end = items.len();
            splice_copy(draft, items, end..end, count, |next| {
                next.append(&mut values)
            });
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
        self.cell.rewrite(|items, draft| {
            let Some(first) = items.iter().position(|x| !keep(x)) else {
                return 0;
            };
            let next = draft.publish(Vec::with_capacity(items.len() - 1));
            next.extend_from_slice(&items[..first]);
            next.extend(items[first + 1..].iter().filter(|x| keep(x)).cloned());
            items.len() - next.len()
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
        self.cell.rewrite(|items, draft| {
            if !items.is_empty() {
                draft.publish(Vec::new());
            }
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
        self.cell.read(|items| items.to_vec())
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
    /// See [`CowCell::update`](crate::CowCell::update).
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

impl<T: Clone + Ord, P: Publish> GenericCowList<T, P> {
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

impl<T: PartialEq, P: Publish> GenericCowList<T, P> {
    /// Whether the current version holds an element equal to `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec![1, 2]);
    /// assert!(list.contains(&2) && !list.contains(&3));
    /// ```
    pub fn contains<Q>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.index_of(value).is_some()
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
        self.cell
            .read(|items| values.iter().all(|v| items.contains(v)))
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
    pub fn index_of<Q>(&self, value: &Q) -> Option<usize>
    where
        T: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
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
    pub fn index_of_from<Q>(&self, value: &Q, from: usize) -> Option<usize>
    where
        T: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.cell.read(|items| {
            let tail = items.get(from..)?;
            tail.iter()
                .position(|x| x.borrow() == value)
                .map(|i| from + i)
        })
    }

    /// The index of the last element equal to `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = cowkit::CowList::from(vec!['a', 'b', 'a']);
    /// assert_eq!(list.last_index_of(&'a'), Some(2));
    /// ```
    pub fn last_index_of<Q>(&self, value: &Q) -> Option<usize>
    where
        T: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
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
    pub fn last_index_of_from<Q>(&self, value: &Q, from: usize) -> Option<usize>
    where
        T: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.cell.read(|items| {
            let end = items.len().min(from.saturating_add(1));
            items[..end].iter().rposition(|x| x.borrow() == value)
        })
    }
}

impl<T: Clone + PartialEq, P: Publish> GenericCowList<T, P> {
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
    pub fn remove_item<Q>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        // Lock-free check first, as Java does: an absent value costs no lock and no copy.
        if !self.contains(value) {
            return false;
        }
        self.cell.rewrite(|items, draft| {
            let Some(i) = items.iter().position(|x| x.borrow() == value) else {
                return false;
            };
            splice_copy(draft, items, i..i + 1, 0, |_| {});
            true
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
        // Kept here, outside the lock, until moved into the copy: when it is not, it is
        // dropped after the lock is released.
        let mut value = Some(value);
        self.cell.rewrite(|items, draft| {
            if value.as_ref().is_none_or(|v| items.contains(v)) {
                return false;
            }
            let end = items.len();
            splice_copy(draft, items, end..end, 1, |next| next.extend(value.take()));
            true
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
        let mut candidates: Vec<T> = values.into_iter().collect();
        if candidates.is_empty() {
            return 0;
        }
        // The candidates stay here, outside the lock: those added are moved into the copy, the
        // others are dropped after the lock is released.
        self.cell.rewrite(|items, draft| {
            // Which candidates to add, decided on references only (`PartialEq` may panic).
            let mut added = Vec::with_capacity(candidates.len());
            for (i, value) in candidates.iter().enumerate() {
                if !items.contains(value) && !added.iter().any(|&j| candidates[j] == *value) {
                    added.push(i);
                }
            }
            if added.is_empty() {
                return 0;
            }
            let end = items.len();
            splice_copy(draft, items, end..end, added.len(), |next| {
                // Only moves. The indices in `added` rise, so swapping each to the front keeps
                // their order; the candidates not added stay behind in `candidates`.
                for (i, &j) in added.iter().enumerate() {
                    candidates.swap(i, j);
                }
                next.extend(candidates.drain(..added.len()));
            });
            added.len()
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

impl<T, P: Publish> Default for GenericCowList<T, P> {
    fn default() -> Self {
        GenericCowList::new()
    }
}

impl<T, P: Publish> Clone for GenericCowList<T, P> {
    /// A new, independent list that starts from this one's current version, shared (O(1)).
    fn clone(&self) -> Self {
        GenericCowList {
            cell: self.cell.clone(),
        }
    }
}

impl<T, P: Publish> From<Vec<T>> for GenericCowList<T, P> {
    fn from(items: Vec<T>) -> Self {
        GenericCowList {
            cell: GenericCowCell::new(items),
        }
    }
}

impl<T: Clone, P: Publish> From<&[T]> for GenericCowList<T, P> {
    fn from(items: &[T]) -> Self {
        GenericCowList::from(items.to_vec())
    }
}

impl<T, const N: usize, P: Publish> From<[T; N]> for GenericCowList<T, P> {
    fn from(items: [T; N]) -> Self {
        GenericCowList::from(Vec::from(items))
    }
}

impl<T, P: Publish> FromIterator<T> for GenericCowList<T, P> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        GenericCowList::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T: Clone, P: Publish> Extend<T> for GenericCowList<T, P> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        GenericCowList::extend(self, iter)
    }
}

impl<T: fmt::Debug, P: Publish> fmt::Debug for GenericCowList<T, P> {
    /// Formats the current version as a list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cell
            .read(|items| f.debug_list().entries(items.iter()).finish())
    }
}

impl<T: PartialEq, P: Publish> PartialEq for GenericCowList<T, P> {
    /// Element-wise equality of the two current versions.
    fn eq(&self, other: &Self) -> bool {
        self.cell
            .read(|items| other.cell.read(|others| items[..] == others[..]))
    }
}

impl<T: Eq, P: Publish> Eq for GenericCowList<T, P> {}

impl<T: PartialEq<U>, U, P: Publish> PartialEq<Vec<U>> for GenericCowList<T, P> {
    fn eq(&self, other: &Vec<U>) -> bool {
        self.cell.read(|items| items[..] == other[..])
    }
}

impl<T: PartialEq<U>, U, P: Publish> PartialEq<[U]> for GenericCowList<T, P> {
    fn eq(&self, other: &[U]) -> bool {
        self.cell.read(|items| items[..] == *other)
    }
}

impl<T: PartialEq<U>, U, P: Publish> PartialEq<&[U]> for GenericCowList<T, P> {
    fn eq(&self, other: &&[U]) -> bool {
        self.cell.read(|items| items[..] == **other)
    }
}

impl<T: PartialEq<U>, U, const N: usize, P: Publish> PartialEq<[U; N]> for GenericCowList<T, P> {
    fn eq(&self, other: &[U; N]) -> bool {
        self.cell.read(|items| items[..] == other[..])
    }
}

impl<T: PartialEq<U>, U, P: Publish> PartialEq<GenericCowList<U, P>> for Vec<T> {
    fn eq(&self, other: &GenericCowList<U, P>) -> bool {
        other.cell.read(|items| self[..] == items[..])
    }
}

impl<T: Hash, P: Publish> Hash for GenericCowList<T, P> {
    /// Hashes the current version exactly as its slice (and a `Vec` of the same elements)
    /// hashes, so a list and a `Vec` that are equal hash equally.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.cell.read(|items| items[..].hash(state))
    }
}

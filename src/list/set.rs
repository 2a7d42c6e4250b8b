//! [`CowSet<T>`]: Java's `CopyOnWriteArraySet`, a [`CowList`](super::CowList) of distinct
//! elements.
#![deny(unsafe_code)]

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use std::sync::Arc;

use super::GenericCowList;
use super::iter::Iter;
use crate::cell::publish::{ArcSwapStrategy, Publish};
use crate::cell::{CellOwner, GenericCowCell, OwnedReader, Reader, Snapshot};
use crate::shared::Shared;

/// A set that many threads read without locking while writers publish edited copies: Java's
/// `CopyOnWriteArraySet`, in Rust.
///
/// The elements are kept in insertion order in a [`CowList`](super::CowList)-style vector and compared with
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
///
/// # Listeners
///
/// A set needs `PartialEq`, which closures and `Arc<dyn Fn(..)>` do not have. Keep listeners
/// in a [`CowList`](super::CowList) instead and remove one by identity with [`retain`](super::CowList::retain) and
/// `Arc::ptr_eq`:
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use cowkit::CowList;
///
/// type Listener = Arc<dyn Fn(&str) + Send + Sync>;
/// let listeners: CowList<Listener> = CowList::new();
///
/// let calls = Arc::new(AtomicUsize::new(0));
/// let counter: Listener = {
///     let calls = Arc::clone(&calls);
///     Arc::new(move |_event| { calls.fetch_add(1, Ordering::Relaxed); })
/// };
/// listeners.push(Arc::clone(&counter));
/// listeners.push(Arc::new(|event| assert!(!event.is_empty())));
///
/// for listener in &listeners.load() {
///     listener("saved"); // notified outside any lock; a listener may add or remove listeners
/// }
/// assert_eq!(calls.load(Ordering::Relaxed), 1);
///
/// // Remove by identity: `Arc::ptr_eq`, not equality.
/// assert_eq!(listeners.retain(|l| !Arc::ptr_eq(l, &counter)), 1);
/// assert_eq!(listeners.len(), 1);
/// ```
pub type CowSet<T> = GenericCowSet<T, ArcSwapStrategy>;

/// A [`CowSet`] generic over its publication strategy `P` (see
/// [`publish`](crate::cell::publish)): `cowkit::CowSet<T>` is this on [`ArcSwapStrategy`],
/// `cowkit::seize::CowSet<T>` on seize. Its methods are documented here; the type's
/// guarantees and examples on [`CowSet`].
pub struct GenericCowSet<T, P: Publish = ArcSwapStrategy> {
    pub(super) list: GenericCowList<T, P>,
}

impl<T, P: Publish> GenericCowSet<T, P> {
    /// An empty set.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(cowkit::CowSet::<u8>::new().is_empty());
    /// ```
    pub fn new() -> Self {
        GenericCowSet {
            list: GenericCowList::new(),
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
    pub fn load(&self) -> Snapshot<Vec<T>, P> {
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
    pub fn reader(&self) -> Reader<'_, Vec<T>, P> {
        self.list.reader()
    }
}

impl<T, P: Publish> GenericCowSet<T, P> {
    /// A cached reader that owns the set (through this `Arc`), to keep in a struct or move to
    /// another thread; see [`OwnedReader`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// let set = Arc::new(cowkit::CowSet::from(vec!['a']));
    /// let mut reader = set.owned_reader();
    /// assert_eq!(*reader.load(), ['a']);
    /// ```
    pub fn owned_reader(self: &Arc<Self>) -> OwnedReader<Vec<T>, P>
    where
        T: 'static,
        Self: Send + Sync,
    {
        OwnedReader::new(Arc::clone(self) as Arc<dyn CellOwner<Vec<T>, P>>)
    }
}

impl<T, P: Publish> CellOwner<Vec<T>, P> for GenericCowSet<T, P>
where
    Self: Send + Sync,
{
    fn cell(&self) -> &GenericCowCell<Vec<T>, P> {
        &self.list.cell
    }
}

impl<T: Clone, P: Publish> GenericCowSet<T, P> {
    /// An iterator over clones of the elements of the current version, in insertion order;
    /// `for x in &set` is this. See [`CowList::iter`](super::CowList::iter).
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::from(vec![2, 1, 2]);
    /// assert_eq!(set.iter().collect::<Vec<_>>(), [2, 1]);
    /// ```
    pub fn iter(&self) -> Iter<T> {
        self.list.iter()
    }
}

impl<T: PartialEq, P: Publish> GenericCowSet<T, P> {
    /// Whether the set holds an element equal to `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = cowkit::CowSet::from(vec!["a"]);
    /// assert!(set.contains(&"a"));
    /// ```
    pub fn contains<Q>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
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

impl<T: Clone + PartialEq, P: Publish> GenericCowSet<T, P> {
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
    pub fn remove<Q>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
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

impl<T, P: Publish> Default for GenericCowSet<T, P> {
    fn default() -> Self {
        GenericCowSet::new()
    }
}

impl<T, P: Publish> Clone for GenericCowSet<T, P> {
    /// A new, independent set that starts from this one's current version, shared (O(1)).
    fn clone(&self) -> Self {
        GenericCowSet {
            list: self.list.clone(),
        }
    }
}

impl<T: PartialEq, P: Publish> From<Vec<T>> for GenericCowSet<T, P> {
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
        GenericCowSet {
            list: GenericCowList::from(items),
        }
    }
}

impl<T: PartialEq, P: Publish> FromIterator<T> for GenericCowSet<T, P> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        GenericCowSet::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T: Clone + PartialEq, P: Publish> Extend<T> for GenericCowSet<T, P> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        GenericCowSet::extend(self, iter);
    }
}

impl<T: fmt::Debug, P: Publish> fmt::Debug for GenericCowSet<T, P> {
    /// Formats the current version as a set, in insertion order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.list.load().iter()).finish()
    }
}

impl<T: PartialEq, P: Publish> PartialEq for GenericCowSet<T, P> {
    /// Set equality of the two current versions: the same elements, in any order.
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.list.load(), other.list.load());
        a.len() == b.len() && a.iter().all(|x| b.contains(x))
    }
}

impl<T: Eq, P: Publish> Eq for GenericCowSet<T, P> {}

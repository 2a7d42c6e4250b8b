//! `CowMap<K, V, S>`: a copy-on-write hash map on [`CowCell<HashMap<K, V, S>>`](crate::CowCell).
#![deny(unsafe_code)]

use core::borrow::Borrow;
use core::fmt;
use core::hash::{BuildHasher, Hash};
use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::vec::Vec;

use crate::Shared;
use crate::cell::{CowCell, Reader, Snapshot};

/// A hash map that many threads read without locking while writers publish edited copies: the
/// `CopyOnWriteMap` that Java projects write by hand, in Rust.
///
/// Every method takes `&self`. Lookups ([`get`](CowMap::get), [`get_with`](CowMap::get_with),
/// [`contains_key`](CowMap::contains_key)) take any borrowed form of the key, never block and
/// read one version that never changes while in use. Each write clones the map once, edits the
/// clone and publishes it with one atomic swap; writers take turns, so no write is lost. Batch
/// many changes into one [`update`](CowMap::update) to pay for one copy. Writes that change
/// nothing (removing an absent key, `insert_if_absent` on a present one) copy nothing.
///
/// Use it for read-mostly maps (routing tables, configuration, caches filled once). When
/// writes are frequent, a sharded map (`dashmap`) or a persistent map (`imbl`) copies less.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::thread;
/// use cowkit::CowMap;
///
/// let routes = Arc::new(CowMap::new());
/// routes.insert("/", "index");
/// let before = routes.snapshot();
///
/// let writer = {
///     let routes = Arc::clone(&routes);
///     thread::spawn(move || {
///         routes.update(|m| {
///             m.insert("/about", "about");
///             m.insert("/", "home"); // both changes land together
///         });
///     })
/// };
/// writer.join().unwrap();
///
/// assert_eq!(routes.get("/"), Some("home"));
/// assert_eq!(before.get("/"), Some(&"index")); // the old version never changes
/// assert_eq!(routes.len(), 2);
/// ```
pub struct CowMap<K, V, S = RandomState> {
    cell: CowCell<HashMap<K, V, S>>,
}

impl<K, V> CowMap<K, V, RandomState> {
    /// An empty map with the standard hasher.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::<u32, u32>::new();
    /// assert!(map.is_empty());
    /// ```
    pub fn new() -> Self {
        CowMap::with_hasher(RandomState::new())
    }
}

impl<K, V, S> CowMap<K, V, S> {
    /// An empty map that hashes keys with `hasher`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::hash::BuildHasherDefault;
    /// use std::collections::hash_map::DefaultHasher;
    ///
    /// let map = cowkit::CowMap::with_hasher(BuildHasherDefault::<DefaultHasher>::default());
    /// map.insert(1, "one");
    /// assert_eq!(map.get(&1), Some("one"));
    /// ```
    pub fn with_hasher(hasher: S) -> Self {
        CowMap::from(HashMap::with_hasher(hasher))
    }

    /// The number of entries in the current version.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([(1, 'a'), (2, 'b')]);
    /// assert_eq!(map.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.cell.load().len()
    }

    /// Whether the current version is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(cowkit::CowMap::<u8, u8>::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.cell.load().is_empty()
    }

    /// The current version, for a short read (iterate it, look several keys up in one
    /// consistent version). It never changes, whatever writers do.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([("a", 1), ("b", 2)]);
    /// let view = map.load();
    /// map.clear();
    /// assert_eq!(view.values().sum::<i32>(), 3);
    /// ```
    pub fn load(&self) -> Snapshot<HashMap<K, V, S>> {
        self.cell.load()
    }

    /// The current version as an owned handle, to keep or send to another thread.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([(1, 1)]);
    /// let kept = map.snapshot();
    /// map.insert(2, 2);
    /// assert_eq!(kept.len(), 1);
    /// ```
    pub fn snapshot(&self) -> Shared<HashMap<K, V, S>> {
        self.cell.snapshot()
    }

    /// A cached reader for hot loops; see [`Reader`].
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([(1, "one")]);
    /// let mut reader = map.reader();
    /// assert_eq!(reader.load()[&1], "one");
    /// ```
    pub fn reader(&self) -> Reader<'_, HashMap<K, V, S>> {
        self.cell.reader()
    }
}

impl<K: Eq + Hash, V, S: BuildHasher> CowMap<K, V, S> {
    /// Applies `read` to the value for `key` in the current version, without cloning it.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([("k", vec![1, 2, 3])]);
    /// assert_eq!(map.get_with("k", |v| v.len()), Some(3));
    /// assert_eq!(map.get_with("x", |v| v.len()), None);
    /// ```
    pub fn get_with<Q, R>(&self, key: &Q, read: impl FnOnce(&V) -> R) -> Option<R>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.cell.load().get(key).map(read)
    }

    /// Whether the current version has an entry for `key`.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([(String::from("k"), 1)]);
    /// assert!(map.contains_key("k"));
    /// ```
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.cell.load().contains_key(key)
    }
}

impl<K: Eq + Hash, V: Clone, S: BuildHasher> CowMap<K, V, S> {
    /// A clone of the value for `key` in the current version.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([(String::from("k"), 1)]);
    /// assert_eq!(map.get("k"), Some(1)); // a &str looks up a String key
    /// assert_eq!(map.get("x"), None);
    /// ```
    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.get_with(key, V::clone)
    }
}

/// A copy of `map` with room for `additional` more entries, so that the writes that follow
/// never grow the copy (growing would rehash and copy every entry a second time).
///
/// With room to spare, `HashMap::clone` copies the table as it is, without rehashing; without,
/// the entries are inserted into a table of the size needed.
fn copy_with_room<K, V, S>(map: &HashMap<K, V, S>, additional: usize) -> HashMap<K, V, S>
where
    K: Eq + Hash + Clone,
    V: Clone,
    S: BuildHasher + Clone,
{
    if map.capacity() - map.len() >= additional {
        return map.clone();
    }
    let mut next = HashMap::with_capacity_and_hasher(map.len() + additional, map.hasher().clone());
    next.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
    next
}

impl<K: Eq + Hash + Clone, V: Clone, S: BuildHasher + Clone> CowMap<K, V, S> {
    /// Sets the value for `key`; returns the value it replaced.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::new();
    /// assert_eq!(map.insert("k", 1), None);
    /// assert_eq!(map.insert("k", 2), Some(1));
    /// ```
    pub fn insert(&self, key: K, value: V) -> Option<V> {
        self.cell.rewrite(|map| {
            let mut next = copy_with_room(map, 1);
            let old = next.insert(key, value);
            (Some(next), old)
        })
    }

    /// Sets the value for `key` only if it has none (Java's `putIfAbsent`); returns the value
    /// already there, or `None` when `value` was inserted.
    ///
    /// The check and the insert are one atomic step with respect to other writers. When the
    /// key is present, nothing is locked, copied or published.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::new();
    /// assert_eq!(map.insert_if_absent("k", 1), None);
    /// assert_eq!(map.insert_if_absent("k", 2), Some(1));
    /// assert_eq!(map.get("k"), Some(1));
    /// ```
    pub fn insert_if_absent(&self, key: K, value: V) -> Option<V> {
        if let Some(existing) = self.get(&key) {
            return Some(existing);
        }
        self.cell.rewrite(|map| {
            if let Some(existing) = map.get(&key) {
                return (None, Some(existing.clone()));
            }
            let mut next = copy_with_room(map, 1);
            next.insert(key, value);
            (Some(next), None)
        })
    }

    /// Removes the entry for `key`; returns its value. An absent key copies nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([("k", 1)]);
    /// assert_eq!(map.remove("k"), Some(1));
    /// assert_eq!(map.remove("k"), None);
    /// ```
    pub fn remove<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if !self.contains_key(key) {
            return None;
        }
        self.cell.rewrite(|map| {
            if !map.contains_key(key) {
                return (None, None);
            }
            let mut next = map.clone();
            let old = next.remove(key);
            (Some(next), old)
        })
    }

    /// Computes the new value for `key` from its current one (Java's `compute`): `change`
    /// receives the current value (`None` when absent) and returns the new one, or `None` to
    /// remove the entry. Returns the new value. Atomic with respect to other writers; when the
    /// key is absent and stays absent, nothing is copied or published.
    ///
    /// # Examples
    ///
    /// ```
    /// let hits = cowkit::CowMap::new();
    /// let count = |page| hits.compute(page, |n: Option<&u32>| Some(n.map_or(1, |n| n + 1)));
    /// assert_eq!(count("/"), Some(1));
    /// assert_eq!(count("/"), Some(2));
    /// assert_eq!(hits.compute("/", |_| None), None); // removes it
    /// assert!(hits.is_empty());
    /// ```
    pub fn compute(&self, key: K, change: impl FnOnce(Option<&V>) -> Option<V>) -> Option<V> {
        self.cell.rewrite(|map| {
            let current = map.get(&key);
            let was_present = current.is_some();
            match change(current) {
                None if !was_present => (None, None),
                None => {
                    let mut next = map.clone();
                    next.remove(&key);
                    (Some(next), None)
                }
                Some(value) => {
                    let mut next = copy_with_room(map, usize::from(!was_present));
                    next.insert(key, value.clone());
                    (Some(next), Some(value))
                }
            }
        })
    }

    /// Keeps only the entries for which `keep` returns `true` (it may also change the values
    /// it keeps), in one write; returns how many entries were removed.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([(1, 10), (2, 20), (3, 30)]);
    /// assert_eq!(map.retain(|k, _| k % 2 == 1), 1);
    /// assert_eq!(map.len(), 2);
    /// ```
    pub fn retain(&self, keep: impl FnMut(&K, &mut V) -> bool) -> usize {
        self.cell.update(|map| {
            let before = map.len();
            map.retain(keep);
            before - map.len()
        })
    }

    /// Removes every entry, keeping the hasher. An empty map writes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([(1, 1)]);
    /// map.clear();
    /// assert!(map.is_empty());
    /// ```
    pub fn clear(&self) {
        self.cell.rewrite(|map| {
            let next = (!map.is_empty()).then(|| HashMap::with_hasher(map.hasher().clone()));
            (next, ())
        })
    }

    /// Inserts every entry of `entries`, in one write (later entries win for equal keys).
    ///
    /// The entries are collected before the writers' lock is taken; an empty input writes
    /// nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::new();
    /// map.extend([(1, 'a'), (2, 'b'), (1, 'c')]);
    /// assert_eq!(map.get(&1), Some('c'));
    /// ```
    pub fn extend(&self, entries: impl IntoIterator<Item = (K, V)>) {
        let entries: Vec<(K, V)> = entries.into_iter().collect();
        if entries.is_empty() {
            return;
        }
        self.cell.rewrite(|map| {
            let mut next = copy_with_room(map, entries.len());
            next.extend(entries);
            (Some(next), ())
        })
    }

    /// Any change to the `HashMap`, published as one write: one copy for any number of
    /// changes. See [`CowCell::update`].
    ///
    /// # Panics
    ///
    /// If `change` panics, nothing is published. A write to this map from inside `change`
    /// panics rather than deadlock.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::new();
    /// map.update(|m| {
    ///     for i in 0..100 {
    ///         m.insert(i, i * i); // 100 inserts, one copy
    ///     }
    /// });
    /// assert_eq!(map.get(&9), Some(81));
    /// ```
    pub fn update<R>(&self, change: impl FnOnce(&mut HashMap<K, V, S>) -> R) -> R {
        self.cell.update(change)
    }

    /// A clone of the current version.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([(1, 1)]);
    /// assert_eq!(map.to_hash_map().len(), 1);
    /// ```
    pub fn to_hash_map(&self) -> HashMap<K, V, S> {
        HashMap::clone(&self.cell.load())
    }

    /// The entries, taken out of the map (moved when no snapshot shares them, else cloned).
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([(1, 1)]);
    /// assert_eq!(map.into_hash_map()[&1], 1);
    /// ```
    pub fn into_hash_map(self) -> HashMap<K, V, S> {
        self.cell.into_inner()
    }
}

impl<K, V, S: Default> Default for CowMap<K, V, S> {
    fn default() -> Self {
        CowMap::with_hasher(S::default())
    }
}

impl<K, V, S> Clone for CowMap<K, V, S> {
    /// A new, independent map that starts from this one's current version, shared (O(1)).
    fn clone(&self) -> Self {
        CowMap {
            cell: self.cell.clone(),
        }
    }
}

impl<K, V, S> From<HashMap<K, V, S>> for CowMap<K, V, S> {
    fn from(map: HashMap<K, V, S>) -> Self {
        CowMap {
            cell: CowCell::new(map),
        }
    }
}

impl<K: Eq + Hash, V, const N: usize> From<[(K, V); N]> for CowMap<K, V, RandomState> {
    /// A map of the given entries, with the standard hasher (later entries win for equal keys).
    fn from(entries: [(K, V); N]) -> Self {
        CowMap::from(HashMap::from(entries))
    }
}

impl<K: Eq + Hash, V, S: BuildHasher + Default> FromIterator<(K, V)> for CowMap<K, V, S> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        CowMap::from(iter.into_iter().collect::<HashMap<K, V, S>>())
    }
}

impl<K: Eq + Hash + Clone, V: Clone, S: BuildHasher + Clone> Extend<(K, V)> for CowMap<K, V, S> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        CowMap::extend(self, iter)
    }
}

impl<K: fmt::Debug, V: fmt::Debug, S> fmt::Debug for CowMap<K, V, S> {
    /// Formats the current version as a map.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.cell.load().iter()).finish()
    }
}

impl<K: Eq + Hash, V: PartialEq, S: BuildHasher> PartialEq for CowMap<K, V, S> {
    /// Map equality of the two current versions.
    fn eq(&self, other: &Self) -> bool {
        *self.cell.load() == *other.cell.load()
    }
}

impl<K: Eq + Hash, V: Eq, S: BuildHasher> Eq for CowMap<K, V, S> {}

impl<K: Eq + Hash, V: PartialEq, S: BuildHasher> PartialEq<HashMap<K, V, S>> for CowMap<K, V, S> {
    fn eq(&self, other: &HashMap<K, V, S>) -> bool {
        *self.cell.load() == *other
    }
}

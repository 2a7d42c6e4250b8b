//! [`CowMap<K, V, S>`], a copy-on-write hash map on
//! [`CowCell<HashMap<K, V, S>>`](crate::CowCell), and its iterators over one version
//! ([`Iter`], [`Keys`], [`Values`]). `CowMap` is also exported at the crate root.
#![deny(unsafe_code)]

use core::borrow::Borrow;
use core::fmt;
use core::hash::{BuildHasher, Hash};
use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::vec::Vec;

use crate::cell::publish::{ArcSwapStrategy, Publish};
use crate::cell::{CellOwner, Draft, GenericCowCell, OwnedReader, Reader, Snapshot};
use crate::shared::Shared;
use core::iter::FusedIterator;
use std::collections::hash_map;
use std::sync::Arc;

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
pub type CowMap<K, V, S = RandomState> = GenericCowMap<K, V, S, ArcSwapStrategy>;

/// A [`CowMap`] generic over its publication strategy `P` (see
/// [`publish`](crate::cell::publish)): `cowkit::CowMap<K, V, S>` is this on [`ArcSwapStrategy`],
/// `cowkit::seize::CowMap<K, V, S>` on seize. Its methods are documented here; the type's
/// guarantees and examples on [`CowMap`].
pub struct GenericCowMap<K, V, S = RandomState, P: Publish = ArcSwapStrategy> {
    cell: GenericCowCell<HashMap<K, V, S>, P>,
}

impl<K, V, P: Publish> GenericCowMap<K, V, RandomState, P> {
    /// An empty map with the standard hasher.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::<u32, u32>::new();
    /// assert!(map.is_empty());
    /// ```
    pub fn new() -> Self {
        GenericCowMap::with_hasher(RandomState::new())
    }
}

impl<K, V, S, P: Publish> GenericCowMap<K, V, S, P> {
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
        GenericCowMap::from(HashMap::with_hasher(hasher))
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
        self.cell.read(HashMap::len)
    }

    /// Whether the current version is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(cowkit::CowMap::<u8, u8>::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.cell.read(HashMap::is_empty)
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
    pub fn load(&self) -> Snapshot<HashMap<K, V, S>, P> {
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
    pub fn reader(&self) -> Reader<'_, HashMap<K, V, S>, P> {
        self.cell.reader()
    }

    /// A cached reader that owns the map (through this `Arc`), to keep in a struct or move to
    /// another thread; see [`OwnedReader`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// let map = Arc::new(cowkit::CowMap::from([(1, "one")]));
    /// let mut reader = map.owned_reader();
    /// map.insert(2, "two");
    /// assert_eq!(reader.load().len(), 2);
    /// ```
    pub fn owned_reader(self: &Arc<Self>) -> OwnedReader<HashMap<K, V, S>, P>
    where
        K: 'static,
        V: 'static,
        S: 'static,
        Self: Send + Sync,
    {
        OwnedReader::new(Arc::clone(self) as Arc<dyn CellOwner<HashMap<K, V, S>, P>>)
    }

    /// An iterator over clones of the entries of the current version (the version at this
    /// call: later writes do not show), in the map's arbitrary order; `for (k, v) in &map` is
    /// this.
    ///
    /// It owns that version (one count) and clones each entry as it is reached. To iterate by
    /// reference, iterate a [`load`](CowMap::load): `for (k, v) in &map.load()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([("a", 1), ("b", 2)]);
    /// let mut total = 0;
    /// for (key, value) in &map {
    ///     map.remove(key); // writes do not disturb the iteration
    ///     total += value;
    /// }
    /// assert_eq!(total, 3);
    /// assert!(map.is_empty());
    /// ```
    pub fn iter(&self) -> Iter<'_, K, V, S> {
        let snapshot = self.cell.snapshot();
        // SAFETY: the map lives in `snapshot`'s allocation, which the `Iter` keeps alive (it
        // owns `snapshot`, a count) and which nothing changes: a published version is never
        // borrowed mutably again (the cell only ever swaps whole versions). So the borrow made
        // here stays valid for as long as the `Iter` lives, whatever lifetime it is given.
        // The `Iter` never lets it out: it yields clones, and drops `entries` before
        // `snapshot` (field order).
        #[allow(unsafe_code)]
        let map: &HashMap<K, V, S> = unsafe { &*Shared::as_ptr(&snapshot) };
        Iter {
            entries: map.iter(),
            _version: snapshot,
        }
    }

    /// An iterator over clones of the keys of the current version; see [`iter`](CowMap::iter).
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([(1, 'a'), (2, 'b')]);
    /// let mut keys: Vec<i32> = map.keys().collect();
    /// keys.sort();
    /// assert_eq!(keys, [1, 2]);
    /// ```
    pub fn keys(&self) -> Keys<'_, K, V, S> {
        Keys { iter: self.iter() }
    }

    /// An iterator over clones of the values of the current version; see
    /// [`iter`](CowMap::iter).
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([(1, 10), (2, 20)]);
    /// assert_eq!(map.values().sum::<i32>(), 30);
    /// ```
    pub fn values(&self) -> Values<'_, K, V, S> {
        Values { iter: self.iter() }
    }
}

impl<K, V, S, P: Publish> CellOwner<HashMap<K, V, S>, P> for GenericCowMap<K, V, S, P>
where
    Self: Send + Sync,
{
    fn cell(&self) -> &GenericCowCell<HashMap<K, V, S>, P> {
        &self.cell
    }
}

/// An iterator over clones of the entries of one version of a [`CowMap`], from
/// [`CowMap::iter`] or `for (k, v) in &map`.
///
/// It owns that version (a [`Shared`] count), so writes made meanwhile neither show nor
/// disturb it, and clones each entry when it is reached. (The lifetime is that of the borrow
/// of the map that made it; the entries come from the version it owns.)
pub struct Iter<'a, K, V, S = RandomState> {
    /// Borrows the map inside `snapshot` (see [`CowMap::iter`]); declared first, so that it
    /// is dropped first.
    entries: hash_map::Iter<'a, K, V>,
    /// The version `entries` walks, kept alive by this count until the iterator drops.
    _version: Shared<HashMap<K, V, S>>,
}

impl<K: Clone, V: Clone, S> Iterator for Iter<'_, K, V, S> {
    type Item = (K, V);

    #[inline]
    fn next(&mut self) -> Option<(K, V)> {
        self.entries.next().map(|(k, v)| (k.clone(), v.clone()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl<K: Clone, V: Clone, S> ExactSizeIterator for Iter<'_, K, V, S> {}

impl<K: Clone, V: Clone, S> FusedIterator for Iter<'_, K, V, S> {}

impl<K: fmt::Debug, V: fmt::Debug, S> fmt::Debug for Iter<'_, K, V, S> {
    /// The entries still to come.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.entries.clone()).finish()
    }
}

/// An iterator over clones of the keys of one version of a [`CowMap`], from
/// [`CowMap::keys`]; see [`Iter`].
pub struct Keys<'a, K, V, S = RandomState> {
    iter: Iter<'a, K, V, S>,
}

impl<K: Clone, V, S> Iterator for Keys<'_, K, V, S> {
    type Item = K;

    #[inline]
    fn next(&mut self) -> Option<K> {
        self.iter.entries.next().map(|(k, _)| k.clone())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.entries.size_hint()
    }
}

impl<K: Clone, V, S> ExactSizeIterator for Keys<'_, K, V, S> {}

impl<K: Clone, V, S> FusedIterator for Keys<'_, K, V, S> {}

impl<K: fmt::Debug, V, S> fmt::Debug for Keys<'_, K, V, S> {
    /// The keys still to come.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.iter.entries.clone().map(|(k, _)| k))
            .finish()
    }
}

/// An iterator over clones of the values of one version of a [`CowMap`], from
/// [`CowMap::values`]; see [`Iter`].
pub struct Values<'a, K, V, S = RandomState> {
    iter: Iter<'a, K, V, S>,
}

impl<K, V: Clone, S> Iterator for Values<'_, K, V, S> {
    type Item = V;

    #[inline]
    fn next(&mut self) -> Option<V> {
        self.iter.entries.next().map(|(_, v)| v.clone())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.entries.size_hint()
    }
}

impl<K, V: Clone, S> ExactSizeIterator for Values<'_, K, V, S> {}

impl<K, V: Clone, S> FusedIterator for Values<'_, K, V, S> {}

impl<K, V: fmt::Debug, S> fmt::Debug for Values<'_, K, V, S> {
    /// The values still to come.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.iter.entries.clone().map(|(_, v)| v))
            .finish()
    }
}

impl<'a, K: Clone, V: Clone, S, P: Publish> IntoIterator for &'a GenericCowMap<K, V, S, P> {
    type Item = (K, V);
    type IntoIter = Iter<'a, K, V, S>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K: Eq + Hash, V, S: BuildHasher, P: Publish> GenericCowMap<K, V, S, P> {
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
        self.cell.read(|map| map.get(key).map(read))
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
        self.cell.read(|map| map.contains_key(key))
    }
}

impl<K: Eq + Hash, V: Clone, S: BuildHasher, P: Publish> GenericCowMap<K, V, S, P> {
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

/// Publishes a copy of `map` with room for `additional` more entries, so that the writes that
/// follow never grow the copy (growing would rehash and copy every entry a second time).
///
/// With room to spare, `HashMap::clone` copies the table as it is, without rehashing; without,
/// the entries are inserted into a table of the size needed. The copy is built in the draft,
/// outside the writers' lock (see [`CowCell::rewrite`]).
fn copy_with_room<'d, K, V, S>(
    draft: &'d mut Draft<HashMap<K, V, S>>,
    map: &HashMap<K, V, S>,
    additional: usize,
) -> &'d mut HashMap<K, V, S>
where
    K: Eq + Hash + Clone,
    V: Clone,
    S: BuildHasher + Clone,
{
    if map.capacity() - map.len() >= additional {
        return draft.publish(map.clone());
    }
    let next = draft.publish(HashMap::with_capacity_and_hasher(
        map.len() + additional,
        map.hasher().clone(),
    ));
    next.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
    next
}

impl<K: Eq + Hash + Clone, V: Clone, S: BuildHasher + Clone, P: Publish> GenericCowMap<K, V, S, P> {
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
        let mut entry = Some((key, value));
        self.cell.rewrite(|map, draft| {
            let next = copy_with_room(draft, map, 1);
            let (key, value) = entry.take()?;
            next.insert(key, value)
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
        // Kept here, outside the lock, until moved into the copy: when it is not, it is
        // dropped after the lock is released.
        let mut entry = Some((key, value));
        self.cell.rewrite(|map, draft| {
            let (key, _) = entry.as_ref()?;
            if let Some(existing) = map.get(key) {
                return Some(existing.clone());
            }
            let next = copy_with_room(draft, map, 1);
            let (key, value) = entry.take()?;
            next.insert(key, value);
            None
        })
    }

    /// The value for `key`, inserting `make()` first when the key is absent (Java's
    /// `computeIfAbsent`).
    ///
    /// A present key costs a lock-free lookup and a clone of its value: no lock, no copy. An
    /// absent one is checked again under the writers' lock, and `make` runs there, so that it
    /// runs at most once per key however many threads ask at the same time (and never when
    /// another writer has inserted the key meanwhile). `make` must not write to this map.
    ///
    /// # Examples
    ///
    /// ```
    /// let cache = cowkit::CowMap::new();
    /// let mut built = 0;
    /// assert_eq!(cache.get_or_insert_with("k", || { built += 1; 42 }), 42);
    /// assert_eq!(cache.get_or_insert_with("k", || { built += 1; 7 }), 42);
    /// assert_eq!(built, 1);
    /// ```
    pub fn get_or_insert_with(&self, key: K, make: impl FnOnce() -> V) -> V {
        if let Some(existing) = self.get(&key) {
            return existing;
        }
        let mut key = Some(key);
        self.cell.rewrite(|map, draft| {
            let present = key.as_ref().and_then(|key| map.get(key));
            if let Some(existing) = present {
                return existing.clone();
            }
            let value = make();
            let next = copy_with_room(draft, map, 1);
            let result = value.clone();
            next.extend(key.take().map(|key| (key, value)));
            result
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
        self.remove_if(key, |_| true)
    }

    /// Removes the entry for `key` when `remove` returns `true` for its value (Java's
    /// `remove(key, value)`, generalized); returns the value removed.
    ///
    /// `remove` runs under the writers' lock, on the value of the version the write would
    /// replace, so the test and the removal are one atomic step. When the key is absent or
    /// `remove` says no, nothing is copied or published.
    ///
    /// # Examples
    ///
    /// ```
    /// let leases = cowkit::CowMap::from([("db", 7)]);
    /// assert_eq!(leases.remove_if("db", |owner| *owner == 8), None); // not ours: kept
    /// assert_eq!(leases.remove_if("db", |owner| *owner == 7), Some(7));
    /// assert!(leases.is_empty());
    /// ```
    pub fn remove_if<Q>(&self, key: &Q, remove: impl FnOnce(&V) -> bool) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if !self.contains_key(key) {
            return None;
        }
        // The key taken out of the copy: dropped after the lock is released.
        let mut removed_key = None;
        self.cell.rewrite(|map, draft| {
            if !map.get(key).is_some_and(remove) {
                return None;
            }
            let (k, v) = draft.publish(map.clone()).remove_entry(key)?;
            removed_key = Some(k);
            Some(v)
        })
    }

    /// Sets the value for `key` only when the key is present (Java's `replace(key, value)`);
    /// returns the value replaced. When the key is absent, nothing is copied or published and
    /// `None` is returned (`value` is dropped).
    ///
    /// # Examples
    ///
    /// ```
    /// let map = cowkit::CowMap::from([("k", 1)]);
    /// assert_eq!(map.replace("k", 2), Some(1));
    /// assert_eq!(map.replace("x", 9), None);
    /// assert_eq!(map.len(), 1);
    /// ```
    pub fn replace(&self, key: K, value: V) -> Option<V> {
        if !self.contains_key(&key) {
            return None;
        }
        let mut entry = Some((key, value));
        self.cell.rewrite(|map, draft| {
            let (key, _) = entry.as_ref()?;
            if !map.contains_key(key) {
                return None;
            }
            let next = draft.publish(map.clone());
            let (key, value) = entry.take()?;
            next.insert(key, value)
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
        let mut key = Some(key);
        // What the write takes out of the copy: dropped after the lock is released.
        let (mut old_key, mut old_value) = (None, None);
        self.cell.rewrite(|map, draft| {
            let current = map.get(key.as_ref()?);
            let was_present = current.is_some();
            match change(current) {
                None if !was_present => None,
                None => {
                    let next = draft.publish(map.clone());
                    (old_key, old_value) = next.remove_entry(key.as_ref()?).unzip();
                    None
                }
                Some(value) => {
                    let next = copy_with_room(draft, map, usize::from(!was_present));
                    let result = value.clone();
                    old_value = next.insert(key.take()?, value);
                    Some(result)
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
    pub fn retain(&self, mut keep: impl FnMut(&K, &mut V) -> bool) -> usize {
        // The keys to remove and the entries removed: dropped after the lock is released.
        let mut doomed = Vec::new();
        let mut removed = Vec::new();
        self.cell.rewrite(|map, draft| {
            let next = draft.publish(map.clone());
            doomed.extend(
                next.iter_mut()
                    .filter_map(|(k, v)| (!keep(k, v)).then(|| k.clone())),
            );
            removed.extend(doomed.iter().filter_map(|k| next.remove_entry(k)));
            removed.len()
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
        self.cell.rewrite(|map, draft| {
            if !map.is_empty() {
                draft.publish(HashMap::with_hasher(map.hasher().clone()));
            }
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
        let mut entries: Vec<(K, V)> = entries.into_iter().collect();
        if entries.is_empty() {
            return;
        }
        // The values the new entries replace: dropped after the lock is released.
        let mut replaced = Vec::new();
        self.cell.rewrite(|map, draft| {
            let next = copy_with_room(draft, map, entries.len());
            for (key, value) in entries.drain(..) {
                replaced.extend(next.insert(key, value));
            }
        })
    }

    /// Any change to the `HashMap`, published as one write: one copy for any number of
    /// changes. See [`CowCell::update`](crate::CowCell::update).
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
        self.cell.read(HashMap::clone)
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

impl<K: Clone, V: Clone, S: Clone, P: Publish> IntoIterator for GenericCowMap<K, V, S, P> {
    type Item = (K, V);
    type IntoIter = hash_map::IntoIter<K, V>;

    /// The entries, taken out of the map (moved when no snapshot shares them, else cloned).
    fn into_iter(self) -> Self::IntoIter {
        self.cell.into_inner().into_iter()
    }
}

impl<K: Clone, V: Clone, S: Clone, P: Publish> From<GenericCowMap<K, V, S, P>>
    for HashMap<K, V, S>
{
    /// The entries, taken out of the map: [`CowMap::into_hash_map`].
    fn from(map: GenericCowMap<K, V, S, P>) -> Self {
        map.cell.into_inner()
    }
}

impl<K, V, S: Default, P: Publish> Default for GenericCowMap<K, V, S, P> {
    fn default() -> Self {
        GenericCowMap::with_hasher(S::default())
    }
}

impl<K, V, S, P: Publish> Clone for GenericCowMap<K, V, S, P> {
    /// A new, independent map that starts from this one's current version, shared (O(1)).
    fn clone(&self) -> Self {
        GenericCowMap {
            cell: self.cell.clone(),
        }
    }
}

impl<K, V, S, P: Publish> From<HashMap<K, V, S>> for GenericCowMap<K, V, S, P> {
    fn from(map: HashMap<K, V, S>) -> Self {
        GenericCowMap {
            cell: GenericCowCell::new(map),
        }
    }
}

impl<K: Eq + Hash, V, const N: usize, P: Publish> From<[(K, V); N]>
    for GenericCowMap<K, V, RandomState, P>
{
    /// A map of the given entries, with the standard hasher (later entries win for equal keys).
    fn from(entries: [(K, V); N]) -> Self {
        GenericCowMap::from(HashMap::from(entries))
    }
}

impl<K: Eq + Hash, V, S: BuildHasher + Default, P: Publish> FromIterator<(K, V)>
    for GenericCowMap<K, V, S, P>
{
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        GenericCowMap::from(iter.into_iter().collect::<HashMap<K, V, S>>())
    }
}

impl<K: Eq + Hash + Clone, V: Clone, S: BuildHasher + Clone, P: Publish> Extend<(K, V)>
    for GenericCowMap<K, V, S, P>
{
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        GenericCowMap::extend(self, iter)
    }
}

impl<K: fmt::Debug, V: fmt::Debug, S, P: Publish> fmt::Debug for GenericCowMap<K, V, S, P> {
    /// Formats the current version as a map.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cell
            .read(|map| f.debug_map().entries(map.iter()).finish())
    }
}

impl<K: Eq + Hash, V: PartialEq, S: BuildHasher, P: Publish> PartialEq
    for GenericCowMap<K, V, S, P>
{
    /// Map equality of the two current versions.
    fn eq(&self, other: &Self) -> bool {
        self.cell
            .read(|map| other.cell.read(|others| map == others))
    }
}

impl<K: Eq + Hash, V: Eq, S: BuildHasher, P: Publish> Eq for GenericCowMap<K, V, S, P> {}

impl<K: Eq + Hash, V: PartialEq, S: BuildHasher, P: Publish> PartialEq<HashMap<K, V, S>>
    for GenericCowMap<K, V, S, P>
{
    fn eq(&self, other: &HashMap<K, V, S>) -> bool {
        self.cell.read(|map| map == other)
    }
}

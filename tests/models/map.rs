//! The operation model of `CowMap<K, V, S>`, shared by the proptest (`tests/model.rs`) and the
//! fuzz target (`fuzz/fuzz_targets/map_ops.rs`).
//!
//! A [`MapModel`] keeps a few maps (forks made by `Clone`), each beside a `HashMap<u8, u16>`
//! model, and snapshots beside copies of the model taken with them. After every [`MapOp`],
//! [`MapModel::check`] asserts that each map equals its model and every kept snapshot still
//! shows what it showed when taken.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use cowkit::map::GenericCowMap;
use cowkit::{ArcSwapStrategy, Publish, Shared};

/// At most this many maps and snapshots are kept.
const MAX_KEPT: usize = 8;

/// One operation; `h` (a map) and `s` (a snapshot) wrap around the live ones.
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum MapOp {
    /// `map[h].insert(k, v)`.
    Insert(u8, u8, u16),
    /// `map[h].insert_if_absent(k, v)`.
    InsertIfAbsent(u8, u8, u16),
    /// `map[h].remove(&k)`.
    Remove(u8, u8),
    /// `map[h].compute(k, ..)`: adds `d` to the value (inserting `d` when absent), or removes
    /// the entry when the sum is a multiple of 7.
    Compute(u8, u8, u16),
    /// `map[h].retain(|k, v| ..)`: keeps keys not divisible by `m % 5 + 2`, adding 1 to them.
    Retain(u8, u8),
    /// `map[h].clear()`.
    Clear(u8),
    /// `map[h].extend(entries)`.
    Extend(u8, Vec<(u8, u16)>),
    /// One `update` inserting `entries` and removing key 0.
    UpdateBatch(u8, Vec<(u8, u16)>),
    /// An `update` that inserts and then panics: nothing may be published.
    PanickingUpdate(u8, u8),
    /// `map[h].remove_if(&k, ..)`: removes the entry when its value is even.
    RemoveIfEven(u8, u8),
    /// `map[h].replace(k, v)`: only when `k` is present.
    Replace(u8, u8, u16),
    /// `map[h].get_or_insert_with(k, || v)`.
    GetOrInsertWith(u8, u8, u16),
    /// Reads of key `k`: `get`, `get_with`, `contains_key`.
    Read(u8, u8),
    /// `map[h].iter()`, `keys()` and `values()` against the model's.
    Iterate(u8),
    /// `map[h].clone()`: a new, independent map.
    Fork(u8),
    /// Keep `map[h].snapshot()`.
    Snapshot(u8),
    /// Drop snapshot `s`.
    DropSnapshot(u8),
}

/// The std model of one map.
type Model = HashMap<u8, u16>;

/// Maps and snapshots under test, each beside its model.
///
/// Generic over the publication strategy `P`, so that the same operations check each.
pub struct MapModel<P: Publish = ArcSwapStrategy> {
    maps: Vec<(
        GenericCowMap<u8, u16, std::collections::hash_map::RandomState, P>,
        Model,
    )>,
    snapshots: Vec<(Shared<Model>, Model)>,
}

impl<P: Publish> Default for MapModel<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: Publish> MapModel<P> {
    /// One empty map, no snapshots.
    pub fn new() -> Self {
        MapModel {
            maps: vec![(GenericCowMap::new(), HashMap::new())],
            snapshots: Vec::new(),
        }
    }

    /// Applies `op` to the maps and to their models.
    pub fn apply(&mut self, op: &MapOp) {
        use MapOp::*;
        let n = self.maps.len();
        let h = |h: &u8| usize::from(*h) % n;
        match op {
            Insert(m, k, v) => {
                let (map, model) = &mut self.maps[h(m)];
                assert_eq!(map.insert(*k, *v), model.insert(*k, *v));
            }
            InsertIfAbsent(m, k, v) => {
                let (map, model) = &mut self.maps[h(m)];
                let existing = model.get(k).copied();
                if existing.is_none() {
                    model.insert(*k, *v);
                }
                assert_eq!(map.insert_if_absent(*k, *v), existing);
            }
            Remove(m, k) => {
                let (map, model) = &mut self.maps[h(m)];
                assert_eq!(map.remove(k), model.remove(k));
            }
            Compute(m, k, d) => {
                let (map, model) = &mut self.maps[h(m)];
                let rule = |old: Option<&u16>| {
                    let sum = old.copied().unwrap_or(0).wrapping_add(*d);
                    (sum % 7 != 0).then_some(sum)
                };
                let expected = rule(model.get(k));
                match expected {
                    Some(v) => model.insert(*k, v),
                    None => model.remove(k),
                };
                assert_eq!(map.compute(*k, rule), expected);
            }
            Retain(m, r) => {
                let (map, model) = &mut self.maps[h(m)];
                let div = r % 5 + 2;
                let rule = |k: &u8, v: &mut u16| {
                    *v = v.wrapping_add(1);
                    k % div != 0
                };
                let before = model.len();
                model.retain(rule);
                assert_eq!(map.retain(rule), before - model.len());
            }
            Clear(m) => {
                let (map, model) = &mut self.maps[h(m)];
                map.clear();
                model.clear();
            }
            Extend(m, entries) => {
                let (map, model) = &mut self.maps[h(m)];
                map.extend(entries.iter().copied());
                model.extend(entries.iter().copied());
            }
            UpdateBatch(m, entries) => {
                let (map, model) = &mut self.maps[h(m)];
                let batch = |target: &mut HashMap<u8, u16>| {
                    target.extend(entries.iter().copied());
                    target.remove(&0)
                };
                assert_eq!(map.update(batch), batch(model));
            }
            PanickingUpdate(m, k) => {
                let (map, _) = &self.maps[h(m)];
                let result = catch_unwind(AssertUnwindSafe(|| {
                    map.update(|target| {
                        target.insert(*k, 1);
                        resume_unwind(Box::new("update panicked"));
                    })
                }));
                assert!(result.is_err(), "expected a panic");
            }
            RemoveIfEven(m, k) => {
                let (map, model) = &mut self.maps[h(m)];
                let expected = model.get(k).is_some_and(|v| v % 2 == 0);
                let expected = if expected { model.remove(k) } else { None };
                assert_eq!(map.remove_if(k, |v| v % 2 == 0), expected);
            }
            Replace(m, k, v) => {
                let (map, model) = &mut self.maps[h(m)];
                let expected = model.get_mut(k).map(|old| std::mem::replace(old, *v));
                assert_eq!(map.replace(*k, *v), expected);
            }
            GetOrInsertWith(m, k, v) => {
                let (map, model) = &mut self.maps[h(m)];
                let expected = *model.entry(*k).or_insert(*v);
                assert_eq!(map.get_or_insert_with(*k, || *v), expected);
            }
            Iterate(m) => {
                let (map, model) = &self.maps[h(m)];
                let mut entries: Vec<(u8, u16)> = map.iter().collect();
                let mut expected: Vec<(u8, u16)> = model.iter().map(|(k, v)| (*k, *v)).collect();
                entries.sort_unstable();
                expected.sort_unstable();
                assert_eq!(entries, expected);
                let mut keys: Vec<u8> = map.keys().collect();
                keys.sort_unstable();
                assert_eq!(keys, expected.iter().map(|e| e.0).collect::<Vec<_>>());
                let values: u64 = map.values().map(u64::from).sum();
                assert_eq!(values, model.values().map(|v| u64::from(*v)).sum::<u64>());
            }
            Read(m, k) => {
                let (map, model) = &self.maps[h(m)];
                assert_eq!(map.get(k), model.get(k).copied());
                assert_eq!(map.get_with(k, |v| v / 2), model.get(k).map(|v| v / 2));
                assert_eq!(map.contains_key(k), model.contains_key(k));
            }
            Fork(m) => {
                if self.maps.len() < MAX_KEPT {
                    let (map, model) = &self.maps[h(m)];
                    let fork = (map.clone(), model.clone());
                    self.maps.push(fork);
                }
            }
            Snapshot(m) => {
                if self.snapshots.len() < MAX_KEPT {
                    let (map, model) = &self.maps[h(m)];
                    self.snapshots.push((map.snapshot(), model.clone()));
                }
            }
            DropSnapshot(s) => {
                if !self.snapshots.is_empty() {
                    let i = usize::from(*s) % self.snapshots.len();
                    self.snapshots.swap_remove(i);
                }
            }
        }
    }

    /// Every map equals its model; every kept snapshot is unchanged.
    pub fn check(&self) {
        for (map, model) in &self.maps {
            assert_eq!(*map.load(), *model);
            assert_eq!(map.len(), model.len());
            assert_eq!(map.is_empty(), model.is_empty());
        }
        for (snapshot, model) in &self.snapshots {
            assert_eq!(**snapshot, *model, "a kept snapshot changed");
        }
    }
}

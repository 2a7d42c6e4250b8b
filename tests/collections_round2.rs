//! Public-API tests of the snapshot collections' second round: user `Drop` never runs under
//! the writers' lock, borrowed-form lookups, iteration, owned readers, the conditional map
//! writes that publish nothing when nothing matches, and the list's stack-like writes.
#![cfg(feature = "std")]

mod support;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, LazyLock};
use std::thread;

use cowkit::{CowCell, CowList, CowMap, CowSet, OwnedReader, Shared};
use support::panic_message;

// ---------------------------------------------------------------------------------------------
// User `Drop` never runs under the writers' lock

/// What a `Tripwire` does when it is dropped.
#[derive(Clone, Copy, Debug, PartialEq)]
enum OnDrop {
    Nothing,
    /// Pushes a `Tripwire` with this id onto `TRIP_LIST`.
    PushToList(u32),
    /// Clears `TRIP_LIST` (a write that clones nothing).
    ClearList,
    /// Inserts a plain `Tripwire` under this key into `TRIP_MAP`.
    InsertIntoMap(u32),
}

/// An element whose `Drop` writes to the collection that holds it. Were it dropped under that
/// collection's writers' lock, its write would be a re-entrant one and panic (inside an unwind:
/// an abort). The drop catches such a panic and counts it in `TRIP_FAILURES`, so that a
/// regression fails the test instead of aborting it.
#[derive(Debug)]
struct Tripwire {
    id: u32,
    on_drop: OnDrop,
    panic_in_clone: bool,
}

impl Tripwire {
    fn plain(id: u32) -> Self {
        Tripwire {
            id,
            on_drop: OnDrop::Nothing,
            panic_in_clone: false,
        }
    }

    fn armed(id: u32, on_drop: OnDrop) -> Self {
        Tripwire {
            on_drop,
            ..Tripwire::plain(id)
        }
    }
}

impl Clone for Tripwire {
    fn clone(&self) -> Self {
        if self.panic_in_clone {
            std::panic::resume_unwind(Box::new("clone panicked"));
        }
        Tripwire { ..*self }
    }
}

impl PartialEq for Tripwire {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

static TRIP_LIST: LazyLock<CowList<Tripwire>> = LazyLock::new(CowList::new);
static TRIP_MAP: LazyLock<CowMap<u32, Tripwire>> = LazyLock::new(CowMap::new);
static TRIP_FAILURES: AtomicUsize = AtomicUsize::new(0);

impl Drop for Tripwire {
    fn drop(&mut self) {
        let on_drop = self.on_drop;
        let write = catch_unwind(AssertUnwindSafe(|| match on_drop {
            OnDrop::Nothing => {}
            OnDrop::PushToList(id) => TRIP_LIST.push(Tripwire::plain(id)),
            OnDrop::ClearList => TRIP_LIST.clear(),
            OnDrop::InsertIntoMap(key) => {
                TRIP_MAP.insert(key, Tripwire::plain(key));
            }
        }));
        if write.is_err() {
            TRIP_FAILURES.fetch_add(1, Ordering::SeqCst);
        }
    }
}

fn ids(list: &CowList<Tripwire>) -> Vec<u32> {
    list.load().iter().map(|t| t.id).collect()
}

/// Every case runs in this one test, in order, because they share the two static collections.
#[test]
fn user_drop_never_runs_under_the_writers_lock() {
    let list = &*TRIP_LIST;
    let map = &*TRIP_MAP;

    // 1. A panicking `update` closure: its draft (holding an armed element) is dropped after
    //    the lock is released. Before round 2 this aborted the process.
    let msg = panic_message(|| {
        list.update(|v| {
            v.push(Tripwire::armed(1, OnDrop::PushToList(101)));
            std::panic::resume_unwind(Box::new("closure panicked"));
        })
    });
    assert_eq!(msg.as_deref(), Some("closure panicked"));
    assert_eq!(
        ids(list),
        [101],
        "the draft's drop must write after the lock"
    );

    // 2. `try_update` returning `Err`: the withdrawn draft is dropped after the lock.
    let r: Result<(), ()> = list.try_update(|v| {
        v.push(Tripwire::armed(2, OnDrop::PushToList(102)));
        Err(())
    });
    assert!(r.is_err());
    assert_eq!(ids(list), [101, 102]);

    // 3. `extend_absent`: a candidate already present is dropped after the lock.
    assert_eq!(
        list.extend_absent([Tripwire::armed(101, OnDrop::PushToList(103))]),
        0
    );
    assert_eq!(ids(list), [101, 102, 103]);

    // 4. A `Clone` that panics while a write copies the list: the value handed in and the
    //    clones made so far are dropped after the lock. The bad element sits after an armed
    //    one whose clone, left half-built in the draft, clears the list when dropped (a write
    //    that clones nothing, so the bad element cannot stop it).
    list.update(|v| {
        v.clear();
        v.push(Tripwire::armed(1, OnDrop::ClearList));
        v.push(Tripwire {
            panic_in_clone: true,
            ..Tripwire::plain(2)
        });
    });
    let msg = panic_message(|| list.push(Tripwire::armed(3, OnDrop::ClearList)));
    assert_eq!(msg.as_deref(), Some("clone panicked"));
    assert!(
        list.is_empty(),
        "the partial copy's drop must write after the lock"
    );
    assert_eq!(TRIP_FAILURES.load(Ordering::SeqCst), 0);

    // 5. The map: a panicking `update`, a `compute` that replaces an armed value, `retain`
    //    removing armed entries, `remove`: each drops the armed values after the lock.
    let msg = panic_message(|| {
        map.update(|m| {
            m.insert(1, Tripwire::armed(1, OnDrop::InsertIntoMap(201)));
            std::panic::resume_unwind(Box::new("closure panicked"));
        })
    });
    assert_eq!(msg.as_deref(), Some("closure panicked"));
    assert!(map.contains_key(&201));

    map.insert(2, Tripwire::plain(2));
    map.update(|m| m.get_mut(&2).unwrap().on_drop = OnDrop::InsertIntoMap(202));
    // The update replaced a version whose value 2 was plain; now value 2 is armed.
    assert!(!map.contains_key(&202));
    map.compute(2, |_| Some(Tripwire::plain(2)));
    assert!(
        map.contains_key(&202),
        "the displaced value's drop must write"
    );

    map.insert(3, Tripwire::armed(3, OnDrop::InsertIntoMap(203)));
    assert_eq!(map.retain(|k, _| *k != 3), 1);
    assert!(map.contains_key(&203));

    map.insert(4, Tripwire::armed(4, OnDrop::InsertIntoMap(204)));
    drop(map.remove(&4));
    assert!(map.contains_key(&204));

    assert_eq!(
        TRIP_FAILURES.load(Ordering::SeqCst),
        0,
        "a drop ran under a lock"
    );
}

// ---------------------------------------------------------------------------------------------
// Lookups take any borrowed form

#[test]
fn lookups_take_a_borrowed_form_of_the_element() {
    let list = CowList::from(vec![
        String::from("a"),
        String::from("b"),
        String::from("a"),
    ]);
    assert!(list.contains("a") && !list.contains("z"));
    assert_eq!(list.index_of("a"), Some(0));
    assert_eq!(list.index_of_from("a", 1), Some(2));
    assert_eq!(list.last_index_of("a"), Some(2));
    assert_eq!(list.last_index_of_from("a", 1), Some(0));
    assert!(list.remove_item("b"));
    assert!(!list.remove_item("b"));
    assert_eq!(list, ["a", "a"]);

    let set = CowSet::from(vec![String::from("x")]);
    assert!(set.contains("x"));
    assert!(set.remove("x") && !set.remove("x"));
    assert!(set.is_empty());

    // Lookups by the element type itself still infer.
    let numbers = CowList::from(vec![1, 2, 3]);
    assert!(numbers.contains(&2));
    assert_eq!(numbers.index_of(&3), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Iteration

#[test]
fn for_loops_over_collections_and_snapshots() {
    let list = CowList::from(vec![1, 2, 3]);
    let mut sum = 0;
    for x in &list {
        sum += x;
    }
    assert_eq!(sum, 6);
    let mut by_ref = Vec::new();
    for x in &list.load() {
        by_ref.push(*x);
    }
    assert_eq!(by_ref, [1, 2, 3]);

    // An iterator keeps its version: writes made meanwhile neither show nor disturb it.
    let mut iter = list.iter();
    assert_eq!(iter.len(), 3);
    assert_eq!(iter.next(), Some(1));
    list.clear();
    assert_eq!(iter.next_back(), Some(3));
    assert_eq!(format!("{iter:?}"), "Iter([2])");
    assert_eq!(iter.clone().collect::<Vec<_>>(), [2]);
    assert_eq!(iter.next(), Some(2));
    assert_eq!(iter.next(), None);
    assert_eq!(iter.next(), None);
    assert!(list.iter().next().is_none());

    let set = CowSet::from(vec!['b', 'a', 'b']);
    assert_eq!((&set).into_iter().collect::<String>(), "ba");
    assert_eq!(set.clone().into_iter().collect::<String>(), "ba");
    assert_eq!(Vec::from(set), ['b', 'a']);

    let map = CowMap::from([(1, "one"), (2, "two")]);
    let mut entries: Vec<(i32, &str)> = (&map).into_iter().collect();
    entries.sort();
    assert_eq!(entries, [(1, "one"), (2, "two")]);
    let mut keys: Vec<i32> = map.keys().collect();
    keys.sort();
    assert_eq!(keys, [1, 2]);
    let mut values: Vec<&str> = map.values().collect();
    values.sort();
    assert_eq!(values, ["one", "two"]);
    let mut by_ref: Vec<i32> = Vec::new();
    for (k, _) in &map.load() {
        by_ref.push(*k);
    }
    by_ref.sort();
    assert_eq!(by_ref, [1, 2]);

    let iter = map.iter();
    map.clear();
    assert_eq!(
        iter.len(),
        2,
        "the iterator keeps the version it started from"
    );
    assert_eq!(iter.count(), 2);
    assert_eq!(format!("{:?}", map.keys()), "[]");

    let map = CowMap::from([(1, 10)]);
    let taken: HashMap<i32, i32> = map.clone().into();
    assert_eq!(taken, HashMap::from([(1, 10)]));
    assert_eq!(map.into_iter().collect::<Vec<_>>(), [(1, 10)]);
    let list = CowList::from(vec![5]);
    let kept = list.snapshot();
    assert_eq!(
        Vec::from(list),
        [5],
        "cloned out while a snapshot shares it"
    );
    assert_eq!(*kept, [5]);
}

// ---------------------------------------------------------------------------------------------
// Owned readers and statics

#[test]
fn owned_readers_live_in_structs_and_move_to_threads() {
    fn assert_send_sync_static<T: Send + Sync + 'static>(_: &T) {}

    struct Router {
        routes: OwnedReader<HashMap<String, u16>>,
    }
    let table = Arc::new(CowMap::from([(String::from("/"), 80)]));
    let mut router = Router {
        routes: table.owned_reader(),
    };
    assert_send_sync_static(&router.routes);
    assert_eq!(router.routes.load()["/"], 80);
    let first = router.routes.load() as *const HashMap<String, u16>;
    assert_eq!(
        first,
        router.routes.load() as *const _,
        "no write: the same version, no reload"
    );
    table.insert(String::from("/admin"), 8080);
    assert_eq!(router.routes.load().len(), 2);

    // The reader keeps the map alive after every other handle is gone.
    drop(table);
    assert_eq!(router.routes.load().len(), 2);

    let list = Arc::new(CowList::from(vec![1]));
    let mut reader = list.owned_reader();
    let writer = {
        let list = Arc::clone(&list);
        thread::spawn(move || list.push(2))
    };
    writer.join().unwrap();
    let seen = thread::spawn(move || reader.load().clone()).join().unwrap();
    assert_eq!(seen, [1, 2]);

    let set = Arc::new(CowSet::from(vec![1]));
    let mut reader = set.owned_reader();
    set.insert(2);
    assert_eq!(*reader.load(), [1, 2]);

    let cell = Arc::new(CowCell::new(String::from("v1")));
    let mut reader = cell.owned_reader();
    cell.replace(String::from("v2"));
    assert_eq!(reader.load(), "v2");
    assert_eq!(format!("{reader:?}"), "OwnedReader { .. }");
}

/// The pattern the docs give for a collection in a `static`: `LazyLock` (a `CowList::new` is
/// not a `const fn`: it allocates its first version).
static LISTENERS: LazyLock<CowList<&'static str>> = LazyLock::new(CowList::new);

#[test]
fn a_static_collection_through_lazy_lock() {
    let threads: Vec<_> = (0..4)
        .map(|_| thread::spawn(|| LISTENERS.push_if_absent("audit")))
        .collect();
    let added = threads
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(|&added| added)
        .count();
    assert_eq!(added, 1);
    assert_eq!(*LISTENERS.load(), ["audit"]);
}

// ---------------------------------------------------------------------------------------------
// The list's stack-like writes

#[test]
fn first_last_pop_truncate() {
    drop(CowCell::new(0).load()); // arc-swap's per-thread slots, made once per thread
    support::assert_no_leak(|| {
        let list = CowList::from(vec![String::from("x"), String::from("y")]);
        assert_eq!(list.pop().as_deref(), Some("y"));
        list.truncate(0);
        assert_eq!(list.first(), None);
    });
    let list = CowList::from(vec![1, 2, 3]);
    assert_eq!((list.first(), list.last()), (Some(1), Some(3)));
    assert_eq!(list.pop(), Some(3));
    list.truncate(5);
    assert_eq!(list, [1, 2]);
    let before = list.snapshot();
    list.truncate(2);
    assert!(
        Shared::ptr_eq(&before, &list.snapshot()),
        "nothing to cut: no write"
    );
    list.truncate(0);
    assert!(list.is_empty());
    assert_eq!(list.pop(), None);
    assert_eq!((list.first(), list.last()), (None, None));

    // pop is one atomic write: N threads popping a list of N elements each get one.
    let list = Arc::new(CowList::from((0..64).collect::<Vec<u32>>()));
    let barrier = Arc::new(Barrier::new(4));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (list, barrier) = (Arc::clone(&list), Arc::clone(&barrier));
            thread::spawn(move || {
                barrier.wait();
                (0..16).map(|_| list.pop().unwrap()).collect::<Vec<_>>()
            })
        })
        .collect();
    let mut popped: Vec<u32> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    popped.sort();
    assert_eq!(popped, (0..64).collect::<Vec<_>>());
    assert!(list.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Conditional map writes

#[test]
fn conditional_map_writes_publish_nothing_when_nothing_matches() {
    let map = CowMap::from([("k", 1)]);
    let before = map.snapshot();
    let unchanged = |map: &CowMap<&str, i32>| Shared::ptr_eq(&before, &map.snapshot());

    assert_eq!(map.remove_if("k", |v| *v == 2), None);
    assert_eq!(map.remove_if("x", |_| true), None);
    assert_eq!(map.replace("x", 9), None);
    assert_eq!(map.get_or_insert_with("k", || unreachable!()), 1);
    assert!(unchanged(&map), "no match must copy and publish nothing");

    assert_eq!(map.replace("k", 2), Some(1));
    assert!(!unchanged(&map));
    assert_eq!(map.remove_if("k", |v| *v == 2), Some(2));
    assert!(map.is_empty());
    assert_eq!(map.get_or_insert_with("n", || 5), 5);
    assert_eq!(map.get("n"), Some(5));

    let owned: CowMap<String, i32> = CowMap::new();
    owned.insert(String::from("a"), 1);
    assert_eq!(owned.remove_if("a", |_| true), Some(1), "a borrowed key");
}

#[test]
fn get_or_insert_with_builds_the_value_once_under_a_race() {
    let map = Arc::new(CowMap::new());
    let built = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(4));
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let (map, built, barrier) =
                (Arc::clone(&map), Arc::clone(&built), Arc::clone(&barrier));
            thread::spawn(move || {
                barrier.wait();
                map.get_or_insert_with("key", || {
                    built.fetch_add(1, Ordering::SeqCst);
                    i
                })
            })
        })
        .collect();
    let seen: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(built.load(Ordering::SeqCst), 1, "make ran more than once");
    assert!(
        seen.iter().all(|&v| v == seen[0]),
        "every caller sees the one value: {seen:?}"
    );
    assert_eq!(map.get("key"), Some(seen[0]));
}

// ---------------------------------------------------------------------------------------------
// The listener-list pattern

#[test]
fn listeners_are_removed_by_identity() {
    type Listener = Arc<dyn Fn(&str) -> usize + Send + Sync>;
    let listeners: CowList<Listener> = CowList::new();
    let a: Listener = Arc::new(|e| e.len());
    let b: Listener = Arc::new(|e| e.len() * 2);
    listeners.push(Arc::clone(&a));
    listeners.push(Arc::clone(&b));
    assert_eq!(listeners.retain(|l| !Arc::ptr_eq(l, &a)), 1);
    let total: usize = listeners.load().iter().map(|l| l("abc")).sum();
    assert_eq!(total, 6);
}

// The tests of tests/collections.rs, included once per publication strategy (see there).

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::panic::resume_unwind;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, LazyLock};
use std::thread;

use cowkit::Shared;
use crate::support::{assert_no_leak, panic_message};

/// Counts live instances; a clone panics when `panic_in_clone` is set on the original.
#[derive(Debug)]
struct Probe {
    value: u32,
    live: Arc<AtomicUsize>,
    panic_in_clone: bool,
}

impl Probe {
    fn new(value: u32, live: &Arc<AtomicUsize>) -> Self {
        live.fetch_add(1, Ordering::SeqCst);
        Probe {
            value,
            live: Arc::clone(live),
            panic_in_clone: false,
        }
    }
}

impl Clone for Probe {
    fn clone(&self) -> Self {
        if self.panic_in_clone {
            // `resume_unwind` skips the panic hook, which would allocate while we count.
            resume_unwind(Box::new("clone panicked"));
        }
        Probe::new(self.value, &self.live)
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        self.live.fetch_sub(1, Ordering::SeqCst);
    }
}

impl PartialEq for Probe {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

fn hash_of<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    // One fixed hasher for both sides of a comparison.
    static STATE: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
    STATE.get_or_init(RandomState::new).hash_one(value)
}

/// Lets arc-swap give this thread its (permanent, reused) slot of reader debts before a leak
/// count starts, so that the slot is not counted as a leak.
fn warm_up_reader_slots() {
    let cell = CowCell::new(0);
    drop(cell.load());
}

// ---------------------------------------------------------------------------------------------
// CowCell

#[test]
fn cell_update_publishes_one_version_for_many_changes() {
    let cell = CowCell::new(vec![1]);
    let before = cell.snapshot();
    let len = cell.update(|v| {
        v.push(2);
        v.push(3);
        v.len()
    });
    assert_eq!(len, 3);
    assert_eq!(*cell.load(), [1, 2, 3]);
    assert_eq!(*before, [1]);
    // Exactly one new version: the old snapshot is now shared only by `before` (and, with
    // `seize`, by the cell's retired count until its batch is reclaimed).
    let others = usize::from(!FREES_PROMPTLY);
    assert_eq!(Shared::strong_count(&before), 1 + others);
}

#[test]
fn cell_try_update_publishes_only_on_ok() {
    let cell = CowCell::new(1);
    let v1 = cell.snapshot();
    assert_eq!(
        cell.try_update(|n| {
            *n = 99;
            Err::<(), _>("no")
        }),
        Err("no")
    );
    assert!(
        Shared::ptr_eq(&v1, &cell.snapshot()),
        "an Err published a version"
    );
    assert_eq!(cell.try_update(|n| Ok::<_, ()>(*n + 1)), Ok(2));
    assert_eq!(
        *cell.load(),
        1,
        "the closure's result is returned, the value it left published"
    );
    cell.try_update(|n| {
        *n = 5;
        Ok::<_, ()>(())
    })
    .unwrap();
    assert_eq!(*cell.load(), 5);
}

#[test]
fn cell_replace_into_inner_clone_default_debug() {
    let cell = CowCell::new(String::from("a"));
    let old = cell.replace(String::from("b"));
    assert_eq!(*old, "a");
    let copy = cell.clone();
    assert!(
        Shared::ptr_eq(&copy.snapshot(), &cell.snapshot()),
        "clone shares the version"
    );
    copy.update(|s| s.push('!'));
    assert_eq!(*cell.load(), "b", "a cloned cell is independent");
    assert_eq!(format!("{cell:?}"), r#"CowCell("b")"#);
    assert_eq!(format!("{:?}", cell.load()), r#""b""#);
    // into_inner moves when unique and clones when a snapshot still shares the value.
    let kept = copy.snapshot();
    assert_eq!(copy.into_inner(), "b!");
    assert_eq!(*kept, "b!");
    assert_eq!(cell.into_inner(), "b");
    assert_eq!(*CowCell::<Vec<u8>>::default().load(), Vec::<u8>::new());
    assert_eq!(*CowCell::from(3).load(), 3);
}

#[test]
fn snapshot_into_shared_and_reader_follow_writes() {
    let cell = CowCell::new(0u64);
    let snap = cell.load();
    let owned: Shared<u64> = Snapshot::into_shared(snap);
    assert!(Shared::ptr_eq(&owned, &cell.snapshot()));

    let mut reader = cell.reader();
    assert_eq!(*reader.load(), 0);
    for i in 1..=10 {
        cell.update(|n| *n = i);
        assert_eq!(
            *reader.load(),
            i,
            "the reader must see every published version"
        );
    }
    assert_eq!(*owned, 0);
}

#[test]
fn panicking_update_publishes_nothing_and_leaves_the_cell_usable() {
    warm_up_reader_slots();
    assert_no_leak(|| {
        let live = Arc::new(AtomicUsize::new(0));
        let cell = CowCell::new(vec![Probe::new(1, &live), Probe::new(2, &live)]);
        let before = cell.snapshot();
        let msg = panic_message(|| {
            cell.update(|v| {
                v.push(Probe::new(3, &live));
                resume_unwind(Box::new("closure failed"));
            })
        })
        .expect("expected a panic");
        assert_eq!(msg, "closure failed");
        assert!(
            Shared::ptr_eq(&before, &cell.snapshot()),
            "a panic published a version"
        );
        // No poisoning: the next write goes through.
        cell.update(|v| v.truncate(1));
        assert_eq!(cell.load().len(), 1);
        drop(before);
        if FREES_PROMPTLY {
            assert_eq!(
                live.load(Ordering::SeqCst),
                1,
                "the copies made by the panicking update leaked"
            );
        }
        drop(cell);
        assert_eq!(live.load(Ordering::SeqCst), 0);
    });
}

/// Panics in its `Drop` when armed.
#[derive(Clone, Debug, PartialEq)]
struct PanicsOnDrop(bool);

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        if self.0 && !std::thread::panicking() {
            resume_unwind(Box::new("drop panicked"));
        }
    }
}

#[test]
fn a_write_can_panic_after_it_published() {
    // The replaced version's `Drop` panics after the write published and unlocked: the write
    // panics, its change is visible, and the cell stays usable (the documented "panic after
    // publish").
    let cell = CowCell::new(vec![PanicsOnDrop(true)]);
    let msg = panic_message(|| cell.update(|v| v[0].0 = false));
    if FREES_PROMPTLY {
        assert_eq!(msg.as_deref(), Some("drop panicked"));
    }
    assert_eq!(
        *cell.load(),
        [PanicsOnDrop(false)],
        "the change was published"
    );
    cell.update(|v| v.push(PanicsOnDrop(false)));
    assert_eq!(cell.load().len(), 2, "the cell stays usable");
    // (With `seize` the replaced version is dropped by a later write or the cell's drop, where
    // the same panic surfaces.)
    if !FREES_PROMPTLY {
        let _ = panic_message(|| drop(cell));
    }
}

#[test]
fn panicking_clone_publishes_nothing() {
    warm_up_reader_slots();
    assert_no_leak(|| {
        let live = Arc::new(AtomicUsize::new(0));
        let mut bad = Probe::new(2, &live);
        bad.panic_in_clone = true;
        let list = CowList::from(vec![Probe::new(1, &live), bad, Probe::new(3, &live)]);
        let before = list.snapshot();
        let msg = panic_message(|| list.push(Probe::new(4, &live))).expect("expected a panic");
        assert_eq!(msg, "clone panicked");
        assert!(Shared::ptr_eq(&before, &list.snapshot()));
        // Operations that need no clone still work.
        assert_eq!(list.len(), 3);
        assert!(list.contains(&Probe::new(3, &live)));
        drop((before, list));
        assert_eq!(live.load(Ordering::SeqCst), 0, "a value was leaked");
    });
}

#[test]
fn reentrant_write_panics_instead_of_deadlocking() {
    let list = CowList::from(vec![1]);
    let msg = panic_message(|| {
        list.update(|v| {
            v.push(2);
            list.push(3); // would wait for itself with a plain mutex
        })
    })
    .expect("expected a panic");
    assert!(
        msg.contains("from inside its own write"),
        "unclear message: {msg}"
    );
    assert_eq!(list, [1], "the outer write must publish nothing");
    // The list is usable afterwards, and reads from inside a write are fine.
    list.update(|v| {
        assert_eq!(
            list.len(),
            1,
            "reads inside a write see the published version"
        );
        v.push(2);
    });
    assert_eq!(list, [1, 2]);

    let map: CowMap<u8, u8> = CowMap::new();
    let msg = panic_message(|| {
        map.compute(1, |_| {
            map.insert(2, 2);
            Some(1)
        });
    })
    .expect("expected a panic");
    assert!(msg.contains("would deadlock"), "unclear message: {msg}");
    assert!(map.is_empty());
    map.insert(1, 1);
    assert_eq!(map.get(&1), Some(1));
}

/// An element whose drop writes to the list that held it: possible only if the writer frees
/// the version it replaced after releasing the writers' lock (under the lock, the write would
/// be a re-entrant one and panic).
#[derive(Clone, Debug, PartialEq)]
struct WritesOnDrop {
    armed: bool,
}

static DROP_LOG: std::sync::OnceLock<CowList<WritesOnDrop>> = std::sync::OnceLock::new();

impl Drop for WritesOnDrop {
    fn drop(&mut self) {
        if self.armed {
            DROP_LOG.get().unwrap().push(WritesOnDrop { armed: false });
        }
    }
}

#[test]
fn the_replaced_version_is_freed_after_the_lock_is_released() {
    let list = DROP_LOG.get_or_init(|| CowList::from(vec![WritesOnDrop { armed: true }]));
    list.clear(); // frees the armed element, whose drop pushes an unarmed one
    if !FREES_PROMPTLY {
        // With `seize`, the cleared version is dropped by a write after its batch is reclaimed.
        for _ in 0..64 {
            list.update(|_| {});
        }
    }
    assert_eq!(*list.load(), [WritesOnDrop { armed: false }]);
}

#[test]
fn writes_on_other_threads_during_a_write_wait_their_turn() {
    // Not re-entry: a second thread blocks while the first writes, then builds on its result.
    let list = Arc::new(CowList::from(vec![0u32]));
    let started = Arc::new(Barrier::new(2));
    let writer = {
        let (list, started) = (Arc::clone(&list), Arc::clone(&started));
        thread::spawn(move || {
            list.update(|v| {
                started.wait();
                thread::sleep(std::time::Duration::from_millis(20));
                v.push(1);
            })
        })
    };
    started.wait();
    list.push(2); // waits for the writer above
    writer.join().unwrap();
    assert_eq!(*list, [0, 1, 2]);
}

// ---------------------------------------------------------------------------------------------
// CowList: the TCK's behaviours

#[test]
fn list_iteration_is_over_a_snapshot() {
    // TCK: "iterator() does not see later modifications" / subList of a snapshot.
    let list = CowList::from(vec![1, 2, 3]);
    let snap = list.load();
    let kept = list.snapshot();
    list.push(4);
    list.set(0, 10).unwrap();
    list.remove(1);
    list.clear();
    assert_eq!(snap.iter().copied().collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(snap[1..], [2, 3]);
    assert_eq!(*kept, [1, 2, 3]);
    assert!(list.is_empty());
}

#[test]
fn list_index_writes_out_of_range_return_the_value() {
    let list = CowList::from(vec!['a', 'b']);
    let v0 = list.snapshot();
    assert_eq!(list.insert(3, 'x'), Err('x'));
    assert_eq!(list.set(2, 'y'), Err('y'));
    assert_eq!(list.set(usize::MAX, 'y'), Err('y'));
    assert_eq!(list.remove(2), None);
    assert_eq!(list.remove(usize::MAX), None);
    assert_eq!(list.insert_all(3, ['p', 'q']), Err(vec!['p', 'q']));
    assert_eq!(list.get(2), None);
    assert_eq!(list.get_with(usize::MAX, |c| *c), None);
    assert!(
        Shared::ptr_eq(&v0, &list.snapshot()),
        "a failed write published a version"
    );
    // The boundary cases that succeed.
    assert_eq!(list.insert(2, 'c'), Ok(()));
    assert_eq!(list.insert(0, '0'), Ok(()));
    assert_eq!(list.set(3, 'C'), Ok('c'));
    assert_eq!(list.remove(0), Some('0'));
    assert_eq!(list.insert_all(1, ['x', 'y']), Ok(()));
    assert_eq!(list, ['a', 'x', 'y', 'b', 'C']);
}

#[test]
fn list_push_if_absent_and_extend_absent() {
    // TCK: addIfAbsent adds only absent elements; addAllAbsent skips present ones and
    // duplicates within its argument, and returns how many it added.
    let list = CowList::from(vec![1, 2, 3]);
    let v0 = list.snapshot();
    assert!(!list.push_if_absent(2));
    assert!(
        Shared::ptr_eq(&v0, &list.snapshot()),
        "a present value must not publish"
    );
    assert!(list.push_if_absent(4));
    assert_eq!(list.extend_absent([3, 5, 5, 6, 1]), 2);
    assert_eq!(list, [1, 2, 3, 4, 5, 6]);
    let v1 = list.snapshot();
    assert_eq!(list.extend_absent([1, 2]), 0);
    assert_eq!(list.extend_absent(Vec::<i32>::new()), 0);
    assert!(Shared::ptr_eq(&v1, &list.snapshot()));
}

#[test]
fn list_index_of_and_last_index_of() {
    let list = CowList::from(vec!['a', 'b', 'c', 'a', 'b']);
    assert_eq!(list.index_of(&'b'), Some(1));
    assert_eq!(list.last_index_of(&'b'), Some(4));
    assert_eq!(list.index_of(&'z'), None);
    assert_eq!(list.last_index_of(&'z'), None);
    assert_eq!(list.index_of_from(&'a', 1), Some(3));
    assert_eq!(list.index_of_from(&'a', 4), None);
    assert_eq!(list.index_of_from(&'b', 5), None);
    assert_eq!(list.index_of_from(&'b', usize::MAX), None);
    assert_eq!(list.last_index_of_from(&'a', 2), Some(0));
    assert_eq!(list.last_index_of_from(&'a', 3), Some(3));
    assert_eq!(list.last_index_of_from(&'b', 0), None);
    assert_eq!(list.last_index_of_from(&'b', usize::MAX), Some(4));
    assert!(list.contains(&'c') && !list.contains(&'d'));
    assert!(list.contains_all(&['c', 'a']) && !list.contains_all(&['a', 'd']));
    assert!(list.contains_all(&[]));
    let empty = CowList::<char>::new();
    assert_eq!(empty.last_index_of_from(&'a', 0), None);
}

#[test]
fn list_bulk_writes() {
    let list: CowList<i32> = (1..=6).collect();
    assert_eq!(list.remove_all(&[2, 4, 9]), 2);
    assert_eq!(list, [1, 3, 5, 6]);
    let v = list.snapshot();
    assert_eq!(list.retain(|_| true), 0);
    assert!(
        Shared::ptr_eq(&v, &list.snapshot()),
        "retaining everything must not publish"
    );
    let mut seen = Vec::new();
    assert_eq!(
        list.retain(|n| {
            seen.push(*n);
            n % 3 != 0
        }),
        2
    );
    assert_eq!(
        seen,
        [1, 3, 5, 6],
        "the predicate runs once per element, in order"
    );
    assert_eq!(list, [1, 5]);
    list.replace_all(|n| *n *= 10);
    list.extend([30, 20]);
    assert_eq!(list, [10, 50, 30, 20]);
    list.sort();
    assert_eq!(list, [10, 20, 30, 50]);
    list.sort_by(|a, b| b.cmp(a));
    assert_eq!(list.to_vec(), [50, 30, 20, 10]);
    assert!(list.remove_item(&30));
    assert!(!list.remove_item(&30));
    let mut list2 = list.clone();
    Extend::extend(&mut list2, [1]);
    assert_eq!(list2, [50, 20, 10, 1]);
    assert_eq!(list, [50, 20, 10]);
    list.clear();
    let v = list.snapshot();
    list.clear();
    list.extend([]);
    assert!(
        Shared::ptr_eq(&v, &list.snapshot()),
        "clearing an empty list must not publish"
    );
    assert_eq!(list2.into_vec(), [50, 20, 10, 1]);
}

#[test]
fn list_equality_and_hash_match_plain_lists() {
    // TCK: equals / hashCode agree with any List of the same elements.
    let list = CowList::from(vec![1, 2, 3]);
    let vec = vec![1, 2, 3];
    assert_eq!(list, vec);
    assert_eq!(vec, list);
    assert_eq!(list, [1, 2, 3]);
    assert_eq!(list, vec[..]);
    assert_eq!(list, &vec[..]);
    assert_eq!(list, CowList::from(vec.clone()));
    assert_ne!(list, [1, 2]);
    assert_ne!(list, CowList::from(vec![3, 2, 1]));
    assert_eq!(hash_of(&list), hash_of(&vec));
    assert_eq!(hash_of(&list), hash_of(&vec[..]));
    assert_eq!(format!("{list:?}"), format!("{vec:?}"));
    assert_eq!(CowList::<u8>::default(), CowList::new());
    assert_eq!(CowList::from(&vec[..]), vec);
    // Not reflexive when the elements are not: equality is element-wise, like Vec's.
    let nan = CowList::from(vec![f64::NAN]);
    assert_ne!(nan, nan.clone());
}

#[test]
fn list_clone_is_o1_and_independent() {
    let list = CowList::from(vec![String::from("a")]);
    let copy = list.clone();
    assert!(Shared::ptr_eq(&list.snapshot(), &copy.snapshot()));
    copy.push(String::from("b"));
    assert_eq!(list.len(), 1);
    assert_eq!(copy.len(), 2);
}

#[test]
fn old_versions_are_freed_when_their_last_reader_lets_go() {
    warm_up_reader_slots();
    assert_no_leak(|| {
        let live = Arc::new(AtomicUsize::new(0));
        let list = CowList::new();
        let mut kept = Vec::new();
        for i in 0..50 {
            list.push(Probe::new(i, &live));
            if i % 10 == 0 {
                kept.push(list.snapshot());
            }
        }
        // Current version: 50 probes; kept versions: 1 + 11 + 21 + 31 + 41 probes.
        let expected = 50 + 1 + 11 + 21 + 31 + 41;
        if FREES_PROMPTLY {
            assert_eq!(live.load(Ordering::SeqCst), expected);
        } else {
            assert!(live.load(Ordering::SeqCst) >= expected);
        }
        for (i, snap) in kept.iter().enumerate() {
            assert_eq!(snap.len(), i * 10 + 1);
        }
        drop(kept);
        if FREES_PROMPTLY {
            assert_eq!(
                live.load(Ordering::SeqCst),
                50,
                "a replaced version was not freed"
            );
        }
        drop(list);
        assert_eq!(live.load(Ordering::SeqCst), 0);
    });
}

#[test]
fn writes_copy_into_exact_size_allocations() {
    // A published list never grows in place, so a write must not leave room it will never use
    // (nor copy twice by growing: that was the hand-made clone-then-push's cost).
    let list = CowList::from(vec![0u64; 1000]);
    list.push(1);
    assert_eq!(list.load().capacity(), 1001);
    list.insert(5, 2).unwrap();
    assert_eq!(list.load().capacity(), 1002);
    list.remove(0);
    assert_eq!(list.load().capacity(), 1001);
    list.extend([1, 2, 3]);
    assert_eq!(list.load().capacity(), 1004);
}

#[test]
fn zero_sized_elements() {
    let list = CowList::from(vec![(); 3]);
    list.push(());
    assert_eq!(list.remove(0), Some(()));
    assert_eq!(list.len(), 3);
    assert!(!list.push_if_absent(()));
    let set = CowSet::from(vec![(), ()]);
    assert_eq!(set.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// CowSet

#[test]
fn set_keeps_insertion_order_and_uniqueness() {
    // TCK (CopyOnWriteArraySet): add returns false for a present element; remove of an absent
    // one returns false; addAll adds only the absent; iteration over a snapshot.
    let set = CowSet::new();
    assert!(set.insert(3));
    assert!(set.insert(1));
    assert!(!set.insert(3));
    assert_eq!(set.extend([2, 1, 2, 4]), 2);
    assert_eq!(*set.load(), [3, 1, 2, 4]);
    let snap = set.snapshot();
    assert!(set.remove(&1));
    assert!(!set.remove(&1));
    assert_eq!(set.retain(|n| *n != 4), 1);
    assert_eq!(set.remove_all(&[3, 9]), 1);
    assert_eq!(set.to_vec(), [2]);
    assert_eq!(*snap, [3, 1, 2, 4]);
    assert!(set.contains(&2) && !set.contains(&3));
    assert!(set.contains_all(&[2]) && !set.contains_all(&[2, 3]));
    set.clear();
    assert!(set.is_empty());
    assert_eq!(set.len(), 0);
}

#[test]
fn set_equality_ignores_order() {
    let a: CowSet<i32> = [1, 2, 3].into_iter().collect();
    let b = CowSet::from(vec![3, 1, 2, 2]);
    assert_eq!(a, b);
    assert_ne!(a, CowSet::from(vec![1, 2]));
    assert_ne!(a, CowSet::from(vec![1, 2, 4]));
    assert_eq!(format!("{a:?}"), "{1, 2, 3}");
    let mut c = a.clone();
    Extend::extend(&mut c, [4, 1]);
    assert_eq!(c.len(), 4);
    assert_eq!(a.len(), 3);
    assert_eq!(CowSet::<u8>::default(), CowSet::new());
}

// ---------------------------------------------------------------------------------------------
// CowMap

#[test]
fn map_api() {
    let map: CowMap<String, u32> = CowMap::new();
    assert_eq!(map.insert("a".into(), 1), None);
    assert_eq!(map.insert("a".into(), 2), Some(1));
    assert_eq!(map.get("a"), Some(2), "lookups take a borrowed key");
    assert_eq!(map.get_with("a", |v| v * 10), Some(20));
    assert!(map.contains_key("a") && !map.contains_key("b"));
    let v = map.snapshot();
    assert_eq!(map.insert_if_absent("a".into(), 9), Some(2));
    assert_eq!(map.remove("zzz"), None);
    assert_eq!(map.compute("zzz".into(), |_| None), None);
    assert!(
        Shared::ptr_eq(&v, &map.snapshot()),
        "a no-op write must not publish"
    );
    assert_eq!(map.insert_if_absent("b".into(), 3), None);
    assert_eq!(map.compute("b".into(), |v| v.map(|v| v + 1)), Some(4));
    assert_eq!(
        map.compute("c".into(), |v| Some(v.copied().unwrap_or(7))),
        Some(7)
    );
    assert_eq!(map.compute("c".into(), |_| None), None);
    assert!(!map.contains_key("c"));
    map.extend([("x".into(), 10), ("y".into(), 11)]);
    assert_eq!(map.len(), 4);
    assert_eq!(
        map.retain(|k, v| {
            *v += 100;
            k != "x"
        }),
        1
    );
    assert_eq!(map.get("y"), Some(111));
    assert_eq!(map.remove("a"), Some(102));
    assert_eq!(
        map.to_hash_map(),
        HashMap::from([("b".to_string(), 104), ("y".to_string(), 111)])
    );
    assert_eq!(
        map,
        HashMap::from([("b".to_string(), 104), ("y".to_string(), 111)])
    );
    assert_eq!(v.len(), 1, "the old snapshot never changes");
    let n = map.update(|m| {
        m.insert("z".into(), 0);
        m.len()
    });
    assert_eq!(n, 3);
    let copy = map.clone();
    map.clear();
    assert!(map.is_empty());
    assert_eq!(copy.len(), 3);
    let v = map.snapshot();
    map.clear();
    assert!(Shared::ptr_eq(&v, &map.snapshot()));
    assert_eq!(format!("{:?}", CowMap::from([(1, 2)])), "{1: 2}");
    assert_eq!(CowMap::from([(1, 2)]), CowMap::from([(1, 2)]));
    assert_eq!(copy.into_hash_map().len(), 3);
    let mut m2: CowMap<u8, u8> = CowMap::default();
    Extend::extend(&mut m2, [(1, 1)]);
    assert_eq!(m2.reader().load()[&1], 1);
    assert_eq!(*m2.load(), HashMap::from([(1, 1)]));
}

#[test]
fn map_with_a_custom_hasher_keeps_it_across_clear() {
    #[derive(Clone, Default)]
    struct Fixed;
    impl BuildHasher for Fixed {
        type Hasher = std::collections::hash_map::DefaultHasher;
        fn build_hasher(&self) -> Self::Hasher {
            Default::default()
        }
    }
    let map = CowMap::with_hasher(Fixed);
    map.insert(1, 'a');
    map.clear();
    map.insert(2, 'b');
    assert_eq!(map.get(&2), Some('b'));
    let collected: CowMap<u8, u8, Fixed> = [(1, 1)].into_iter().collect();
    assert_eq!(collected.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// serde

#[cfg(feature = "serde")]
#[test]
fn serde_round_trips() {
    let list = CowList::from(vec![1, 2]);
    let json = serde_json::to_string(&list).unwrap();
    assert_eq!(json, "[1,2]");
    assert_eq!(serde_json::from_str::<CowList<i32>>(&json).unwrap(), list);

    let set: CowSet<i32> = serde_json::from_str("[3,1,3]").unwrap();
    assert_eq!(*set.load(), [3, 1]);
    assert_eq!(serde_json::to_string(&set).unwrap(), "[3,1]");

    let map = CowMap::from([("k".to_string(), 1)]);
    let json = serde_json::to_string(&map).unwrap();
    assert_eq!(json, r#"{"k":1}"#);
    assert_eq!(
        serde_json::from_str::<CowMap<String, i32>>(&json).unwrap(),
        map
    );

    let cell = CowCell::new((1, "x".to_string()));
    let json = serde_json::to_string(&cell).unwrap();
    assert_eq!(json, r#"[1,"x"]"#);
    let back: CowCell<(i32, String)> = serde_json::from_str(&json).unwrap();
    assert_eq!(*back.load(), (1, "x".to_string()));
    assert!(serde_json::from_str::<CowList<u8>>("[1,300]").is_err());
}

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
    assert_no_leak(|| {
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

// ---------------------------------------------------------------------------------------------
// arc-swap's uncounted guards (its "debts") across a swap and across the cell's drop. Run under
// AddressSanitizer and valgrind by `.ci/run`: a guard whose value was freed under it is a
// use-after-free they report.

#[test]
fn guards_outlive_a_swap_and_the_cells_drop() {
    // A few loads on this thread: the first ones take arc-swap's per-thread debt slots (no
    // count), later ones fall back to counts; both kinds are held across the writes below.
    let cell = CowCell::new(vec![String::from("v1"); 4]);
    let guards: Vec<_> = (0..12).map(|_| cell.load()).collect();
    cell.replace(vec![String::from("v2"); 4]);
    cell.update(|v| v.push(String::from("v3")));
    assert!(guards.iter().all(|g| g.len() == 4 && g[3] == "v1"));
    let newer = cell.load();
    drop(cell);
    assert_eq!(newer.len(), 5);
    assert_eq!(newer[4], "v3");
    assert!(guards.iter().all(|g| g[0] == "v1"));
    drop(guards);

    // The same across threads: readers hold guards while the owner swaps and then drops the
    // cell.
    let cell = Arc::new(CowList::from(vec![1u64; 64]));
    let loaded = Arc::new(Barrier::new(3));
    let dropped = Arc::new(Barrier::new(3));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (cell, loaded, dropped) =
                (Arc::clone(&cell), Arc::clone(&loaded), Arc::clone(&dropped));
            thread::spawn(move || {
                let guards: Vec<_> = (0..10).map(|_| cell.load()).collect();
                drop(cell);
                loaded.wait();
                dropped.wait();
                guards.iter().map(|g| g.iter().sum::<u64>()).sum::<u64>()
            })
        })
        .collect();
    loaded.wait();
    cell.clear();
    drop(cell); // the last handle: the cell and its current version go
    dropped.wait();
    for reader in readers {
        assert_eq!(reader.join().unwrap(), 640);
    }
}

// ---------------------------------------------------------------------------------------------
// Threads

/// How much longer to run the stress test: `COWKIT_STRESS=<factor>`, 1 by default.
fn stress_factor() -> usize {
    std::env::var("COWKIT_STRESS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// Readers check that every snapshot is whole while writers move units between slots (the sum
/// never changes) and push their own tags (none may be lost); at the end every write is there.
#[test]
fn stress_readers_see_whole_versions_and_no_write_is_lost() {
    const SLOTS: usize = 16;
    const TOTAL: u64 = 1_000;
    let writes_per_writer = 2_000 * stress_factor();
    let writers = 2;

    // Element 0..SLOTS: balances summing to TOTAL; after them, the tags pushed by writers.
    let mut start = vec![0u64; SLOTS];
    start[0] = TOTAL;
    let list = Arc::new(CowList::from(start));
    let done = Arc::new(AtomicBool::new(false));

    let readers: Vec<_> = (0..2)
        .map(|r| {
            let (list, done) = (Arc::clone(&list), Arc::clone(&done));
            thread::spawn(move || {
                let mut checked = 0u64;
                let mut reader = list.reader();
                let mut last_len = 0;
                while !done.load(Ordering::Relaxed) {
                    let sum_and_len = if r == 0 {
                        let snap = list.load();
                        (snap[..SLOTS].iter().sum::<u64>(), snap.len())
                    } else {
                        let snap = reader.load();
                        (snap[..SLOTS].iter().sum::<u64>(), snap.len())
                    };
                    assert_eq!(sum_and_len.0, TOTAL, "a reader saw a half-applied update");
                    assert!(sum_and_len.1 >= last_len, "a reader saw a version go back");
                    last_len = sum_and_len.1;
                    checked += 1;
                }
                checked
            })
        })
        .collect();

    let writer_threads: Vec<_> = (0..writers)
        .map(|w| {
            let list = Arc::clone(&list);
            thread::spawn(move || {
                for i in 0..writes_per_writer {
                    let tag = 1_000_000 * (w as u64 + 1) + i as u64;
                    match i % 3 {
                        // Move one unit from one slot to another, in one update.
                        0 => list.update(|v| {
                            let from = (0..SLOTS).find(|&s| v[s] > 0).unwrap();
                            let to = (from + 1 + i % (SLOTS - 1)) % SLOTS;
                            v[from] -= 1;
                            v[to] += 1;
                        }),
                        1 => list.push(tag),
                        _ => assert!(list.push_if_absent(tag)),
                    }
                }
            })
        })
        .collect();

    for w in writer_threads {
        w.join().unwrap();
    }
    done.store(true, Ordering::Relaxed);
    for r in readers {
        assert!(r.join().unwrap() > 0, "a reader never ran");
    }

    let last = list.load();
    assert_eq!(last[..SLOTS].iter().sum::<u64>(), TOTAL);
    for w in 0..writers {
        for i in (0..writes_per_writer).filter(|i| i % 3 != 0) {
            let tag = 1_000_000 * (w as u64 + 1) + i as u64;
            assert!(
                last[SLOTS..].contains(&tag),
                "writer {w}'s write {i} was lost"
            );
        }
    }
    let pushes = writers * (0..writes_per_writer).filter(|i| i % 3 != 0).count();
    assert_eq!(last.len(), SLOTS + pushes);
}

#[test]
fn map_writers_on_threads_lose_no_update() {
    let map: Arc<CowMap<u32, u64>> = Arc::new(CowMap::new());
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let map = Arc::clone(&map);
            thread::spawn(move || {
                for i in 0..250 {
                    map.compute(i % 10, |n| Some(n.copied().unwrap_or(0) + 1));
                    map.insert(1000 + t * 1000 + i, 1);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let snap = map.load();
    assert_eq!((0..10).map(|k| snap[&k]).sum::<u64>(), 1000);
    assert_eq!(snap.len(), 10 + 1000);
}

/// An element that records its own drop in a flag of its own (a clone gets a fresh flag).
struct Flagged {
    value: u32,
    dropped: Arc<AtomicBool>,
}

impl Flagged {
    fn new(value: u32) -> (Self, Arc<AtomicBool>) {
        let dropped = Arc::new(AtomicBool::new(false));
        let flagged = Flagged {
            value,
            dropped: Arc::clone(&dropped),
        };
        (flagged, dropped)
    }
}

impl Clone for Flagged {
    fn clone(&self) -> Self {
        Flagged::new(self.value).0
    }
}

impl Drop for Flagged {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

/// A write from inside a read (a `get_with` closure; the same holds for a `Clone`, `PartialEq`
/// or `Hash` a read runs) replaces the version the read borrows, many times over: that version
/// must stay alive until the read returns. (With seize the writer retires it through a guard
/// of its own thread, which keeps it until the read's guard has left too.)
#[test]
fn a_write_inside_a_read_keeps_the_borrowed_version_alive() {
    let (original, dropped) = Flagged::new(7);
    let list = CowList::from(vec![original]);
    let seen = list.get_with(0, |borrowed| {
        for i in 0..64 {
            list.push(Flagged::new(i).0);
        }
        list.clear();
        for i in 0..64 {
            list.push(Flagged::new(i).0);
        }
        assert!(
            !dropped.load(Ordering::SeqCst),
            "the element a read borrows was dropped by a write made inside that read"
        );
        borrowed.value
    });
    assert_eq!(seen, Some(7));
    assert_eq!(list.len(), 64);
    // Once no read holds it, the first version goes: at once with arc-swap; with seize after
    // its batch is reclaimed, by later writes.
    for _ in 0..64 {
        list.push(Flagged::new(0).0);
        list.remove(0);
    }
    assert!(dropped.load(Ordering::SeqCst), "the first version was never freed");

    let map = CowMap::from([(1, Flagged::new(1).0)]);
    let (original, dropped) = Flagged::new(2);
    map.insert(2, original);
    let seen = map.get_with(&2, |borrowed| {
        for i in 10..80 {
            map.insert(i, Flagged::new(i).0);
        }
        assert!(!dropped.load(Ordering::SeqCst), "a map read's value was dropped");
        borrowed.value
    });
    assert_eq!(seen, Some(2));
}

/// A thread-local's destructor that reads and writes a collection, on a thread whose first use
/// of the collection came after that thread-local was made (so the strategy's own thread-locals
/// are torn down first). With seize this aborted the process ("cannot access a Thread Local
/// Storage value during or after destruction").
#[test]
fn a_late_thread_local_destructor_can_use_a_collection() {
    static LIST: LazyLock<CowList<u32>> = LazyLock::new(|| CowList::from(vec![1, 2, 3]));
    static SEEN: AtomicUsize = AtomicUsize::new(0);
    struct Late;
    impl Drop for Late {
        fn drop(&mut self) {
            LIST.push(4);
            let snapshot = LIST.snapshot();
            SEEN.store(LIST.len() * 10 + snapshot.len(), Ordering::SeqCst);
        }
    }
    thread_local! {
        static LATE: Late = const { Late };
    }
    thread::spawn(|| {
        LATE.with(|_| ());
        assert_eq!(LIST.len(), 3);
        assert_eq!(LIST.get(0), Some(1));
    })
    .join()
    .unwrap();
    assert_eq!(SEEN.load(Ordering::SeqCst), 44);
    assert_eq!(LIST.to_vec(), [1, 2, 3, 4]);
}

//! Public-API tests of `Shared<T>`.
//!
//! Leaks are checked with the counting allocator in `tests/support`.

mod support;

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use cowkit::Shared;
use support::assert_no_leak;

/// Counts live instances through a shared counter; optionally panics in `clone` or `drop`.
struct Probe<'a> {
    value: u32,
    live: &'a AtomicUsize,
    panic_in_clone: bool,
    panic_in_drop: bool,
}

impl<'a> Probe<'a> {
    fn new(value: u32, live: &'a AtomicUsize) -> Self {
        live.fetch_add(1, Ordering::Relaxed);
        Probe {
            value,
            live,
            panic_in_clone: false,
            panic_in_drop: false,
        }
    }
}

impl Clone for Probe<'_> {
    fn clone(&self) -> Self {
        if self.panic_in_clone {
            resume_unwind(Box::new("clone panicked"));
        }
        Probe::new(self.value, self.live)
    }
}

impl Drop for Probe<'_> {
    fn drop(&mut self) {
        self.live.fetch_sub(1, Ordering::Relaxed);
        if self.panic_in_drop {
            resume_unwind(Box::new("drop panicked"));
        }
    }
}

#[test]
fn new_derefs_to_the_value_with_one_count() {
    let s = Shared::new(String::from("value"));
    assert_eq!(*s, "value");
    assert_eq!(s.len(), 5); // methods of T through Deref
    assert_eq!(Shared::strong_count(&s), 1);
}

#[test]
fn handle_is_one_pointer() {
    assert_eq!(size_of::<Shared<[u8; 100]>>(), size_of::<usize>());
    assert_eq!(size_of::<Option<Shared<u64>>>(), size_of::<usize>());
}

#[test]
fn clones_share_one_allocation_and_count() {
    assert_no_leak(|| {
        let a = Shared::new(vec![1, 2, 3]);
        let b = Shared::clone(&a);
        let c = b.clone();
        assert!(Shared::ptr_eq(&a, &b) && Shared::ptr_eq(&b, &c));
        assert_eq!(Shared::as_ptr(&a), Shared::as_ptr(&c));
        assert_eq!(Shared::strong_count(&a), 3);
        drop(b);
        assert_eq!(Shared::strong_count(&c), 2);
        drop(a);
        assert_eq!(Shared::strong_count(&c), 1);
        assert_eq!(*c, [1, 2, 3]);
    });
}

#[test]
fn equal_values_in_different_allocations_are_not_ptr_eq() {
    let a = Shared::new(1);
    let b = Shared::new(1);
    assert_eq!(a, b);
    assert!(!Shared::ptr_eq(&a, &b));
}

#[test]
fn make_mut_on_unique_handle_writes_in_place() {
    let mut a = Shared::new(vec![1]);
    let before = Shared::as_ptr(&a);
    Shared::make_mut(&mut a).push(2);
    assert_eq!(Shared::as_ptr(&a), before, "a unique handle must not copy");
    assert_eq!(*a, [1, 2]);
}

#[test]
fn make_mut_on_shared_handle_copies_once() {
    assert_no_leak(|| {
        let live = AtomicUsize::new(0);
        let mut a = Shared::new(Probe::new(1, &live));
        let b = Shared::clone(&a);
        Shared::make_mut(&mut a).value = 2;
        assert_eq!(live.load(Ordering::Relaxed), 2, "exactly one copy");
        assert_eq!((a.value, b.value), (2, 1));
        assert!(!Shared::ptr_eq(&a, &b));
        assert_eq!((Shared::strong_count(&a), Shared::strong_count(&b)), (1, 1));
        let copy = Shared::as_ptr(&a);
        Shared::make_mut(&mut a).value = 3; // unique now
        assert_eq!(Shared::as_ptr(&a), copy);
        assert_eq!(live.load(Ordering::Relaxed), 2);
        drop((a, b));
        assert_eq!(live.load(Ordering::Relaxed), 0);
    });
}

#[test]
fn get_mut_and_is_unique_only_when_unique() {
    let mut a = Shared::new(10);
    assert!(Shared::is_unique(&mut a));
    *Shared::get_mut(&mut a).unwrap() += 1;
    let b = a.clone();
    assert!(!Shared::is_unique(&mut a));
    assert!(Shared::get_mut(&mut a).is_none());
    drop(b);
    assert!(Shared::is_unique(&mut a));
    assert_eq!(Shared::get_mut(&mut a), Some(&mut 11));
}

#[test]
fn try_unwrap_moves_out_only_when_unique() {
    assert_no_leak(|| {
        let live = AtomicUsize::new(0);
        let a = Shared::new(Probe::new(4, &live));
        let b = a.clone();
        let a = Shared::try_unwrap(a).err().expect("shared: handed back");
        assert_eq!(Shared::strong_count(&a), 2);
        drop(b);
        let value = Shared::try_unwrap(a).ok().expect("unique: moved out");
        assert_eq!(value.value, 4);
        assert_eq!(
            live.load(Ordering::Relaxed),
            1,
            "moved, not cloned, not dropped"
        );
        drop(value);
        assert_eq!(live.load(Ordering::Relaxed), 0);
    });
}

#[test]
fn unwrap_or_clone_clones_only_when_shared() {
    assert_no_leak(|| {
        let live = AtomicUsize::new(0);
        let a = Shared::new(Probe::new(5, &live));
        let b = a.clone();
        let first = Shared::unwrap_or_clone(a);
        assert_eq!(live.load(Ordering::Relaxed), 2, "shared: cloned");
        let second = Shared::unwrap_or_clone(b);
        assert_eq!(live.load(Ordering::Relaxed), 2, "unique: moved");
        assert_eq!((first.value, second.value), (5, 5));
    });
}

#[test]
fn into_raw_and_from_raw_keep_the_count() {
    assert_no_leak(|| {
        let a = Shared::new(String::from("raw"));
        let b = a.clone();
        let ptr = Shared::into_raw(a);
        assert_eq!(ptr, Shared::as_ptr(&b));
        assert_eq!(Shared::strong_count(&b), 2, "into_raw keeps its count");
        // SAFETY: `ptr` came from `into_raw` and is turned back once.
        assert_eq!(unsafe { &*ptr }, "raw");
        // SAFETY: as above.
        let a = unsafe { Shared::from_raw(ptr) };
        assert!(Shared::ptr_eq(&a, &b));
        drop(a);
        assert_eq!(Shared::strong_count(&b), 1);
    });
}

#[test]
fn raw_round_trip_works_for_over_aligned_values() {
    #[derive(Clone, Debug, PartialEq)]
    #[repr(align(64))]
    struct Aligned(u8);
    let a = Shared::new(Aligned(9));
    let ptr = Shared::into_raw(a);
    assert_eq!(ptr as usize % 64, 0);
    // SAFETY: `ptr` came from `into_raw` and is turned back once.
    let a = unsafe { Shared::from_raw(ptr) };
    assert_eq!(*a, Aligned(9));
}

#[test]
fn comparisons_and_hash_follow_the_value() {
    let (one, two) = (Shared::new(1), Shared::new(2));
    assert!(one < two);
    assert!(two > one);
    assert_eq!(one.cmp(&two), 1.cmp(&2));
    assert_eq!(one.partial_cmp(&two), Some(std::cmp::Ordering::Less));
    let nan = Shared::new(f64::NAN);
    assert_ne!(nan, nan.clone(), "equality is by value, as for T");
    let hasher = std::collections::hash_map::RandomState::new();
    assert_eq!(hasher.hash_one(Shared::new("k")), hasher.hash_one("k"));
}

#[test]
fn borrow_lets_sets_find_by_value() {
    let set: HashSet<Shared<u32>> = [1, 2].into_iter().map(Shared::new).collect();
    assert!(set.contains(&1));
    assert!(!set.contains(&3));
}

#[test]
fn formatting_follows_the_value() {
    let s = Shared::new("text");
    assert_eq!(format!("{s}"), "text");
    assert_eq!(format!("{s:?}"), "\"text\"");
    assert_eq!(format!("{s:p}"), format!("{:p}", Shared::as_ptr(&s)));
}

#[test]
fn default_from_and_as_ref() {
    let d: Shared<Vec<u8>> = Shared::default();
    assert!(d.is_empty());
    let f: Shared<u8> = 3.into();
    assert_eq!(*f.as_ref(), 3);
}

#[test]
fn zero_sized_values_are_counted_and_dropped() {
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    #[derive(Clone)]
    struct Zst;
    impl Drop for Zst {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::Relaxed);
        }
    }
    assert_eq!(size_of::<Zst>(), 0);
    assert_no_leak(|| {
        let mut a = Shared::new(Zst);
        let b = a.clone();
        assert_eq!(Shared::strong_count(&b), 2);
        let _: &mut Zst = Shared::make_mut(&mut a); // copies: b shares
        assert!(!Shared::ptr_eq(&a, &b));
        let ptr = Shared::into_raw(b);
        // SAFETY: `ptr` came from `into_raw` and is turned back once.
        let b = unsafe { Shared::from_raw(ptr) };
        assert!(Shared::try_unwrap(b).is_ok()); // drops one Zst
        drop(a);
    });
    assert_eq!(DROPS.load(Ordering::Relaxed), 2);
}

#[test]
fn panicking_clone_in_make_mut_leaves_the_handle_and_leaks_nothing() {
    assert_no_leak(|| {
        let live = AtomicUsize::new(0);
        let mut probe = Probe::new(1, &live);
        probe.panic_in_clone = true;
        let mut a = Shared::new(probe);
        let b = a.clone();
        let result = catch_unwind(AssertUnwindSafe(|| {
            Shared::make_mut(&mut a).value = 2;
        }));
        assert!(result.is_err());
        drop(result);
        assert!(
            Shared::ptr_eq(&a, &b),
            "a must still point at the shared value"
        );
        assert_eq!(Shared::strong_count(&a), 2);
        assert_eq!((a.value, b.value), (1, 1));
        assert_eq!(live.load(Ordering::Relaxed), 1);
        drop(b);
        Shared::make_mut(&mut a).value = 3; // unique now: no clone, no panic
        assert_eq!(a.value, 3);
        drop(a);
        assert_eq!(live.load(Ordering::Relaxed), 0);
    });
}

#[test]
fn panicking_drop_of_the_last_handle_still_frees() {
    assert_no_leak(|| {
        let live = AtomicUsize::new(0);
        let mut probe = Probe::new(1, &live);
        probe.panic_in_drop = true;
        let a = Shared::new(probe);
        let b = a.clone();
        drop(a); // not the last: no drop of the value
        let result = catch_unwind(AssertUnwindSafe(move || drop(b)));
        assert!(result.is_err(), "the value's Drop ran and panicked");
        drop(result);
        assert_eq!(live.load(Ordering::Relaxed), 0);
    });
}

#[test]
fn panicking_drop_inside_try_unwrap_result_is_the_callers() {
    // try_unwrap moves the value out: its Drop (and panic) happens where the caller drops it,
    // after the allocation is already freed.
    assert_no_leak(|| {
        let live = AtomicUsize::new(0);
        let mut probe = Probe::new(1, &live);
        probe.panic_in_drop = true;
        let value = Shared::try_unwrap(Shared::new(probe)).ok().unwrap();
        let result = catch_unwind(AssertUnwindSafe(move || drop(value)));
        assert!(result.is_err());
        drop(result);
        assert_eq!(live.load(Ordering::Relaxed), 0);
    });
}

#[test]
fn send_and_sync_when_the_value_is() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Shared<String>>();
    send_sync::<Shared<std::sync::Mutex<Vec<u8>>>>();
}

#[test]
fn clones_race_across_threads_and_counts_return() {
    const THREADS: usize = 4;
    const ROUNDS: usize = 20_000;
    let live = AtomicUsize::new(0);
    let root = Shared::new(Probe::new(0, &live));
    thread::scope(|scope| {
        for t in 0..THREADS {
            let mine = root.clone();
            scope.spawn(move || {
                let mut held = Vec::new();
                for round in 0..ROUNDS {
                    held.push(Shared::clone(&mine));
                    if round % 3 == 0 {
                        held.clear();
                    }
                }
                let mut own = mine;
                Shared::make_mut(&mut own).value = t as u32 + 1; // copies: root still shares
                assert_eq!(own.value, t as u32 + 1);
            });
        }
    });
    assert_eq!(Shared::strong_count(&root), 1);
    assert_eq!(root.value, 0);
    assert_eq!(
        live.load(Ordering::Relaxed),
        1,
        "each thread's copy was freed"
    );
}

#[cfg(feature = "std")]
#[test]
fn works_inside_arc_swap() {
    use arc_swap::ArcSwapAny;

    let live = AtomicUsize::new(0);
    let first = Shared::new(Probe::new(1, &live));
    let cell: ArcSwapAny<Shared<Probe<'_>>> = ArcSwapAny::new(first.clone());
    assert_eq!(Shared::strong_count(&first), 2, "the cell holds one count");
    {
        let guard = cell.load();
        assert!(Shared::ptr_eq(&guard, &first));
        assert_eq!(guard.value, 1);
    }
    let full = cell.load_full();
    assert_eq!(Shared::strong_count(&first), 3);
    let old = cell.swap(Shared::new(Probe::new(2, &live)));
    assert!(Shared::ptr_eq(&old, &first));
    assert_eq!(cell.load().value, 2);
    drop((old, full));
    assert_eq!(Shared::strong_count(&first), 1);
    // A guard taken before a swap keeps the old value readable.
    let guard = cell.load();
    cell.store(first);
    assert_eq!(guard.value, 2);
    drop(guard);
    assert_eq!(cell.load().value, 1);
    assert_eq!(
        live.load(Ordering::Relaxed),
        1,
        "the replaced value was freed"
    );
    drop(cell);
    assert_eq!(live.load(Ordering::Relaxed), 0);
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trips_the_value() {
    let s = Shared::new(vec![1u8, 2, 3]);
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(json, "[1,2,3]");
    let back: Shared<Vec<u8>> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    assert_eq!(Shared::strong_count(&back), 1);
}

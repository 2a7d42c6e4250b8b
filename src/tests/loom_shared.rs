//! Loom models of `Shared<T>`'s count protocol (the snapshot hand-off built on it is modelled
//! on `CowCell` itself, in `loom_cell.rs`; the value type here serves both).
//!
//! Run: `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom`.
//!
//! The value type, [`Tracked`], keeps its number in a loom `UnsafeCell`, so loom reports any
//! read on one thread that is not ordered before a write or the free on another (a missing
//! Acquire or Release in `RefCount` shows up here). It also holds a loom `Arc` to a counter of
//! live values, so a value leaked by `Shared` is reported by loom's leak check, and every test
//! ends by checking that the number of live values is what it must be.

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread;

use crate::Shared;

/// A number whose accesses loom checks for races, counted while alive.
pub(super) struct Tracked {
    value: UnsafeCell<usize>,
    live: Arc<AtomicUsize>,
}

impl Tracked {
    pub(super) fn new(value: usize, live: &Arc<AtomicUsize>) -> Self {
        live.fetch_add(1, SeqCst);
        Tracked {
            value: UnsafeCell::new(value),
            live: Arc::clone(live),
        }
    }

    pub(super) fn get(&self) -> usize {
        // SAFETY: loom checks this read against every write of the cell; a race fails the test.
        self.value.with(|p| unsafe { *p })
    }

    pub(super) fn set(&mut self, value: usize) {
        // SAFETY: as in `get`, loom checks the write against every other access.
        self.value.with_mut(|p| unsafe { *p = value });
    }
}

impl Clone for Tracked {
    fn clone(&self) -> Self {
        Tracked::new(self.get(), &self.live)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        // A write at the end of life: loom flags it if a read on another thread is not ordered
        // before the free (the Release decrement and Acquire fence pair).
        self.set(usize::MAX);
        self.live.fetch_sub(1, SeqCst);
    }
}

pub(super) fn live_counter() -> Arc<AtomicUsize> {
    Arc::new(AtomicUsize::new(0))
}

#[test]
fn loom_clone_and_drop_race() {
    loom::model(|| {
        let live = live_counter();
        let a = Shared::new(Tracked::new(1, &live));
        let b = Shared::clone(&a);
        let t = thread::spawn(move || {
            let c = Shared::clone(&b);
            drop(b);
            assert_eq!(c.get(), 1);
            drop(c);
        });
        assert_eq!(a.get(), 1);
        drop(a);
        t.join().unwrap();
        assert_eq!(live.load(SeqCst), 0, "the value was not freed exactly once");
    });
}

#[test]
fn loom_make_mut_while_other_handle_drops() {
    loom::model(|| {
        let live = live_counter();
        let mut a = Shared::new(Tracked::new(1, &live));
        let b = Shared::clone(&a);
        let t = thread::spawn(move || {
            assert_eq!(b.get(), 1);
            drop(b);
        });
        // Either a copy (b still alive) or in place (b gone): both must be race-free.
        Shared::make_mut(&mut a).set(2);
        assert_eq!(a.get(), 2);
        t.join().unwrap();
        assert_eq!(live.load(SeqCst), 1, "only a's value may be alive");
        assert_eq!(Shared::strong_count(&a), 1);
        drop(a);
        assert_eq!(live.load(SeqCst), 0);
    });
}

#[test]
fn loom_get_mut_races_drop() {
    loom::model(|| {
        let live = live_counter();
        let mut a = Shared::new(Tracked::new(1, &live));
        let b = Shared::clone(&a);
        let t = thread::spawn(move || {
            assert_eq!(b.get(), 1);
            drop(b);
        });
        let wrote = match Shared::get_mut(&mut a) {
            Some(value) => {
                value.set(2);
                true
            }
            None => false,
        };
        t.join().unwrap();
        // After the join `a` is unique, so get_mut must now succeed.
        assert!(Shared::get_mut(&mut a).is_some());
        assert_eq!(a.get(), if wrote { 2 } else { 1 });
        assert_eq!(live.load(SeqCst), 1);
        drop(a);
        assert_eq!(live.load(SeqCst), 0);
    });
}

#[test]
fn loom_try_unwrap_races_drop() {
    loom::model(|| {
        let live = live_counter();
        let a = Shared::new(Tracked::new(1, &live));
        let b = Shared::clone(&a);
        let t = thread::spawn(move || {
            assert_eq!(b.get(), 1);
            drop(b);
        });
        match Shared::try_unwrap(a) {
            Ok(mut value) => {
                value.set(2); // owned now: must not race with b's read
                assert_eq!(value.get(), 2);
                t.join().unwrap();
            }
            Err(a) => {
                t.join().unwrap();
                assert_eq!(Shared::strong_count(&a), 1);
                let value = Shared::try_unwrap(a).ok().expect("unique after the join");
                assert_eq!(value.get(), 1);
            }
        }
        assert_eq!(live.load(SeqCst), 0);
    });
}

#[test]
fn loom_into_inner_on_two_threads_gives_the_value_to_exactly_one() {
    loom::model(|| {
        let live = live_counter();
        let a = Shared::new(Tracked::new(1, &live));
        let b = Shared::clone(&a);
        let t = thread::spawn(move || {
            assert_eq!(b.get(), 1);
            Shared::into_inner(b).map(|mut value| {
                value.set(3); // owned now: must not race with the other thread's read
                value.get()
            })
        });
        assert_eq!(a.get(), 1);
        let here = Shared::into_inner(a).map(|mut value| {
            value.set(2);
            value.get()
        });
        let there = t.join().unwrap();
        assert!(
            matches!((here, there), (Some(2), None) | (None, Some(3))),
            "exactly one thread must get the value: {here:?} {there:?}"
        );
        assert_eq!(live.load(SeqCst), 0);
    });
}

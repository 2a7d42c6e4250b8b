//! Loom models of `CowCell`'s snapshot protocol: writers serialized by the writer lock, readers
//! on the swap cell's loom stand-in, replaced versions freed outside the lock.
//!
//! Run: `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom`.

use loom::sync::Arc;
use loom::sync::atomic::Ordering::SeqCst;
use loom::thread;
use std::vec::Vec;

use super::loom_shared::{Tracked, live_counter};
use crate::{CowCell, Shared};

/// Two writers increment through `update` while a reader loads twice: the reader sees only
/// published values, in order; no update is lost; every replaced version is freed.
#[test]
fn loom_cell_two_writers_and_a_reader() {
    loom::model(|| {
        let live = live_counter();
        let cell = Arc::new(CowCell::new(Tracked::new(0, &live)));
        let writers: Vec<_> = (0..2)
            .map(|_| {
                let cell = Arc::clone(&cell);
                thread::spawn(move || cell.update(|t| t.set(t.get() + 1)))
            })
            .collect();
        let first = cell.load().get();
        let second = cell.load().get();
        assert!(first <= second && second <= 2, "saw {first} then {second}");
        for w in writers {
            w.join().unwrap();
        }
        let cell = Arc::try_unwrap(cell).ok().expect("writers are done");
        assert_eq!(cell.load().get(), 2, "an update was lost");
        assert_eq!(live.load(SeqCst), 1, "a replaced version was not freed");
        drop(cell);
        assert_eq!(live.load(SeqCst), 0);
    });
}

/// A reader keeps an owned snapshot across a write and drops it on its own thread, racing the
/// writer's free of the version it replaced: exactly one of them frees it, after both reads.
/// A `try_update` that fails publishes nothing.
#[test]
fn loom_cell_snapshot_outlives_the_write() {
    loom::model(|| {
        let live = live_counter();
        let cell = Arc::new(CowCell::new(Tracked::new(1, &live)));
        let reader = {
            let cell = Arc::clone(&cell);
            thread::spawn(move || {
                let snap: Shared<Tracked> = cell.snapshot();
                let seen = snap.get();
                assert!(seen == 1 || seen == 2);
                drop(snap);
                let mut cached = cell.reader();
                let again = cached.load().get();
                assert!(again >= seen);
            })
        };
        let refused: Result<(), ()> = cell.try_update(|t| {
            t.set(99);
            Err(())
        });
        assert!(refused.is_err());
        drop(cell.replace(Tracked::new(2, &live)));
        reader.join().unwrap();
        assert_eq!(cell.load().get(), 2);
        assert_eq!(live.load(SeqCst), 1);
        drop(cell);
        assert_eq!(live.load(SeqCst), 0);
    });
}

/// A real re-entry (a write from inside a write to the same cell, on one loom thread) still
/// panics with the message, publishes nothing and leaves the cell writable, while another loom
/// thread writes the same cell. (Two loom threads that yield inside their updates, with no
/// false re-entry, are checked from outside, in tests/downstream/tests/loom.rs.)
#[test]
fn loom_cell_reentry_panics_on_the_loom_thread() {
    loom::model(|| {
        let cell = Arc::new(CowCell::new(0u32));
        let other = {
            let cell = Arc::clone(&cell);
            thread::spawn(move || cell.update(|n| *n += 10))
        };
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            cell.update(|n| {
                *n += 1;
                cell.update(|n| *n += 100);
            })
        }));
        let message = caught.expect_err("a re-entrant write must panic");
        let message = message
            .downcast_ref::<std::string::String>()
            .map(std::string::String::as_str)
            .unwrap_or_default();
        assert!(message.contains("from inside its own write"), "{message}");
        cell.update(|n| *n += 1000);
        other.join().unwrap();
        assert_eq!(*cell.load(), 1010);
    });
}

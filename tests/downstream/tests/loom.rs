//! Loom model checks of code that uses cowkit, written as a user would write them. Under
//! `--cfg loom` cowkit's own atomics, writers' lock and snapshot cell are loom's, so loom
//! explores the interleavings *inside* cowkit's calls too. Each test prints how many
//! interleavings loom explored (`-- --nocapture`).
//!
//! Run: `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=3 cargo test --release --test loom -- --nocapture`.
#![cfg(loom)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};

use cowkit::{CowCell, CowList};
use cowkit_downstream::Registry;
use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::thread;

/// Runs `body` under `loom::model` and returns how many interleavings (model iterations) loom
/// explored.
fn explore(name: &str, body: impl Fn() + Sync + Send + 'static) -> usize {
    let runs = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&runs);
    loom::model(move || {
        counted.fetch_add(1, Ordering::Relaxed);
        body();
    });
    let explored = runs.load(Ordering::Relaxed);
    println!("{name}: {explored} interleavings explored");
    explored
}

/// (a) Two threads `push_if_absent(1)` on one list: exactly one element in every interleaving.
#[test]
fn push_if_absent_from_two_threads_adds_once() {
    let explored = explore("push_if_absent", || {
        let registry = Arc::new(Registry::new());
        let other = {
            let registry = Arc::clone(&registry);
            thread::spawn(move || registry.register(1))
        };
        let mine = registry.register(1);
        let theirs = other.join().unwrap();
        assert!(mine ^ theirs, "exactly one of the two calls adds it");
        assert_eq!(registry.len(), 1);
    });
    assert!(
        explored > 1,
        "loom saw only one interleaving: cowkit is invisible to it"
    );
}

/// (b) Two threads `update` one cell, each yielding inside its closure: the second writer waits
/// on cowkit's writers' lock (no false re-entry panic though loom runs both on one OS thread),
/// and no update is lost.
#[test]
fn updates_that_yield_inside_the_closure_lose_nothing() {
    let explored = explore("update with yield", || {
        let cell = Arc::new(CowCell::new(0u64));
        let other = {
            let cell = Arc::clone(&cell);
            thread::spawn(move || {
                cell.update(|n| {
                    thread::yield_now();
                    *n += 1;
                })
            })
        };
        cell.update(|n| {
            thread::yield_now();
            *n += 1;
        });
        other.join().unwrap();
        assert_eq!(*cell.load(), 2, "an update was lost");
    });
    assert!(explored > 1);
}

/// (c) Publication through cowkit: write plain data, then `push`; a reader that sees the push
/// may read the data. Loom sees the happens-before edge through cowkit's snapshot cell, so no
/// causality violation is reported.
#[test]
fn data_written_before_a_push_is_visible_to_a_reader_that_sees_it() {
    let explored = explore("publish through push", || {
        let data = Arc::new(UnsafeCell::new(0u64));
        let list = Arc::new(CowList::new());
        let writer = {
            let (data, list) = (Arc::clone(&data), Arc::clone(&list));
            thread::spawn(move || {
                // SAFETY: no reader touches `data` before it sees the push below.
                data.with_mut(|p| unsafe { *p = 42 });
                list.push(1u8);
            })
        };
        if list.len() == 1 {
            // SAFETY: the push that made `len() == 1` came after the write (loom checks it).
            let seen = data.with(|p| unsafe { *p });
            assert_eq!(seen, 42);
        }
        writer.join().unwrap();
    });
    assert!(explored > 1);
}

/// (d) A check-then-act race in user code (`contains`, then `push`, on two threads) must be
/// *found*: loom must reach the interleaving where both threads see the list empty. This
/// proves loom explores cowkit's interleavings rather than running each call atomically.
#[test]
fn check_then_act_race_in_user_code_is_found() {
    static RUNS_BEFORE_FAILURE: AtomicUsize = AtomicUsize::new(0);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        loom::model(|| {
            RUNS_BEFORE_FAILURE.fetch_add(1, Ordering::Relaxed);
            let registry = Arc::new(Registry::new());
            let other = {
                let registry = Arc::clone(&registry);
                thread::spawn(move || registry.register_racy(1))
            };
            registry.register_racy(1);
            other.join().unwrap();
            assert_eq!(
                registry.len(),
                1,
                "check-then-act race: the id was added twice"
            );
        });
    }));
    let runs = RUNS_BEFORE_FAILURE.load(Ordering::Relaxed);
    println!("check-then-act: loom found the race after {runs} interleavings");
    let panic = outcome.expect_err("loom must find the check-then-act race");
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    assert!(
        message.contains("added twice"),
        "failed for another reason: {message}"
    );
}

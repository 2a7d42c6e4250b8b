//! `CowCell<CowVec<T>>`: the large-n copy-on-write list.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use cowkit::CowCell;

use super::*;

#[test]
fn readers_keep_whole_snapshots() {
    let want = counting(LARGE);
    let cell = CowCell::new(CowVec::from(want.clone()));
    let before = cell.load();
    let kept = cell.snapshot();
    cell.update(|v| v[LARGE / 2] = 7);
    cell.update(|v| v.push(8));
    let now = cell.load();
    let mut model = want.clone();
    model[LARGE / 2] = 7;
    model.push(8);
    check(&now, &model);
    check(&before, &want);
    check(&kept, &want);
    // A batch of writes in one update: one published version.
    let n = cell.update(|v| {
        v.truncate(10);
        v.insert(0, 1);
        v.len()
    });
    assert_eq!(n, 11);
    check(&cell.load(), &[1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    check(&now, &model);
}

/// One writer publishes versions in which every element holds the version number; readers
/// on other threads check that every snapshot they take is whole (all elements equal, at
/// both ends and in the middle) and never changes while they hold it. Bounded: 300 writes.
#[test]
fn snapshots_from_threads_are_whole_and_never_change() {
    const N: usize = 20_000;
    const WRITES: u64 = 300;
    let cell = Arc::new(CowCell::new(CowVec::from(vec![0u64; N])));
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (cell, done) = (Arc::clone(&cell), Arc::clone(&done));
            std::thread::spawn(move || {
                let mut seen = 0;
                let mut last = 0;
                while !done.load(Ordering::Acquire) || seen == 0 {
                    let snap = cell.load();
                    let version = snap[0];
                    assert!(version >= last, "versions went back: {version} < {last}");
                    last = version;
                    assert_eq!(snap.len(), N);
                    assert_eq!(snap[N / 2], version);
                    assert_eq!(snap[N - 1], version);
                    let held = cell.snapshot();
                    let first = held[0];
                    std::thread::yield_now();
                    assert!(held.iter().all(|&x| x == first), "a torn snapshot");
                    seen += 1;
                }
                seen
            })
        })
        .collect();
    for version in 1..=WRITES {
        cell.update(|v| {
            // Every element: the spine copies and every chunk in turn.
            for x in v.iter_mut() {
                *x = version;
            }
        });
        if version % 50 == 0 {
            std::thread::yield_now();
        }
    }
    done.store(true, Ordering::Release);
    for reader in readers {
        assert!(reader.join().expect("a reader panicked") > 0);
    }
    check(&cell.load(), &vec![WRITES; N]);
}

/// A single-element write through the cell, while readers hold snapshots, changes only the
/// cell's current version.
#[test]
fn single_writes_beside_held_snapshots() {
    let cell = CowCell::new(CowVec::from(counting(LARGE)));
    let mut held = Vec::new();
    let mut model = counting(LARGE);
    for k in 0..50usize {
        held.push((cell.load(), model.clone()));
        let i = (k * 7919) % LARGE;
        cell.update(|v| v[i] = 0);
        model[i] = 0;
    }
    check(&cell.load(), &model);
    for (snap, want) in &held {
        check(snap, want);
    }
}

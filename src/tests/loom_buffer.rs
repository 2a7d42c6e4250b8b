//! Loom model of `CowBuffer`: two clones of one buffer written and dropped on two threads, in
//! every order loom can reach. The table nodes are `Shared` allocations and the pages carry the
//! same `RefCount`, so loom sees every count change: the copy of a shared node (an increment
//! per child), the uniqueness check before a page is written in place, and the last drop that
//! frees a page or a node. (Loom builds have no page pool: it is a cache, not part of the
//! protocol. Each page is then an arena of one frame, found from its address as in the pooled
//! build.)
//!
//! Run: `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom`.

use loom::thread;

use crate::{CowBuffer, PAGE_SIZE};

/// Two pages, each with its own byte pattern.
fn two_pages() -> CowBuffer {
    let mut b = CowBuffer::zeroed(2 * PAGE_SIZE);
    b.set(0, 1);
    b.set(PAGE_SIZE, 2);
    b
}

#[test]
fn loom_buffer_two_clones_written_and_dropped_on_two_threads() {
    loom::model(|| {
        let mut a = two_pages();
        let b = a.clone();
        let t = thread::spawn(move || {
            let mut b = b;
            b.set(0, 10); // shared or not: must never write into a's page
            b.set(PAGE_SIZE + 1, 20);
            assert_eq!(
                (b.get(0), b.get(PAGE_SIZE), b.get(PAGE_SIZE + 1)),
                (Some(10), Some(2), Some(20))
            );
            // b drops here, possibly while a still shares its pages, or last.
        });
        a.set(PAGE_SIZE, 30);
        assert_eq!(
            (a.get(0), a.get(PAGE_SIZE), a.get(PAGE_SIZE + 1)),
            (Some(1), Some(30), Some(0))
        );
        t.join().unwrap();
        let stats = a.stats();
        assert_eq!(
            (stats.private, stats.shared),
            (2, 0),
            "b is gone: a holds its pages alone"
        );
    });
}

#[test]
fn loom_buffer_reader_drops_while_owner_writes_in_place() {
    loom::model(|| {
        let mut a = two_pages();
        let reader = a.clone();
        let t = thread::spawn(move || {
            assert_eq!(reader.get(PAGE_SIZE), Some(2)); // a read, then the drop (Release)
        });
        // Once the reader is gone this writes in place: its read must happen before.
        a.set(PAGE_SIZE, 3);
        a.truncate(PAGE_SIZE + 1);
        assert_eq!(a.get(PAGE_SIZE), Some(3));
        t.join().unwrap();
    });
}

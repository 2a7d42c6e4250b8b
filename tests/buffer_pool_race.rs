//! A race between freeing pages and turning the page pool's thread caches off and on: a free of
//! many pages that began with caching off, and saw it turned back on part way, took the pool's
//! lock a second time and hung forever. A file of its own, so that the race runs alone in its
//! process (the pool is process-wide), with a watchdog that fails the test instead of hanging.
// Not in the `--cfg cowkit_unpooled` sanitizer builds, which have no pool.
#![cfg(all(feature = "std", not(cowkit_unpooled)))]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use cowkit::{CowBuffer, PAGE_SIZE};

#[test]
fn freeing_pages_while_the_bound_flips_never_hangs() {
    const ROUNDS: usize = 3_000;
    let stop = Arc::new(AtomicBool::new(false));
    let (done, finished) = mpsc::channel();
    let dropper = {
        let done = done.clone();
        thread::spawn(move || {
            let bytes = vec![1u8; 32 * PAGE_SIZE];
            for _ in 0..ROUNDS {
                drop(CowBuffer::from(&bytes[..]));
            }
            done.send("dropper").unwrap();
        })
    };
    let flipper = {
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                CowBuffer::set_page_pool_limit(0);
                CowBuffer::set_page_pool_limit(16 << 20);
            }
            done.send("flipper").unwrap();
        })
    };
    // The watchdog: the dropper must finish its rounds in time; a hang shows as a failure.
    let first = finished
        .recv_timeout(Duration::from_secs(20))
        .expect("freeing pages hung while the pool's bound was flipped (self-deadlock)");
    assert_eq!(first, "dropper");
    stop.store(true, Ordering::Relaxed);
    assert_eq!(
        finished.recv_timeout(Duration::from_secs(20)),
        Ok("flipper"),
        "setting the pool's bound hung"
    );
    dropper.join().unwrap();
    flipper.join().unwrap();
    CowBuffer::set_page_pool_limit(16 << 20);
}

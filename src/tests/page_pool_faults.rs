//! The page pool's failure edges, each reached by making one OS call fail on purpose (the
//! test-only fault injection of `buffer/page/os.rs`, `faults`):
//!
//! - a `munmap` of an idle arena that fails keeps the arena listed as idle: the count of free
//!   frames stays right, and the arena is offered back again the next time the bound is
//!   enforced (both places that give arenas back: a frame's return and a lowered bound);
//! - a refill of a thread's cache cut short by a mapping that fails counts exactly the frames
//!   it cached;
//! - a trim of a new mapping that fails gives the whole mapping back and reports an
//!   allocation failure (on the `mmap` path; the portable arenas trim nothing).
//!
//! The pool is process-wide, so the scenarios run one after another in one test, in a process
//! of its own (this test binary run again for this test alone), where no other test takes or
//! frees pages. Each starts and ends with an empty pool.
//!
//! Declared by the pool itself (`buffer/page/pool.rs`), so that it is built exactly where the
//! pool is.

use std::boxed::Box;
use std::panic;
use std::process::Command;
use std::string::String;
use std::vec;

use super::os::faults::{self, MappingFailed};
use super::{BATCH, CACHE, POOL, len, set_limit};
use crate::buffer::page::PageRef;
use crate::config::PAGE_POOL_LIMIT;

/// Set in the child process, which runs the scenarios.
const CHILD: &str = "COWKIT_POOL_FAULTS_CHILD";

#[test]
fn pool_failure_edges() {
    if std::env::var_os(CHILD).is_none() {
        // This test's name as the test binary knows it: the module path without the crate.
        let name = concat!(module_path!(), "::pool_failure_edges");
        let name = name.split_once("::").map_or(name, |(_, name)| name);
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", name, "--test-threads=1", "--nocapture"])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stdout.contains("1 passed"),
            "the child process failed or ran no test:\n{stdout}\n{stderr}"
        );
        return;
    }
    // The injected failures panic on purpose: keep them quiet (the default hook's backtrace
    // could map memory where a check looks for a mapping that must be gone), and report every
    // other panic as usual.
    let report = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if !info.payload().is::<MappingFailed>() {
            report(info);
        }
    }));
    failed_trim_gives_the_mapping_back();
    failed_unmap_keeps_the_arena_idle();
    failed_refill_counts_what_it_cached();
}

/// A trim of a new mapping that fails: the whole mapping goes back to the OS and the take
/// fails as an allocation failure (a panic here, an abort in other builds); the pool and the
/// cache hold nothing from it.
fn failed_trim_gives_the_mapping_back() {
    set_limit(PAGE_POOL_LIMIT);
    assert_empty_pool();
    // The first `munmap` fails: a trim of the mapping (the head, or the tail when the kernel
    // placed the mapping aligned, which it may do for large mappings).
    faults::arm(None, Some(0));
    let taken = panic::catch_unwind(PageRef::new_uninit);
    let fired = faults::disarm();
    let Some((start, length)) = faults::last_mapping() else {
        // The portable arenas: no mapping to trim, no `munmap` to fail.
        assert!(taken.is_ok() && !fired);
        drop(taken);
        set_limit(0);
        assert_empty_pool();
        return;
    };
    assert!(fired, "the trim's munmap was never tried");
    let Err(failure) = taken else {
        panic!("a failed trim of a new mapping was not reported");
    };
    assert!(
        failure.is::<MappingFailed>(),
        "another panic than the mapping failure"
    );
    assert_unmapped(start, length);
    set_limit(0);
    assert_empty_pool();
}

/// A `munmap` of a wholly free arena that fails, from each place that gives arenas back: the
/// arena stays listed as idle with its frames counted free, and goes at the next try.
fn failed_unmap_keeps_the_arena_idle() {
    // A bound of 0: no caching, and an arena goes back as soon as its last frame does.
    set_limit(0);
    assert_empty_pool();
    let page = PageRef::new_uninit();
    let frames = len() + 1;

    // A frame's return (`Pool::put`) leaves its arena wholly free, beyond the bound.
    faults::arm(None, Some(0));
    drop(page);
    assert!(faults::disarm(), "the arena's munmap was never tried");
    assert_eq!(
        (len(), POOL.lock().idle),
        (frames, 1),
        "after a failed munmap from a frame's return, the arena's frames are not counted free and idle"
    );
    set_limit(0);
    assert_empty_pool();

    // A lowered bound (`set_limit`) gives back an idle arena.
    set_limit(frames);
    drop(PageRef::new_uninit());
    faults::arm(None, Some(0));
    set_limit(0);
    assert!(faults::disarm(), "the arena's munmap was never tried");
    assert_eq!(
        (len(), POOL.lock().idle),
        (frames, 1),
        "after a failed munmap from a lowered bound, the arena's frames are not counted free and idle"
    );
    set_limit(0);
    assert_empty_pool();
}

/// A refill of this thread's cache that takes the pool's last free frames and then fails to
/// map a new arena: the cache counts the frames it took, and hands them out.
fn failed_refill_counts_what_it_cached() {
    // No caching while the stage is set: pages come from, and go back to, the pool itself.
    set_limit(0);
    assert_empty_pool();
    let mut pages = vec![PageRef::new_uninit()];
    let frames = len() + 1;
    pages.extend((1..frames).map(|_| PageRef::new_uninit()));
    assert_eq!(len(), 0, "one arena holds every page");
    // Fewer free frames in the pool than a refill takes.
    let left = BATCH / 2;
    pages.truncate(frames - left);
    set_limit(PAGE_POOL_LIMIT);
    assert_eq!((len(), cached()), (left, 0));

    faults::arm(Some(0), None);
    let taken = panic::catch_unwind(PageRef::new_uninit);
    assert!(faults::disarm(), "the refill never tried to map an arena");
    let Err(failure) = taken else {
        panic!("the refill did not run out of frames");
    };
    assert!(
        failure.is::<MappingFailed>(),
        "another panic than the mapping failure"
    );
    assert_eq!(
        (cached(), len()),
        (left, left),
        "a refill cut short does not count the frames it cached"
    );

    // The frames cached are handed out, and no new arena is needed for them.
    pages.extend((0..left).map(|_| PageRef::new_uninit()));
    assert_eq!((cached(), len()), (0, 0));
    assert!(POOL.lock().head.is_none());
    drop(pages);
    set_limit(0);
    assert_empty_pool();
}

/// Frames in this thread's cache.
fn cached() -> usize {
    CACHE.with(|cache| cache.borrow().len)
}

/// No free frame anywhere, no arena listed (so, with no page held, no arena at all).
fn assert_empty_pool() {
    assert_eq!(cached(), 0);
    let pool = POOL.lock();
    assert!(pool.head.is_none() && pool.free == 0 && pool.idle == 0);
}

/// Every page of `[start, start + length)` is unmapped.
#[cfg(target_os = "linux")]
fn assert_unmapped(start: usize, length: usize) {
    // SAFETY: `sysconf` reads no memory of ours.
    let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap();
    for at in (start..start + length).step_by(page) {
        let mut resident = 0u8;
        // SAFETY: `mincore` reads nothing at `at` (it asks the kernel about the page there)
        // and writes one byte, for the one page asked about, into `resident`.
        let done =
            unsafe { libc::mincore(core::ptr::without_provenance_mut(at), page, &mut resident) };
        let error = std::io::Error::last_os_error().raw_os_error();
        assert!(
            done == -1 && error == Some(libc::ENOMEM),
            "the page at {at:#x} of the failed mapping is still mapped"
        );
    }
}

/// Only the `mmap` path, on Linux, records mappings.
#[cfg(not(target_os = "linux"))]
fn assert_unmapped(_start: usize, _length: usize) {
    unreachable!("no mapping is recorded off Linux");
}

//! Helpers shared by the public-API tests.
//!
//! A counting global allocator: it counts the allocations each thread makes minus those it
//! frees, so a test measures its own code even while other tests run. Panicking test types
//! raise their panic with `resume_unwind`, which skips the panic hook, so that printing a
//! panic message does not allocate in the middle of a measurement.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

struct CountingAlloc;

thread_local! {
    /// Allocations made minus allocations freed by this thread.
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    // `try_with`: during thread teardown the counter may be gone; those frees are not ours.
    let _ = LIVE.try_with(|live| live.set(live.get() + delta));
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds `GlobalAlloc`'s contract;
// the bookkeeping touches only a const-initialized thread-local `Cell` and never allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            track(1);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on unchanged.
        unsafe { System.dealloc(ptr, layout) };
        track(-1);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on unchanged; a move keeps the
        // number of live allocations.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Allocations this thread holds right now.
#[allow(dead_code)] // each test file uses the helpers it needs
pub fn live_allocations() -> isize {
    LIVE.with(Cell::get)
}

/// Runs `f` and asserts that it freed every allocation it made on this thread.
#[allow(dead_code)] // each test file uses the helpers it needs
pub fn assert_no_leak<R>(f: impl FnOnce() -> R) -> R {
    let before = live_allocations();
    let result = f();
    let after = live_allocations();
    assert_eq!(after, before, "{} allocation(s) leaked", after - before);
    result
}

/// The panic message of `f`, or `None` when it did not panic.
#[allow(dead_code)] // each test file uses the helpers it needs
pub fn panic_message(f: impl FnOnce()) -> Option<String> {
    let payload = catch_unwind(AssertUnwindSafe(f)).err()?;
    Some(match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(payload) => payload
            .downcast::<&str>()
            .map(|s| s.to_string())
            .unwrap_or_default(),
    })
}

//! [`RefCount`]: the one atomic reference count of cowkit and its rules, used by `Shared<T>`,
//! the string's heap block and the buffer's pages.

use crate::sync::{AtomicUsize, Ordering, fence};

/// Past this many references the process aborts rather than let the count wrap (a wrapped count
/// would free a value that is still in use). Reaching it takes `isize::MAX` leaked handles, so
/// only `mem::forget` in a loop gets here. Same bound and reason as `std::sync::Arc`.
const MAX_REFCOUNT: usize = isize::MAX as usize;

/// An atomic reference count and its rules, written once for every shared allocation in cowkit.
///
/// A count starts at 1 for the handle that created it. The rules, and why each ordering:
/// - [`increment`](Self::increment) is `Relaxed`: a new reference is made from an existing one,
///   which already keeps the allocation alive; taking it publishes nothing.
/// - [`decrement`](Self::decrement) is `Release`, then an `Acquire` fence in the thread that takes
///   the count to zero: every use of the value through any handle happens before it is freed.
///   When the count is already 1 (an `Acquire` load), the last reference frees without writing
///   the count at all: no other reference exists that could change it.
/// - [`is_unique`](Self::is_unique) is an `Acquire` load: it pairs with the `Release` decrements
///   of handles dropped on other threads, so their reads happen before the caller's writes.
/// - past [`MAX_REFCOUNT`] the process aborts (not a panic: the count is already too high and
///   unwinding would run more drops on it).
pub(crate) struct RefCount {
    /// Number of live references. Invariant: ≥ 1 while any reference exists; the reference that
    /// takes it from 1 to 0 frees the allocation, and nothing reads it afterwards.
    count: AtomicUsize,
}

impl RefCount {
    /// A count of one: the reference being created.
    #[inline]
    pub(crate) fn new() -> Self {
        RefCount {
            count: AtomicUsize::new(1),
        }
    }

    /// Records one more reference. Aborts the process past `isize::MAX` references.
    #[inline]
    pub(crate) fn increment(&self) {
        // Relaxed: the caller holds a reference, so the allocation stays alive; a new reference
        // carries no data that another thread must see (as in `Arc::clone`).
        let old = self.count.fetch_add(1, Ordering::Relaxed);
        if old > MAX_REFCOUNT {
            abort_on_overflow();
        }
    }

    /// Drops one reference; returns `true` when it was the last one, in which case the caller
    /// must free the allocation (and every other thread's use of it happened before this return).
    /// The caller must own the reference it drops (so that a count of 1 means no one else).
    ///
    /// "No one else" includes arc-swap's uncounted readers. A snapshot cell's `load` may hold a
    /// value through a per-thread "debt" instead of a count. Such a reader exists only while
    /// the value is still in the cell, and the cell holds a count of its own on it; before a
    /// value leaves the cell (a swap, `into_inner`, the cell's drop), arc-swap pays every debt
    /// on it by taking a real count for that reader (its `wait_for_readers`), and a reader
    /// records a debt only on a pointer it then confirms is still in the cell. So a count of 1
    /// seen here by the handle's owner is never shadowed by a debt: either the value is out of
    /// every cell and all its readers hold counts, or the 1 is the cell's own count, which
    /// arc-swap drops only after paying the debts.
    #[inline]
    #[must_use = "the last reference must free the allocation"]
    pub(crate) fn decrement(&self) -> bool {
        // The last reference frees without a read-modify-write: with a count of 1 held by the
        // caller, no other reference exists to change it. Acquire, as in `is_unique`, orders
        // every other handle's earlier uses before the caller frees. This saves the costliest
        // atomic on the common drop of an unshared value.
        if self.is_unique() {
            return true;
        }
        // Release: this handle's reads and writes of the value happen before the count falls.
        if self.count.fetch_sub(1, Ordering::Release) != 1 {
            return false;
        }
        // Acquire fence: pairs with the Release decrements of every other handle, so all their
        // uses of the value happen before the caller frees it.
        fence(Ordering::Acquire);
        true
    }

    /// `true` when this is the only reference. The caller must own that reference (hold it by
    /// `&mut` or by value), so that no other thread can make a new one meanwhile.
    #[inline]
    pub(crate) fn is_unique(&self) -> bool {
        // Acquire: pairs with the Release decrement of any handle dropped on another thread, so
        // its reads of the value happen before the writes the caller is about to make.
        self.count.load(Ordering::Acquire) == 1
    }

    /// Sets the count directly, so a test can reach the overflow bound without `isize::MAX`
    /// leaked handles.
    #[cfg(all(test, not(loom)))]
    pub(crate) fn set_for_test(&self, count: usize) {
        self.count.store(count, Ordering::Relaxed);
    }

    /// The current count, for reporting only: it may change right after it is read.
    #[inline]
    pub(crate) fn get(&self) -> usize {
        // Relaxed: a snapshot for display; no access to the value depends on it.
        self.count.load(Ordering::Relaxed)
    }
}

/// Starts loading the cache line at `at` (a count, usually), so that an atomic operation on it
/// soon after does not stall on memory. A hint: it changes nothing and reads nothing into the
/// program.
#[inline]
pub(crate) fn prefetch<T>(at: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` needs SSE, which is in the x86-64 baseline (every x86-64 CPU has
    // it); a prefetch never faults and reads nothing into the program, whatever the address.
    unsafe {
        use core::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(at.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// Aborts the process: a reference count passed [`MAX_REFCOUNT`].
#[cold]
#[inline(never)]
fn abort_on_overflow() -> ! {
    #[cfg(feature = "std")]
    {
        std::process::abort()
    }
    #[cfg(not(feature = "std"))]
    {
        // Without std there is no `abort`; a panic raised while another panic unwinds aborts.
        struct PanicAgain;
        impl Drop for PanicAgain {
            fn drop(&mut self) {
                panic!("cowkit: reference count overflow");
            }
        }
        let _abort_while_unwinding = PanicAgain;
        panic!("cowkit: reference count overflow");
    }
}

//! The frames' source where there is no pool (no `std`, loom, `--cfg cowkit_unpooled`): each
//! frame is an arena of its own, one allocation of a page and its header, freed with its last
//! handle. With `std` the pool's public functions still exist: they report an empty pool
//! and no huge pages.

use core::ptr::NonNull;

use super::Page;
use super::arena::{arena_layout, count_ptr, frame_at};

/// Each frame is an allocation of its own.
pub(super) const POOLED: bool = false;

/// No records: nothing is pooled.
pub(crate) type Book = ();

/// A frame in an arena of its own (builds without the pool).
pub(super) fn take() -> NonNull<Page> {
    let layout = arena_layout();
    // SAFETY: the layout's size is not zero. Zeroed: a page's bytes must be initialized.
    let base = unsafe { alloc::alloc::alloc_zeroed(layout) };
    let Some(base) = NonNull::new(base) else {
        alloc::alloc::handle_alloc_error(layout)
    };
    frame_at(base, 0)
}

/// Frees one-frame arenas whose frame lost its last handle (builds without the pool).
///
/// # Safety
///
/// As for the pooled version: each frame's count went to zero and no handle remains.
pub(super) unsafe fn give_back(frames: impl Iterator<Item = NonNull<Page>>) {
    for frame in frames {
        // SAFETY: the count was written by `new_uninit` and is dead now: dropping it in place
        // (a no-op, except for loom's tracked atomics) is its last use. The arena was
        // allocated by `take` with `arena_layout` and no handle to its only frame remains.
        unsafe {
            core::ptr::drop_in_place(count_ptr(frame));
            alloc::alloc::dealloc(frame.cast().as_ptr(), arena_layout());
        }
    }
}

/// No pool: nothing to bound.
#[cfg(feature = "std")]
pub(crate) fn set_limit(_limit: usize) -> usize {
    0
}

/// No arenas mapped from the OS: nothing to advise, and no huge pages to report.
#[cfg(feature = "std")]
pub(crate) fn set_huge_pages(_on: bool) -> bool {
    false
}

/// No pool: nothing held.
#[cfg(feature = "std")]
pub(crate) fn len() -> usize {
    0
}

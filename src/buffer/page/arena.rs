//! Arena geometry: an arena of `FRAMES` frames of one page each, aligned to its size, with its
//! header (a count per frame, then the records of the frames' source) in its tail; a frame's
//! header and count found from its address alone.

use core::cell::UnsafeCell;
use core::num::NonZero;
use core::ptr::NonNull;

use super::Page;
use super::frames::{Book, POOLED};
use crate::config::{ARENA_PAGES, PAGE_SIZE};
use crate::shared::RefCount;

/// Frames per arena: as many as fit, with their header, in [`ARENA_PAGES`] pages' worth of
/// address space (510 of 512); one without the pool.
pub(super) const FRAMES: usize = if POOLED {
    (ARENA_PAGES * PAGE_SIZE - 128) / (PAGE_SIZE + size_of::<RefCount>())
} else {
    1
};

/// Bytes an arena takes: [`ARENA_PAGES`] pages (2 MiB with 4 KiB pages, one huge page)
/// pooled; one page and its header otherwise.
pub(super) const ARENA_SIZE: usize = if POOLED {
    ARENA_PAGES * PAGE_SIZE
} else {
    FRAMES * PAGE_SIZE + size_of::<Header>()
};

/// The alignment of an arena, a power of two at least its size: a frame's arena starts at the
/// frame's address rounded down to it.
pub(super) const ARENA_ALIGN: usize = ARENA_SIZE.next_power_of_two();

const _: () = {
    assert!(FRAMES * PAGE_SIZE + size_of::<Header>() <= ARENA_SIZE);
    assert!(FRAMES >= 1 && FRAMES <= u16::MAX as usize);
    assert!(align_of::<Header>() <= PAGE_SIZE);
};

/// The tail of an arena: a count per frame, then the records of the frames' source (the pool's, or none).
#[repr(C)]
pub(crate) struct Header {
    /// `counts[i]` counts the handles to frame `i`. Live (written by [`RefCount::new`]) only
    /// while the frame is handed out; a free frame's slot is dead and read by no one.
    pub(super) counts: [RefCount; FRAMES],
    /// The pool's records, read and written only under the pool's lock (`()` without a pool).
    pub(super) book: UnsafeCell<Book>,
}

/// The header of the arena that holds `frame`.
#[inline]
pub(super) fn header(frame: NonNull<Page>) -> NonNull<Header> {
    let base = frame.cast::<u8>().map_addr(|addr| {
        // An arena is aligned to ARENA_ALIGN and its frames lie in its first bytes, so rounding
        // down finds its start; the start is not zero (it is a live allocation).
        NonZero::new(addr.get() & !(ARENA_ALIGN - 1)).expect("cowkit: arenas do not start at 0")
    });
    // SAFETY: the header lies `FRAMES * PAGE_SIZE` bytes into the arena, inside its allocation
    // (the const assertions above check that it fits), and the pointer keeps the frame's
    // provenance, which is the whole arena's: every frame pointer is derived from the
    // arena's base.
    unsafe { base.byte_add(FRAMES * PAGE_SIZE).cast() }
}

/// The index of `frame` in its arena.
#[inline]
pub(super) fn frame_index(frame: NonNull<Page>) -> usize {
    (frame.addr().get() & (ARENA_ALIGN - 1)) / PAGE_SIZE
}

/// The count slot of `frame`, in its arena's header (live or dead: the caller knows which).
#[inline]
pub(super) fn count_ptr(frame: NonNull<Page>) -> *mut RefCount {
    let counts = header(frame).as_ptr().cast::<RefCount>();
    // `counts` is the first field of the `repr(C)` header; the index is below FRAMES.
    counts.wrapping_add(frame_index(frame))
}

/// The frame at `index` of the arena that starts at `base`.
#[inline]
pub(super) fn frame_at(base: NonNull<u8>, index: usize) -> NonNull<Page> {
    debug_assert!(index < FRAMES);
    // SAFETY: `index < FRAMES`, so the frame lies inside the arena's allocation.
    unsafe { base.byte_add(index * PAGE_SIZE).cast() }
}

/// The layout of an arena: how the one-frame stand-in and the portable OS path allocate it,
/// and what a failed mapping reports.
pub(super) fn arena_layout() -> core::alloc::Layout {
    core::alloc::Layout::from_size_align(ARENA_SIZE, ARENA_ALIGN)
        .expect("cowkit: the arena layout is valid")
}

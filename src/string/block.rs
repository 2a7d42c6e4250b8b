//! The heap block: `{count, capacity, bytes…}` in one allocation, the one place blocks are
//! allocated, grown and freed, and the one growth function that decides a new capacity.

use alloc::alloc::{Layout, alloc, dealloc, handle_alloc_error, realloc};
use alloc::collections::TryReserveError;
use alloc::vec::Vec;
use core::ptr::{self, NonNull};

use super::repr::MAX_CAP;
use crate::config::STRING_MIN_HEAP_CAPACITY;
use crate::shared::RefCount;

/// The smallest heap block (see the reason in `config`).
const MIN_HEAP_CAP: usize = STRING_MIN_HEAP_CAPACITY;

/// The one growth rule: the capacity of a block for a text that needs `needed` bytes and has
/// outgrown `outgrown` (the capacity of the block it grows in place, or the length it is
/// copied out at). `exact` asks for no spare room (an in-place edit of a shared text, or
/// `reserve_exact`); else twice what was outgrown, at least [`MIN_HEAP_CAP`], so that a run
/// of appends costs amortized O(1) per byte. Never past [`MAX_CAP`]; the caller checked that
/// `needed` is not.
pub(super) fn capacity_for(needed: usize, outgrown: usize, exact: bool) -> usize {
    debug_assert!(needed <= MAX_CAP);
    if exact {
        needed
    } else {
        needed
            .max(outgrown.saturating_mul(2))
            .clamp(MIN_HEAP_CAP, MAX_CAP)
    }
}

/// The start of a heap block; `capacity` bytes of text follow it in the same allocation.
#[repr(C)]
pub(super) struct Header {
    /// Handles sharing this block: `Shared`'s count and rules (see `RefCount`).
    pub(super) count: RefCount,
    /// Bytes of text the block holds. Invariant: changes only while `count == 1`, and
    /// `capacity <= MAX_CAP`.
    pub(super) capacity: usize,
}

/// Where the text starts in a block: right after the header (8-byte aligned, so no padding).
pub(super) const DATA_OFFSET: usize = size_of::<Header>();

/// Why a heap block could not be had: the size passes the maximum, or the allocator failed.
#[derive(Clone, Copy, Debug)]
pub(super) enum AllocFail {
    CapacityOverflow,
    AllocError(Layout),
}

impl AllocFail {
    /// The panic (or abort) of the infallible methods, as `String`'s: "capacity overflow", or
    /// the global allocation-error handler.
    #[cold]
    #[track_caller]
    pub(super) fn raise(self) -> ! {
        match self {
            AllocFail::CapacityOverflow => capacity_overflow(),
            AllocFail::AllocError(layout) => handle_alloc_error(layout),
        }
    }
}

/// The layout of a block holding `capacity` bytes.
fn layout(capacity: usize) -> Result<Layout, AllocFail> {
    if capacity > MAX_CAP {
        return Err(AllocFail::CapacityOverflow);
    }
    // `capacity <= MAX_CAP`, so the sum stays below `isize::MAX`.
    Layout::from_size_align(DATA_OFFSET + capacity, align_of::<Header>())
        .map_err(|_| AllocFail::CapacityOverflow)
}

/// A new block with a count of one and room for `capacity` bytes (at least one).
pub(super) fn new(capacity: usize) -> Result<NonNull<Header>, AllocFail> {
    let layout = layout(capacity)?;
    // SAFETY: the layout's size is at least `DATA_OFFSET` > 0.
    let raw = unsafe { alloc(layout) };
    let ptr = NonNull::new(raw.cast::<Header>()).ok_or(AllocFail::AllocError(layout))?;
    // SAFETY: `ptr` is a fresh allocation, aligned and big enough for a `Header`.
    unsafe {
        ptr.as_ptr().write(Header {
            count: RefCount::new(),
            capacity,
        })
    };
    Ok(ptr)
}

/// Moves a block to room for `capacity` bytes, keeping its header and text. On failure the
/// block is left as it was.
///
/// # Safety
/// - `ptr` is a live block whose count is 1, held by the caller's only handle;
/// - `capacity` is at least the length of the text the caller keeps in it.
pub(super) unsafe fn grow(
    ptr: NonNull<Header>,
    capacity: usize,
) -> Result<NonNull<Header>, AllocFail> {
    let new_layout = layout(capacity)?;
    // SAFETY: the block is live (caller's contract), so its header can be read; its
    // capacity passed `layout` when the block was made.
    let old_layout = unsafe { layout(ptr.as_ref().capacity).unwrap_unchecked() };
    // SAFETY: `ptr` was allocated with `old_layout` (every block is made by `new` or
    // `grow` with `layout(capacity)`), the alignment is unchanged, and `new_layout`'s size
    // is non-zero and at most `isize::MAX` (checked in `layout`).
    let raw = unsafe { realloc(ptr.as_ptr().cast(), old_layout, new_layout.size()) };
    let new = NonNull::new(raw.cast::<Header>()).ok_or(AllocFail::AllocError(new_layout))?;
    // SAFETY: `new` is the moved block, unique (the caller's only handle owns it).
    unsafe { (*new.as_ptr()).capacity = capacity };
    Ok(new)
}

/// Drops the header and frees the block.
///
/// # Safety
/// - `ptr` is a live block whose count has reached zero: no handle uses it any more.
pub(super) unsafe fn free(ptr: NonNull<Header>) {
    // SAFETY: the block is live until the `dealloc` below (caller's contract), and its
    // capacity passed `layout` when it was made.
    let layout = unsafe { layout(ptr.as_ref().capacity).unwrap_unchecked() };
    // SAFETY: the header was written by `new` and is dropped once, here (a no-op for a
    // plain atomic, but it keeps the count's type free to own resources, as loom's does).
    unsafe { ptr::drop_in_place(ptr.as_ptr()) };
    // SAFETY: allocated with this layout; no handle uses it any more.
    unsafe { dealloc(ptr.as_ptr().cast(), layout) };
}

/// The first byte of the block's text.
pub(super) fn data(ptr: NonNull<Header>) -> *mut u8 {
    // SAFETY: the text starts `DATA_OFFSET` bytes into the allocation, within it.
    unsafe { ptr.as_ptr().cast::<u8>().add(DATA_OFFSET) }
}

/// std's [`TryReserveError`] for a failure of ours, for the `try_reserve` methods.
///
/// std gives no constructor, so the error is std's own answer to the same request: a capacity
/// past `isize::MAX` bytes (which `Vec` refuses before it allocates), or an allocation of the
/// size that just failed. Should that allocation succeed (memory was freed in between), it is
/// given back and `None` says to try again.
#[cold]
pub(super) fn std_reserve_error(fail: AllocFail) -> Option<TryReserveError> {
    match fail {
        AllocFail::CapacityOverflow => Vec::<u8>::new().try_reserve(usize::MAX).err(),
        AllocFail::AllocError(layout) => Vec::<u8>::new().try_reserve_exact(layout.size()).err(),
    }
}

#[cold]
#[inline(never)]
#[track_caller]
pub(super) fn capacity_overflow() -> ! {
    panic!("capacity overflow");
}

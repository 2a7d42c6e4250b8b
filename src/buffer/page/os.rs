//! Arenas' memory from the OS: on Linux an anonymous mapping advised for transparent huge
//! pages; elsewhere (and on Linux with `--cfg cowkit_portable_arenas`, so that CI compiles and
//! tests this path) an aligned allocation of the global allocator.

use core::ptr::NonNull;

#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
use crate::buffer::page::arena::{ARENA_ALIGN, ARENA_SIZE};
use crate::buffer::page::arena::{FRAMES, Header};
use crate::config::PAGE_SIZE;

/// A new arena, aligned to its size, zeroed; returns its header. On Linux: an anonymous
/// mapping, advised for transparent huge pages.
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
pub(super) fn map_arena() -> NonNull<Header> {
    const _: () = assert!(ARENA_SIZE == ARENA_ALIGN);
    // Twice the size, so that an aligned arena lies inside; the ends are unmapped.
    let len = 2 * ARENA_SIZE;
    // SAFETY: an anonymous private mapping at an address of the kernel's choosing: it
    // aliases nothing, and the kernel zeroes it.
    let raw = unsafe {
        libc::mmap(
            core::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if raw == libc::MAP_FAILED {
        std::alloc::handle_alloc_error(
            core::alloc::Layout::from_size_align(ARENA_SIZE, ARENA_ALIGN)
                .expect("cowkit: the arena layout is valid"),
        );
    }
    let start = raw.cast::<u8>();
    let head = start.addr().next_multiple_of(ARENA_ALIGN) - start.addr();
    let tail = len - head - ARENA_SIZE;
    // SAFETY: `head + ARENA_SIZE + tail == len`, so all three pieces lie inside the new
    // mapping, which nothing else refers to. Unmapping the unaligned ends keeps exactly
    // the aligned arena. The advice only asks for huge pages; it fails harmlessly where
    // THP is off or missing (its result is ignored on purpose: the arena works either way).
    //
    // Trimming splits the new mapping, which fails past `vm.max_map_count`: that is then
    // the OS running out of mappings, reported as an allocation failure like any other
    // (after giving back what is left of the double mapping), not a silent 2 MiB leak.
    let base = unsafe {
        let base = start.add(head);
        let trimmed = (head == 0 || libc::munmap(start.cast(), head) == 0)
            && (tail == 0 || libc::munmap(base.add(ARENA_SIZE).cast(), tail) == 0);
        if !trimmed {
            libc::munmap(raw, len);
            std::alloc::handle_alloc_error(
                core::alloc::Layout::from_size_align(ARENA_SIZE, ARENA_ALIGN)
                    .expect("cowkit: the arena layout is valid"),
            );
        }
        libc::madvise(base.cast(), ARENA_SIZE, libc::MADV_HUGEPAGE);
        base
    };
    let base = NonNull::new(base).expect("cowkit: mmap does not return null");
    // SAFETY: the header lies inside the arena.
    unsafe { base.byte_add(FRAMES * PAGE_SIZE).cast() }
}

/// Gives an arena back to the OS.
///
/// # Safety
///
/// `base` is the start of an arena from `map_arena`, and nothing refers to it any more.
/// Returns `false` when the OS refused (the arena is then still mapped and intact).
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
pub(super) unsafe fn unmap_arena(base: NonNull<u8>) -> bool {
    // SAFETY: the caller's contract: the whole mapping is ours and unused.
    unsafe { libc::munmap(base.as_ptr().cast(), ARENA_SIZE) == 0 }
}

/// A new arena from the global allocator (no huge-page advice), zeroed; returns its header.
#[cfg(any(not(target_os = "linux"), cowkit_portable_arenas))]
pub(super) fn map_arena() -> NonNull<Header> {
    let layout = crate::buffer::page::arena::arena_layout();
    // SAFETY: the layout's size is not zero.
    let base = unsafe { alloc::alloc::alloc_zeroed(layout) };
    let Some(base) = NonNull::new(base) else {
        alloc::alloc::handle_alloc_error(layout)
    };
    // SAFETY: the header lies inside the arena.
    unsafe { base.byte_add(FRAMES * PAGE_SIZE).cast() }
}

/// Gives an arena back to the global allocator.
///
/// # Safety
///
/// `base` is the start of an arena from `map_arena`, and nothing refers to it any more.
/// Always succeeds (returns `true`).
#[cfg(any(not(target_os = "linux"), cowkit_portable_arenas))]
pub(super) unsafe fn unmap_arena(base: NonNull<u8>) -> bool {
    // SAFETY: allocated by `map_arena` with this layout; the caller's contract.
    unsafe { alloc::alloc::dealloc(base.as_ptr(), crate::buffer::page::arena::arena_layout()) };
    true
}

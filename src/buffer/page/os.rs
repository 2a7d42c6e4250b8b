//! Arenas' memory from the OS: on Linux an anonymous mapping, advised for or against
//! transparent huge pages as [`set_huge_pages`] last said (`config::ARENA_HUGE_PAGES` until
//! then); elsewhere (and on Linux with `--cfg cowkit_portable_arenas`, so that CI compiles and
//! tests this path) an aligned allocation of the global allocator, given no advice.

use core::ptr::NonNull;

#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
use crate::buffer::page::arena::{ARENA_ALIGN, ARENA_SIZE};
use crate::buffer::page::arena::{FRAMES, Header, arena_layout};
use crate::config::{ARENA_HUGE_PAGES, PAGE_SIZE};
use crate::sync::{Ordering, PoolFlag};

/// Whether arenas mapped from now on are advised for huge pages. Relaxed: it is a hint read once
/// per new arena, and no other memory is published through it.
static HUGE_PAGES: PoolFlag = PoolFlag::new(ARENA_HUGE_PAGES);

/// Sets whether arenas mapped from now on are advised for transparent huge pages; returns the
/// previous setting. Arenas already mapped keep their advice. (Recorded on every platform, used
/// only where arenas are `mmap`ed.)
pub(super) fn set_huge_pages(on: bool) -> bool {
    HUGE_PAGES.swap(on, Ordering::Relaxed)
}

/// A new arena, aligned to its size, zeroed; returns its header. On Linux: an anonymous
/// mapping, advised for transparent huge pages or against them (see [`set_huge_pages`]).
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
pub(super) fn map_arena() -> NonNull<Header> {
    const _: () = assert!(ARENA_SIZE == ARENA_ALIGN);
    // Twice the size, so that an aligned arena lies inside; the ends are unmapped.
    let len = 2 * ARENA_SIZE;
    #[cfg(test)]
    if faults::map_fails() {
        mapping_failed();
    }
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
        mapping_failed();
    }
    let start = raw.cast::<u8>();
    #[cfg(test)]
    faults::mapped(start.addr(), len);
    let head = start.addr().next_multiple_of(ARENA_ALIGN) - start.addr();
    let tail = len - head - ARENA_SIZE;
    // SAFETY: `head + ARENA_SIZE + tail == len`, so all three pieces lie inside the new
    // mapping, which nothing else refers to. Unmapping the unaligned ends keeps exactly
    // the aligned arena.
    //
    // Trimming splits the new mapping, which fails past `vm.max_map_count`: that is then
    // the OS running out of mappings, reported as an allocation failure like any other
    // (after giving back what is left of the double mapping, to which nothing refers yet
    // either), not a silent 2 MiB leak.
    let base = unsafe {
        let base = start.add(head);
        let trimmed =
            (head == 0 || munmap(start, head)) && (tail == 0 || munmap(base.add(ARENA_SIZE), tail));
        if !trimmed {
            // What is left of the mapping goes back whole (a range with holes from a trim
            // that worked is fine for `munmap`). Should this fail too, there is nothing
            // better to do with the mapping than to leave it.
            munmap(start, len);
            mapping_failed();
        }
        base
    };
    let advice = if HUGE_PAGES.load(Ordering::Relaxed) {
        libc::MADV_HUGEPAGE
    } else {
        libc::MADV_NOHUGEPAGE
    };
    // SAFETY: `madvise` with `MADV_HUGEPAGE` / `MADV_NOHUGEPAGE` over the arena, which lies
    // inside the mapping, only sets how the kernel will fault in its untouched, zero-filled
    // memory (one 2 MiB page or 4 KiB pages): it changes no byte and no mapping. Where it
    // fails (a kernel without THP: `EINVAL`), the kernel's default applies and the arena
    // works the same, so its result is ignored on purpose.
    unsafe { libc::madvise(base.cast(), ARENA_SIZE, advice) };
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
    unsafe { munmap(base.as_ptr(), ARENA_SIZE) }
}

/// `munmap` of the `len` bytes at `addr`; `true` when the OS did it. (Unit tests may make it
/// fail on purpose, unmapping nothing: see `faults`.)
///
/// # Safety
///
/// The range is a mapping made by `map_arena`, or part of one (parts already unmapped are
/// fine), and nothing refers to it any more.
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
unsafe fn munmap(addr: *mut u8, len: usize) -> bool {
    #[cfg(test)]
    if faults::unmap_fails() {
        return false;
    }
    // SAFETY: the caller's contract: the range is ours and unused.
    unsafe { libc::munmap(addr.cast(), len) == 0 }
}

/// A new arena from the global allocator (no huge-page advice, whatever [`set_huge_pages`]
/// says), zeroed; returns its header.
#[cfg(any(not(target_os = "linux"), cowkit_portable_arenas))]
pub(super) fn map_arena() -> NonNull<Header> {
    #[cfg(test)]
    if faults::map_fails() {
        mapping_failed();
    }
    // SAFETY: the layout's size is not zero.
    let base = unsafe { alloc::alloc::alloc_zeroed(arena_layout()) };
    let Some(base) = NonNull::new(base) else {
        mapping_failed()
    };
    // SAFETY: the header lies inside the arena.
    unsafe { base.byte_add(FRAMES * PAGE_SIZE).cast() }
}

/// Gives an arena back to the global allocator.
///
/// # Safety
///
/// `base` is the start of an arena from `map_arena`, and nothing refers to it any more.
/// Always succeeds (returns `true`), unless a unit test makes it fail on purpose (see
/// `faults`).
#[cfg(any(not(target_os = "linux"), cowkit_portable_arenas))]
pub(super) unsafe fn unmap_arena(base: NonNull<u8>) -> bool {
    #[cfg(test)]
    if faults::unmap_fails() {
        return false;
    }
    // SAFETY: allocated by `map_arena` with this layout; the caller's contract.
    unsafe { alloc::alloc::dealloc(base.as_ptr(), arena_layout()) };
    true
}

/// The OS (or the allocator) has no memory for an arena: reported as any failed allocation is,
/// through `handle_alloc_error` (which aborts the process). In unit tests with faults armed on
/// this thread, a panic instead, so that the test can look at the pool afterwards.
fn mapping_failed() -> ! {
    #[cfg(test)]
    faults::failed();
    std::alloc::handle_alloc_error(arena_layout())
}

/// Test-only fault injection: on the thread that arms it, the next arena mapping or `munmap`
/// (after a given number that succeed) fails on purpose, and a failed mapping panics with
/// `MappingFailed` instead of aborting the process. Only cowkit's own unit tests compile it (it
/// and every call into it are `#[cfg(test)]`): other builds have neither its code nor its
/// checks. Used by `src/tests/page_pool_faults.rs`.
#[cfg(test)]
pub(super) mod faults {
    use core::cell::Cell;
    use std::thread::LocalKey;

    std::thread_local! {
        /// Whether faults are armed on this thread.
        static ARMED: Cell<bool> = const { Cell::new(false) };
        /// Arena mappings to let through before one fails; `None`: none fails.
        static MAPS: Cell<Option<usize>> = const { Cell::new(None) };
        /// `munmap` calls to let through before one fails; `None`: none fails.
        static UNMAPS: Cell<Option<usize>> = const { Cell::new(None) };
        /// The last mapping made with `mmap` for an arena while armed: start and length.
        static MAPPING: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
    }

    /// The payload of the panic that stands for an allocation failure while faults are armed.
    #[derive(Debug)]
    pub(crate) struct MappingFailed;

    /// Arms faults on this thread: the arena mapping after `maps` successful ones fails, and
    /// the `munmap` after `unmaps` successful ones (`None`: none). Each fails once.
    pub(crate) fn arm(maps: Option<usize>, unmaps: Option<usize>) {
        ARMED.set(true);
        MAPS.set(maps);
        UNMAPS.set(unmaps);
        MAPPING.set(None);
    }

    /// Disarms faults on this thread; returns whether every fault armed had fired.
    pub(crate) fn disarm() -> bool {
        ARMED.set(false);
        MAPS.take().is_none() && UNMAPS.take().is_none()
    }

    /// The last mapping made for an arena while armed (never one off the `mmap` path).
    pub(crate) fn last_mapping() -> Option<(usize, usize)> {
        MAPPING.get()
    }

    /// Counts one call down; `true` for the one that is to fail.
    fn fails(left: &'static LocalKey<Cell<Option<usize>>>) -> bool {
        match left.get() {
            Some(0) => {
                left.set(None);
                true
            }
            Some(n) => {
                left.set(Some(n - 1));
                false
            }
            None => false,
        }
    }

    /// `true` when this arena mapping is to fail.
    pub(super) fn map_fails() -> bool {
        fails(&MAPS)
    }

    /// `true` when this `munmap` (or, off the `mmap` path, this arena's deallocation) is to
    /// fail.
    pub(super) fn unmap_fails() -> bool {
        fails(&UNMAPS)
    }

    /// Records a new mapping, while armed.
    #[allow(dead_code)] // unused off the `mmap` path
    pub(super) fn mapped(start: usize, len: usize) {
        if ARMED.get() {
            MAPPING.set(Some((start, len)));
        }
    }

    /// Panics with [`MappingFailed`] while armed; returns otherwise.
    pub(super) fn failed() {
        if ARMED.get() {
            std::panic::panic_any(MappingFailed);
        }
    }
}

//! Pages: [`PAGE_SIZE`] bytes in a *frame* of an *arena*, with a [`RefCount`] each, made
//! writable copy-on-write; and the pool of arenas that frames come from and go back to.
//!
//! # Why arenas
//!
//! A page that is its own heap allocation costs an allocator call and a header, and pages
//! taken one after another land anywhere. Frames are carved instead from arenas of 2 MiB
//! (with 4 KiB pages; `config::ARENA_PAGES`), mapped whole: a frame's count is found from its
//! address, counts of neighbouring pages share cache lines, and pages taken in order are
//! adjacent in memory (runs). A page fresh from the kernel still costs a first-touch fault on
//! its first write.
//!
//! On Linux a new arena is advised against transparent huge pages by default
//! (`MADV_NOHUGEPAGE`: 4 KiB faults, each page on its first write), or for them
//! (`MADV_HUGEPAGE`: the kernel faults in and zeroes 2 MiB at the arena's first write) when
//! `CowBuffer::set_huge_pages(true)` said so; the default is `config::ARENA_HUGE_PAGES`, with
//! its reason. Huge pages make fewer faults, but put a 2 MiB zeroing (on a virtual machine
//! whose host takes free memory back, a host fault of 512 pages: milliseconds) inside one
//! write. The figures of both policies in a fresh process, against the kernel's
//! copy-on-write in the same memory state, are in the README, from the report of
//! `cargo bench --bench buffer`. Other OSes get no advice.
//!
//! # Where the counts live
//!
//! An arena is aligned to its own size. Its frames come first, each exactly one page, and its
//! header sits in the tail: one [`RefCount`] per frame, side by side, and the pool's records of
//! the arena (like the kernel's `struct page` array). A frame's count is found from the frame's
//! address alone, so a page handle is one pointer. The counts of pages taken one after another
//! share cache lines (eight to a line): copying a table leaf, which takes a count on each of its
//! 16 pages, touches two or three lines instead of sixteen.
//!
//! # Memory going back
//!
//! Free frames stay in their arena, recorded in its header. An arena whose frames are all free
//! is *idle*: the pool keeps idle arenas while they fit within its bound (in pages; 16 MiB by
//! default, `CowBuffer::set_page_pool_limit`) and gives the others back to the OS (`munmap`).
//! An arena with any frame in use stays mapped, as in any slab allocator. So dropping every
//! buffer returns memory down to the bound; a bound below one arena keeps none.
//!
//! # Builds without the pool
//!
//! Without `std` (no lock for a shared pool), under loom (whose model checks the counts, and
//! for which process-wide state would leak between executions) and in cowkit's own sanitizer
//! runs (`--cfg cowkit_unpooled`: AddressSanitizer and valgrind then see each page's
//! allocation and free, which a pool would hide), an arena is one frame: an
//! allocation of one page and its header, freed with the last handle. The count rules and the
//! address arithmetic are the same code.
//!
//! # Layout of this folder
//!
//! - `mod.rs`: the page handle ([`PageRef`]) and the copy-on-write of one page or a run;
//! - `arena.rs`: arena geometry: frames, the header of counts, address arithmetic;
//! - `pool.rs`: the process-wide pool of arenas and each thread's cache of free frames;
//! - `unpooled.rs`: the stand-in where there is no pool: one frame per allocation;
//! - `mapped.rs`: file pages, a file mapped read-only (`CowBuffer::map_file`), and the count
//!   that keeps it mapped;
//! - `os.rs`: the arenas' memory from the OS (`mmap` on Linux, the global allocator elsewhere).
//!
//! Which of `pool.rs` and `unpooled.rs` provides the frames is chosen once, below, as the module
//! `frames`.

use core::mem::ManuallyDrop;
use core::ops::Deref;
use core::ptr::NonNull;

use self::arena::{ARENA_SIZE, FRAMES, count_ptr};
use self::frames::{give_back, take};
use crate::config::PAGE_SIZE;
use crate::shared::RefCount;

mod arena;
pub(crate) mod mapped;

// The one choice of where frames come from. Without `std` (no lock for a shared pool), under
// loom (whose model checks the counts, and for which process-wide state would leak between
// executions) and in cowkit's own sanitizer runs (`--cfg cowkit_unpooled`), each frame is an
// allocation of its own.
#[cfg(all(feature = "std", not(loom), not(cowkit_unpooled)))]
#[path = "pool.rs"]
pub(crate) mod frames;
#[cfg(not(all(feature = "std", not(loom), not(cowkit_unpooled))))]
#[path = "unpooled.rs"]
pub(crate) mod frames;

/// The bytes of one page. Only pages reached through a unique handle are ever written.
pub(crate) struct Page(pub(crate) [u8; PAGE_SIZE]);

/// What a hole reads as.
pub(crate) static ZEROS: [u8; PAGE_SIZE] = [0; PAGE_SIZE];

/// A handle to a page: the page table's leaves. `None` in a slot is a hole (reads as zeros).
///
/// Two kinds of page, told apart by the lowest bit of the pointer (pages are aligned to
/// [`PAGE_SIZE`], so it is free):
/// - a *frame* of an arena (bit clear): like `Shared<Page>`, with the count kept in the
///   arena's header rather than beside the bytes;
/// - a *file page* (bit set): [`PAGE_SIZE`] bytes of a read-only file mapping
///   (`mapped.rs`, from `CowBuffer::map_file`), counted by no one. The mapping has one count
///   for all its pages, held by every buffer whose table may hold them (the buffer's
///   `mapping` field), so a file page handle lives no longer than a count on its mapping.
///   A file page is never written: it is never unique, so a write copies it into a frame.
pub(crate) struct PageRef {
    /// The first byte of the page, tagged with [`FILE_PAGE`] for a file page. Invariant: a
    /// frame of a live arena, with a live count of at least one that includes this handle,
    /// whose bytes are initialized (zeroed when the arena was made, or left by an earlier
    /// page); or, tagged, `PAGE_SIZE` readable bytes of a file mapping kept mapped by a count
    /// that outlives this handle (see the type's docs).
    tagged: NonNull<Page>,
}

/// The tag of a file page's pointer in [`PageRef`].
const FILE_PAGE: usize = 1;

const _: () = assert!(
    PAGE_SIZE > FILE_PAGE,
    "page addresses leave the tag bit free"
);

// SAFETY: a `PageRef` is a counted, shared reference to plain bytes, as `Arc<[u8; N]>` is: the
// bytes are written only through a handle that saw its count at one while held by `&mut`
// (`get_mut`), the counts are atomic with `Shared`'s rules, and a frame's last handle gives it
// back to the thread's own cache of free frames (no other thread sees that cache) or to the
// pool under the pool's lock. A file page is read-only memory that no handle writes or frees
// (its mapping's count is a `Shared`, kept beside the table). So handles may move to and be
// shared between threads.
unsafe impl Send for PageRef {}
// SAFETY: as for `Send` above: `&PageRef` gives only shared reads of the bytes and of the count.
unsafe impl Sync for PageRef {}

impl PageRef {
    /// The memory a page takes in [`PageStats`](super::PageStats): the page, its count and its
    /// share of the arena's header and slack.
    pub(crate) const ALLOCATION_SIZE: usize = ARENA_SIZE / FRAMES;

    /// A page with one handle and unspecified (but initialized) bytes: a frame from the pool.
    #[inline]
    pub(crate) fn new_uninit() -> PageRef {
        let frame = take();
        // SAFETY: `take` hands out a frame of a live arena that no handle refers to, so its
        // count slot is dead and no one else reads or writes it; writing a new count of one
        // makes this handle its owner.
        unsafe { count_ptr(frame).write(RefCount::new()) };
        PageRef { tagged: frame }
    }

    /// A handle to a page of a file mapping.
    ///
    /// # Safety
    ///
    /// `page` is the start of [`PAGE_SIZE`] bytes of a read-only mapping, aligned to
    /// `PAGE_SIZE`, that stay mapped and unchanged while this handle or any clone of it lives:
    /// the caller keeps a count on the mapping for that long (see the type's docs).
    #[inline]
    #[cfg_attr(
        not(all(feature = "std", target_os = "linux", not(cowkit_portable_arenas))),
        allow(dead_code, reason = "files are mapped on Linux only")
    )]
    pub(crate) unsafe fn file_page(page: NonNull<Page>) -> PageRef {
        debug_assert!(page.addr().get() % PAGE_SIZE == 0);
        PageRef {
            tagged: page.map_addr(|addr| addr | FILE_PAGE),
        }
    }

    /// `true` for a page of a file mapping, `false` for a frame of an arena.
    #[inline]
    pub(crate) fn is_file(this: &Self) -> bool {
        this.tagged.addr().get() & FILE_PAGE != 0
    }

    /// The page's first byte, without the tag.
    #[inline]
    fn bytes(&self) -> *mut Page {
        let tag = self.tagged.addr().get() & FILE_PAGE;
        self.tagged.as_ptr().wrapping_byte_sub(tag)
    }

    /// The count of this handle's frame; `None` for a file page, which has none.
    #[inline]
    fn count(&self) -> Option<&RefCount> {
        if Self::is_file(self) {
            return None;
        }
        // SAFETY: the handle is a frame's (tested just above), and the frame is live with a
        // live count (the type's invariant), which stays live while this handle, borrowed
        // here, exists.
        Some(unsafe { &*count_ptr(self.tagged) })
    }

    /// `true` when this is the only handle to the page (see [`RefCount::is_unique`]); never
    /// for a file page (shared with the file).
    #[inline]
    pub(crate) fn is_unique(this: &mut Self) -> bool {
        this.count().is_some_and(RefCount::is_unique)
    }

    /// The bytes, writable, when this is the only handle.
    #[inline]
    pub(crate) fn get_mut(this: &mut Self) -> Option<&mut Page> {
        if Self::is_unique(this) {
            // SAFETY: a frame (file pages are never unique) whose count is one, and this
            // handle is held by `&mut`, so no other handle exists or can be made meanwhile, and
            // the Acquire in `is_unique` ordered every earlier use through dropped handles
            // before this write. The bytes are initialized.
            Some(unsafe { &mut *this.bytes() })
        } else {
            None
        }
    }

    /// `true` when both handles refer to the same page.
    #[inline]
    pub(crate) fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.tagged == b.tagged
    }

    /// `true` when another handle may exist, for reporting only (it may change right after):
    /// always for a file page, which is shared with the file.
    #[inline]
    pub(crate) fn is_shared(this: &Self) -> bool {
        this.count().is_none_or(|count| count.get() > 1)
    }

    /// Starts loading the cache line of the count, so that a clone, drop or uniqueness check
    /// soon after does not stall on memory. A hint: it changes nothing (and does nothing for a
    /// file page, which has no count).
    #[inline]
    pub(crate) fn prefetch(this: &Self) {
        if !Self::is_file(this) {
            crate::shared::prefetch(count_ptr(this.tagged));
        }
    }
}

impl Deref for PageRef {
    type Target = Page;

    #[inline]
    fn deref(&self) -> &Page {
        // SAFETY: a frame is live and initialized while this handle exists, and while another
        // handle exists no one writes it (writes need a unique handle held by `&mut`); a file
        // page stays mapped, readable and unchanged while this handle exists (the type's
        // invariant) and no one writes it.
        unsafe { &*self.bytes() }
    }
}

impl Clone for PageRef {
    #[inline]
    fn clone(&self) -> Self {
        if let Some(count) = self.count() {
            count.increment();
        }
        PageRef {
            tagged: self.tagged,
        }
    }
}

impl Drop for PageRef {
    #[inline]
    fn drop(&mut self) {
        if self.count().is_some_and(RefCount::decrement) {
            // SAFETY: that was the frame's last handle, and `decrement` ordered every use of it
            // through any handle before this point.
            unsafe { give_back([self.tagged].into_iter()) };
        }
    }
}

/// Drops many page handles at once: the frames whose last handle this was go back to the pool
/// under one lock (dropping a table leaf gives up to 16 pages).
pub(crate) fn release(pages: impl Iterator<Item = PageRef>) {
    let dead = pages.filter_map(|page| {
        let page = ManuallyDrop::new(page);
        page.count()
            .is_some_and(RefCount::decrement)
            .then_some(page.tagged)
    });
    // SAFETY: each frame yielded lost its last handle just now (see `PageRef::drop`); the
    // handles were forgotten, so none is dropped again.
    unsafe { give_back(dead) };
}

/// How many slots, from the first, hold pages whose frames follow one another in memory, up to
/// `max` (0 when the first slot is a hole). Pages written in order usually sit in frames taken
/// in order from one arena (and a file's pages in order lie in order in its mapping), so a run
/// lets a long read or write make one copy instead of one per page. Frames of different arenas
/// are never adjacent (an arena's header follows its frames); a frame and a file page never
/// are either, as the tag bit is compared with the address. File pages of two mappings could
/// be, but a table holds the pages of one mapping at most (`CowBuffer`'s `mapping`).
#[inline]
fn adjacent(slots: &[Option<PageRef>], max: usize) -> usize {
    let Some(first) = slots.first().and_then(Option::as_ref) else {
        return 0;
    };
    let start = first.tagged.addr().get();
    let mut n = 1;
    while n < max.min(slots.len())
        && slots[n]
            .as_ref()
            .is_some_and(|page| page.tagged.addr().get() == start + n * PAGE_SIZE)
    {
        n += 1;
    }
    n
}

/// The bytes of the longest run of pages adjacent in memory that starts at `slots[0]` (a
/// page, not a hole), at most `max` pages, as one slice.
#[inline]
pub(crate) fn run(slots: &[Option<PageRef>], max: usize) -> &[u8] {
    let n = adjacent(slots, max);
    let Some(first) = slots.first().and_then(Option::as_ref).filter(|_| n > 0) else {
        panic!("cowkit: a run starts at a page");
    };
    // SAFETY: the `n` pages lie one after another (`adjacent`) in one arena or one file mapping
    // (see `adjacent`), and the pointer came from that arena's or mapping's base, so the slice
    // lies in one allocation that it may address. Each page is initialized (a mapping's bytes
    // are the file's, zeros past its end) and held by a handle in `slots`, borrowed for the
    // slice's lifetime, so none is freed, unmapped or written meanwhile.
    unsafe { core::slice::from_raw_parts(first.bytes().cast::<u8>(), n * PAGE_SIZE) }
}

/// The bytes of the longest run of pages adjacent in memory and held by this handle alone that
/// starts at `slots[0]` (such a page), at most `max` pages, as one writable slice.
#[inline]
pub(crate) fn run_mut(slots: &mut [Option<PageRef>], max: usize) -> &mut [u8] {
    let adjacent = adjacent(slots, max);
    let mut n = 0;
    while n < adjacent && slots[n].as_mut().is_some_and(PageRef::is_unique) {
        n += 1;
    }
    let Some(first) = slots.first().and_then(Option::as_ref).filter(|_| n > 0) else {
        panic!("cowkit: a writable run starts at a private page");
    };
    // SAFETY: as in `run`; and every one of the `n` handles is unique (so a frame, not a file
    // page) and borrowed mutably here, so no other handle to these frames exists or can be made
    // while the slice lives.
    unsafe { core::slice::from_raw_parts_mut(first.bytes().cast::<u8>(), n * PAGE_SIZE) }
}

/// Makes the page in `slot` writable and returns its bytes: in place when this handle is the
/// only one, else a new page; a hole becomes a page.
///
/// With `overwrite` the caller promises to write every byte of the page, so a new page is not
/// filled first (neither zeroed for a hole nor copied from a shared page).
#[inline]
pub(crate) fn writable(slot: &mut Option<PageRef>, overwrite: bool) -> &mut [u8; PAGE_SIZE] {
    if !slot.as_mut().is_some_and(PageRef::is_unique) {
        let mut page = PageRef::new_uninit();
        if !overwrite {
            let bytes = &mut unique(&mut page).0;
            match slot.as_deref() {
                Some(shared) => bytes.copy_from_slice(&shared.0),
                None => bytes.fill(0),
            }
        }
        // Drops this buffer's handle on the shared page (it was not the last one: the page was
        // shared a moment ago; if the other holder went meanwhile, the page is freed here).
        *slot = Some(page);
    }
    match slot {
        // SAFETY: the page is a frame held by this handle alone: it was unique above (and,
        // held through `&mut`, no handle to it could be made since), or it is the fresh page
        // just put in. Hence, as in `get_mut`, no one else reads or writes its initialized
        // bytes while the borrow lives. (Not `get_mut`: that would test again what the branch
        // above just tested.)
        Some(page) => unsafe { &mut (*page.bytes()).0 },
        None => unreachable!("the slot was filled above"),
    }
}

/// The bytes of a page known to be held by one handle only.
#[inline]
fn unique(page: &mut PageRef) -> &mut Page {
    PageRef::get_mut(page).expect("cowkit: a fresh or checked page has one handle")
}

//! Pages: [`PAGE_SIZE`] bytes in a *frame* of an *arena*, with a [`RefCount`] each, made
//! writable copy-on-write; and the pool of arenas that frames come from and go back to.
//!
//! # Why arenas
//!
//! A page that is its own heap allocation costs the kernel's first-touch fault (~1.5–2 µs
//! measured on this project's machines) the first time it is written: as much as the kernel's
//! own copy-on-write fault after `fork()`, so a user-space copy into fresh memory would lose its
//! advantage. Frames are carved instead from arenas of 2 MiB (with 4 KiB pages), mapped whole
//! and, on Linux, advised for transparent huge pages (`madvise(MADV_HUGEPAGE)`): the kernel then
//! faults in and zeroes 2 MiB at once, about 0.25 µs per 4 KiB page instead of ~1.7 µs (figures
//! in the README). Without huge pages (THP off, another OS) an arena is still one mapping.
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

#[cfg(all(feature = "std", not(loom), not(cowkit_unpooled)))]
use core::cell::UnsafeCell;
use core::mem::ManuallyDrop;
use core::num::NonZero;
use core::ops::Deref;
use core::ptr::NonNull;

use super::PAGE_SIZE;
use crate::shared::RefCount;

/// The bytes of one page. Only pages reached through a unique handle are ever written.
pub(crate) struct Page(pub(crate) [u8; PAGE_SIZE]);

/// What a hole reads as.
pub(crate) static ZEROS: [u8; PAGE_SIZE] = [0; PAGE_SIZE];

/// Whether frames come from a shared pool of multi-frame arenas (see the module docs).
const POOLED: bool = cfg!(all(feature = "std", not(loom), not(cowkit_unpooled)));

/// Frames per arena: as many as fit, with their header, in 512 pages' worth of address space
/// (510 with 4 KiB pages); one without the pool.
const FRAMES: usize = if POOLED {
    (512 * PAGE_SIZE - 128) / (PAGE_SIZE + size_of::<RefCount>())
} else {
    1
};

/// Bytes an arena takes: 512 pages (2 MiB, one huge page) pooled; one page and its header
/// otherwise.
const ARENA_SIZE: usize = if POOLED {
    512 * PAGE_SIZE
} else {
    FRAMES * PAGE_SIZE + size_of::<Header>()
};

/// The alignment of an arena, a power of two at least its size: a frame's arena starts at the
/// frame's address rounded down to it.
const ARENA_ALIGN: usize = ARENA_SIZE.next_power_of_two();

/// Words of an arena's free-frame bitmap.
#[cfg(all(feature = "std", not(loom), not(cowkit_unpooled)))]
const FREE_WORDS: usize = FRAMES.div_ceil(64);

/// The pool's default bound: 4,096 pages (16 MiB with 4 KiB pages: 8 idle arenas). Enough to
/// absorb the churn of a typical working set of diverged clones without holding much memory
/// hostage.
#[cfg(all(feature = "std", not(loom), not(cowkit_unpooled)))]
pub(crate) const DEFAULT_POOL_LIMIT: usize = 4096;

const _: () = {
    assert!(FRAMES * PAGE_SIZE + size_of::<Header>() <= ARENA_SIZE);
    assert!(FRAMES >= 1 && FRAMES <= u16::MAX as usize);
    assert!(align_of::<Header>() <= PAGE_SIZE);
};

/// The tail of an arena: a count per frame, then the pool's records.
#[repr(C)]
struct Header {
    /// `counts[i]` counts the handles to frame `i`. Live (written by [`RefCount::new`]) only
    /// while the frame is handed out; a free frame's slot is dead and read by no one.
    counts: [RefCount; FRAMES],
    /// The pool's records, read and written only under the pool's lock.
    #[cfg(all(feature = "std", not(loom), not(cowkit_unpooled)))]
    book: UnsafeCell<Book>,
}

/// What the pool knows of one arena.
#[cfg(all(feature = "std", not(loom), not(cowkit_unpooled)))]
struct Book {
    /// Bit `i % 64` of word `i / 64` is set when frame `i` is free. The lowest free frame is
    /// taken first, so pages taken one after another tend to be adjacent in memory (runs, see
    /// [`run`]), and an arena fills from its start, leaving its end untouched.
    free: [u64; FREE_WORDS],
    /// How many bits of `free` are set.
    free_count: u16,
    /// Whether the arena is in the pool's list of arenas with a free frame (then `prev` and
    /// `next` are its neighbours there).
    open: bool,
    /// The previous arena in the list.
    prev: Option<NonNull<Header>>,
    /// The next arena in the list.
    next: Option<NonNull<Header>>,
}

/// A handle to a page: the page table's leaves. `None` in a slot is a hole (reads as zeros).
///
/// Like `Shared<Page>`, with the count kept in the arena's header rather than beside the bytes.
pub(crate) struct PageRef {
    /// The first byte of the frame. Invariant: a frame of a live arena, with a live count of
    /// at least one that includes this handle; its bytes are initialized (zeroed when the
    /// arena was made, or left by an earlier page).
    frame: NonNull<Page>,
}

// SAFETY: a `PageRef` is a counted, shared reference to plain bytes, as `Arc<[u8; N]>` is: the
// bytes are written only through a handle that saw its count at one while held by `&mut`
// (`get_mut`), the counts are atomic with `Shared`'s rules, and a frame's last handle gives it
// back to the thread's own cache of free frames (no other thread sees that cache) or to the
// pool under the pool's lock. So handles may move to and be shared between threads.
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
        PageRef { frame }
    }

    /// The count of this handle's frame.
    #[inline]
    fn count(&self) -> &RefCount {
        // SAFETY: the frame is live with a live count (the type's invariant), which stays
        // live while this handle, borrowed here, exists.
        unsafe { &*count_ptr(self.frame) }
    }

    /// `true` when this is the only handle to the page (see [`RefCount::is_unique`]).
    #[inline]
    pub(crate) fn is_unique(this: &mut Self) -> bool {
        this.count().is_unique()
    }

    /// The bytes, writable, when this is the only handle.
    #[inline]
    pub(crate) fn get_mut(this: &mut Self) -> Option<&mut Page> {
        if Self::is_unique(this) {
            // SAFETY: the count is one and this handle is held by `&mut`, so no other handle
            // exists or can be made meanwhile, and the Acquire in `is_unique` ordered every
            // earlier use through dropped handles before this write. The bytes are initialized.
            Some(unsafe { this.frame.as_mut() })
        } else {
            None
        }
    }

    /// `true` when both handles refer to the same page.
    #[inline]
    pub(crate) fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.frame == b.frame
    }

    /// The number of handles, for reporting only (it may change right after).
    #[inline]
    pub(crate) fn strong_count(this: &Self) -> usize {
        this.count().get()
    }

    /// Starts loading the cache line of the count, so that a clone, drop or uniqueness check
    /// soon after does not stall on memory. A hint: it changes nothing.
    #[inline]
    pub(crate) fn prefetch(this: &Self) {
        crate::shared::prefetch(count_ptr(this.frame));
    }
}

impl Deref for PageRef {
    type Target = Page;

    #[inline]
    fn deref(&self) -> &Page {
        // SAFETY: the frame is live and initialized while this handle exists; while another
        // handle exists no one writes it (writes need a unique handle held by `&mut`).
        unsafe { self.frame.as_ref() }
    }
}

impl Clone for PageRef {
    #[inline]
    fn clone(&self) -> Self {
        self.count().increment();
        PageRef { frame: self.frame }
    }
}

impl Drop for PageRef {
    #[inline]
    fn drop(&mut self) {
        if self.count().decrement() {
            // SAFETY: that was the frame's last handle, and `decrement` ordered every use of it
            // through any handle before this point.
            unsafe { give_back([self.frame].into_iter()) };
        }
    }
}

/// Drops many page handles at once: the frames whose last handle this was go back to the pool
/// under one lock (dropping a table leaf gives up to 16 pages).
pub(crate) fn release(pages: impl Iterator<Item = PageRef>) {
    let dead = pages.filter_map(|page| {
        let page = ManuallyDrop::new(page);
        page.count().decrement().then_some(page.frame)
    });
    // SAFETY: each frame yielded lost its last handle just now (see `PageRef::drop`); the
    // handles were forgotten, so none is dropped again.
    unsafe { give_back(dead) };
}

/// How many slots, from the first, hold pages whose frames follow one another in memory, up to
/// `max` (0 when the first slot is a hole). Pages written in order usually sit in frames taken
/// in order from one arena, so a run lets a long read or write make one copy instead of one per
/// page. Frames of different arenas are never adjacent (an arena's header follows its frames).
#[inline]
fn adjacent(slots: &[Option<PageRef>], max: usize) -> usize {
    let Some(first) = slots.first().and_then(Option::as_ref) else {
        return 0;
    };
    let start = first.frame.addr().get();
    let mut n = 1;
    while n < max.min(slots.len())
        && slots[n]
            .as_ref()
            .is_some_and(|page| page.frame.addr().get() == start + n * PAGE_SIZE)
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
    // SAFETY: the `n` frames lie one after another (`adjacent`) in one arena (frames of two
    // arenas are never adjacent), and the pointer came from the arena's base, so the slice lies
    // in one allocation that it may address. Each frame is initialized and held by a handle in
    // `slots`, borrowed for the slice's lifetime, so none is freed or written meanwhile.
    unsafe { core::slice::from_raw_parts(first.frame.as_ptr().cast::<u8>(), n * PAGE_SIZE) }
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
    // SAFETY: as in `run`; and every one of the `n` handles is unique and borrowed mutably
    // here, so no other handle to these frames exists or can be made while the slice lives.
    unsafe { core::slice::from_raw_parts_mut(first.frame.as_ptr().cast::<u8>(), n * PAGE_SIZE) }
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
        Some(page) => &mut unique(page).0,
        None => unreachable!("the slot was filled above"),
    }
}

/// The bytes of a page known to be held by one handle only.
#[inline]
fn unique(page: &mut PageRef) -> &mut Page {
    PageRef::get_mut(page).expect("cowkit: a fresh or checked page has one handle")
}

/// The header of the arena that holds `frame`.
#[inline]
fn header(frame: NonNull<Page>) -> NonNull<Header> {
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
fn frame_index(frame: NonNull<Page>) -> usize {
    (frame.addr().get() & (ARENA_ALIGN - 1)) / PAGE_SIZE
}

/// The count slot of `frame`, in its arena's header (live or dead: the caller knows which).
#[inline]
fn count_ptr(frame: NonNull<Page>) -> *mut RefCount {
    let counts = header(frame).as_ptr().cast::<RefCount>();
    // `counts` is the first field of the `repr(C)` header; the index is below FRAMES.
    counts.wrapping_add(frame_index(frame))
}

/// The frame at `index` of the arena that starts at `base`.
#[inline]
fn frame_at(base: NonNull<u8>, index: usize) -> NonNull<Page> {
    debug_assert!(index < FRAMES);
    // SAFETY: `index < FRAMES`, so the frame lies inside the arena's allocation.
    unsafe { base.byte_add(index * PAGE_SIZE).cast() }
}

/// A frame with a dead count slot and no handle: from the pool, or from a new arena.
#[cfg(all(feature = "std", not(loom), not(cowkit_unpooled)))]
#[inline]
fn take() -> NonNull<Page> {
    pool::take()
}

/// Returns frames that lost their last handle.
///
/// # Safety
///
/// Each frame's count went from one to zero (its last handle is gone, and every use through
/// any handle happened before), and no handle to it remains.
#[cfg(all(feature = "std", not(loom), not(cowkit_unpooled)))]
#[inline]
unsafe fn give_back(frames: impl Iterator<Item = NonNull<Page>>) {
    // SAFETY: the caller's contract is `pool::put`'s.
    unsafe { pool::put(frames) }
}

/// A frame in an arena of its own (builds without the pool).
#[cfg(not(all(feature = "std", not(loom), not(cowkit_unpooled))))]
fn take() -> NonNull<Page> {
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
#[cfg(not(all(feature = "std", not(loom), not(cowkit_unpooled))))]
unsafe fn give_back(frames: impl Iterator<Item = NonNull<Page>>) {
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

/// The layout of an arena allocated through the global allocator.
#[cfg(any(
    not(all(feature = "std", not(loom), not(cowkit_unpooled))),
    not(target_os = "linux")
))]
fn arena_layout() -> core::alloc::Layout {
    core::alloc::Layout::from_size_align(ARENA_SIZE, ARENA_ALIGN)
        .expect("cowkit: the arena layout is valid")
}

/// The process-wide pool of arenas.
#[cfg(all(feature = "std", not(loom), not(cowkit_unpooled)))]
pub(crate) mod pool {
    use core::ptr::NonNull;

    use super::{Book, DEFAULT_POOL_LIMIT, FRAMES, Header, Page, frame_at, frame_index, header};
    use crate::sync::{Ordering, PoolFlag, PoolGuard, PoolMutex};

    /// The arenas with a free frame, and the bound. It allocates nothing: its list of arenas is
    /// linked through the arenas' own records.
    struct Pool {
        /// The first arena with at least one free frame (taken from first); the list goes on
        /// through `Book::next`.
        head: Option<NonNull<Header>>,
        /// Free frames over all arenas.
        free: usize,
        /// Arenas with every frame free, kept for reuse.
        idle: usize,
        /// The most frames kept in idle arenas: an arena whose last frame in use is freed goes
        /// back to the OS unless the idle arenas, with it, fit within this bound.
        limit: usize,
    }

    // SAFETY: the arenas listed are owned by the pool (their free frames) and shared with page
    // handles (their counts and used frames), which are themselves `Send`; the pool's records
    // are touched only under the lock that guards this struct.
    unsafe impl Send for Pool {}

    static POOL: PoolMutex<Pool> = PoolMutex::new(Pool {
        head: None,
        free: 0,
        idle: 0,
        limit: DEFAULT_POOL_LIMIT,
    });

    /// The records of an arena.
    ///
    /// # Safety
    ///
    /// The caller holds the pool's lock, `arena` is live, and the caller holds no other
    /// reference to the same records.
    #[allow(clippy::mut_from_ref)]
    unsafe fn book<'a>(arena: NonNull<Header>) -> &'a mut Book {
        // SAFETY: the caller's contract; `book` is an `UnsafeCell` apart from the counts, so
        // this borrow overlaps no count that other threads use.
        unsafe { &mut *(*arena.as_ptr()).book.get() }
    }

    /// The first byte of an arena, from its header.
    fn arena_base(arena: NonNull<Header>) -> NonNull<u8> {
        // SAFETY: the header lies `FRAMES * PAGE_SIZE` bytes into its arena.
        unsafe { arena.cast::<u8>().byte_sub(FRAMES * super::PAGE_SIZE) }
    }

    /// `true` when none of the arena's frames is handed out.
    fn wholly_free(book: &Book) -> bool {
        usize::from(book.free_count) == FRAMES
    }

    impl Pool {
        /// Puts an arena first in the list.
        ///
        /// # Safety
        ///
        /// The arena is live and not in the list.
        unsafe fn push(&mut self, arena: NonNull<Header>) {
            if let Some(head) = self.head {
                // SAFETY: under the lock (`&mut self`); listed arenas are live.
                unsafe { book(head) }.prev = Some(arena);
            }
            // SAFETY: as above; the caller's contract.
            let records = unsafe { book(arena) };
            records.open = true;
            records.prev = None;
            records.next = self.head;
            self.head = Some(arena);
        }

        /// Takes an arena out of the list.
        ///
        /// # Safety
        ///
        /// The arena is in the list.
        unsafe fn unlink(&mut self, arena: NonNull<Header>) {
            let (prev, next) = {
                // SAFETY: under the lock (`&mut self`); listed arenas and their neighbours are
                // live, and this borrow ends before theirs are taken.
                let records = unsafe { book(arena) };
                records.open = false;
                (records.prev.take(), records.next.take())
            };
            match prev {
                // SAFETY: as above.
                Some(prev) => unsafe { book(prev) }.next = next,
                None => self.head = next,
            }
            if let Some(next) = next {
                // SAFETY: as above.
                unsafe { book(next) }.prev = prev;
            }
        }

        /// `true` when one more idle arena would not fit within the bound.
        fn full(&self) -> bool {
            (self.idle + 1).saturating_mul(FRAMES) > self.limit
        }

        /// Takes a wholly free arena out of the list and gives it back to the OS.
        ///
        /// # Safety
        ///
        /// The arena is in the list and every one of its frames is free (no handle refers to
        /// any of them).
        ///
        /// When the OS refuses (`munmap` fails when it would have to split a mapping past
        /// `vm.max_map_count`), the arena stays listed as an idle arena, beyond the bound, and
        /// is offered back again the next time the bound is enforced: never lost, never
        /// counted as gone.
        unsafe fn unmap(&mut self, arena: NonNull<Header>) {
            // SAFETY: the caller's contract.
            unsafe { self.unlink(arena) };
            // SAFETY: no handle refers to any frame of the arena and it is no longer listed,
            // so nothing refers to it at all.
            if unsafe { super::os::unmap_arena(arena_base(arena)) } {
                self.free -= FRAMES;
            } else {
                // SAFETY: live (the OS kept it), wholly free, and just unlinked.
                unsafe { self.push(arena) };
                self.idle += 1;
            }
        }
    }

    impl Pool {
        /// A frame with no handle: the lowest free one of the first open arena, else the first
        /// of a new arena.
        fn take(&mut self) -> NonNull<Page> {
            let new = self.head.is_none();
            let arena = match self.head {
                Some(arena) => arena,
                None => {
                    let arena = super::os::map_arena();
                    // SAFETY: a new arena, not yet listed: no one else can see its records,
                    // which are written whole before any is read.
                    unsafe {
                        (*arena.as_ptr()).book.get().write(Book {
                            free: core::array::from_fn(|word| {
                                let bits = FRAMES - (word * 64).min(FRAMES);
                                if bits >= 64 {
                                    u64::MAX
                                } else {
                                    (1 << bits) - 1
                                }
                            }),
                            free_count: FRAMES as u16,
                            open: false,
                            prev: None,
                            next: None,
                        });
                        self.push(arena);
                    }
                    self.free += FRAMES;
                    arena
                }
            };
            // SAFETY: under the lock (`&mut self`); listed arenas are live.
            let records = unsafe { book(arena) };
            if wholly_free(records) && !new {
                // It was idle (the new one just made never was).
                self.idle -= 1;
            }
            let word = records
                .free
                .iter()
                .position(|&bits| bits != 0)
                .expect("cowkit: a listed arena has a free frame");
            let bit = records.free[word].trailing_zeros() as usize;
            records.free[word] &= !(1 << bit);
            records.free_count -= 1;
            let index = word * 64 + bit;
            if records.free_count == 0 {
                // SAFETY: listed (it is the head).
                unsafe { self.unlink(arena) };
            }
            self.free -= 1;
            frame_at(arena_base(arena), index)
        }

        /// Takes back a frame that lost its last handle; an arena this leaves wholly free
        /// becomes idle, or goes back to the OS when no more idle arenas fit within the bound.
        ///
        /// # Safety
        ///
        /// The frame's count went to zero, and no handle to it remains.
        unsafe fn put(&mut self, frame: NonNull<Page>) {
            let arena = header(frame);
            // SAFETY: under the lock (`&mut self`); the arena is live (it holds this frame).
            let records = unsafe { book(arena) };
            let index = frame_index(frame);
            records.free[index / 64] |= 1 << (index % 64);
            records.free_count += 1;
            let (open, unused) = (records.open, wholly_free(records));
            self.free += 1;
            if !open {
                // SAFETY: live, and not listed.
                unsafe { self.push(arena) };
            }
            if unused {
                if self.full() {
                    // SAFETY: listed now, and every frame is free.
                    unsafe { self.unmap(arena) };
                } else {
                    self.idle += 1;
                }
            }
        }
    }

    /// Free frames each thread keeps for itself, so that taking and giving back a page usually
    /// takes no lock: a thread that copies and drops pages in a loop (clone, write, drop) then
    /// pays no atomic read-modify-write for the pool. At most `CACHED` frames (128 KiB with
    /// 4 KiB pages); refilled and emptied `BATCH` frames at a time under one lock; given back
    /// when the thread ends or calls `set_page_pool_limit`. Off while the bound is 0.
    struct Cache {
        /// `frames[..len]` are free frames, the next one taken last.
        frames: [Option<NonNull<Page>>; CACHED],
        /// How many of `frames` are used.
        len: usize,
    }

    /// The most frames a thread's cache holds.
    const CACHED: usize = 32;

    /// Frames moved between a thread's cache and the pool at a time.
    const BATCH: usize = CACHED / 2;

    impl Cache {
        /// Gives every cached frame back to the pool.
        fn flush(&mut self) {
            if self.len > 0 {
                let mut pool = POOL.lock();
                for frame in self.frames[..self.len].iter_mut().filter_map(Option::take) {
                    // SAFETY: a cached frame is free (the cache's invariant), and it is no
                    // longer cached.
                    unsafe { pool.put(frame) };
                }
                self.len = 0;
            }
        }
    }

    impl Drop for Cache {
        /// The thread is ending: its frames go back to the pool.
        fn drop(&mut self) {
            self.flush();
        }
    }

    std::thread_local! {
        static CACHE: core::cell::RefCell<Cache> = const {
            core::cell::RefCell::new(Cache { frames: [None; CACHED], len: 0 })
        };
    }

    /// Whether threads cache frames: the bound is not 0. Read without the pool's lock, so a
    /// thread may see a change late and cache a few frames more or less; nothing depends on
    /// it beyond that. It may change between two reads by one thread, so a thread that holds
    /// the pool's lock never looks at it (nor at its cache, which may take the lock): see
    /// `put`.
    static CACHING: PoolFlag = PoolFlag::new(true);

    /// Runs `f` on this thread's cache, or returns `None` when the cache is off, being torn
    /// down (the thread is ending) or already in use further up this thread's stack.
    fn with_cache<R>(f: impl FnOnce(&mut Cache) -> R) -> Option<R> {
        if !CACHING.load(Ordering::Relaxed) {
            return None;
        }
        CACHE
            .try_with(|cache| cache.try_borrow_mut().ok().map(|mut cache| f(&mut cache)))
            .ok()
            .flatten()
    }

    /// A frame with no handle: from this thread's cache (refilled from the pool when empty),
    /// else from the pool.
    #[inline]
    pub(super) fn take() -> NonNull<Page> {
        let cached = with_cache(|cache| {
            if cache.len == 0 {
                let mut pool = POOL.lock();
                // Each frame is counted in `len` as soon as it is cached, so that a refill cut
                // short (a new arena that cannot be mapped) keeps account of what it took.
                for _ in 0..BATCH {
                    cache.frames[cache.len] = Some(pool.take());
                    cache.len += 1;
                }
                // Reversed so that they come out lowest first: adjacent pages, if in order.
                cache.frames[..BATCH].reverse();
            }
            cache.len -= 1;
            cache.frames[cache.len].take()
        });
        match cached.flatten() {
            Some(frame) => frame,
            None => POOL.lock().take(),
        }
    }

    /// Takes back frames that lost their last handle: into this thread's cache (emptying half
    /// of it into the pool when full), else into the pool.
    ///
    /// # Safety
    ///
    /// As for `give_back`: each frame's count went to zero and no handle to it remains.
    pub(super) unsafe fn put(frames: impl Iterator<Item = NonNull<Page>>) {
        // Once this call holds the pool's lock it keeps it for the rest of the frames, and
        // never reaches for the cache again: the cache takes the lock itself when full, and
        // the lock is not re-entrant (another thread may turn caching back on meanwhile).
        let mut guard: Option<PoolGuard<'_, Pool>> = None;
        for frame in frames {
            if let Some(pool) = guard.as_mut() {
                // SAFETY: the caller's contract.
                unsafe { pool.put(frame) };
                continue;
            }
            let cached = with_cache(|cache| {
                if cache.len == CACHED {
                    let mut pool = POOL.lock();
                    for old in cache.frames[..BATCH].iter_mut().filter_map(Option::take) {
                        // SAFETY: a cached frame is free, and it is no longer cached.
                        unsafe { pool.put(old) };
                    }
                    cache.frames.copy_within(BATCH.., 0);
                    cache.frames[CACHED - BATCH..].fill(None);
                    cache.len -= BATCH;
                }
                cache.frames[cache.len] = Some(frame);
                cache.len += 1;
            });
            if cached.is_none() {
                let pool = guard.insert(POOL.lock());
                // SAFETY: the caller's contract.
                unsafe { pool.put(frame) };
            }
        }
    }

    /// Sets the bound (in pages), giving back idle arenas beyond it; returns the previous
    /// bound.
    pub(crate) fn set_limit(limit: usize) -> usize {
        CACHING.store(limit > 0, Ordering::Relaxed);
        // This thread's cached frames first (the cache takes the pool's lock itself).
        let _ = CACHE.try_with(|cache| {
            if let Ok(mut cache) = cache.try_borrow_mut() {
                cache.flush();
            }
        });
        let mut pool = POOL.lock();
        let previous = core::mem::replace(&mut pool.limit, limit);
        let mut next = pool.head;
        while let Some(arena) = next {
            if pool.idle.saturating_mul(FRAMES) <= pool.limit {
                break;
            }
            // SAFETY: under the lock; listed arenas are live.
            let records = unsafe { book(arena) };
            next = records.next;
            if wholly_free(records) {
                pool.idle -= 1;
                // SAFETY: listed, and every frame is free.
                unsafe { pool.unmap(arena) };
            }
        }
        previous
    }

    /// How many free frames the pool holds now, this thread's cache included.
    pub(crate) fn len() -> usize {
        let cached = CACHE
            .try_with(|cache| cache.try_borrow().map_or(0, |cache| cache.len))
            .unwrap_or(0);
        POOL.lock().free + cached
    }
}

/// Loom builds and cowkit's sanitizer builds (`--cfg cowkit_unpooled`) have no pool (see the
/// module docs), but their public limit functions (`CowBuffer::set_page_pool_limit`,
/// `page_pool_bytes`) still exist and report an empty pool. Builds without `std` have no pool
/// and no limit functions.
#[cfg(all(feature = "std", any(loom, cowkit_unpooled)))]
pub(crate) mod pool {
    /// No pool: nothing to bound.
    pub(crate) fn set_limit(_limit: usize) -> usize {
        0
    }

    /// No pool: nothing held.
    pub(crate) fn len() -> usize {
        0
    }
}

/// Arenas straight from the OS.
#[cfg(all(feature = "std", not(loom), not(cowkit_unpooled)))]
mod os {
    use core::ptr::NonNull;

    use super::{ARENA_ALIGN, ARENA_SIZE, FRAMES, Header, PAGE_SIZE};

    /// A new arena, aligned to its size, zeroed; returns its header. On Linux: an anonymous
    /// mapping, advised for transparent huge pages.
    #[cfg(target_os = "linux")]
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
    #[cfg(target_os = "linux")]
    pub(super) unsafe fn unmap_arena(base: NonNull<u8>) -> bool {
        // SAFETY: the caller's contract: the whole mapping is ours and unused.
        unsafe { libc::munmap(base.as_ptr().cast(), ARENA_SIZE) == 0 }
    }

    /// A new arena from the global allocator (no huge-page advice), zeroed; returns its header.
    #[cfg(not(target_os = "linux"))]
    pub(super) fn map_arena() -> NonNull<Header> {
        let layout = super::arena_layout();
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
    #[cfg(not(target_os = "linux"))]
    pub(super) unsafe fn unmap_arena(base: NonNull<u8>) -> bool {
        // SAFETY: allocated by `map_arena` with this layout; the caller's contract.
        unsafe { alloc::alloc::dealloc(base.as_ptr(), super::arena_layout()) };
        true
    }
}

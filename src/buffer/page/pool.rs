//! The frames' source with `std`: the process-wide pool of arenas, and each thread's cache of
//! free frames (see the parent module's docs, "Memory going back").

use core::ptr::NonNull;

use super::Page;
use super::arena::{FRAMES, Header, frame_at, frame_index, header};
use crate::config::{PAGE_CACHE_BATCH, PAGE_CACHE_FRAMES, PAGE_POOL_LIMIT};
use crate::sync::{Ordering, PoolFlag, PoolGuard, PoolMutex};

#[path = "os.rs"]
mod os;

/// Frames come from a shared pool of multi-frame arenas.
pub(super) const POOLED: bool = true;

/// Words of an arena's free-frame bitmap.
const FREE_WORDS: usize = FRAMES.div_ceil(64);

/// What the pool knows of one arena.
pub(crate) struct Book {
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
    limit: PAGE_POOL_LIMIT,
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
    unsafe {
        arena
            .cast::<u8>()
            .byte_sub(FRAMES * crate::config::PAGE_SIZE)
    }
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
        if unsafe { os::unmap_arena(arena_base(arena)) } {
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
                let arena = os::map_arena();
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
const CACHED: usize = PAGE_CACHE_FRAMES;

/// Frames moved between a thread's cache and the pool at a time.
const BATCH: usize = PAGE_CACHE_BATCH;

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
pub(super) unsafe fn give_back(frames: impl Iterator<Item = NonNull<Page>>) {
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

/// Sets whether arenas mapped from now on are advised for transparent huge pages; returns the
/// previous setting.
pub(crate) fn set_huge_pages(on: bool) -> bool {
    os::set_huge_pages(on)
}

/// How many free frames the pool holds now, this thread's cache included.
pub(crate) fn len() -> usize {
    let cached = CACHE
        .try_with(|cache| cache.try_borrow().map_or(0, |cache| cache.len))
        .unwrap_or(0);
    POOL.lock().free + cached
}

// The pool's failure edges, reached with OS calls failing on purpose (`os::faults`). Declared
// here, not in src/tests/mod.rs, so that they are built exactly where the pool is.
#[cfg(test)]
#[path = "../../tests/page_pool_faults.rs"]
mod tests;

//! [`CowBuffer`]: bytes in copy-on-write pages under a radix page table, as the kernel shares a
//! process's memory after `fork()`, and its iterator [`Bytes`]. Everything here is also
//! re-exported at the crate root except the iterator type.

#![deny(unsafe_code)]

// The code is cut by layer (a comment, not docs: this module's docs are public). This file
// holds the type, its docs and its public methods, in one `impl` block so that they keep their
// order in the docs; `read.rs` the read path (the page-by-page and run-by-run iteration every
// read goes through, and `Bytes` on it); `write.rs` the write path (pages made writable a leaf
// at a time, zeroing, growth); `impls.rs` the trait impls; `sketch.rs` the recipes of the
// `arbitrary` and `proptest` impls. Below them, `table.rs` is the page table and `page/` the
// pages and their pool; `io.rs` is the cursor.

use alloc::vec::Vec;
use core::ops::{ControlFlow, Range, RangeBounds};

mod impls;
#[cfg(feature = "std")]
mod io;
mod leaf;
// The buffer's module with unsafe code: page handles into arenas of frames and into file
// mappings. (The only other `unsafe` is `map_file`, whose contract is the caller's, and the
// one call in `file.rs` that puts a mapping's pages in a table.)
#[allow(unsafe_code)]
mod page;
mod read;
#[cfg(any(feature = "arbitrary", feature = "proptest"))]
pub(crate) mod sketch;
mod write;

#[cfg(feature = "std")]
pub use self::io::BufferCursor;
use self::leaf::PageTable;
use self::page::mapped::Mapped;
pub use self::read::Bytes;
pub use crate::config::PAGE_SIZE;
use crate::range::slice_range;

/// The longest buffer: `isize::MAX` bytes, as for `Vec<u8>` (a buffer of holes that long takes
/// no memory, but `to_vec` and slices could not hold it).
const MAX_LEN: usize = isize::MAX as usize;

const _: () = assert!(PAGE_SIZE.is_power_of_two());

/// A byte buffer in copy-on-write pages: clone is O(1) at any size, and a write copies only the
/// pages it touches, the way the kernel shares memory between a process and its `fork()`.
///
/// Use it for large byte state that you snapshot often and change a little at a time: an
/// editor's buffer, a VM's memory image, a database page file, a game state, an undo history.
/// Each snapshot is a `clone` (one atomic increment); each snapshot costs memory only for the
/// pages written since.
///
/// - Pages never written are **holes**: they read as zeros and take no memory, like the
///   kernel's zero page. [`CowBuffer::zeroed`] and growth make holes; [`fill`](Self::fill) with
///   `0` turns whole pages back into holes.
/// - [`stats`](Self::stats) reports, like `/proc/PID/smaps` for one buffer, which pages are
///   holes, private or shared, and the memory held.
/// - [`changed_pages`](Self::changed_pages) lists the pages that are no longer the same page as
///   in an older snapshot: dirty-page tracking for incremental backups.
/// - It speaks `Vec<u8>`'s language: [`bytes`](Self::bytes), [`copy_within`](Self::copy_within),
///   [`split_off`](Self::split_off), `collect`, `extend`, `Vec::from(buffer)`; and the pages'
///   own: [`page`](Self::page), [`page_mut`](Self::page_mut), [`ptr_eq`](Self::ptr_eq).
/// - Pages come from 2 MiB arenas, and freed pages are reused through a bounded pool
///   ([`set_page_pool_limit`](Self::set_page_pool_limit)). On Linux the arenas fault in
///   4 KiB at a time by default, so no single write waits for the kernel to zero (and, on a
///   virtual machine, the host to fault in) a 2 MiB huge page;
///   [`set_huge_pages`](Self::set_huge_pages) trades that for fewer faults.
/// - Files, as the kernel's `MAP_PRIVATE` mapping treats them (with `std`):
///   [`read_file`](Self::read_file) copies a file into the buffer's own pages (all-zero pages
///   as holes); [`map_file`](Self::map_file) maps it instead, lazily and without copying (the
///   file's own pages until written); and the file is untouched until
///   [`write_changes`](Self::write_changes) writes back exactly the pages changed since a base
///   clone.
///
/// # Memory layout
///
/// The handle holds the length and the root of a radix tree, like a hardware page table. Each
/// node is one [`Shared`](crate::Shared) allocation with 16 slots; leaves point at pages of
/// [`PAGE_SIZE`] bytes. A node at height `h` covers `16^h` pages (1 GiB = 262,144 pages: 5
/// levels). A `None` slot is a hole, for a page or a whole subtree.
///
/// A page is a 4 KiB frame of a 2 MiB arena (faulted in 4 KiB at a time on Linux unless
/// [`set_huge_pages`](Self::set_huge_pages) asks for huge pages). Its reference count, with
/// `Shared`'s rules, sits in the arena's header beside the counts of its neighbours (like the
/// kernel's `struct page` array), so a leaf slot is one pointer, and copying a leaf, which takes a count on each of
/// its pages, touches two or three cache lines for pages written in order. A page of a file
/// from [`map_file`](Self::map_file) not yet written is the file's page in the OS's page cache,
/// mapped read-only; it has no count of its own (the buffer holds one count on the whole
/// mapping), and a write copies it into a frame.
///
/// ```text
///  a: CowBuffer { len, height: 2, root } ─┐
///  b: CowBuffer { len, height: 2, root } ─┴─▶ node (count 2) [ ●  ●  ∅ … ]
///                                                              │  └──────────▶ leaf (count 1) [ ● ∅ … ]
///                                                              ▼                               │
///                                                     leaf (count 1) [ ●  ●  ∅ … ]              ▼
///                                                                      │  └─▶ page (count 1)   page
///                                                                      ▼
///                                                              page (count 1): 4096 bytes
/// ```
///
/// `b = a.clone()` copied nothing: it incremented the root's count. The first write through
/// `a` into page 0 then copies the root and the leaf on that path (each copy increments the
/// counts of its children) and the page; every other node and page stays shared.
///
/// # Costs
///
/// | operation | cost |
/// |---|---|
/// | `clone` | O(1): one atomic increment on the root, at any size |
/// | read (`read_at`, `get`, `pages`) | one walk per 16 pages (5 hops for 1 GiB), then a copy out, one per run of pages adjacent in memory; holes read as zeros |
/// | first write to a page after a clone | copies the path of nodes (16 count increments each) and one page (4 KiB from this thread's cache or an arena) |
/// | write to a private page | the walk, then in place; a long write copies once per run of adjacent pages |
/// | `resize` up, `zeroed` | O(height): holes, no memory |
/// | `truncate`, `fill(.., 0)` | frees whole pages and subtrees in the range; zeroes the partial ends in place |
/// | appends (`extend_from_slice`, `Extend`), `From`, `collect`, deserialize | a copy per page of data; all-zero pages stay holes |
/// | `split_off` at a page boundary | O(pages moved + their table paths): the pages are shared, not copied |
/// | `page_mut` | as a first write: copies that one page (and its path) if shared |
/// | `drop` | O(private pages + nodes); private pages go back to this thread's cache or their arenas |
/// | `==` | skips subtrees and pages the two share by pointer |
/// | memory | each page held + 16 bytes in its arena (count, header share) + ~10 bytes of table per page; holes free |
///
/// # Thread safety
///
/// `CowBuffer` is `Send + Sync`. Clones on different threads read and write independently:
/// pages and nodes are shared through atomic counts, and a write copies whatever another
/// clone still references before changing it. The page pool is one mutex-guarded list of
/// arenas, in front of which each thread keeps a few free pages of its own.
///
/// # Examples
///
/// ```
/// use cowkit::{CowBuffer, PAGE_SIZE};
///
/// let mut image = CowBuffer::zeroed(64 << 20); // 64 MiB of holes: no memory yet
/// image.write_at(0, b"boot sector");
/// image.fill(PAGE_SIZE..4 * PAGE_SIZE, 0xAA); // three pages
///
/// let snapshot = image.clone(); // O(1)
/// image.write_at(PAGE_SIZE + 7, b"changed"); // copies one page (and its table path)
///
/// assert_eq!(snapshot.get(PAGE_SIZE + 7), Some(0xAA));
/// assert_eq!(image.get(PAGE_SIZE + 7), Some(b'c'));
/// assert_eq!(image.changed_pages(&snapshot), [1]);
///
/// let stats = image.stats();
/// assert_eq!(stats.private, 1); // page 1, just copied
/// assert_eq!(stats.shared, 3); // pages 0, 2 and 3, still shared with the snapshot
/// assert_eq!(stats.holes, stats.pages - 4);
/// ```
pub struct CowBuffer {
    /// The pages. Invariant: holds nothing at or past page `len.div_ceil(PAGE_SIZE)`, its
    /// height is the lowest that covers that many pages, and every byte of the last page past
    /// `len` is zero (so growing never has to clear old bytes).
    table: PageTable,
    /// Length in bytes. Invariant: `len <= MAX_LEN`.
    len: usize,
    /// The count on the file mapping whose pages `table` may hold (from `map_file`), or none.
    /// Invariant: every file page in `table` lies in this mapping. Declared after `table`, so
    /// that the table's handles go first when the buffer is dropped.
    mapping: Mapped,
}

/// Page counts and memory of one [`CowBuffer`], from [`CowBuffer::stats`]: like
/// `/proc/PID/smaps` for one buffer.
///
/// `holes + private + shared == pages`.
///
/// # Examples
///
/// ```
/// use cowkit::{CowBuffer, PAGE_SIZE};
///
/// let mut a = CowBuffer::zeroed(10 * PAGE_SIZE);
/// a.set(0, 1);
/// let b = a.clone();
/// a.set(PAGE_SIZE, 1);
///
/// let stats = a.stats();
/// assert_eq!((stats.pages, stats.holes, stats.private, stats.shared), (10, 8, 1, 1));
/// assert!(stats.resident_bytes >= 2 * PAGE_SIZE);
/// let stats = b.stats(); // page 0 is shared with `a`; page 1 is a hole in `b`
/// assert_eq!((stats.holes, stats.private, stats.shared), (9, 0, 1));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PageStats {
    /// Pages covering the buffer's length: `len.div_ceil(PAGE_SIZE)`.
    pub pages: usize,
    /// Pages never written (or punched back by `fill(.., 0)` / `truncate`): they read as zeros
    /// and take no memory.
    pub holes: usize,
    /// Pages held by this buffer alone: a write changes them in place.
    pub private: usize,
    /// Pages that another buffer also references, directly or through a shared table node,
    /// and pages of a file from [`map_file`](CowBuffer::map_file) not yet written (shared with
    /// the file): a write copies them first.
    pub shared: usize,
    /// Bytes of the pages and table nodes this buffer references, shared ones included (as a
    /// process's resident set counts pages it shares). Holes, whole empty subtrees included,
    /// count nothing; nor do a mapped file's pages (the OS's page cache holds them), only
    /// their table.
    pub resident_bytes: usize,
}

/// Number of pages that hold `len` bytes.
#[inline]
const fn pages_for(len: usize) -> usize {
    len.div_ceil(PAGE_SIZE)
}

/// Vec's panic for a length it cannot have.
#[cold]
#[inline(never)]
#[track_caller]
fn capacity_overflow() -> ! {
    panic!("capacity overflow")
}

/// `offset + len`, or Vec's `"capacity overflow"` panic when that passes [`MAX_LEN`].
#[inline]
#[track_caller]
fn end_within_max(offset: usize, len: usize) -> usize {
    match offset.checked_add(len) {
        Some(end) if end <= MAX_LEN => end,
        _ => capacity_overflow(),
    }
}

/// `true` when every byte is zero: ORs 64 bits at a time, 16 words per check, so a zero page
/// costs a few hundred instructions (the compiler widens them to vector ORs), not 4,096 byte
/// compares. The one zero check of appends, `From` and `read_file`.
#[inline]
fn is_zero(bytes: &[u8]) -> bool {
    const WORD: usize = size_of::<u64>();
    // `chunks_exact` hands out `WORD` bytes, so the fallback (counted as non-zero) is never
    // taken.
    let word = |w: &[u8]| u64::from_ne_bytes(w.try_into().unwrap_or([0xFF; WORD]));
    let mut blocks = bytes.chunks_exact(16 * WORD);
    blocks
        .by_ref()
        .all(|block| block.chunks_exact(WORD).fold(0, |acc, w| acc | word(w)) == 0)
        && blocks.remainder().iter().all(|&b| b == 0)
}

impl CowBuffer {
    /// An empty buffer. Allocates nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = cowkit::CowBuffer::new();
    /// assert!(b.is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        CowBuffer {
            table: PageTable::new(),
            len: 0,
            mapping: Mapped::NONE,
        }
    }

    /// A buffer of `len` zero bytes, all holes: it takes no memory until written.
    ///
    /// # Panics
    ///
    /// With `"capacity overflow"` when `len > isize::MAX`, as `Vec` does.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = cowkit::CowBuffer::zeroed(1 << 30); // 1 GiB
    /// assert_eq!(b.len(), 1 << 30);
    /// assert_eq!(b.get(12345), Some(0));
    /// assert_eq!(b.stats().resident_bytes, 0);
    /// ```
    #[must_use]
    #[track_caller]
    pub fn zeroed(len: usize) -> Self {
        let mut buffer = CowBuffer::new();
        buffer.resize(len);
        buffer
    }

    /// The length in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(cowkit::CowBuffer::from(&b"abc"[..]).len(), 3);
    /// ```
    #[must_use]
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// `true` when the length is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(cowkit::CowBuffer::zeroed(0).is_empty());
    /// ```
    #[must_use]
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Sets the length: growing adds zero bytes (holes, no memory); shrinking is
    /// [`truncate`](Self::truncate).
    ///
    /// # Panics
    ///
    /// With `"capacity overflow"` when `new_len > isize::MAX`, as `Vec` does.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut b = cowkit::CowBuffer::from(&b"abc"[..]);
    /// b.resize(5);
    /// assert_eq!(b.to_vec(), b"abc\0\0");
    /// b.resize(1);
    /// assert_eq!(b.to_vec(), b"a");
    /// ```
    #[track_caller]
    pub fn resize(&mut self, new_len: usize) {
        if new_len > MAX_LEN {
            capacity_overflow();
        }
        if new_len > self.len {
            self.grow_to(new_len);
        } else {
            self.truncate(new_len);
        }
    }

    /// Shortens the buffer to `new_len` bytes; does nothing when it is not longer. Pages past
    /// the new end are given up (freed to the pool when no other buffer holds them); the tail
    /// of a last, partial page is zeroed in place (copying that page if it is shared).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut b = cowkit::CowBuffer::from(vec![7u8; 10_000]);
    /// b.truncate(5);
    /// assert_eq!(b.to_vec(), [7; 5]);
    /// assert_eq!(b.stats().pages, 1);
    /// ```
    pub fn truncate(&mut self, new_len: usize) {
        if new_len < self.len {
            let keep = pages_for(new_len);
            self.table.punch(keep..pages_for(self.len), &mut drop);
            // Keep the bytes past the end zero (the field invariant): clear the cut-off part
            // of the new last page, up to where it held data.
            let tail_end = self.len.min(keep * PAGE_SIZE);
            self.zero_present(new_len..tail_end);
            self.len = new_len;
            self.table.shrink(keep);
        }
        if self.len == 0 {
            // No page, so no file page: the mapping may go.
            self.mapping = Mapped::NONE;
        }
    }

    /// Removes every byte; all pages are given up.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut b = cowkit::CowBuffer::from(vec![1u8; 100_000]);
    /// b.clear();
    /// assert!(b.is_empty());
    /// assert_eq!(b.stats().resident_bytes, 0);
    /// ```
    pub fn clear(&mut self) {
        self.truncate(0);
    }

    /// Copies bytes from `offset` on into `buf`; returns how many: `buf.len()`, fewer at the
    /// end of the buffer, and 0 at or past the end, for any `offset`. Holes read as zeros.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = cowkit::CowBuffer::from(&b"hello"[..]);
    /// let mut out = [0u8; 8];
    /// assert_eq!(b.read_at(3, &mut out), 2);
    /// assert_eq!(&out[..2], b"lo");
    /// assert_eq!(b.read_at(usize::MAX, &mut out), 0);
    /// ```
    pub fn read_at(&self, offset: usize, buf: &mut [u8]) -> usize {
        if offset >= self.len {
            return 0;
        }
        let n = buf.len().min(self.len - offset);
        let at = offset % PAGE_SIZE;
        if at + n <= PAGE_SIZE {
            // Within one page (every small read but those across a boundary): one walk.
            match self.table.page(offset / PAGE_SIZE) {
                Some(page) => buf[..n].copy_from_slice(&page.0[at..at + n]),
                None => buf[..n].fill(0),
            }
            return n;
        }
        let mut done = 0;
        for chunk in self.runs(offset..offset + n) {
            buf[done..done + chunk.len()].copy_from_slice(chunk);
            done += chunk.len();
        }
        n
    }

    /// Writes `data` at `offset`, growing the buffer when it ends past the end; a gap between
    /// the old end and `offset` reads as zeros (holes). Shared pages are copied first; an
    /// empty `data` changes nothing (it does not grow the buffer).
    ///
    /// # Panics
    ///
    /// With `"capacity overflow"` when `offset + data.len()` exceeds `isize::MAX` (or
    /// overflows `usize`), as `Vec` does for a length it cannot have.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut b = cowkit::CowBuffer::from(&b"abc"[..]);
    /// b.write_at(1, b"XY");
    /// b.write_at(5, b"!");
    /// assert_eq!(b.to_vec(), b"aXY\0\0!");
    /// ```
    #[track_caller]
    pub fn write_at(&mut self, offset: usize, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        let end = end_within_max(offset, data.len());
        if end > self.len {
            self.grow_to(end);
        }
        self.copy_in(offset..end, data);
    }

    /// The byte at `index`, or `None` past the end.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = cowkit::CowBuffer::from(&b"ab"[..]);
    /// assert_eq!(b.get(1), Some(b'b'));
    /// assert_eq!(b.get(2), None);
    /// ```
    #[must_use]
    #[inline]
    pub fn get(&self, index: usize) -> Option<u8> {
        if index >= self.len {
            return None;
        }
        // One table walk to the page (a hole reads as zero), not the read path's iteration.
        let page = self.table.page(index / PAGE_SIZE);
        Some(page.map_or(0, |page| page.0[index % PAGE_SIZE]))
    }

    /// Sets the byte at `index` and returns the old one, or returns `None` (changing nothing)
    /// past the end: `set` never grows the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut b = cowkit::CowBuffer::from(&b"ab"[..]);
    /// assert_eq!(b.set(0, b'X'), Some(b'a'));
    /// assert_eq!(b.set(2, b'X'), None);
    /// assert_eq!(b.to_vec(), b"Xb");
    /// ```
    #[inline]
    pub fn set(&mut self, index: usize, byte: u8) -> Option<u8> {
        if index >= self.len {
            return None;
        }
        Some(core::mem::replace(self.byte_mut(index), byte))
    }

    /// Sets every byte in `range` to `byte`. Filling with `0` makes every page the range
    /// covers whole into a hole (its memory is given up), and leaves holes as they are.
    ///
    /// # Panics
    ///
    /// As slice indexing does: when `range.start > range.end` or `range.end > self.len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::{CowBuffer, PAGE_SIZE};
    ///
    /// let mut b = CowBuffer::zeroed(4 * PAGE_SIZE);
    /// b.fill(10..3 * PAGE_SIZE, 1);
    /// assert_eq!(b.stats().holes, 1);
    /// b.fill(0..4 * PAGE_SIZE, 0);
    /// assert_eq!(b.stats().holes, 4);
    /// ```
    #[track_caller]
    pub fn fill(&mut self, range: Range<usize>, byte: u8) {
        // Checked as `slice[range]` checks, in std 1.95's order (the tests compare).
        if range.start > self.len {
            panic!(
                "range start index {} out of range for slice of length {}",
                range.start, self.len
            );
        }
        if range.end > self.len {
            panic!(
                "range end index {} out of range for slice of length {}",
                range.end, self.len
            );
        }
        if range.start > range.end {
            panic!(
                "slice index starts at {} but ends at {}",
                range.start, range.end
            );
        }
        if range.is_empty() {
            return;
        }
        if byte != 0 {
            self.write_with(range, |chunk, _| chunk.fill(byte));
            return;
        }
        // Whole pages become holes. The last page is whole when the range reaches the end of
        // the buffer: its bytes past `len` are zero already.
        let first_whole = range.start.div_ceil(PAGE_SIZE);
        let end_whole = if range.end == self.len {
            pages_for(self.len)
        } else {
            range.end / PAGE_SIZE
        };
        if first_whole < end_whole {
            self.table.punch(first_whole..end_whole, &mut drop);
            self.zero_present(range.start..first_whole * PAGE_SIZE);
            self.zero_present((end_whole * PAGE_SIZE).min(range.end)..range.end);
        } else {
            self.zero_present(range);
        }
    }

    /// Appends `data`. Bytes past the old end read as zero already, so the page-sized pieces of
    /// `data` that are all zero are not written: pages they cover whole stay holes (no memory),
    /// and a shared last page is not copied for them.
    ///
    /// # Panics
    ///
    /// With `"capacity overflow"` when the length would exceed `isize::MAX`.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::{CowBuffer, PAGE_SIZE};
    ///
    /// let mut b = CowBuffer::new();
    /// b.extend_from_slice(b"ab");
    /// b.extend_from_slice(b"cd");
    /// assert_eq!(b.to_vec(), b"abcd");
    ///
    /// b.extend_from_slice(&[0; 2 * PAGE_SIZE]); // the first page holds "abcd", one hole follows
    /// assert_eq!((b.stats().pages, b.stats().holes), (3, 2));
    /// ```
    #[track_caller]
    pub fn extend_from_slice(&mut self, data: &[u8]) {
        let start = self.len;
        let end = end_within_max(start, data.len());
        if end == start {
            return;
        }
        self.grow_to(end);
        // Write the runs of pieces (one per page) that hold a nonzero byte, each in one pass.
        let mut run: Option<usize> = None;
        let mut pos = start;
        while pos < end {
            let piece_end = ((pos / PAGE_SIZE + 1) * PAGE_SIZE).min(end);
            let zero = is_zero(&data[pos - start..piece_end - start]);
            match (run, zero) {
                (None, false) => run = Some(pos),
                (Some(from), true) => {
                    self.copy_in(from..pos, &data[from - start..pos - start]);
                    run = None;
                }
                _ => {}
            }
            pos = piece_end;
        }
        if let Some(from) = run {
            self.copy_in(from..end, &data[from - start..]);
        }
    }

    /// The pages in order, as byte slices: holes as zero pages, the last page cut at the end
    /// of the buffer. Nothing is copied.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::{CowBuffer, PAGE_SIZE};
    ///
    /// let b = CowBuffer::from(vec![1u8; PAGE_SIZE + 10]);
    /// let sizes: Vec<usize> = b.pages().map(<[u8]>::len).collect();
    /// assert_eq!(sizes, [PAGE_SIZE, 10]);
    /// ```
    pub fn pages(&self) -> impl Iterator<Item = &[u8]> {
        self.chunks(0..self.len)
    }

    /// Copies the whole content into a `Vec`.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = cowkit::CowBuffer::from(&b"abc"[..]);
    /// assert_eq!(b.to_vec(), b"abc");
    /// ```
    #[must_use]
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len);
        for chunk in self.runs(0..self.len) {
            out.extend_from_slice(chunk);
        }
        out
    }

    /// Counts holes, private and shared pages and the memory held: one pass over the table,
    /// O(pages held + nodes); holes cost nothing to count.
    ///
    /// The counts of shared pages are read as they are at the moment of the call: a clone
    /// dropped on another thread meanwhile may make a page private right after.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::{CowBuffer, PAGE_SIZE};
    ///
    /// let a = CowBuffer::from(vec![1u8; 3 * PAGE_SIZE]);
    /// assert_eq!(a.stats().private, 3);
    /// let b = a.clone();
    /// assert_eq!(a.stats().shared, 3);
    /// drop(b);
    /// assert_eq!(a.stats().private, 3);
    /// ```
    #[must_use]
    pub fn stats(&self) -> PageStats {
        self.table.stats(pages_for(self.len))
    }

    /// The indices (ascending) of this buffer's pages that are not the very same page as at
    /// the same index in `base`: pages written (on either side) since they last shared, pages
    /// made or punched, pages past `base`'s end. A hole in both is the same page.
    ///
    /// It compares identity, not bytes, and skips every subtree the two still share, so it
    /// costs O(changed pages + their table paths): the dirty pages for an incremental
    /// snapshot or backup. A page written back to its old bytes is still reported.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::{CowBuffer, PAGE_SIZE};
    ///
    /// let mut doc = CowBuffer::from(vec![0u8; 100 * PAGE_SIZE]);
    /// let backup = doc.clone();
    /// doc.set(5 * PAGE_SIZE, 1);
    /// doc.set(70 * PAGE_SIZE + 3, 1);
    /// assert_eq!(doc.changed_pages(&backup), [5, 70]);
    /// assert_eq!(backup.changed_pages(&doc), [5, 70]);
    /// ```
    #[must_use]
    pub fn changed_pages(&self, base: &CowBuffer) -> Vec<usize> {
        let mut changed = Vec::new();
        // Past this buffer's end, `self` holds nothing, so only `base` can differ there.
        let pages = 0..pages_for(self.len);
        let _ = leaf::diff(&self.table, &base.table, pages, &mut |page, _, _| {
            changed.push(page);
            ControlFlow::Continue(())
        });
        changed
    }

    /// The bytes one at a time, holes as zeros (`Vec::iter().copied()` for a buffer). Walks
    /// the table once per leaf, not once per byte.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = cowkit::CowBuffer::from(&b"cow"[..]);
    /// assert!(b.bytes().eq(*b"cow"));
    /// assert_eq!(b.bytes().len(), 3);
    /// ```
    pub fn bytes(&self) -> Bytes<'_> {
        Bytes {
            chunks: self.chunks(0..self.len),
            current: &[],
        }
    }

    /// `true` when the two buffers have the same length and hold the very same pages through
    /// the same page-table root: one is a clone of the other and neither was written since
    /// (or both are all holes). Then they are equal; unequal roots say nothing about the bytes.
    /// O(1), like [`Shared::ptr_eq`](crate::Shared::ptr_eq).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut a = cowkit::CowBuffer::from(&b"abc"[..]);
    /// let b = a.clone();
    /// assert!(a.ptr_eq(&b));
    /// a.set(0, b'a'); // the same byte, but a write: `a` has its own page now
    /// assert!(!a.ptr_eq(&b));
    /// assert_eq!(a, b);
    /// ```
    #[must_use]
    pub fn ptr_eq(&self, other: &CowBuffer) -> bool {
        self.len == other.len && self.table.same_root(&other.table)
    }

    /// Page number `index` as a slice: [`PAGE_SIZE`] bytes (a hole reads as zeros), the last
    /// page cut at the end of the buffer; `None` past the last page. Nothing is copied.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::{CowBuffer, PAGE_SIZE};
    ///
    /// let b = CowBuffer::from(vec![7u8; PAGE_SIZE + 3]);
    /// assert_eq!(b.page(0).map(<[u8]>::len), Some(PAGE_SIZE));
    /// assert_eq!(b.page(1), Some(&[7u8; 3][..]));
    /// assert_eq!(b.page(2), None);
    /// ```
    #[must_use]
    pub fn page(&self, index: usize) -> Option<&[u8]> {
        let start = self.page_start(index)?;
        self.chunks(start..self.len.min(start + PAGE_SIZE)).next()
    }

    /// Page number `index` as a writable slice, cut at the end of the buffer like
    /// [`page`](Self::page); `None` past the last page. That one page is made private first:
    /// copied when another buffer shares it (with the table nodes on its path), made a page
    /// when it is a hole.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::{CowBuffer, PAGE_SIZE};
    ///
    /// let mut a = CowBuffer::zeroed(3 * PAGE_SIZE);
    /// let b = a.clone();
    /// a.page_mut(1).unwrap()[..5].copy_from_slice(b"hello");
    /// assert_eq!(a.changed_pages(&b), [1]);
    /// assert_eq!(b.get(PAGE_SIZE), Some(0));
    /// assert!(a.page_mut(3).is_none());
    /// ```
    pub fn page_mut(&mut self, index: usize) -> Option<&mut [u8]> {
        let start = self.page_start(index)?;
        let n = PAGE_SIZE.min(self.len - start);
        Some(&mut page::writable(self.table.slot_mut(index), false)[..n])
    }

    /// Copies the bytes of `src` to `dest` within the buffer (the two may overlap), as
    /// [`<[u8]>::copy_within`](slice::copy_within) does; the pages written are made private
    /// first, page by page.
    ///
    /// # Panics
    ///
    /// As the slice method does, with its messages: when `src` is out of bounds or its start
    /// is past its end, or when `dest + src.len()` passes the end.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut b = cowkit::CowBuffer::from(&b"Hello, World!"[..]);
    /// b.copy_within(1..5, 8);
    /// assert_eq!(b.to_vec(), b"Hello, Wello!");
    /// ```
    #[track_caller]
    pub fn copy_within<R: RangeBounds<usize>>(&mut self, src: R, dest: usize) {
        let src = slice_range(src, self.len);
        let count = src.len();
        assert!(dest <= self.len - count, "dest is out of bounds");
        let mut piece = [0u8; PAGE_SIZE];
        let mut copy = |buffer: &mut CowBuffer, done: usize, n: usize| {
            let read = buffer.read_at(src.start + done, &mut piece[..n]);
            debug_assert_eq!(read, n);
            buffer.copy_in(dest + done..dest + done + n, &piece[..n]);
        };
        if dest <= src.start {
            // Front to back: each piece is read before a later piece's write can reach it.
            let mut done = 0;
            while done < count {
                let n = PAGE_SIZE.min(count - done);
                copy(self, done, n);
                done += n;
            }
        } else {
            // Back to front, for the same reason when the destination lies after the source.
            let mut left = count;
            while left > 0 {
                let n = PAGE_SIZE.min(left);
                left -= n;
                copy(self, left, n);
            }
        }
    }

    /// Splits the buffer in two at byte `at`: `self` keeps `[0, at)`, the returned buffer holds
    /// `[at, len)`, as [`Vec::split_off`] does.
    ///
    /// When `at` is a multiple of [`PAGE_SIZE`], the pages move without being copied: the new
    /// buffer shares them (holes stay holes), at a cost of O(pages moved + their table paths).
    /// Otherwise every moved byte shifts within its page, so the bytes are copied (all-zero
    /// pages of the result stay holes).
    ///
    /// # Panics
    ///
    /// When `at > len`, with `Vec::split_off`'s message.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::{CowBuffer, PAGE_SIZE};
    ///
    /// let mut a = CowBuffer::from(vec![1u8; 3 * PAGE_SIZE]);
    /// let b = a.split_off(PAGE_SIZE);
    /// assert_eq!((a.len(), b.len()), (PAGE_SIZE, 2 * PAGE_SIZE));
    /// assert_eq!(b.stats().private, 2); // the same two pages, moved
    /// ```
    #[must_use = "use `.truncate()` if you don't need the other half"]
    #[track_caller]
    pub fn split_off(&mut self, at: usize) -> CowBuffer {
        if at > self.len {
            panic!(
                "`at` split index (is {at}) should be <= len (is {})",
                self.len
            );
        }
        let mut tail = CowBuffer::new();
        if at % PAGE_SIZE == 0 {
            if at < self.len {
                // The pages moved may be file pages: the tail keeps their mapping too.
                tail.mapping = self.mapping.clone();
            }
            let shift = at / PAGE_SIZE;
            tail.resize(self.len - at);
            let moved = shift..pages_for(self.len);
            let _ = leaf::diff(
                &self.table,
                &PageTable::new(),
                moved,
                &mut |page_no, page, _| {
                    let index = page_no - shift;
                    *tail.table.slot_mut(index) = page.cloned();
                    ControlFlow::Continue(())
                },
            );
        } else {
            for chunk in self.runs(at..self.len) {
                tail.extend_from_slice(chunk);
            }
        }
        self.truncate(at);
        tail
    }

    /// Sets the most bytes of idle page memory the pool keeps mapped for reuse (shared by
    /// every buffer in the process) and returns the previous bound. The default is 16 MiB.
    ///
    /// Pages are carved from arenas of 2 MiB (510 pages of 4 KiB and their counts), mapped
    /// from the OS whole (see [`set_huge_pages`](Self::set_huge_pages) for how the kernel
    /// faults them in). A freed page goes back to its arena. An arena with no page in use is *idle*: the pool keeps
    /// idle arenas while they fit within this bound and gives the others back to the OS. An
    /// arena with any page in use stays mapped (its free pages wait there for reuse), as in any
    /// slab allocator. So dropping every buffer returns memory down to the bound.
    ///
    /// Each thread also keeps up to 32 free pages (128 KiB) for itself, so that taking and
    /// freeing a page usually takes no lock; they go back to the pool when the thread ends or
    /// calls this function. A bound of `0` turns the threads' caches off and gives every arena
    /// back as soon as it is idle (a loop that takes and frees one page then maps and unmaps
    /// an arena each time; bounds below 2 MiB keep no idle arena).
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowBuffer;
    ///
    /// let previous = CowBuffer::set_page_pool_limit(64 << 20); // keep up to 64 MiB idle
    /// drop(CowBuffer::from(vec![1u8; 1 << 20])); // its pages go back to their arena
    /// assert!(CowBuffer::page_pool_bytes() >= 1 << 20);
    /// CowBuffer::set_page_pool_limit(0); // every idle arena goes back to the OS
    /// assert_eq!(CowBuffer::page_pool_bytes(), 0); // no other buffer lives in this example
    /// CowBuffer::set_page_pool_limit(previous);
    /// ```
    #[cfg(feature = "std")]
    pub fn set_page_pool_limit(bytes: usize) -> usize {
        page::frames::set_limit(bytes / PAGE_SIZE) * PAGE_SIZE
    }

    /// Sets whether page arenas mapped from now on use transparent huge pages, for every
    /// buffer in the process, and returns the previous setting. The default is `false`.
    /// Arenas already mapped keep the way they were mapped (drop them to the OS first with
    /// [`set_page_pool_limit(0)`](Self::set_page_pool_limit) if that matters).
    ///
    /// On Linux each new 2 MiB arena is advised with `madvise`:
    ///
    /// - `false` (default): `MADV_NOHUGEPAGE`. The kernel faults the arena in 4 KiB at a time,
    ///   on each page's first write, as it does for its own copy-on-write: a write into fresh
    ///   memory costs about one 4 KiB fault, never more.
    /// - `true`: `MADV_HUGEPAGE`. The first write into an arena makes the kernel zero a whole
    ///   2 MiB huge page inside that write; the arena's other 509 pages then take no fault and
    ///   fewer TLB misses. Where the machine holds the memory (bare metal), a copy into fresh
    ///   memory then costs 0.14-0.25x the kernel's own copy-on-write fault on average (4 KiB
    ///   faults: about 1x), at the price of a stall of 0.1-0.4 ms once per arena. On a virtual
    ///   machine whose host takes free memory back (free page reporting, ballooning), the
    ///   host must fault in 512 pages for that one write: 4-20 ms measured, 3.2-6.6x the
    ///   kernel's copy-on-write per page over a fresh 1 GiB clone (4 KiB faults: 0.3-1.4x).
    ///
    /// The README has the figures of both policies, in a fresh process with and without
    /// memory held by the guest, against the kernel in the same run (`cargo bench --bench
    /// buffer -- report`). Whether the kernel honours the advice depends on
    /// `/sys/kernel/mm/transparent_hugepage/enabled` (`madvise` or `always` for `true`).
    /// Other platforms, and builds without the page pool, give no advice: there this records
    /// nothing and returns `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowBuffer;
    ///
    /// // A batch job on bare metal that fills large buffers: fewer faults.
    /// let previous = CowBuffer::set_huge_pages(true);
    /// let mut image = CowBuffer::zeroed(8 << 20);
    /// image.fill(0..8 << 20, 1); // new arenas from here on are advised for huge pages
    /// CowBuffer::set_huge_pages(previous);
    /// ```
    #[cfg(feature = "std")]
    pub fn set_huge_pages(on: bool) -> bool {
        page::frames::set_huge_pages(on)
    }

    /// How many bytes of free pages the pool holds now: in idle arenas, in arenas that still
    /// hold pages in use, and in this thread's cache (other threads' caches are not counted).
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowBuffer;
    ///
    /// let b = CowBuffer::from(vec![1u8; 1 << 20]);
    /// let before = CowBuffer::page_pool_bytes();
    /// drop(b);
    /// assert_eq!(CowBuffer::page_pool_bytes(), before + (1 << 20)); // kept for reuse
    /// ```
    #[cfg(feature = "std")]
    #[must_use]
    pub fn page_pool_bytes() -> usize {
        page::frames::len() * PAGE_SIZE
    }

    /// Reads a whole file into a new buffer, page by page: pages that are all zero become
    /// holes, so a sparse image costs memory only for its non-zero pages. The buffer is a
    /// private copy, as the kernel's `MAP_PRIVATE` mapping is after every page was touched:
    /// writes change the buffer, never the file, until [`write_changes`](Self::write_changes)
    /// writes them back.
    ///
    /// The file is read from offset 0 until a read returns no bytes (end of file), in pieces
    /// of up to 1 MiB, whatever the file's cursor says. On Unix the reads are positional
    /// (`pread`): the file's cursor does not move, and other threads may use the same `File`
    /// meanwhile. On other platforms each read seeks first, so the cursor is left at the end.
    ///
    /// The buffer's pages are its own: [`stats`](Self::stats) counts the pages read as
    /// private (all-zero ones as holes), and two buffers read from the same file share no
    /// page, so [`changed_pages`](Self::changed_pages) between them lists every page either
    /// holds. Keep a clone of the buffer as read to tell the pages written since.
    ///
    /// A file that another handle or process changes while it is read gives the bytes the
    /// reads returned: a file that shrinks gives the bytes up to its new end, one that grows
    /// is read to its new end, and a page rewritten meanwhile may be seen old or new (as with
    /// any `read`). Nothing is mapped, so none of this is undefined behaviour.
    ///
    /// # Costs
    ///
    /// Time O(file length), holes of a sparse file included: one read per MiB (the OS reads a
    /// hole as zeros, without disk I/O, but it may first fill its page cache with them); each
    /// page checked for zeros 64 bits at a time; each run of non-zero pages copied in at once.
    /// Memory: the non-zero pages, their table, and during the call a scratch piece of at most
    /// 1 MiB (smaller for a smaller file).
    ///
    /// # Errors
    ///
    /// Any error of a read other than [`io::ErrorKind::Interrupted`](std::io::ErrorKind::Interrupted) (which is retried), for
    /// example when `file` was not opened for reading or is a directory; the bytes read before
    /// it are dropped. [`io::ErrorKind::OutOfMemory`](std::io::ErrorKind::OutOfMemory) for a file longer than `isize::MAX`
    /// bytes, the longest buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::fs::File;
    /// use cowkit::{CowBuffer, PAGE_SIZE};
    ///
    /// let path = std::env::temp_dir().join(format!("cowkit-read-file-{}", std::process::id()));
    /// std::fs::write(&path, b"header")?;
    /// File::options().write(true).open(&path)?.set_len(1 << 20)?; // zeros past the header
    ///
    /// let image = CowBuffer::read_file(&File::open(&path)?)?;
    /// assert_eq!(image.len(), 1 << 20);
    /// assert_eq!(image.read_at(0, &mut [0; 6]), 6);
    /// assert_eq!(image.get(0), Some(b'h'));
    /// let stats = image.stats();
    /// assert_eq!((stats.private, stats.holes), (1, (1 << 20) / PAGE_SIZE - 1));
    ///
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn read_file(file: &std::fs::File) -> std::io::Result<CowBuffer> {
        file::read_file(file)
    }

    /// Maps a whole file into a new buffer, lazily and without copying: the buffer's pages are
    /// the file's own pages, mapped read-only and shared with the OS's page cache, until they
    /// are written. A write makes a private copy of the page it touches (as the kernel's
    /// `MAP_PRIVATE` mapping does, or Windows' copy-on-write section); the file and every
    /// other buffer are untouched. Clones share pages as usual, the file's included.
    ///
    /// - Nothing is read when the file is mapped: a page is read (by the OS, on a page fault)
    ///   when the buffer's bytes there are first read, or copied when first written.
    /// - [`stats`](Self::stats) counts every page not yet written as *shared* (with the file;
    ///   an all-zero page too: it is the file's page, not a hole), and adds nothing to
    ///   `resident_bytes` for it (it is the page cache's memory); a page written is private.
    /// - [`changed_pages(&opened)`](Self::changed_pages), against a clone kept as mapped,
    ///   lists exactly the pages written since; [`write_changes`](Self::write_changes) writes
    ///   them to *another* file (see below).
    /// - The mapping is unmapped when the last buffer made from it is dropped (or
    ///   [`clear`](Self::clear)ed).
    ///
    /// On Linux a regular file is mapped (`mmap`, `PROT_READ`, `MAP_SHARED`). Elsewhere, and
    /// for a regular file whose length reads as 0 (empty, or a file of `/proc`) or that its
    /// file system cannot map (`ENODEV`: a file of `/sys`), it is read as
    /// [`read_file`](Self::read_file) reads it: then nothing is mapped, and the pages are the
    /// buffer's own.
    ///
    /// # Safety
    ///
    /// As for any mapping of a file (this is the contract of `memmap2::Mmap::map`): the file
    /// must not be modified or truncated, by this process or another, from the call until the
    /// buffer, every clone of it and every buffer split off it are dropped. The buffer reads
    /// the file's bytes where they lie; a change would show through every such buffer (and a
    /// `&[u8]` borrowed from it would change under its borrow, which is undefined behaviour),
    /// and a truncation makes a read past the new end fault (`SIGBUS`). An I/O error while the
    /// OS reads a page in (a failing disk, a network file system gone) is also a `SIGBUS`,
    /// where `read_file` would return the error.
    ///
    /// [`write_changes`](Self::write_changes) refuses to write into the file that `self` or
    /// `base` maps, for that reason. To save edits of a mapped file, write them to another
    /// file (for example a copy, or with an empty `base`: every page not a hole), or drop the
    /// mapped buffers first.
    ///
    /// # Costs
    ///
    /// One `mmap` and the table: O(pages), about 10 bytes and no count per page (1 GiB:
    /// 262,144 pages, a 2.4 MiB table). A clone adds one count on the mapping. A read of a page not
    /// yet resident costs the OS's page fault; a first write copies the page into a pool
    /// page, as a write to a shared page does.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput) for what is not a
    /// regular file (a directory, a pipe, a device). An error of `fstat` or `mmap`, for
    /// example `PermissionDenied` when `file` was not opened for reading; of the read, where
    /// the file is read. [`io::ErrorKind::OutOfMemory`](std::io::ErrorKind::OutOfMemory) for a
    /// file longer than `isize::MAX` bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::fs::File;
    /// use cowkit::{CowBuffer, PAGE_SIZE};
    ///
    /// let path = std::env::temp_dir().join(format!("cowkit-map-file-{}", std::process::id()));
    /// std::fs::write(&path, vec![7u8; 100 * PAGE_SIZE])?;
    ///
    /// // SAFETY: this example's own file, which nothing changes while the buffers live.
    /// let opened = unsafe { CowBuffer::map_file(&File::open(&path)?)? };
    /// let mut edited = opened.clone();
    /// edited.set(5 * PAGE_SIZE, 1); // copies page 5; the file and `opened` are untouched
    ///
    /// assert_eq!(edited.get(5 * PAGE_SIZE), Some(1));
    /// assert_eq!(opened.get(5 * PAGE_SIZE), Some(7));
    /// assert_eq!(edited.changed_pages(&opened), [5]);
    /// # #[cfg(all(target_os = "linux"))] {
    /// let stats = edited.stats();
    /// assert_eq!((stats.private, stats.shared), (1, 99)); // 99 pages are still the file's
    /// # }
    ///
    /// // Save to another file: a copy of the original, then the changed pages.
    /// let saved = path.with_extension("saved");
    /// std::fs::copy(&path, &saved)?;
    /// let out = File::options().write(true).open(&saved)?;
    /// assert_eq!(edited.write_changes(&opened, &out)?, 1);
    /// assert_eq!(std::fs::read(&saved)?, edited.to_vec());
    ///
    /// drop((opened, edited)); // unmapped here
    /// std::fs::remove_file(&path)?;
    /// std::fs::remove_file(&saved)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[cfg(feature = "std")]
    #[allow(unsafe_code)]
    pub unsafe fn map_file(file: &std::fs::File) -> std::io::Result<CowBuffer> {
        // SAFETY: the caller's promise, this function's contract, is the one `file::map_file`
        // needs.
        unsafe { file::map_file(file) }
    }

    /// Writes to `file` the pages of this buffer that differ from `base`, each at its offset
    /// (`page * PAGE_SIZE`; the last page cut at the end of the buffer), then sets the file's
    /// length to [`len`](Self::len) when it differs; returns how many pages were written.
    ///
    /// `base` is what the file holds: the buffer as it was read with
    /// [`read_file`](Self::read_file), or as it was last written, kept as an O(1) clone. The
    /// pages written are exactly [`changed_pages(base)`](Self::changed_pages): those that are
    /// no longer the very same page as in `base` (a page written back to its old bytes is
    /// still written; a page punched into a hole is written as zeros). Adjacent changed pages
    /// go out in one write of up to 1 MiB; on Unix the writes are positional (`pwrite`, the
    /// cursor does not move), elsewhere each seeks first.
    ///
    /// When the buffer is longer than the file, the file grows (the bytes past the last page
    /// written read as zeros, as the buffer's holes there do). When it is shorter (it was
    /// truncated after `base` was taken), the file is truncated to its length: the pages past
    /// the end no longer exist, in the buffer or the file. Afterwards the file holds exactly
    /// the buffer's bytes, provided it held `base`'s before; keep `self.clone()` as the next
    /// base.
    ///
    /// # Costs
    ///
    /// O(changed pages + their table paths) to find the pages (shared subtrees are skipped),
    /// then one write per run of adjacent changed pages (per MiB of a run): after 100 scattered
    /// writes to a 1 GiB image, at most 100 pages and 100 writes. A run of several pages is
    /// copied into a scratch piece first (one copy, to save a system call per page).
    ///
    /// # Errors
    ///
    /// The first error of a write (for example when `file` was not opened for writing, or the
    /// disk is full), of reading the file's length, or of `set_len`. The pages before it may
    /// have been written: the file then holds neither buffer, and calling `write_changes`
    /// again with the same `base` writes every changed page again and finishes the job.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::fs::OpenOptions;
    /// use cowkit::{CowBuffer, PAGE_SIZE};
    ///
    /// let path = std::env::temp_dir().join(format!("cowkit-write-changes-{}", std::process::id()));
    /// std::fs::write(&path, vec![1u8; 100 * PAGE_SIZE])?;
    /// let file = OpenOptions::new().read(true).write(true).open(&path)?;
    ///
    /// let opened = CowBuffer::read_file(&file)?;
    /// let mut edited = opened.clone(); // O(1): the file's pages, shared
    /// edited.write_at(3, b"three");
    /// edited.write_at(70 * PAGE_SIZE, b"seventy");
    /// edited.truncate(90 * PAGE_SIZE + 10);
    ///
    /// assert_eq!(edited.write_changes(&opened, &file)?, 3); // pages 0, 70 and 90 (cut)
    /// assert_eq!(std::fs::read(&path)?, edited.to_vec());
    ///
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn write_changes(&self, base: &CowBuffer, file: &std::fs::File) -> std::io::Result<usize> {
        file::write_changes(self, base, file)
    }

    /// The first byte of page `index`, or `None` past the last page.
    fn page_start(&self, index: usize) -> Option<usize> {
        index
            .checked_mul(PAGE_SIZE)
            .filter(|&start| start < self.len)
    }
}

// Declared after `CowBuffer`'s own `impl` block, so that the docs list the file methods
// (`read_file`, `map_file`, `write_changes`) after the buffer's own.
mod file;

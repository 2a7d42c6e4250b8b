//! The write path: every write of bytes makes its pages writable with `page::writable`
//! (copying shared pages, filling holes): a range through [`CowBuffer::write_with`], a leaf at
//! a time, handing out runs of pages adjacent in memory; one byte through
//! [`CowBuffer::byte_mut`], one walk. Growth and zeroing beside them.

#![deny(unsafe_code)]

use core::ops::Range;

use super::page::{self, PageRef};
use super::{CowBuffer, MAX_LEN, PAGE_SIZE, pages_for};

impl CowBuffer {
    /// Grows the length to `new_len` (`> len`, `<= MAX_LEN`): holes, and table levels on top
    /// when the root no longer covers the pages.
    pub(super) fn grow_to(&mut self, new_len: usize) {
        debug_assert!(new_len > self.len && new_len <= MAX_LEN);
        self.table.grow(pages_for(new_len));
        self.len = new_len;
    }

    /// The byte at `index` (within the length), writable: one table walk, and its page made
    /// writable (copied if shared, filled if a hole).
    #[inline]
    pub(super) fn byte_mut(&mut self, index: usize) -> &mut u8 {
        debug_assert!(index < self.len);
        let page = page::writable(self.table.slot_mut(index / PAGE_SIZE), false);
        &mut page[index % PAGE_SIZE]
    }

    /// Copies `data` (as long as `range`, within the length) into `range`.
    pub(super) fn copy_in(&mut self, range: Range<usize>, data: &[u8]) {
        debug_assert_eq!(range.len(), data.len());
        self.write_with(range, |chunk, from| {
            chunk.copy_from_slice(&data[from..from + chunk.len()]);
        });
    }

    /// Calls `write(chunk, from)` for each piece of `range` (within the length) that lies in
    /// pages adjacent in memory, a leaf at a time, where `from` is the piece's offset from
    /// `range.start`. Every page of the range is made writable first (shared pages are copied,
    /// holes become pages); then each run of adjacent frames is one piece, so a long write into
    /// pages taken in order makes one copy per run instead of one per page. `write` must set
    /// every byte of the piece it is given (a whole page in the range is not filled first).
    pub(super) fn write_with(
        &mut self,
        range: Range<usize>,
        mut write: impl FnMut(&mut [u8], usize),
    ) {
        debug_assert!(range.end <= self.len);
        let mut pos = range.start;
        while pos < range.end {
            let page_no = pos / PAGE_SIZE;
            // The slots of this leaf that the range covers, in one walk: `slots[i]` is page
            // `page_no + i`.
            let slots = self.table.items_mut(page_no..pages_for(range.end));
            // Their counts sit side by side in arena headers; load them before the checks.
            slots.iter().flatten().for_each(PageRef::prefetch);
            for (i, page) in slots.iter_mut().enumerate() {
                let start = (page_no + i) * PAGE_SIZE;
                let whole = range.start <= start && start + PAGE_SIZE <= range.end;
                page::writable(page, whole);
            }
            let count = slots.len();
            let mut i = 0;
            while i < count {
                let bytes = page::run_mut(&mut slots[i..], count - i);
                let n = bytes.len() / PAGE_SIZE;
                let at = pos % PAGE_SIZE;
                let len = (bytes.len() - at).min(range.end - pos);
                write(&mut bytes[at..at + len], pos - range.start);
                pos += len;
                i += n;
            }
        }
    }

    /// Zeroes `range` (within the length) in the pages that hold it; holes stay holes.
    pub(super) fn zero_present(&mut self, range: Range<usize>) {
        let mut pos = range.start;
        while pos < range.end {
            let page_end = (pos / PAGE_SIZE + 1) * PAGE_SIZE;
            let end = range.end.min(page_end);
            if self.held_page(pos / PAGE_SIZE).is_some() {
                self.write_with(pos..end, |chunk, _| chunk.fill(0));
            }
            pos = end;
        }
    }
}

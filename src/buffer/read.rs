//! The read path: [`Chunks`], the one iteration over a range of a buffer's bytes (a page or a
//! run of pages adjacent in memory at a time, holes as zeros) behind every read, and the
//! public iterator [`Bytes`] on it.

#![deny(unsafe_code)]

use core::fmt;
use core::iter::FusedIterator;
use core::ops::Range;

use super::leaf::Pages;
use super::page::{self, ZEROS};
use super::{CowBuffer, PAGE_SIZE, pages_for};
use crate::table::Reader;

impl CowBuffer {
    /// The bytes of `range` (within the length) page by page, holes as zeros.
    pub(super) fn chunks(&self, range: Range<usize>) -> Chunks<'_> {
        debug_assert!(range.start <= range.end && range.end <= self.len);
        Chunks {
            reader: self.table.reader(),
            pos: range.start,
            end: range.end,
            runs: false,
        }
    }

    /// The bytes of `range` (within the length) in as few pieces as the pages' places in
    /// memory allow: a run of adjacent pages is one piece. For bulk copies out.
    pub(super) fn runs(&self, range: Range<usize>) -> Chunks<'_> {
        Chunks {
            runs: true,
            ..self.chunks(range)
        }
    }

    /// The rest of the page that holds `offset`, cut at the end of the buffer (empty at or past
    /// the end): what `BufRead::fill_buf` hands out.
    #[cfg(feature = "std")]
    pub(super) fn chunk_at(&self, offset: usize) -> &[u8] {
        if offset >= self.len {
            return &[];
        }
        let end = self.len.min((offset / PAGE_SIZE + 1) * PAGE_SIZE);
        self.chunks(offset..end).next().unwrap_or(&[])
    }

    /// The page at index `page_no`, or `None` for a hole.
    pub(super) fn held_page(&self, page_no: usize) -> Option<&page::Page> {
        self.table.page(page_no).map(|page| &**page)
    }
}

/// The bytes of a range of a buffer, a page at a time or a run of adjacent pages at a time
/// (holes as zeros); the one read path behind `read_at`, `pages`, `bytes`, `to_vec`, `==` with
/// slices and `Hash`.
#[derive(Clone)]
pub(super) struct Chunks<'a> {
    /// The table read, one walk per leaf.
    reader: Reader<'a, Pages>,
    /// The next byte to hand out.
    pos: usize,
    /// The end of the range.
    end: usize,
    /// Whether a piece may span pages that lie one after another in memory (else one page).
    runs: bool,
}

impl<'a> Iterator for Chunks<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.pos >= self.end {
            return None;
        }
        let page_no = self.pos / PAGE_SIZE;
        // The slots from this page to the end of the range or of its leaf, `slots[0]` this one.
        let slots = self.reader.items(page_no..pages_for(self.end));
        let bytes = match slots.filter(|slots| slots[0].is_some()) {
            Some(slots) => page::run(slots, if self.runs { slots.len() } else { 1 }),
            None => &ZEROS[..],
        };
        let at = self.pos % PAGE_SIZE;
        let n = (bytes.len() - at).min(self.end - self.pos);
        self.pos += n;
        Some(&bytes[at..at + n])
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let pages = if self.pos >= self.end {
            0
        } else {
            pages_for(self.end) - self.pos / PAGE_SIZE
        };
        // In runs, at least one piece is left while any page is.
        (if self.runs { pages.min(1) } else { pages }, Some(pages))
    }
}

/// The bytes of a [`CowBuffer`], one at a time, holes as zeros: from [`CowBuffer::bytes`].
#[derive(Clone)]
pub struct Bytes<'a> {
    /// The page-sized pieces not yet started.
    pub(super) chunks: Chunks<'a>,
    /// The rest of the current piece.
    pub(super) current: &'a [u8],
}

impl Iterator for Bytes<'_> {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        if self.current.is_empty() {
            self.current = self.chunks.next()?;
        }
        let (&byte, rest) = self.current.split_first()?;
        self.current = rest;
        Some(byte)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.len();
        (n, Some(n))
    }

    fn fold<B, F: FnMut(B, u8) -> B>(self, init: B, mut f: F) -> B {
        // A slice at a time: the inner loops have no refill check.
        let mut acc = self.current.iter().fold(init, |acc, &b| f(acc, b));
        for chunk in self.chunks {
            acc = chunk.iter().fold(acc, |acc, &b| f(acc, b));
        }
        acc
    }
}

impl ExactSizeIterator for Bytes<'_> {
    fn len(&self) -> usize {
        self.current.len() + self.chunks.end.saturating_sub(self.chunks.pos)
    }
}

impl FusedIterator for Bytes<'_> {}

impl fmt::Debug for Bytes<'_> {
    /// How many bytes are left, not the bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bytes")
            .field("remaining", &self.len())
            .finish()
    }
}

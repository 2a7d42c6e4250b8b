//! Recipes for generated buffers: what the `arbitrary` and `proptest` impls build, so that
//! both make the same kinds of buffer (several pages, holes between written pages, dense
//! pages, a short last page) from their own sources of choices.

#![deny(unsafe_code)]

use super::{CowBuffer, PAGE_SIZE, pages_for};

/// The most whole pages in a generated buffer: more than one leaf of the page table (16
/// pages), so generated buffers have two levels, and at most 160 KiB even if all are
/// written.
pub(crate) const MAX_PAGES: usize = 40;

/// The most pages one [`Stroke::Fill`] covers.
pub(crate) const MAX_FILL_PAGES: usize = 8;

/// One change to a buffer of holes. Positions are taken modulo the buffer's length, so any
/// value is valid.
#[derive(Debug)]
pub(crate) enum Stroke<B> {
    /// Fill `pages` whole pages from page `page` on with `byte` (`0` leaves holes).
    Fill { page: usize, pages: usize, byte: u8 },
    /// Write `bytes` at byte offset `at`, cut at the end of the buffer.
    Write { at: usize, bytes: B },
}

/// A buffer of `pages` whole pages and `tail` more bytes (both reduced into range), all
/// holes, then changed by each stroke in turn.
pub(crate) fn build<B: AsRef<[u8]>>(
    pages: usize,
    tail: usize,
    strokes: impl IntoIterator<Item = Stroke<B>>,
) -> CowBuffer {
    let len = pages % (MAX_PAGES + 1) * PAGE_SIZE + tail % PAGE_SIZE;
    let mut buffer = CowBuffer::zeroed(len);
    if len == 0 {
        return buffer;
    }
    for stroke in strokes {
        match stroke {
            Stroke::Fill { page, pages, byte } => {
                let first = page % pages_for(len);
                let count = 1 + pages % MAX_FILL_PAGES;
                let end = ((first + count) * PAGE_SIZE).min(len);
                buffer.fill(first * PAGE_SIZE..end, byte);
            }
            Stroke::Write { at, bytes } => {
                let at = at % len;
                let bytes = bytes.as_ref();
                buffer.write_at(at, &bytes[..bytes.len().min(len - at)]);
            }
        }
    }
    buffer
}

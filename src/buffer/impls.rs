//! The trait impls of [`CowBuffer`]: clone, comparisons, hashing, the `Debug` summary,
//! conversions and collection.

#![deny(unsafe_code)]

use alloc::vec::Vec;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::ControlFlow;

use super::page::ZEROS;
use super::{CowBuffer, PAGE_SIZE, leaf, pages_for};

impl Default for CowBuffer {
    /// An empty buffer, as [`CowBuffer::new`].
    fn default() -> Self {
        CowBuffer::new()
    }
}

impl Clone for CowBuffer {
    /// Another buffer with the same bytes, sharing every page: O(1), one atomic increment on
    /// the table's root (and one on the file mapping of a buffer from `map_file`), at any size.
    fn clone(&self) -> Self {
        CowBuffer {
            table: self.table.share(),
            len: self.len,
            mapping: self.mapping.clone(),
        }
    }
}

impl PartialEq for CowBuffer {
    /// Compares bytes, skipping every subtree and page the two share by pointer: comparing a
    /// buffer with a clone costs O(pages changed since the clone).
    fn eq(&self, other: &CowBuffer) -> bool {
        if self.len != other.len {
            return false;
        }
        let len = self.len;
        let pages = 0..pages_for(len);
        leaf::diff(&self.table, &other.table, pages, &mut |page_no, a, b| {
            let n = PAGE_SIZE.min(len - page_no * PAGE_SIZE);
            let a = a.map_or(&ZEROS, |p| &p.0);
            let b = b.map_or(&ZEROS, |p| &p.0);
            if a[..n] == b[..n] {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        })
        .is_continue()
    }
}

impl Eq for CowBuffer {}

impl PartialEq<[u8]> for CowBuffer {
    fn eq(&self, other: &[u8]) -> bool {
        self.len == other.len()
            && self
                .pages()
                .zip(other.chunks(PAGE_SIZE))
                .all(|(a, b)| a == b)
    }
}

impl PartialEq<&[u8]> for CowBuffer {
    fn eq(&self, other: &&[u8]) -> bool {
        *self == **other
    }
}

impl PartialEq<Vec<u8>> for CowBuffer {
    fn eq(&self, other: &Vec<u8>) -> bool {
        *self == **other
    }
}

impl Hash for CowBuffer {
    /// Hashes the length, then the bytes page by page; equal buffers hash equally.
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len);
        for chunk in self.pages() {
            state.write(chunk);
        }
    }
}

impl fmt::Debug for CowBuffer {
    /// A summary: the length, the page count and the first bytes, never the whole content.
    ///
    /// ```
    /// let b = cowkit::CowBuffer::from(&b"hi"[..]);
    /// assert_eq!(format!("{b:?}"), "CowBuffer { len: 2, pages: 1, head: [104, 105] }");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut head = [0u8; 16];
        let n = self.read_at(0, &mut head);
        f.debug_struct("CowBuffer")
            .field("len", &self.len)
            .field("pages", &pages_for(self.len))
            .field("head", &&head[..n])
            .finish()
    }
}

impl From<&[u8]> for CowBuffer {
    /// Copies the bytes into pages; pages that would be all zero stay holes (no memory).
    fn from(bytes: &[u8]) -> Self {
        let mut buffer = CowBuffer::new();
        buffer.extend_from_slice(bytes);
        buffer
    }
}

impl From<Vec<u8>> for CowBuffer {
    /// Copies the bytes into pages (a `Vec` is one allocation; pages are many); pages that
    /// would be all zero stay holes.
    fn from(bytes: Vec<u8>) -> Self {
        CowBuffer::from(&bytes[..])
    }
}

impl From<CowBuffer> for Vec<u8> {
    /// Copies the bytes out, holes as zeros: [`CowBuffer::to_vec`].
    fn from(buffer: CowBuffer) -> Self {
        buffer.to_vec()
    }
}

impl FromIterator<u8> for CowBuffer {
    /// Collects bytes into pages, a page at a time; pages that would be all zero stay holes.
    ///
    /// ```
    /// let b: cowkit::CowBuffer = (0..=255u8).cycle().take(10_000).collect();
    /// assert_eq!(b.len(), 10_000);
    /// assert_eq!(b.get(256), Some(0));
    /// ```
    fn from_iter<I: IntoIterator<Item = u8>>(iter: I) -> Self {
        let mut buffer = CowBuffer::new();
        buffer.extend(iter);
        buffer
    }
}

impl Extend<u8> for CowBuffer {
    /// Appends bytes, gathered a page at a time and appended as
    /// [`extend_from_slice`](CowBuffer::extend_from_slice) does (all-zero pieces are not
    /// written). A panic in the iterator keeps the bytes appended before it.
    ///
    /// ```
    /// let mut b = cowkit::CowBuffer::from(&b"ab"[..]);
    /// b.extend(*b"cd");
    /// b.extend(&[b'e']);
    /// assert_eq!(b.to_vec(), b"abcde");
    /// ```
    fn extend<I: IntoIterator<Item = u8>>(&mut self, iter: I) {
        let mut piece = [0u8; PAGE_SIZE];
        // The first piece ends at a page boundary, so that each later one covers one page.
        let mut room = PAGE_SIZE - self.len % PAGE_SIZE;
        let mut filled = 0;
        for byte in iter {
            piece[filled] = byte;
            filled += 1;
            if filled == room {
                self.extend_from_slice(&piece[..filled]);
                filled = 0;
                room = PAGE_SIZE;
            }
        }
        self.extend_from_slice(&piece[..filled]);
    }
}

impl<'a> Extend<&'a u8> for CowBuffer {
    /// Appends copies of the bytes, as `Extend<u8>` does.
    fn extend<I: IntoIterator<Item = &'a u8>>(&mut self, iter: I) {
        self.extend(iter.into_iter().copied());
    }
}
impl AsRef<CowBuffer> for CowBuffer {
    fn as_ref(&self) -> &CowBuffer {
        self
    }
}

impl AsMut<CowBuffer> for CowBuffer {
    fn as_mut(&mut self) -> &mut CowBuffer {
        self
    }
}

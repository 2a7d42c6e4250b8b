//! The vector's leaf of the page table (`crate::table`): a chunk of up to [`Chunk::LEN`]
//! elements in one allocation of their own, as `Vec<T>` holds them.

#![deny(unsafe_code)]

use alloc::vec::Vec;
use core::ops::Range;

use crate::config::VEC_CHUNK_BYTES;
use crate::table::Leaf;

/// One leaf: the elements of one chunk, in order. Every chunk but the vector's last holds
/// exactly [`Chunk::LEN`] elements.
pub(crate) struct Chunk<T>(pub(crate) Vec<T>);

impl<T> Chunk<T> {
    /// Elements per full chunk: `2^SHIFT`.
    pub(crate) const LEN: usize = 1 << <Self as Leaf>::SHIFT;

    /// A chunk holding a copy of `items`, with room for `capacity` of them (at least their
    /// count).
    pub(crate) fn from_slice(items: &[T], capacity: usize) -> Self
    where
        T: Clone,
    {
        let mut vec = Vec::with_capacity(capacity.max(items.len()));
        vec.extend_from_slice(items);
        Chunk(vec)
    }

    /// Room for one more element (which the chunk must have room for within [`Chunk::LEN`]):
    /// the allocation doubles, from 4, up to `LEN` and never past it.
    #[inline]
    pub(crate) fn reserve_one(&mut self) {
        let (len, capacity) = (self.0.len(), self.0.capacity());
        debug_assert!(len < Self::LEN, "a full chunk takes no more elements");
        if len == capacity {
            self.0
                .reserve_exact((capacity * 2).max(4).min(Self::LEN) - len);
        }
    }
}

impl<T> Leaf for Chunk<T> {
    type Item = T;

    /// As many elements as fit in `VEC_CHUNK_BYTES`, rounded down to a power of two (at least
    /// one); zero-sized elements: `2^(usize::BITS - 1)`, so that a vector of them is one chunk
    /// (and its table one leaf) below that length.
    const SHIFT: u32 = {
        let size = size_of::<T>();
        if size == 0 {
            usize::BITS - 1
        } else if size >= VEC_CHUNK_BYTES {
            0
        } else {
            (VEC_CHUNK_BYTES / size).ilog2()
        }
    };

    fn empty() -> Self {
        Chunk(Vec::new())
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[inline]
    fn items(&self) -> &[T] {
        &self.0
    }

    #[inline]
    fn items_mut(&mut self) -> &mut [T] {
        &mut self.0
    }

    /// Drops the elements from `slots.start` on: the vector only ever cuts a chunk's end.
    fn clear(&mut self, slots: Range<usize>) {
        debug_assert!(slots.end >= self.0.len(), "a chunk is cut at its end");
        self.0.truncate(slots.start);
    }
}

impl<T: Clone> Clone for Chunk<T> {
    /// Clones the elements into an allocation as large as this one's, so that the copy of a
    /// vector's last chunk takes pushes as the original did. A panicking `T::clone` drops the
    /// elements cloned so far and leaves `self` as it was.
    fn clone(&self) -> Self {
        Chunk::from_slice(&self.0, self.0.capacity())
    }
}

//! The iterators of [`CowVec`]: [`Chunks`] (the chunks as slices, the one walk every iteration
//! goes through), [`Iter`] and [`IterMut`] on the chunks, and [`IntoIter`].

#![deny(unsafe_code)]

use alloc::vec::{self, Vec};
use core::fmt;
use core::iter::FusedIterator;
use core::slice;

use super::chunk::Chunk;
use super::{CowVec, chunk_len};
use crate::table::{Leaf, Reader};

/// The elements of a [`CowVec`] as slices, one per chunk, in order: from
/// [`CowVec::chunks`].
pub struct Chunks<'a, T> {
    /// The vector.
    vec: &'a CowVec<T>,
    /// The walk from the front.
    front_reader: Reader<'a, Chunk<T>>,
    /// The walk from the back.
    back_reader: Reader<'a, Chunk<T>>,
    /// The next chunk from the front, counted in chunks.
    front: usize,
    /// One past the next chunk from the back.
    back: usize,
}

impl<'a, T> Chunks<'a, T> {
    pub(super) fn new(vec: &'a CowVec<T>) -> Self {
        Chunks {
            vec,
            front_reader: vec.table.reader(),
            back_reader: vec.table.reader(),
            front: 0,
            back: vec.len.div_ceil(chunk_len::<T>()),
        }
    }

    /// Chunk number `k` (below the count) through `reader`: the tail's elements, or a table
    /// leaf's.
    #[inline]
    fn chunk(vec: &'a CowVec<T>, reader: &mut Reader<'a, Chunk<T>>, k: usize) -> &'a [T] {
        let first = k << <Chunk<T> as Leaf>::SHIFT;
        if first >= vec.tail_start() {
            vec.tail.as_deref().map_or(&[], |t| &t.leaf().0)
        } else {
            reader.leaf(first).map_or(&[], |c| &c.0)
        }
    }
}

impl<T> Clone for Chunks<'_, T> {
    fn clone(&self) -> Self {
        Chunks {
            front_reader: self.front_reader.clone(),
            back_reader: self.back_reader.clone(),
            ..*self
        }
    }
}

impl<'a, T> Iterator for Chunks<'a, T> {
    type Item = &'a [T];

    #[inline]
    fn next(&mut self) -> Option<&'a [T]> {
        if self.front == self.back {
            return None;
        }
        self.front += 1;
        Some(Self::chunk(
            self.vec,
            &mut self.front_reader,
            self.front - 1,
        ))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }

    /// Skips `n` chunks without reading them.
    #[inline]
    fn nth(&mut self, n: usize) -> Option<&'a [T]> {
        self.front += n.min(self.back - self.front);
        self.next()
    }
}

impl<'a, T> DoubleEndedIterator for Chunks<'a, T> {
    #[inline]
    fn next_back(&mut self) -> Option<&'a [T]> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        Some(Self::chunk(self.vec, &mut self.back_reader, self.back))
    }

    /// Skips `n` chunks from the back without reading them.
    #[inline]
    fn nth_back(&mut self, n: usize) -> Option<&'a [T]> {
        self.back -= n.min(self.back - self.front);
        self.next_back()
    }
}

impl<T> ExactSizeIterator for Chunks<'_, T> {}
impl<T> FusedIterator for Chunks<'_, T> {}

impl<T: fmt::Debug> fmt::Debug for Chunks<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// Flattens pieces (slices' iterators) into their elements, front and back: the one
/// flattening behind [`Iter`] and [`IterMut`]. The count left is kept per piece, not per
/// element, so that `next` is a slice iterator's `next` and a test.
#[derive(Clone)]
struct Flat<P, S> {
    /// The pieces not yet started.
    pieces: P,
    /// The piece being read from the front.
    front: S,
    /// The piece being read from the back.
    back: S,
    /// Elements in `pieces`.
    middle: usize,
}

impl<P, S> Flat<P, S>
where
    P: DoubleEndedIterator<Item = S>,
    S: DoubleEndedIterator + ExactSizeIterator,
{
    /// Elements left.
    #[inline]
    fn len(&self) -> usize {
        self.front.len() + self.middle + self.back.len()
    }

    #[inline]
    fn next(&mut self) -> Option<S::Item> {
        match self.front.next() {
            Some(x) => Some(x),
            None => self.next_piece(),
        }
    }

    /// [`next`](Self::next) at the end of the front piece.
    #[cold]
    fn next_piece(&mut self) -> Option<S::Item> {
        loop {
            match self.pieces.next() {
                Some(piece) => {
                    self.middle -= piece.len();
                    self.front = piece;
                    if let Some(x) = self.front.next() {
                        return Some(x);
                    }
                }
                None => return self.back.next(),
            }
        }
    }

    /// Skips `n` elements a piece at a time (O(pieces skipped), not O(n)).
    fn nth(&mut self, mut n: usize) -> Option<S::Item> {
        let in_front = self.front.len();
        if n < in_front {
            return self.front.nth(n);
        }
        n -= in_front;
        self.front.nth(in_front);
        for mut piece in self.pieces.by_ref() {
            self.middle -= piece.len();
            if n < piece.len() {
                let x = piece.nth(n);
                self.front = piece;
                return x;
            }
            n -= piece.len();
        }
        self.back.nth(n)
    }

    #[inline]
    fn next_back(&mut self) -> Option<S::Item> {
        match self.back.next_back() {
            Some(x) => Some(x),
            None => self.next_back_piece(),
        }
    }

    /// [`next_back`](Self::next_back) at the start of the back piece.
    #[cold]
    fn next_back_piece(&mut self) -> Option<S::Item> {
        loop {
            match self.pieces.next_back() {
                Some(piece) => {
                    self.middle -= piece.len();
                    self.back = piece;
                    if let Some(x) = self.back.next_back() {
                        return Some(x);
                    }
                }
                None => return self.front.next_back(),
            }
        }
    }

    #[inline]
    fn fold<B>(self, init: B, mut f: impl FnMut(B, S::Item) -> B) -> B {
        let acc = self.front.fold(init, &mut f);
        let acc = self.pieces.fold(acc, |acc, piece| piece.fold(acc, &mut f));
        self.back.fold(acc, f)
    }
}

/// The chunks of a vector as slice iterators: the pieces [`Iter`] flattens.
type SliceIters<'a, T> = core::iter::Map<Chunks<'a, T>, fn(&'a [T]) -> slice::Iter<'a, T>>;

/// The writable chunks of a vector as slice iterators: the pieces [`IterMut`] flattens.
type SliceItersMut<'a, T> =
    core::iter::Map<vec::IntoIter<&'a mut [T]>, fn(&'a mut [T]) -> slice::IterMut<'a, T>>;

/// The elements of a [`CowVec`] by reference, front to back or back to front: from
/// [`CowVec::iter`]. A slice iterator per chunk.
pub struct Iter<'a, T> {
    /// The chunks' slice iterators, flattened.
    flat: Flat<SliceIters<'a, T>, slice::Iter<'a, T>>,
}

impl<'a, T> Iter<'a, T> {
    pub(super) fn new(vec: &'a CowVec<T>) -> Self {
        Iter {
            flat: Flat {
                pieces: vec.chunks().map(<[T]>::iter),
                front: [].iter(),
                back: [].iter(),
                middle: vec.len,
            },
        }
    }
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter {
            flat: self.flat.clone(),
        }
    }
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    #[inline]
    fn next(&mut self) -> Option<&'a T> {
        self.flat.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.flat.len(), Some(self.flat.len()))
    }

    fn nth(&mut self, n: usize) -> Option<&'a T> {
        self.flat.nth(n)
    }

    #[inline]
    fn fold<B, F: FnMut(B, &'a T) -> B>(self, init: B, f: F) -> B {
        self.flat.fold(init, f)
    }
}

impl<'a, T> DoubleEndedIterator for Iter<'a, T> {
    #[inline]
    fn next_back(&mut self) -> Option<&'a T> {
        self.flat.next_back()
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}
impl<T> FusedIterator for Iter<'_, T> {}

impl<T: fmt::Debug> fmt::Debug for Iter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// The elements of a [`CowVec`] by mutable reference: from [`CowVec::iter_mut`], which made
/// every chunk writable first.
pub struct IterMut<'a, T> {
    /// The chunks' slice iterators, flattened.
    flat: Flat<SliceItersMut<'a, T>, slice::IterMut<'a, T>>,
}

impl<'a, T> IterMut<'a, T> {
    pub(super) fn new(chunks: Vec<&'a mut [T]>, len: usize) -> Self {
        IterMut {
            flat: Flat {
                pieces: chunks.into_iter().map(<[T]>::iter_mut),
                front: [].iter_mut(),
                back: [].iter_mut(),
                middle: len,
            },
        }
    }
}

impl<'a, T> Iterator for IterMut<'a, T> {
    type Item = &'a mut T;

    #[inline]
    fn next(&mut self) -> Option<&'a mut T> {
        self.flat.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.flat.len(), Some(self.flat.len()))
    }

    fn nth(&mut self, n: usize) -> Option<&'a mut T> {
        self.flat.nth(n)
    }

    #[inline]
    fn fold<B, F: FnMut(B, &'a mut T) -> B>(self, init: B, f: F) -> B {
        self.flat.fold(init, f)
    }
}

impl<'a, T> DoubleEndedIterator for IterMut<'a, T> {
    #[inline]
    fn next_back(&mut self) -> Option<&'a mut T> {
        self.flat.next_back()
    }
}

impl<T> ExactSizeIterator for IterMut<'_, T> {}
impl<T> FusedIterator for IterMut<'_, T> {}

impl<T: fmt::Debug> fmt::Debug for IterMut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IterMut")
            .field("len", &self.flat.len())
            .finish_non_exhaustive()
    }
}

/// The elements of a [`CowVec`] by value: from its `into_iter`. Moves the elements of chunks
/// the vector held alone, and clones those of chunks it shared.
#[derive(Clone, Debug)]
pub struct IntoIter<T> {
    /// The elements, gathered into one vector.
    inner: vec::IntoIter<T>,
}

impl<T> IntoIter<T> {
    pub(super) fn new(items: Vec<T>) -> Self {
        IntoIter {
            inner: items.into_iter(),
        }
    }
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        self.inner.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T> DoubleEndedIterator for IntoIter<T> {
    #[inline]
    fn next_back(&mut self) -> Option<T> {
        self.inner.next_back()
    }
}

impl<T> ExactSizeIterator for IntoIter<T> {}
impl<T> FusedIterator for IntoIter<T> {}

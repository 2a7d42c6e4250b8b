//! The trait impls of [`CowVec`].

#![deny(unsafe_code)]

use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{ControlFlow, Index, IndexMut};

use super::chunk::Chunk;
use super::{CowVec, IntoIter, Iter, IterMut, chunk_len};
use crate::shared::Shared;
use crate::table;

impl<T> Clone for CowVec<T> {
    /// Shares every chunk: two atomic increments (the table's root and the tail) at any
    /// length.
    #[inline]
    fn clone(&self) -> Self {
        CowVec {
            table: self.table.share(),
            tail: self.tail.clone(),
            len: self.len,
        }
    }
}

impl<T> Default for CowVec<T> {
    /// An empty vector.
    fn default() -> Self {
        CowVec::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for CowVec<T> {
    /// As a list, like `Vec`'s.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: PartialEq> PartialEq for CowVec<T> {
    /// Compares elements, skipping every chunk and subtree the two share by pointer: comparing
    /// a vector with a clone costs O(chunks changed since the clone).
    fn eq(&self, other: &CowVec<T>) -> bool {
        if self.len != other.len {
            return false;
        }
        if CowVec::ptr_eq(self, other) {
            return true;
        }
        let tail_start = self.tail_start();
        let same_tables =
            table::diff(
                &self.table,
                &other.table,
                0..tail_start,
                &mut |_, a, b| match (a, b) {
                    (Some(a), Some(b)) if a.leaf().0 == b.leaf().0 => ControlFlow::Continue(()),
                    _ => ControlFlow::Break(()),
                },
            )
            .is_continue();
        same_tables
            && match (&self.tail, &other.tail) {
                (Some(a), Some(b)) => Shared::ptr_eq(a, b) || a.leaf().0 == b.leaf().0,
                _ => true,
            }
    }
}

impl<T: Eq> Eq for CowVec<T> {}

impl<T: PartialEq> PartialEq<[T]> for CowVec<T> {
    fn eq(&self, other: &[T]) -> bool {
        self.len == other.len() && self.chunks().eq(other.chunks(chunk_len::<T>()))
    }
}

impl<T: PartialEq> PartialEq<&[T]> for CowVec<T> {
    fn eq(&self, other: &&[T]) -> bool {
        *self == **other
    }
}

impl<T: PartialEq> PartialEq<Vec<T>> for CowVec<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        *self == other[..]
    }
}

impl<T: PartialEq, const N: usize> PartialEq<[T; N]> for CowVec<T> {
    fn eq(&self, other: &[T; N]) -> bool {
        *self == other[..]
    }
}

impl<T: PartialEq> PartialEq<CowVec<T>> for Vec<T> {
    fn eq(&self, other: &CowVec<T>) -> bool {
        *other == self[..]
    }
}

impl<T: PartialEq> PartialEq<CowVec<T>> for [T] {
    fn eq(&self, other: &CowVec<T>) -> bool {
        *other == *self
    }
}

impl<T: PartialOrd> PartialOrd for CowVec<T> {
    /// Lexicographic, as `Vec`'s.
    fn partial_cmp(&self, other: &CowVec<T>) -> Option<Ordering> {
        self.iter().partial_cmp(other.iter())
    }
}

impl<T: Ord> Ord for CowVec<T> {
    /// Lexicographic, as `Vec`'s.
    fn cmp(&self, other: &CowVec<T>) -> Ordering {
        self.iter().cmp(other.iter())
    }
}

impl<T: Hash> Hash for CowVec<T> {
    /// The length, then the elements a chunk at a time (`Hash::hash_slice`): the same bytes as
    /// a `Vec<T>` or `[T]` of the same elements feeds the hasher, so with a hasher that reads a
    /// stream (std's `DefaultHasher` among them), equal to their hash.
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len);
        self.chunks().for_each(|chunk| T::hash_slice(chunk, state));
    }
}

impl<T> Index<usize> for CowVec<T> {
    type Output = T;

    /// # Panics
    ///
    /// When `index` is out of bounds, with `Vec`'s message.
    #[inline]
    #[track_caller]
    fn index(&self, index: usize) -> &T {
        match self.get(index) {
            Some(x) => x,
            None => out_of_bounds(index, self.len),
        }
    }
}

impl<T: Clone> IndexMut<usize> for CowVec<T> {
    /// Copies the chunk (and its table path) first when another clone shares it.
    ///
    /// # Panics
    ///
    /// When `index` is out of bounds, with `Vec`'s message.
    #[inline]
    #[track_caller]
    fn index_mut(&mut self, index: usize) -> &mut T {
        let len = self.len;
        match self.get_mut(index) {
            Some(x) => x,
            None => out_of_bounds(index, len),
        }
    }
}

/// `Vec`'s panic for an index past the end.
#[cold]
#[inline(never)]
#[track_caller]
fn out_of_bounds(index: usize, len: usize) -> ! {
    panic!("index out of bounds: the len is {len} but the index is {index}");
}

impl<T: Clone> From<Vec<T>> for CowVec<T> {
    /// Moves the elements into chunks (one copy of the elements, no clones).
    fn from(items: Vec<T>) -> Self {
        let mut out = CowVec::new();
        let mut items = items.into_iter();
        while items.len() > 0 {
            let n = items.len().min(chunk_len::<T>());
            let mut chunk = Vec::with_capacity(n);
            chunk.extend(items.by_ref().take(n));
            out.attach_tail(Chunk(chunk));
        }
        out
    }
}

impl<T: Clone> From<&[T]> for CowVec<T> {
    fn from(items: &[T]) -> Self {
        let mut out = CowVec::new();
        for piece in items.chunks(chunk_len::<T>()) {
            out.attach_tail(Chunk::from_slice(piece, piece.len()));
        }
        out
    }
}

impl<T: Clone, const N: usize> From<[T; N]> for CowVec<T> {
    fn from(items: [T; N]) -> Self {
        CowVec::from(Vec::from(items))
    }
}

impl<T: Clone> From<CowVec<T>> for Vec<T> {
    /// Moves out the elements of chunks the vector held alone, and clones those of chunks it
    /// shared with another clone.
    fn from(vec: CowVec<T>) -> Vec<T> {
        let mut out = Vec::with_capacity(vec.len);
        let mut take = |chunk: Result<Chunk<T>, &Chunk<T>>| match chunk {
            Ok(chunk) => out.extend(chunk.0),
            Err(chunk) => out.extend_from_slice(&chunk.0),
        };
        let CowVec { table, tail, .. } = vec;
        table.into_leaves(&mut take);
        if let Some(tail) = tail {
            match Shared::try_unwrap(tail) {
                Ok(node) => take(Ok(node.into_leaf())),
                Err(tail) => take(Err(tail.leaf())),
            }
        }
        out
    }
}

impl<T: Clone> FromIterator<T> for CowVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut out = CowVec::new();
        out.extend(items);
        out
    }
}

impl<T: Clone> Extend<T> for CowVec<T> {
    /// Pushes each element: the tail is made writable (copied if shared) at most once.
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        items.into_iter().for_each(|x| self.push(x));
    }
}

impl<'a, T: Copy + 'a> Extend<&'a T> for CowVec<T> {
    fn extend<I: IntoIterator<Item = &'a T>>(&mut self, items: I) {
        items.into_iter().for_each(|&x| self.push(x));
    }
}

impl<T: Clone> IntoIterator for CowVec<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    /// Gathers the elements into one `Vec` first (as `Vec::from(vec)`), then hands them out.
    fn into_iter(self) -> IntoIter<T> {
        IntoIter::new(Vec::from(self))
    }
}

impl<'a, T> IntoIterator for &'a CowVec<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<'a, T: Clone> IntoIterator for &'a mut CowVec<T> {
    type Item = &'a mut T;
    type IntoIter = IterMut<'a, T>;

    fn into_iter(self) -> IterMut<'a, T> {
        self.iter_mut()
    }
}

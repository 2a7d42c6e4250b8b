//! [`CowVec<T>`]: a vector in copy-on-write chunks under the page table that holds
//! [`CowBuffer`](crate::CowBuffer)'s pages, and its iterators. `CowVec` is also re-exported at
//! the crate root.

#![deny(unsafe_code)]

// The code is cut by layer (a comment, not docs: this module's docs are public). This file
// holds the type, its docs and its public methods, in one `impl` block so that they keep their
// order in the docs; `chunk.rs` the table's leaf for elements; `iter.rs` the iterators;
// `impls.rs` the trait impls. The table itself is `crate::table`, shared with `CowBuffer`.

use alloc::vec::Vec;
use core::mem;

mod chunk;
mod impls;
mod iter;

pub use self::iter::{Chunks, IntoIter, Iter, IterMut};

use self::chunk::Chunk;
use crate::shared::Shared;
use crate::table::{self, LeafRef, Node, Table};

/// A vector whose clone is O(1) at any length and whose writes copy only the chunk they touch
/// (and its table path): `Vec<T>`'s interface over [`CowBuffer`](crate::CowBuffer)'s page
/// table, with chunks of elements where the buffer has pages of bytes.
///
/// Use it for a large vector that you snapshot often and change a little at a time: the
/// history of an editor, the state of a simulation, a list read by many threads through a
/// [`CowCell`](crate::CowCell) (see the last example). A `Vec` pays a full copy per snapshot;
/// `CowVec` pays one atomic increment, and then each write beside a live snapshot copies one
/// chunk of about 4 KiB.
///
/// - Reads are a `Vec`'s: [`get`](Self::get) and `v[i]` walk a short table (4 hops for a
///   million `u64`), and iteration runs over whole chunks as slices: [`chunks`](Self::chunks)
///   hands them out for hot loops.
/// - Writes through `&mut` copy what another clone still shares, once: the next write to the
///   same chunk is in place.
/// - [`split_off`](Self::split_off) and [`append`](Self::append) at a chunk boundary share the
///   chunks instead of copying them.
///
/// # Memory layout
///
/// The handle holds the length, the root of the table of full chunks and the last chunk (the
/// *tail*, which takes pushes without a table walk). A chunk holds as many elements as fit in
/// 4 KiB, rounded down to a power of two (512 `u64`s; at least one element), in an allocation of
/// its own; each chunk and each table node is a [`Shared`] allocation with 16
/// slots per branch. Zero-sized elements take no memory at all below `2^63` of them.
///
/// # Costs
///
/// `C` is the chunk length (512 for `u64`), `h` the table's height (4 for a million `u64`).
///
/// | operation | cost |
/// |---|---|
/// | `clone` | O(1): two atomic increments (the table's root and the tail) |
/// | `get`, `v[i]`, `first`, `last` | a walk of `h` hops (the tail: none) |
/// | `iter`, `chunks` | one walk per chunk, then slice reads |
/// | `v[i] = x`, `get_mut`, first write after a clone | copies the chunk (`C` clones of `T`) and the `h` nodes of its path (16 count increments each) if shared; then in place |
/// | `push`, `pop` | amortized O(1) on the tail; the first beside a snapshot copies the tail |
/// | `insert(i)`, `remove(i)` | O(len − i), as `Vec`'s, plus a copy of each shared chunk after `i` |
/// | `truncate`, `clear` | O(elements dropped); shared chunks are only released |
/// | `split_off(at)`, `append` | O(chunks) when at a chunk boundary (chunks shared, not copied); else O(elements moved), which are cloned |
/// | `==` | skips chunks the two share by pointer |
/// | memory | the elements + about 4% (each chunk's node and count, the table) |
///
/// # Thread safety
///
/// `CowVec<T>` is `Send` and `Sync` when `T` is both, as `Arc<[T]>` is: clones on different
/// threads read and write independently (a write copies whatever another clone shares), and
/// the last clone to let go of an element drops it, on whichever thread that is.
///
/// # Examples
///
/// ```
/// use cowkit::CowVec;
///
/// let mut v: CowVec<u64> = (0..1_000_000).collect();
/// let snapshot = v.clone(); // O(1)
/// v[10] = 7_000_000; // copies one chunk of 512 elements and its table path
/// v.push(7);
///
/// assert_eq!(snapshot[10], 10);
/// assert_eq!(snapshot.len(), 1_000_000);
/// assert_eq!((v[10], v.len()), (7_000_000, 1_000_001));
/// assert_eq!(v.iter().filter(|&&x| x == 7_000_000).count(), 1);
/// ```
///
/// A list that many threads read while one writes, at a size where `CowList` (a full copy per
/// write) would copy megabytes per write:
///
/// ```
/// use cowkit::{CowCell, CowVec};
///
/// let cell = CowCell::new(CowVec::from(vec![0u64; 1_000_000]));
/// let before = cell.load(); // a reader's snapshot: O(1)
/// cell.update(|v| v[123_456] = 1); // clones the CowVec in O(1), copies one chunk
/// assert_eq!(before[123_456], 0);
/// assert_eq!(cell.load()[123_456], 1);
/// ```
pub struct CowVec<T> {
    /// The full chunks: elements `0..tail_start()`. Invariant: holds exactly the chunks below
    /// `tail_start()`, each full, at a height that covers them and no more.
    table: Table<Chunk<T>>,
    /// The last chunk: elements `tail_start()..len`. Invariant: `None` exactly when the
    /// vector is empty, else 1 to `Chunk::LEN` elements (full when `len` is a multiple of
    /// it); always a `Node::Leaf`.
    tail: Option<LeafRef<Chunk<T>>>,
    /// The number of elements.
    len: usize,
}

/// Elements per full chunk.
const fn chunk_len<T>() -> usize {
    Chunk::<T>::LEN
}

impl<T> CowVec<T> {
    /// An empty vector; allocates nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let v: cowkit::CowVec<u8> = cowkit::CowVec::new();
    /// assert!(v.is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        CowVec {
            table: Table::new(),
            tail: None,
            len: 0,
        }
    }

    /// The number of elements.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(cowkit::CowVec::from(vec![1, 2, 3]).len(), 3);
    /// ```
    #[inline]
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// `true` when the vector holds no elements.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v = cowkit::CowVec::new();
    /// assert!(v.is_empty());
    /// v.push(1);
    /// assert!(!v.is_empty());
    /// ```
    #[inline]
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The element at `index`, or `None` past the end.
    ///
    /// # Examples
    ///
    /// ```
    /// let v = cowkit::CowVec::from(vec![10, 20, 30]);
    /// assert_eq!(v.get(1), Some(&20));
    /// assert_eq!(v.get(3), None);
    /// ```
    #[inline]
    #[must_use]
    pub fn get(&self, index: usize) -> Option<&T> {
        if index >= self.len {
            return None;
        }
        let start = self.tail_start();
        if index >= start {
            self.tail.as_deref()?.leaf().0.get(index - start)
        } else {
            self.table.item(index)
        }
    }

    /// The first element, or `None` when empty.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(cowkit::CowVec::from(vec![1, 2]).first(), Some(&1));
    /// assert_eq!(cowkit::CowVec::<u8>::new().first(), None);
    /// ```
    #[must_use]
    pub fn first(&self) -> Option<&T> {
        self.get(0)
    }

    /// The last element, or `None` when empty.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(cowkit::CowVec::from(vec![1, 2]).last(), Some(&2));
    /// ```
    #[must_use]
    pub fn last(&self) -> Option<&T> {
        self.tail.as_deref()?.leaf().0.last()
    }

    /// An iterator over the elements, front to back (and back to front: it is double-ended).
    ///
    /// # Examples
    ///
    /// ```
    /// let v: cowkit::CowVec<u32> = (1..=4).collect();
    /// assert_eq!(v.iter().sum::<u32>(), 10);
    /// assert_eq!(v.iter().rev().next(), Some(&4));
    /// ```
    pub fn iter(&self) -> Iter<'_, T> {
        Iter::new(self)
    }

    /// The elements as slices, one per chunk, in order: the fastest way over all of them (each
    /// chunk is one walk, then a plain slice). Every slice is non-empty; all but the last hold
    /// the same number of elements (512 for `u64`).
    ///
    /// # Examples
    ///
    /// ```
    /// let v: cowkit::CowVec<u64> = (0..2_000).collect();
    /// let sum: u64 = v.chunks().map(|c| c.iter().sum::<u64>()).sum();
    /// assert_eq!(sum, 1_999_000);
    /// assert_eq!(v.chunks().map(<[u64]>::len).collect::<Vec<_>>(), [512, 512, 512, 464]);
    /// ```
    pub fn chunks(&self) -> Chunks<'_, T> {
        Chunks::new(self)
    }

    /// `true` when both vectors hold the very same chunks (one is a clone of the other, and
    /// neither was written since): then they are equal, and comparing them is O(1).
    ///
    /// # Examples
    ///
    /// ```
    /// let a = cowkit::CowVec::from(vec![1, 2, 3]);
    /// let mut b = a.clone();
    /// assert!(cowkit::CowVec::ptr_eq(&a, &b));
    /// b[0] = 1; // the same value, but the chunk was copied
    /// assert!(!cowkit::CowVec::ptr_eq(&a, &b));
    /// assert_eq!(a, b);
    /// ```
    #[must_use]
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.len == b.len
            && a.table.same_root(&b.table)
            && match (&a.tail, &b.tail) {
                (Some(x), Some(y)) => Shared::ptr_eq(x, y),
                (None, None) => true,
                _ => false,
            }
    }

    /// Copies the elements into a `Vec`.
    ///
    /// # Examples
    ///
    /// ```
    /// let v: cowkit::CowVec<u8> = (0..3).collect();
    /// assert_eq!(v.to_vec(), [0, 1, 2]);
    /// ```
    #[must_use]
    pub fn to_vec(&self) -> Vec<T>
    where
        T: Clone,
    {
        let mut out = Vec::with_capacity(self.len);
        self.chunks().for_each(|chunk| out.extend_from_slice(chunk));
        out
    }

    /// The element at `index`, writable, or `None` past the end. When another clone shares
    /// its chunk, the chunk (and its table path) is copied first.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v = cowkit::CowVec::from(vec![1, 2, 3]);
    /// let snapshot = v.clone();
    /// *v.get_mut(0).unwrap() = 10;
    /// assert_eq!((v[0], snapshot[0]), (10, 1));
    /// assert!(v.get_mut(3).is_none());
    /// ```
    #[inline]
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T>
    where
        T: Clone,
    {
        if index >= self.len {
            return None;
        }
        let start = self.tail_start();
        if index >= start {
            Some(&mut self.chunk_mut(start).0[index - start])
        } else {
            self.table.items_mut(index..index + 1).first_mut()
        }
    }

    /// The elements, writable, front to back: every chunk another clone shares is copied first.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v: cowkit::CowVec<u32> = (0..1000).collect();
    /// let snapshot = v.clone();
    /// v.iter_mut().for_each(|x| *x *= 2);
    /// assert_eq!((v[999], snapshot[999]), (1998, 999));
    /// ```
    pub fn iter_mut(&mut self) -> IterMut<'_, T>
    where
        T: Clone,
    {
        let mut chunks = Vec::with_capacity(self.len.div_ceil(chunk_len::<T>()));
        self.table.leaves_mut(&mut chunks);
        let mut chunks: Vec<&mut [T]> = chunks.into_iter().map(|c| &mut c.0[..]).collect();
        if let Some(tail) = &mut self.tail {
            chunks.push(&mut Shared::make_mut(tail).leaf_mut().0);
        }
        IterMut::new(chunks, self.len)
    }

    /// Appends `value` at the end.
    ///
    /// # Panics
    ///
    /// When the length would pass `usize::MAX` (only zero-sized `T` gets there).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v = cowkit::CowVec::new();
    /// v.push(1);
    /// let snapshot = v.clone();
    /// v.push(2); // copies the last chunk, which `snapshot` shares
    /// assert_eq!((v.len(), snapshot.len()), (2, 1));
    /// ```
    #[inline]
    pub fn push(&mut self, value: T)
    where
        T: Clone,
    {
        if let Some(tail) = &mut self.tail
            && self.len & (chunk_len::<T>() - 1) != 0
            && let Some(node) = Shared::get_mut(tail)
        {
            let chunk = node.leaf_mut();
            if chunk.0.len() < chunk.0.capacity() {
                chunk.0.push(value);
                self.len += 1;
                return;
            }
        }
        self.push_slow(value);
    }

    /// Removes the last element and returns it, or `None` when empty.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v = cowkit::CowVec::from(vec![1, 2]);
    /// assert_eq!(v.pop(), Some(2));
    /// assert_eq!(v.pop(), Some(1));
    /// assert_eq!(v.pop(), None);
    /// ```
    pub fn pop(&mut self) -> Option<T>
    where
        T: Clone,
    {
        let tail = self.tail.as_mut()?;
        let value = if Shared::is_unique(tail) {
            Shared::make_mut(tail).leaf_mut().0.pop()?
        } else {
            // Shared: the rest of the tail is copied; the popped element is cloned, as the other
            // holders keep theirs.
            let items = &tail.leaf().0;
            let (last, rest) = items.split_last()?;
            let value = last.clone();
            let rest = Chunk::from_slice(rest, items.capacity());
            *tail = Shared::new(Node::Leaf(rest));
            value
        };
        self.len -= 1;
        self.refill_tail();
        Some(value)
    }

    /// Inserts `element` at `index`, shifting the elements after it (O(len − index), as
    /// `Vec::insert`).
    ///
    /// # Panics
    ///
    /// When `index > len`, with `Vec`'s message.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v = cowkit::CowVec::from(vec![1, 3]);
    /// v.insert(1, 2);
    /// v.insert(3, 4);
    /// assert_eq!(v, [1, 2, 3, 4]);
    /// ```
    pub fn insert(&mut self, index: usize, element: T)
    where
        T: Clone,
    {
        let len = self.len;
        if index > len {
            panic!("insertion index (is {index}) should be <= len (is {len})");
        }
        if index == len {
            return self.push(element);
        }
        let first = index & !(chunk_len::<T>() - 1);
        // Every chunk that moves is made writable before anything moves: a copy runs
        // `T::clone`, which may panic, and then nothing has changed.
        self.make_chunks_mut(first);
        let tail_start = self.tail_start();
        let mut carry = element;
        let mut at = index - first;
        let mut c = first;
        loop {
            let chunk = self.chunk_mut(c);
            if chunk.0.len() < chunk_len::<T>() {
                // The tail, with room.
                chunk.reserve_one();
                chunk.0.insert(at, carry);
                self.len += 1;
                return;
            }
            // A full chunk passes its last element on to the next.
            let last = chunk.0.pop().expect("a full chunk");
            chunk.0.insert(at, carry);
            carry = last;
            if c == tail_start {
                // The full tail: the carried element starts a new one.
                return self.push_slow(carry);
            }
            at = 0;
            c += chunk_len::<T>();
        }
    }

    /// Removes the element at `index` and returns it, shifting the elements after it
    /// (O(len − index), as `Vec::remove`).
    ///
    /// # Panics
    ///
    /// When `index >= len`, with `Vec`'s message.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v = cowkit::CowVec::from(vec![1, 2, 3]);
    /// assert_eq!(v.remove(0), 1);
    /// assert_eq!(v, [2, 3]);
    /// ```
    pub fn remove(&mut self, index: usize) -> T
    where
        T: Clone,
    {
        let len = self.len;
        if index >= len {
            panic!("removal index (is {index}) should be < len (is {len})");
        }
        let first = index & !(chunk_len::<T>() - 1);
        // As in `insert`: every chunk that moves is writable before anything moves.
        self.make_chunks_mut(first);
        // From the tail down, each chunk hands its first element to the chunk before it.
        let mut carry = None;
        let mut c = self.tail_start();
        let removed = loop {
            let chunk = self.chunk_mut(c);
            let out = chunk.0.remove(if c == first { index - first } else { 0 });
            if let Some(x) = carry.take() {
                chunk.0.push(x);
            }
            if c == first {
                break out;
            }
            carry = Some(out);
            c -= chunk_len::<T>();
        };
        self.len -= 1;
        self.refill_tail();
        removed
    }

    /// Swaps the elements at `a` and `b`. When they lie in different chunks, one of them is
    /// cloned (the chunks are separate allocations, possibly shared).
    ///
    /// # Panics
    ///
    /// When either index is out of bounds, with `Vec`'s message.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v: cowkit::CowVec<u32> = (0..1000).collect();
    /// v.swap(0, 999);
    /// assert_eq!((v[0], v[999]), (999, 0));
    /// ```
    pub fn swap(&mut self, a: usize, b: usize)
    where
        T: Clone,
    {
        let len = self.len;
        for index in [a, b] {
            if index >= len {
                panic!("index out of bounds: the len is {len} but the index is {index}");
            }
        }
        let shift = chunk_len::<T>() - 1;
        if a & !shift == b & !shift {
            let first = a & !shift;
            self.chunk_mut(first).0.swap(a - first, b - first);
            return;
        }
        // Both chunks writable first (copies may panic; nothing has moved yet), then a clone
        // of `a` moves into `b` and `b`'s element into `a`.
        self.get_mut(a);
        self.get_mut(b);
        let value_a = self[a].clone();
        let value_b = mem::replace(self.get_mut(b).expect("in bounds"), value_a);
        *self.get_mut(a).expect("in bounds") = value_b;
    }

    /// Shortens the vector to `len` elements, dropping the rest; no effect when it is not
    /// longer. Chunks shared with another clone are released, not copied (except the kept part
    /// of the new last chunk, when shared).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v: cowkit::CowVec<u32> = (0..1000).collect();
    /// v.truncate(3);
    /// assert_eq!(v, [0, 1, 2]);
    /// ```
    pub fn truncate(&mut self, len: usize)
    where
        T: Clone,
    {
        if len >= self.len {
            return;
        }
        if len == 0 {
            return self.clear();
        }
        let new_start = (len - 1) & !(chunk_len::<T>() - 1);
        let keep = len - new_start;
        let old_start = self.tail_start();
        if new_start == old_start {
            let tail = self.tail.as_mut().expect("not empty");
            if Shared::is_unique(tail) {
                let chunk = Shared::make_mut(tail).leaf_mut();
                // Consistent before any element drops: a panicking `Drop` leaves a valid vector
                // (`Vec::truncate` too shortens before it drops).
                self.len = len;
                chunk.0.truncate(keep);
            } else {
                let chunk = Chunk::from_slice(&tail.leaf().0[..keep], chunk_len::<T>());
                *tail = Shared::new(Node::Leaf(chunk));
                self.len = len;
            }
            return;
        }
        // The new tail is the table's chunk at `new_start`. Prepared first: a copy of its kept
        // part when it is shared and cut (`T::clone` may panic, and then nothing has changed
        // but the path's copies, which hold the same chunks)...
        let place = self.table.place_mut(new_start);
        let leaf = place.as_mut().expect("a full chunk below the tail");
        let cut = keep < chunk_len::<T>();
        let copy = if cut && !Shared::is_unique(leaf) {
            let chunk = Chunk::from_slice(&leaf.leaf().0[..keep], chunk_len::<T>());
            Some(Shared::new(Node::Leaf(chunk)))
        } else {
            None
        };
        let taken = place.take().expect("a full chunk below the tail");
        let (new_tail, released) = match copy {
            Some(copy) => (copy, Some(taken)),
            None => (taken, None),
        };
        // ...then the table, the tail and the length change with no user code in between;
        // what goes is dropped last, once the vector is consistent.
        let mut removed = Vec::new();
        self.table
            .punch(new_start..old_start, &mut |node| removed.push(node));
        self.table.shrink(new_start);
        let old_tail = self.tail.replace(new_tail);
        self.len = len;
        if cut && released.is_none() {
            // The taken chunk is this vector's alone: cut in place (no copy).
            self.chunk_mut(new_start).0.truncate(keep);
        }
        drop(released);
        drop(old_tail);
        drop(removed);
    }

    /// Removes every element.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v = cowkit::CowVec::from(vec![1, 2]);
    /// v.clear();
    /// assert!(v.is_empty());
    /// ```
    pub fn clear(&mut self) {
        // Empty before anything drops: a panicking `Drop` leaves an empty, valid vector.
        drop(mem::take(self));
    }

    /// Keeps only the elements for which `keep` returns `true`, in order; `keep` sees each
    /// element once, front to back. Nothing is copied when every element is kept; otherwise
    /// the elements after the first removed one are cloned into place (and the kept part of the
    /// chunk that holds it).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v: cowkit::CowVec<u32> = (0..10).collect();
    /// v.retain(|x| x % 3 == 0);
    /// assert_eq!(v, [0, 3, 6, 9]);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool)
    where
        T: Clone,
    {
        let mut first_removed = None;
        let mut kept = Vec::new();
        for (i, x) in self.iter().enumerate() {
            let k = keep(x);
            match first_removed {
                None if !k => first_removed = Some(i),
                Some(_) if k => kept.push(x.clone()),
                _ => {}
            }
        }
        if let Some(first) = first_removed {
            // The new value is built beside the old one (cutting a clone releases chunks, it
            // drops no element), and the old one drops last: a panicking `Drop` of a removed
            // element then leaves the vector complete.
            let mut new = self.clone();
            new.truncate(first);
            new.extend_owned(kept);
            drop(mem::replace(self, new));
        }
    }

    /// Splits the vector in two at `at`: `self` keeps `[0, at)`, the returned vector holds
    /// `[at, len)`. When `at` is a multiple of the chunk length, the moved chunks are shared,
    /// not copied (O(chunks)); otherwise the moved elements are cloned.
    ///
    /// # Panics
    ///
    /// When `at > len`, with `Vec`'s message.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v: cowkit::CowVec<u32> = (0..5).collect();
    /// let tail = v.split_off(3);
    /// assert_eq!((v, tail), ((0..3).collect(), (3..5).collect()));
    /// ```
    #[must_use = "use `.truncate()` if you don't need the other half"]
    pub fn split_off(&mut self, at: usize) -> Self
    where
        T: Clone,
    {
        let len = self.len;
        if at > len {
            panic!("`at` split index (is {at}) should be <= len (is {len})");
        }
        if at == len {
            return CowVec::new();
        }
        let mut other = CowVec::new();
        if at % chunk_len::<T>() == 0 {
            let tail_start = self.tail_start();
            other.table.grow(tail_start - at);
            let _ = table::diff(
                &self.table,
                &Table::new(),
                at..tail_start,
                &mut |first, leaf, _| {
                    *other.table.place_mut(first - at) = leaf.cloned();
                    core::ops::ControlFlow::Continue(())
                },
            );
            other.tail = self.tail.clone();
            other.len = len - at;
        } else {
            // The chunk that holds `at` from `at` on, then the chunks after it, cloned into
            // chunks of the new vector (from the chunk, not element by element).
            let mut chunks = self.chunks();
            if let Some(first) = chunks.nth(at / chunk_len::<T>()) {
                other.extend_from_slice(&first[at % chunk_len::<T>()..]);
            }
            chunks.for_each(|chunk| other.extend_from_slice(chunk));
        }
        self.truncate(at);
        other
    }

    /// Moves every element of `other` to the end of `self`, leaving `other` empty. When `self`'s
    /// length is a multiple of the chunk length, `other`'s chunks are shared, not copied
    /// (O(chunks)); otherwise they are cloned.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut a = cowkit::CowVec::from(vec![1, 2]);
    /// let mut b = cowkit::CowVec::from(vec![3]);
    /// a.append(&mut b);
    /// assert_eq!((a, b), (cowkit::CowVec::from(vec![1, 2, 3]), cowkit::CowVec::new()));
    /// ```
    pub fn append(&mut self, other: &mut Self)
    where
        T: Clone,
    {
        if other.is_empty() {
            return;
        }
        if self.len % chunk_len::<T>() != 0 {
            // Cloned first (a panic there changes nothing), moved in, and only then are
            // `other`'s own dropped.
            let items = other.to_vec();
            self.extend_owned(items);
            *other = CowVec::new();
            return;
        }
        let other = mem::take(other);
        if self.is_empty() {
            *self = other;
            return;
        }
        let base = self.len;
        let other_start = other.tail_start();
        self.table.grow(base + other_start);
        *self.table.place_mut(base - chunk_len::<T>()) = self.tail.take();
        let _ = table::diff(
            &other.table,
            &Table::new(),
            0..other_start,
            &mut |first, leaf, _| {
                *self.table.place_mut(base + first) = leaf.cloned();
                core::ops::ControlFlow::Continue(())
            },
        );
        self.tail = other.tail.clone();
        self.len = base + other.len;
    }

    /// Clones and appends every element of `items`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut v = cowkit::CowVec::from(vec![1]);
    /// v.extend_from_slice(&[2, 3]);
    /// assert_eq!(v, [1, 2, 3]);
    /// ```
    pub fn extend_from_slice(&mut self, mut items: &[T])
    where
        T: Clone,
    {
        while !items.is_empty() {
            let room = self.room_in_tail();
            if room == 0 {
                let (now, rest) = items.split_at(items.len().min(chunk_len::<T>()));
                self.attach_tail(Chunk::from_slice(now, now.len()));
                items = rest;
            } else {
                let (now, rest) = items.split_at(items.len().min(room));
                let start = self.tail_start();
                let chunk = self.chunk_mut(start);
                let before = chunk.0.len();
                chunk.0.reserve_exact(now.len());
                // A panicking `T::clone` part way: the clones made so far are dropped, and the
                // vector is as it was.
                let mut guard = Rollback {
                    vec: &mut chunk.0,
                    len: before,
                };
                guard.vec.extend_from_slice(now);
                guard.len = guard.vec.len();
                drop(guard);
                self.len += now.len();
                items = rest;
            }
        }
    }
}

/// Cuts a vector back to `len` when dropped: undoes a partial append that a panic
/// interrupted. Set `len` to the vector's length once the append is complete.
struct Rollback<'a, T> {
    /// The vector appended to.
    vec: &'a mut Vec<T>,
    /// Its length to return to.
    len: usize,
}

impl<T> Drop for Rollback<'_, T> {
    fn drop(&mut self) {
        self.vec.truncate(self.len);
    }
}

/// The vector's layout: where the tail starts, and the steps every write shares.
impl<T> CowVec<T> {
    /// The index of the tail's first element: a multiple of the chunk length (0 when empty).
    #[inline]
    fn tail_start(&self) -> usize {
        self.len.saturating_sub(1) & !(chunk_len::<T>() - 1)
    }

    /// How many more elements the tail takes: 0 when it is full or there is none.
    fn room_in_tail(&self) -> usize {
        if self.len == 0 {
            0
        } else {
            chunk_len::<T>() - (self.len - self.tail_start())
        }
    }
}

impl<T: Clone> CowVec<T> {
    /// Makes `chunk` the tail, and the full tail before it (if any) the table's last chunk.
    /// The tail must be full or missing; `chunk` must not be empty.
    fn attach_tail(&mut self, chunk: Chunk<T>) {
        debug_assert_eq!(self.room_in_tail(), 0);
        debug_assert!(!chunk.0.is_empty());
        let added = chunk.0.len();
        if self.len.checked_add(added).is_none() {
            capacity_overflow();
        }
        if let Some(full) = self.tail.replace(Shared::new(Node::Leaf(chunk))) {
            let start = self.len - chunk_len::<T>();
            self.table.grow(start + chunk_len::<T>());
            *self.table.place_mut(start) = Some(full);
        }
        self.len += added;
    }

    /// After the length dropped: when the tail is left empty, the table's last chunk becomes
    /// the tail (or there is none, when the vector is empty).
    fn refill_tail(&mut self) {
        if self.tail.as_deref().is_none_or(|t| !t.leaf().0.is_empty()) {
            return;
        }
        if self.len == 0 {
            self.tail = None;
            return;
        }
        let start = self.len - chunk_len::<T>();
        self.tail = self.table.place_mut(start).take();
        debug_assert!(self.tail.is_some(), "a full chunk below the tail");
        // Drops the branches left empty; nothing else is in the range.
        self.table.punch(start..start + chunk_len::<T>(), &mut drop);
        self.table.shrink(start);
    }

    /// The chunk whose first element is at `first` (the tail's or one in the table), writable:
    /// copied first when shared. The vector is not empty.
    #[inline]
    fn chunk_mut(&mut self, first: usize) -> &mut Chunk<T> {
        if first == self.tail_start() {
            Shared::make_mut(self.tail.as_mut().expect("not empty")).leaf_mut()
        } else {
            self.table.leaf_mut(first)
        }
    }

    /// Makes every chunk from the one that starts at `first` to the tail writable.
    fn make_chunks_mut(&mut self, first: usize) {
        let mut c = first;
        let tail_start = self.tail_start();
        while c <= tail_start {
            self.chunk_mut(c);
            match c.checked_add(chunk_len::<T>()) {
                Some(next) => c = next,
                None => break,
            }
        }
    }

    /// [`push`](Self::push) when the tail is full, missing, shared or out of room.
    #[cold]
    #[inline(never)]
    fn push_slow(&mut self, value: T) {
        if self.room_in_tail() == 0 {
            // A first chunk grows from 4 elements, so that small vectors stay small; once one
            // chunk is full, the vector is growing, and the next is allocated whole.
            let capacity = if self.len == 0 { 4 } else { chunk_len::<T>() };
            let mut chunk = Vec::with_capacity(capacity.min(chunk_len::<T>()));
            chunk.push(value);
            self.attach_tail(Chunk(chunk));
        } else {
            let start = self.tail_start();
            let chunk = self.chunk_mut(start);
            chunk.reserve_one();
            chunk.0.push(value);
            self.len += 1;
        }
    }

    /// Appends `items`, moving them in: the tail is made writable first, so no push copies
    /// (and so no `T::clone` runs once the first element has moved).
    fn extend_owned(&mut self, items: Vec<T>) {
        if self.room_in_tail() > 0 {
            self.chunk_mut(self.tail_start());
        }
        items.into_iter().for_each(|x| self.push(x));
    }
}

/// `Vec`'s panic for a length past `usize::MAX`.
#[cold]
#[inline(never)]
#[track_caller]
fn capacity_overflow() -> ! {
    panic!("capacity overflow");
}

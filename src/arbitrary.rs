//! `arbitrary::Arbitrary` for every type, behind the `arbitrary` feature: what a downstream
//! crate's `cargo fuzz` target needs to derive `Arbitrary` for its own types that hold cowkit
//! values (the orphan rule forbids it from writing these impls itself).
//!
//! Each value is built through the public API from an arbitrary std value (`Shared<T>` from a
//! `T`, `CowList<T>` from a `Vec<T>`, …), so every generated value is a valid one; a `CowBuffer`
//! is built from a [`sketch`](crate::buffer::sketch) so that it has holes and several pages,
//! not only dense bytes.

use arbitrary::{Arbitrary, Result, Unstructured, size_hint};

use crate::buffer::CowBuffer;
use crate::buffer::sketch::{self, Stroke};
use crate::config::PAGE_SIZE;
use crate::shared::Shared;
use crate::string::CowString;

impl<'a, T: Arbitrary<'a>> Arbitrary<'a> for Shared<T> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        T::arbitrary(u).map(Shared::new)
    }

    fn arbitrary_take_rest(u: Unstructured<'a>) -> Result<Self> {
        T::arbitrary_take_rest(u).map(Shared::new)
    }

    fn size_hint(depth: usize) -> (usize, Option<usize>) {
        T::size_hint(depth)
    }
}

impl<'a> Arbitrary<'a> for CowString {
    /// Any UTF-8 text: inline up to the inline capacity, on the heap beyond.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        <&str>::arbitrary(u).map(CowString::from)
    }

    fn arbitrary_take_rest(u: Unstructured<'a>) -> Result<Self> {
        <&str>::arbitrary_take_rest(u).map(CowString::from)
    }

    fn size_hint(depth: usize) -> (usize, Option<usize>) {
        <&str>::size_hint(depth)
    }
}

impl<'a> Arbitrary<'a> for CowBuffer {
    /// Up to 40 pages and a short last page, all holes, then a run of
    /// fills (whole pages, dense) and writes (any bytes at any offset): a buffer with holes
    /// between written pages, of a table two levels deep.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let pages = u.int_in_range(0..=sketch::MAX_PAGES)?;
        let tail = u.int_in_range(0..=PAGE_SIZE - 1)?;
        let mut strokes = alloc::vec::Vec::new();
        // A run of strokes, as `arbitrary_iter` makes runs: go on while a `true` comes.
        while !u.is_empty() && u.arbitrary::<bool>()? {
            strokes.push(if u.arbitrary::<bool>()? {
                Stroke::Fill {
                    page: u.arbitrary::<u16>()?.into(),
                    pages: u.arbitrary::<u8>()?.into(),
                    byte: u.arbitrary()?,
                }
            } else {
                Stroke::Write {
                    at: u.arbitrary::<u32>()? as usize,
                    bytes: <&[u8]>::arbitrary(u)?,
                }
            });
        }
        Ok(sketch::build(pages, tail, strokes))
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        // The page count and the tail (`int_in_range` takes as many bytes as the range is
        // wide); the strokes are a run of any length.
        let ranges = range_bytes(sketch::MAX_PAGES) + range_bytes(PAGE_SIZE - 1);
        size_hint::and((ranges, Some(ranges)), (0, None))
    }
}

/// The bytes `Unstructured::int_in_range(0..=max)` takes: one per 8 bits of `max`.
const fn range_bytes(max: usize) -> usize {
    (usize::BITS - max.leading_zeros()).div_ceil(8) as usize
}

#[cfg(feature = "std")]
mod collections {
    use core::hash::{BuildHasher, Hash};
    use std::collections::HashMap;

    use alloc::vec::Vec;
    use arbitrary::{Arbitrary, Result, Unstructured};

    use crate::cell::GenericCowCell;
    use crate::cell::publish::Publish;
    use crate::list::GenericCowList;
    use crate::list::set::GenericCowSet;
    use crate::map::GenericCowMap;

    impl<'a, T: Arbitrary<'a>, P: Publish> Arbitrary<'a> for GenericCowCell<T, P> {
        fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
            T::arbitrary(u).map(GenericCowCell::new)
        }

        fn arbitrary_take_rest(u: Unstructured<'a>) -> Result<Self> {
            T::arbitrary_take_rest(u).map(GenericCowCell::new)
        }

        fn size_hint(depth: usize) -> (usize, Option<usize>) {
            T::size_hint(depth)
        }
    }

    impl<'a, T: Arbitrary<'a>, P: Publish> Arbitrary<'a> for GenericCowList<T, P> {
        fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
            Vec::arbitrary(u).map(GenericCowList::from)
        }

        fn arbitrary_take_rest(u: Unstructured<'a>) -> Result<Self> {
            Vec::arbitrary_take_rest(u).map(GenericCowList::from)
        }

        fn size_hint(depth: usize) -> (usize, Option<usize>) {
            Vec::<T>::size_hint(depth)
        }
    }

    impl<'a, T: Arbitrary<'a> + PartialEq, P: Publish> Arbitrary<'a> for GenericCowSet<T, P> {
        /// Arbitrary elements, each kept only the first time it appears (a set has no
        /// duplicates).
        fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
            Vec::arbitrary(u).map(GenericCowSet::from)
        }

        fn arbitrary_take_rest(u: Unstructured<'a>) -> Result<Self> {
            Vec::arbitrary_take_rest(u).map(GenericCowSet::from)
        }

        fn size_hint(depth: usize) -> (usize, Option<usize>) {
            Vec::<T>::size_hint(depth)
        }
    }

    impl<'a, K, V, S, P: Publish> Arbitrary<'a> for GenericCowMap<K, V, S, P>
    where
        K: Arbitrary<'a> + Eq + Hash,
        V: Arbitrary<'a>,
        S: BuildHasher + Default,
    {
        fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
            HashMap::<K, V, S>::arbitrary(u).map(GenericCowMap::from)
        }

        fn arbitrary_take_rest(u: Unstructured<'a>) -> Result<Self> {
            HashMap::<K, V, S>::arbitrary_take_rest(u).map(GenericCowMap::from)
        }

        fn size_hint(depth: usize) -> (usize, Option<usize>) {
            HashMap::<K, V, S>::size_hint(depth)
        }
    }
}

impl<'a, T: Arbitrary<'a> + Clone> Arbitrary<'a> for crate::vec::CowVec<T> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        u.arbitrary_iter()?.collect()
    }

    fn arbitrary_take_rest(u: Unstructured<'a>) -> Result<Self> {
        u.arbitrary_take_rest_iter()?.collect()
    }

    fn size_hint(depth: usize) -> (usize, Option<usize>) {
        alloc::vec::Vec::<T>::size_hint(depth)
    }
}

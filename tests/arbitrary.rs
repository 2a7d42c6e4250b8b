//! The `arbitrary` and `proptest` features: the values they generate are valid, match what the
//! same input makes of the std type each wraps, and cover what a fuzz target needs (buffers of
//! several pages with holes and written pages, sets without duplicates).
//!
//! Run with the features on: `cargo test --all-features --test arbitrary`.

/// Random bytes from a fixed seed (xorshift64), so runs repeat.
#[allow(dead_code)]
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Asserts that a generated vector is valid: its chunks are non-empty and together are what
/// its iterator yields, both ways, and its length.
#[allow(dead_code)]
fn valid_vec<T: PartialEq + std::fmt::Debug>(v: &cowkit::CowVec<T>) {
    let by_chunks: Vec<&T> = v.chunks().flatten().collect();
    assert!(v.chunks().all(|chunk| !chunk.is_empty()));
    assert_eq!(by_chunks, v.iter().collect::<Vec<_>>());
    assert_eq!(v.iter().len(), v.len());
    assert!(v.iter().rev().eq(by_chunks.into_iter().rev()));
}

/// What a generated buffer looks like, checked against its own bytes.
#[allow(dead_code)]
fn shape(buffer: &cowkit::CowBuffer) -> (usize, usize, usize) {
    use cowkit::PAGE_SIZE;
    let bytes = buffer.to_vec();
    let stats = buffer.stats();
    assert_eq!(bytes.len(), buffer.len());
    assert_eq!(stats.pages, buffer.len().div_ceil(PAGE_SIZE));
    assert_eq!(stats.holes + stats.private + stats.shared, stats.pages);
    assert_eq!(stats.shared, 0, "a generated buffer shares nothing");
    for (i, page) in buffer.pages().enumerate() {
        assert_eq!(
            page,
            &bytes[i * PAGE_SIZE..((i + 1) * PAGE_SIZE).min(bytes.len())]
        );
    }
    (stats.pages, stats.holes, stats.private)
}

#[cfg(feature = "arbitrary")]
mod arbitrary_impls {
    use std::collections::HashMap;

    use arbitrary::{Arbitrary, Unstructured};
    use cowkit::{
        CowBuffer, CowCell, CowList, CowMap, CowSet, CowString, CowVec, PAGE_SIZE, Shared,
    };

    use super::{noise, shape, valid_vec};

    /// Each wrapper makes, from the same bytes, the value its std type makes.
    #[test]
    fn wrappers_generate_what_their_std_type_generates() {
        for seed in 0..300 {
            let data = noise(seed, 64 + seed as usize % 200);
            let same = |f: &dyn Fn(&mut Unstructured) -> bool| f(&mut Unstructured::new(&data));
            let text = <&str>::arbitrary(&mut Unstructured::new(&data)).unwrap();
            let string = CowString::arbitrary(&mut Unstructured::new(&data)).unwrap();
            assert_eq!(string, text);
            assert_eq!(string.is_inline(), text.len() <= 16);
            let vec = Vec::<u16>::arbitrary(&mut Unstructured::new(&data)).unwrap();
            assert!(same(&|u| CowList::<u16>::arbitrary(u).unwrap() == vec));
            assert!(same(&|u| {
                let v = CowVec::<u16>::arbitrary(u).unwrap();
                valid_vec(&v);
                v.to_vec() == vec
            }));
            let rest = Vec::<u16>::arbitrary_take_rest(Unstructured::new(&data)).unwrap();
            let v = CowVec::<u16>::arbitrary_take_rest(Unstructured::new(&data)).unwrap();
            assert_eq!(v.to_vec(), rest);
            assert!(same(&|u| *Shared::<Vec<u16>>::arbitrary(u).unwrap() == vec));
            assert!(same(&|u| *CowCell::<Vec<u16>>::arbitrary(u)
                .unwrap()
                .load()
                == vec));
            let map = HashMap::<u8, u32>::arbitrary(&mut Unstructured::new(&data)).unwrap();
            assert!(same(&|u| CowMap::<u8, u32>::arbitrary(u).unwrap() == map));
        }
        assert_eq!(Shared::<u64>::size_hint(0), u64::size_hint(0));
        assert_eq!(CowList::<u8>::size_hint(0), Vec::<u8>::size_hint(0));
        assert_eq!(CowVec::<u64>::size_hint(0), Vec::<u64>::size_hint(0));
    }

    /// A set keeps each element once, in the order of first appearance.
    #[test]
    fn sets_have_no_duplicates() {
        let mut largest = 0;
        for seed in 0..300 {
            let data = noise(seed, 256);
            let set = CowSet::<u8>::arbitrary(&mut Unstructured::new(&data)).unwrap();
            let vec = Vec::<u8>::arbitrary(&mut Unstructured::new(&data)).unwrap();
            let mut expected: Vec<u8> = Vec::new();
            for x in vec {
                if !expected.contains(&x) {
                    expected.push(x);
                }
            }
            assert_eq!(set.to_vec(), expected);
            largest = largest.max(set.len());
        }
        assert!(largest > 10, "sets of a few elements only: {largest}");
    }

    /// Generated buffers are valid and varied: several pages, holes beside written pages,
    /// short last pages; any input makes one (short inputs too).
    #[test]
    fn buffers_have_pages_holes_and_written_pages() {
        let (mut multi_page_with_holes_and_data, mut short_tail, mut most_pages) = (0, 0, 0);
        for seed in 0..400 {
            let data = noise(seed, seed as usize % 700);
            let buffer = CowBuffer::arbitrary(&mut Unstructured::new(&data)).unwrap();
            let (pages, holes, private) = shape(&buffer);
            if pages >= 2 && holes >= 1 && private >= 1 {
                multi_page_with_holes_and_data += 1;
            }
            if buffer.len() % PAGE_SIZE != 0 {
                short_tail += 1;
            }
            most_pages = most_pages.max(pages);
        }
        assert!(
            multi_page_with_holes_and_data >= 40,
            "{multi_page_with_holes_and_data} of 400"
        );
        assert!(short_tail >= 40, "{short_tail} of 400");
        assert!(
            most_pages > 16,
            "a one-level table at most: {most_pages} pages"
        );
        // The lower bound is what the length takes: all-zero input ends the strokes at once
        // (a `false`), after the length and that one byte.
        let zeros = [0u8; 64];
        let mut u = Unstructured::new(&zeros);
        CowBuffer::arbitrary(&mut u).unwrap();
        let (lower, upper) = CowBuffer::size_hint(0);
        assert_eq!((lower + 1, upper), (zeros.len() - u.len(), None));
    }
}

#[cfg(feature = "proptest")]
mod proptest_impls {
    use cowkit::{CowBuffer, CowCell, CowList, CowMap, CowSet, CowString, CowVec, Shared};
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use super::{shape, valid_vec};

    proptest! {
        #[test]
        fn every_type_has_a_strategy(
            shared in any::<Shared<u8>>(),
            string in any::<CowString>(),
            cell in any::<CowCell<u8>>(),
            list in any::<CowList<u8>>(),
            set in any::<CowSet<u8>>(),
            map in any::<CowMap<u8, u8>>(),
            buffer in any::<CowBuffer>(),
            vec in any::<CowVec<u8>>(),
        ) {
            prop_assert_eq!(Shared::strong_count(&shared), 1);
            prop_assert_eq!(string.is_inline(), string.len() <= 16);
            prop_assert_eq!(*cell.load(), *cell.snapshot());
            prop_assert_eq!(list.to_vec().len(), list.len());
            let members = set.to_vec();
            for (i, x) in members.iter().enumerate() {
                prop_assert!(!members[..i].contains(x));
            }
            prop_assert_eq!(map.to_hash_map().len(), map.len());
            shape(&buffer);
            valid_vec(&vec);
        }

        /// `any::<CowVec<T>>()` takes `Vec<T>`'s parameters: a size range gives vectors of
        /// those lengths.
        #[test]
        fn vec_strategy_takes_vecs_parameters(
            vec in any_with::<CowVec<u64>>((proptest::collection::SizeRange::from(900..1100), ()))
        ) {
            prop_assert!((900..1100).contains(&vec.len()));
            valid_vec(&vec);
        }
    }

    /// The buffer strategy makes several pages with holes and written pages, and shrinks.
    #[test]
    fn buffer_strategy_is_varied() {
        let mut runner = TestRunner::deterministic();
        let mut varied = 0;
        for _ in 0..200 {
            let buffer = any::<CowBuffer>().new_tree(&mut runner).unwrap().current();
            let (pages, holes, private) = shape(&buffer);
            if pages >= 2 && holes >= 1 && private >= 1 {
                varied += 1;
            }
        }
        assert!(varied >= 40, "{varied} of 200");
    }
}

//! `proptest::arbitrary::Arbitrary` for every type, behind the `proptest` feature, so that
//! `any::<CowList<u8>>()` and `#[derive(Arbitrary)]` of structs holding cowkit values work in
//! a downstream crate's property tests.
//!
//! Each strategy maps a std value's strategy through the public API (`Vec<T>` into a
//! `CowList<T>`, …), so it shrinks as that std value does; a `CowBuffer` is built from the
//! same [`sketch`](crate::buffer::sketch) as the `arbitrary` impl, with holes and several pages.

use alloc::vec::Vec;

use proptest::arbitrary::{Arbitrary, StrategyFor, any, any_with};
use proptest::collection::vec;
use proptest::prelude::{BoxedStrategy, Strategy};
use proptest::prop_oneof;
use proptest::strategy::Map;

use crate::buffer::CowBuffer;
use crate::buffer::sketch::{self, Stroke};
use crate::config::PAGE_SIZE;
use crate::shared::Shared;
use crate::string::CowString;

impl<T: Arbitrary> Arbitrary for Shared<T> {
    type Parameters = T::Parameters;
    type Strategy = Map<T::Strategy, fn(T) -> Self>;

    fn arbitrary_with(args: Self::Parameters) -> Self::Strategy {
        any_with::<T>(args).prop_map(Shared::new)
    }
}

impl Arbitrary for CowString {
    type Parameters = <alloc::string::String as Arbitrary>::Parameters;
    type Strategy = Map<StrategyFor<alloc::string::String>, fn(alloc::string::String) -> Self>;

    /// Any text `String`'s strategy makes: inline when short, on the heap when long.
    fn arbitrary_with(args: Self::Parameters) -> Self::Strategy {
        any_with::<alloc::string::String>(args).prop_map(CowString::from)
    }
}

impl Arbitrary for CowBuffer {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;

    /// Up to 40 pages and a short last page, all holes, then up to 8 fills
    /// of whole pages and writes of up to 256 bytes: holes between written pages, dense
    /// pages, a table two levels deep. Shrinks towards fewer pages and fewer strokes.
    fn arbitrary_with((): ()) -> Self::Strategy {
        let stroke = prop_oneof![
            (any::<u16>(), any::<u8>(), any::<u8>()).prop_map(|(page, pages, byte)| {
                Stroke::Fill {
                    page: page.into(),
                    pages: pages.into(),
                    byte,
                }
            }),
            (any::<u32>(), vec(any::<u8>(), 0..256)).prop_map(|(at, bytes)| Stroke::Write {
                at: at as usize,
                bytes,
            }),
        ];
        (0..=sketch::MAX_PAGES, 0..PAGE_SIZE, vec(stroke, 0..8))
            .prop_map(
                |(pages, tail, strokes): (usize, usize, Vec<Stroke<Vec<u8>>>)| {
                    sketch::build(pages, tail, strokes)
                },
            )
            .boxed()
    }
}

#[cfg(feature = "std")]
mod collections {
    use core::fmt::Debug;
    use core::hash::{BuildHasher, Hash};

    use alloc::vec::Vec;
    use proptest::arbitrary::{Arbitrary, StrategyFor, any_with};
    use proptest::prelude::Strategy;
    use proptest::strategy::Map;

    use crate::cell::GenericCowCell;
    use crate::cell::publish::Publish;
    use crate::list::GenericCowList;
    use crate::list::set::GenericCowSet;
    use crate::map::GenericCowMap;

    impl<T: Arbitrary, P: Publish> Arbitrary for GenericCowCell<T, P> {
        type Parameters = T::Parameters;
        type Strategy = Map<T::Strategy, fn(T) -> Self>;

        fn arbitrary_with(args: Self::Parameters) -> Self::Strategy {
            any_with::<T>(args).prop_map(GenericCowCell::new)
        }
    }

    impl<T: Arbitrary, P: Publish> Arbitrary for GenericCowList<T, P> {
        type Parameters = <Vec<T> as Arbitrary>::Parameters;
        type Strategy = Map<StrategyFor<Vec<T>>, fn(Vec<T>) -> Self>;

        fn arbitrary_with(args: Self::Parameters) -> Self::Strategy {
            any_with::<Vec<T>>(args).prop_map(GenericCowList::from)
        }
    }

    impl<T: Arbitrary + PartialEq, P: Publish> Arbitrary for GenericCowSet<T, P> {
        type Parameters = <Vec<T> as Arbitrary>::Parameters;
        type Strategy = Map<StrategyFor<Vec<T>>, fn(Vec<T>) -> Self>;

        /// Arbitrary elements, each kept only the first time it appears.
        fn arbitrary_with(args: Self::Parameters) -> Self::Strategy {
            any_with::<Vec<T>>(args).prop_map(GenericCowSet::from)
        }
    }

    impl<K, V, S, P: Publish> Arbitrary for GenericCowMap<K, V, S, P>
    where
        K: Arbitrary + Eq + Hash,
        V: Arbitrary,
        S: BuildHasher + Default + Debug,
    {
        type Parameters = <Vec<(K, V)> as Arbitrary>::Parameters;
        type Strategy = Map<StrategyFor<Vec<(K, V)>>, fn(Vec<(K, V)>) -> Self>;

        /// Arbitrary entries (a later entry for a key replaces an earlier one).
        fn arbitrary_with(args: Self::Parameters) -> Self::Strategy {
            any_with::<Vec<(K, V)>>(args).prop_map(|entries| entries.into_iter().collect())
        }
    }
}

impl<T: Arbitrary + Clone> Arbitrary for crate::vec::CowVec<T> {
    type Parameters = <Vec<T> as Arbitrary>::Parameters;
    type Strategy = Map<StrategyFor<Vec<T>>, fn(Vec<T>) -> Self>;

    /// A `Vec<T>`'s strategy, moved into chunks: it shrinks as the `Vec` does.
    fn arbitrary_with(args: Self::Parameters) -> Self::Strategy {
        any_with::<Vec<T>>(args).prop_map(crate::vec::CowVec::from)
    }
}

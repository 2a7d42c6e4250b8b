//! Model-based proptests: random operation sequences applied to each cowkit type and to a std
//! model, checked after every step. The models live in `tests/models/` and also drive the fuzz
//! targets.

// The tests compare with `String` methods newer than the crate's MSRV (`extend_from_within` is
// 1.87); the library itself calls none of them.
#![allow(clippy::incompatible_msrv)]

mod models;

use proptest::collection::vec;
use proptest::prelude::*;

#[cfg(feature = "std")]
use models::buffer::{BufferModel, BufferOp};
#[cfg(feature = "std")]
use models::list::{ListModel, ListOp};
#[cfg(feature = "std")]
use models::map::{MapModel, MapOp};
use models::shared::{SharedModel, SharedOp};
use models::string::{StringModel, StringOp};
use models::vec::{VecModel, VecOp};

/// Small indices and bytes: the model wraps indices around the live handles.
fn shared_op() -> impl Strategy<Value = SharedOp> {
    prop_oneof![
        2 => any::<u8>().prop_map(SharedOp::New),
        3 => any::<u8>().prop_map(SharedOp::Clone),
        2 => any::<u8>().prop_map(SharedOp::Drop),
        3 => (any::<u8>(), any::<u8>()).prop_map(|(i, b)| SharedOp::MakeMutPush(i, b)),
        2 => (any::<u8>(), any::<u8>()).prop_map(|(i, b)| SharedOp::GetMutPush(i, b)),
        1 => any::<u8>().prop_map(SharedOp::TryUnwrap),
        1 => any::<u8>().prop_map(SharedOp::UnwrapOrClone),
        1 => any::<u8>().prop_map(SharedOp::RawRoundTrip),
    ]
}

/// 512 cases by default; `PROPTEST_CASES` overrides (CI lowers it under valgrind).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512)
}

/// Text mixing ASCII and multi-byte chars, so indices often fall inside a char.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ]{0,6}|[a-zé€😀]{0,12}|[a-z]{10,40}"
}

fn string_op() -> impl Strategy<Value = StringOp> {
    let h = any::<u8>();
    let ix = 0u16..80;
    let ch = prop_oneof![
        Just('a'),
        Just('Z'),
        Just('é'),
        Just('€'),
        Just('😀'),
        any::<char>()
    ];
    prop_oneof![
        3 => h.prop_map(StringOp::Clone),
        1 => h.prop_map(StringOp::FromStatic),
        2 => h.prop_map(StringOp::Drop),
        3 => (h, ch.clone()).prop_map(|(h, c)| StringOp::Push(h, c)),
        4 => (h, text()).prop_map(|(h, t)| StringOp::PushStr(h, t)),
        1 => h.prop_map(StringOp::Pop),
        2 => (h, ix.clone(), ch.clone()).prop_map(|(h, i, c)| StringOp::Insert(h, i, c)),
        2 => (h, ix.clone(), text()).prop_map(|(h, i, t)| StringOp::InsertStr(h, i, t)),
        2 => (h, ix.clone()).prop_map(|(h, i)| StringOp::Remove(h, i)),
        1 => (h, ix.clone()).prop_map(|(h, i)| StringOp::Truncate(h, i)),
        1 => h.prop_map(StringOp::Clear),
        1 => (h, any::<u8>()).prop_map(|(h, k)| StringOp::Retain(h, k)),
        2 => (h, ix.clone(), ix.clone(), text()).prop_map(|(h, a, b, t)| StringOp::ReplaceRange(h, a, b, t)),
        1 => (h, ix.clone()).prop_map(|(h, i)| StringOp::SplitOff(h, i)),
        1 => (h, ix.clone(), ix.clone()).prop_map(|(h, a, b)| StringOp::Drain(h, a, b)),
        2 => (h, ix.clone(), ix.clone()).prop_map(|(h, a, b)| StringOp::UppercaseRange(h, a, b)),
        1 => h.prop_map(StringOp::MakeAsciiLowercase),
        1 => (h, 0u16..100).prop_map(|(h, n)| StringOp::Reserve(h, n)),
        1 => h.prop_map(StringOp::ShrinkToFit),
        2 => (h, text()).prop_map(|(h, t)| StringOp::AddAssign(h, t)),
        1 => (h, proptest::collection::vec(ch, 0..8)).prop_map(|(h, c)| StringOp::ExtendChars(h, c)),
        1 => (h, ix.clone(), ix.clone()).prop_map(|(h, a, b)| StringOp::ExtendFromWithin(h, a, b)),
        1 => (h, 0u16..100).prop_map(|(h, n)| StringOp::ReserveExact(h, n)),
        1 => (h, 0u16..100).prop_map(|(h, n)| StringOp::ShrinkTo(h, n)),
        1 => (h, ix.clone(), ix.clone(), 0u8..4).prop_map(|(h, a, b, n)| StringOp::DrainPart(h, a, b, n)),
        1 => (h, ix.clone()).prop_map(|(h, i)| StringOp::SplitAtMutUpper(h, i)),
    ]
}

/// Small values, so that duplicates (for `push_if_absent`, the set, `remove_item`) are common;
/// indices reach a little past typical lengths, so that out-of-range writes happen.
#[cfg(feature = "std")]
fn list_op() -> impl Strategy<Value = ListOp> {
    let h = 0u8..4;
    let ix = 0u8..24;
    let v = 0u8..16;
    let vs = vec(0u8..16, 0..6);
    prop_oneof![
        4 => (h.clone(), v.clone()).prop_map(|(h, v)| ListOp::Push(h, v)),
        2 => (h.clone(), ix.clone(), v.clone()).prop_map(|(h, i, v)| ListOp::Insert(h, i, v)),
        1 => (h.clone(), ix.clone(), vs.clone()).prop_map(|(h, i, vs)| ListOp::InsertAll(h, i, vs)),
        2 => (h.clone(), ix.clone(), v.clone()).prop_map(|(h, i, v)| ListOp::Set(h, i, v)),
        2 => (h.clone(), ix.clone()).prop_map(|(h, i)| ListOp::Remove(h, i)),
        2 => (h.clone(), v.clone()).prop_map(|(h, v)| ListOp::RemoveItem(h, v)),
        2 => (h.clone(), v.clone()).prop_map(|(h, v)| ListOp::PushIfAbsent(h, v)),
        1 => (h.clone(), vs.clone()).prop_map(|(h, vs)| ListOp::Extend(h, vs)),
        1 => (h.clone(), vs.clone()).prop_map(|(h, vs)| ListOp::ExtendAbsent(h, vs)),
        1 => (h.clone(), any::<u8>()).prop_map(|(h, m)| ListOp::Retain(h, m)),
        1 => (h.clone(), vs.clone()).prop_map(|(h, vs)| ListOp::RemoveAll(h, vs)),
        1 => (h.clone(), any::<u8>()).prop_map(|(h, d)| ListOp::ReplaceAll(h, d)),
        1 => (h.clone(), any::<bool>()).prop_map(|(h, d)| ListOp::Sort(h, d)),
        1 => h.clone().prop_map(ListOp::Clear),
        1 => (h.clone(), vs.clone()).prop_map(|(h, vs)| ListOp::UpdateBatch(h, vs)),
        1 => (h.clone(), v.clone()).prop_map(|(h, v)| ListOp::PanickingUpdate(h, v)),
        1 => (h.clone(), v.clone()).prop_map(|(h, v)| ListOp::FailedTryUpdate(h, v)),
        1 => h.clone().prop_map(ListOp::Pop),
        1 => (h.clone(), any::<u8>()).prop_map(|(h, n)| ListOp::Truncate(h, n % 12)),
        1 => h.clone().prop_map(ListOp::Iterate),
        3 => (h.clone(), ix, v.clone()).prop_map(|(h, i, v)| ListOp::Read(h, i, v)),
        1 => h.clone().prop_map(ListOp::Fork),
        2 => h.prop_map(ListOp::Snapshot),
        1 => any::<u8>().prop_map(ListOp::DropSnapshot),
        2 => v.clone().prop_map(ListOp::SetInsert),
        1 => v.prop_map(ListOp::SetRemove),
        1 => vs.prop_map(ListOp::SetExtend),
        1 => any::<u8>().prop_map(ListOp::SetRetain),
        1 => Just(ListOp::SetClear),
    ]
}

/// Pages near the start (same pages hit again, across forks) more often than far ones; the
/// model maps every `(page, byte)` into its range of pages.
#[cfg(feature = "std")]
fn buffer_op() -> impl Strategy<Value = BufferOp> {
    let h = 0u8..6;
    let page = prop_oneof![0u16..4, 0u16..48, any::<u16>()];
    let b = any::<u16>();
    let len = any::<u16>();
    let seed = prop_oneof![Just(0u8), any::<u8>()];
    let byte = prop_oneof![Just(0u8), any::<u8>()];
    prop_oneof![
        4 => (h.clone(), page.clone(), b, len, seed.clone())
            .prop_map(|(h, p, b, l, s)| BufferOp::WriteAt(h, p, b, l, s)),
        3 => (h.clone(), page.clone(), b, byte.clone())
            .prop_map(|(h, p, b, v)| BufferOp::Set(h, p, b, v)),
        2 => (h.clone(), page.clone(), b, len, byte)
            .prop_map(|(h, p, b, l, v)| BufferOp::Fill(h, p, b, l, v)),
        1 => (h.clone(), page.clone(), b).prop_map(|(h, p, b)| BufferOp::Truncate(h, p, b)),
        1 => (h.clone(), page.clone(), b).prop_map(|(h, p, b)| BufferOp::Resize(h, p, b)),
        1 => (h.clone(), len, seed.clone()).prop_map(|(h, l, s)| BufferOp::Extend(h, l, s)),
        1 => (h.clone(), len, seed.clone()).prop_map(|(h, l, s)| BufferOp::ExtendIter(h, l, s)),
        1 => (h.clone(), any::<u16>(), b, any::<u8>())
            .prop_map(|(h, p, b, v)| BufferOp::PageMut(h, p, b, v)),
        1 => (h.clone(), page.clone(), b, len, page.clone(), b)
            .prop_map(|(h, p, b, l, dp, db)| BufferOp::CopyWithin(h, p, b, l, dp, db)),
        1 => (h.clone(), page.clone(), b).prop_map(|(h, p, b)| BufferOp::SplitOff(h, p, b)),
        1 => h.clone().prop_map(BufferOp::Clear),
        2 => (h.clone(), page.clone(), b, len)
            .prop_map(|(h, p, b, l)| BufferOp::Read(h, p, b, l)),
        1 => (h.clone(), page.clone(), b, len, seed)
            .prop_map(|(h, p, b, l, s)| BufferOp::CursorWrite(h, p, b, l, s)),
        1 => (h.clone(), page, b, len).prop_map(|(h, p, b, l)| BufferOp::CursorRead(h, p, b, l)),
        3 => h.clone().prop_map(BufferOp::Fork),
        1 => h.clone().prop_map(BufferOp::Drop),
        1 => h.clone().prop_map(BufferOp::DropOnThread),
        1 => any::<u8>().prop_map(BufferOp::PoolLimit),
        2 => h.clone().prop_map(BufferOp::SaveToFile),
        1 => h.clone().prop_map(BufferOp::LoadFromFile),
        1 => h.clone().prop_map(BufferOp::MapFile),
    ]
}

/// Few keys, so that inserts overwrite and removes hit.
#[cfg(feature = "std")]
fn map_op() -> impl Strategy<Value = MapOp> {
    let h = 0u8..4;
    let k = 0u8..12;
    let entries = vec((0u8..12, any::<u16>()), 0..5);
    prop_oneof![
        4 => (h.clone(), k.clone(), any::<u16>()).prop_map(|(h, k, v)| MapOp::Insert(h, k, v)),
        2 => (h.clone(), k.clone(), any::<u16>()).prop_map(|(h, k, v)| MapOp::InsertIfAbsent(h, k, v)),
        2 => (h.clone(), k.clone()).prop_map(|(h, k)| MapOp::Remove(h, k)),
        2 => (h.clone(), k.clone(), any::<u16>()).prop_map(|(h, k, d)| MapOp::Compute(h, k, d)),
        1 => (h.clone(), any::<u8>()).prop_map(|(h, r)| MapOp::Retain(h, r)),
        1 => h.clone().prop_map(MapOp::Clear),
        1 => (h.clone(), entries.clone()).prop_map(|(h, e)| MapOp::Extend(h, e)),
        1 => (h.clone(), entries).prop_map(|(h, e)| MapOp::UpdateBatch(h, e)),
        1 => (h.clone(), k.clone()).prop_map(|(h, k)| MapOp::PanickingUpdate(h, k)),
        2 => (h.clone(), k.clone()).prop_map(|(h, k)| MapOp::RemoveIfEven(h, k)),
        2 => (h.clone(), k.clone(), any::<u16>()).prop_map(|(h, k, v)| MapOp::Replace(h, k, v)),
        2 => (h.clone(), k.clone(), any::<u16>()).prop_map(|(h, k, v)| MapOp::GetOrInsertWith(h, k, v)),
        1 => h.clone().prop_map(MapOp::Iterate),
        3 => (h.clone(), k).prop_map(|(h, k)| MapOp::Read(h, k)),
        1 => h.clone().prop_map(MapOp::Fork),
        2 => h.prop_map(MapOp::Snapshot),
        1 => any::<u8>().prop_map(MapOp::DropSnapshot),
    ]
}

/// Handles 0..6 (wrapped around the live ones); indices and values small and raw (the model
/// takes indices modulo `len + 2`, so some fall past the end); bulk lengths any `u16` (the
/// model scales them by the chunk length, one in four a run of many chunks).
fn vec_op() -> impl Strategy<Value = VecOp> {
    let h = 0u8..6;
    let ix = prop_oneof![0u16..16, any::<u16>()];
    let x = 0u16..300;
    let len = any::<u16>();
    let seed = any::<u8>();
    prop_oneof![
        3 => h.clone().prop_map(VecOp::Fork),
        1 => h.clone().prop_map(VecOp::Drop),
        2 => (any::<u8>(), len, seed).prop_map(|(w, l, s)| VecOp::Build(w, l, s)),
        3 => (h.clone(), x.clone()).prop_map(|(h, x)| VecOp::Push(h, x)),
        1 => h.clone().prop_map(VecOp::Pop),
        2 => (h.clone(), ix.clone(), x.clone()).prop_map(|(h, i, x)| VecOp::Insert(h, i, x)),
        2 => (h.clone(), ix.clone()).prop_map(|(h, i)| VecOp::Remove(h, i)),
        4 => (h.clone(), ix.clone(), x.clone()).prop_map(|(h, i, x)| VecOp::Set(h, i, x)),
        2 => (h.clone(), ix.clone(), x.clone()).prop_map(|(h, i, x)| VecOp::GetMut(h, i, x)),
        1 => (h.clone(), ix.clone(), ix.clone()).prop_map(|(h, a, b)| VecOp::Swap(h, a, b)),
        1 => (h.clone(), ix.clone()).prop_map(|(h, i)| VecOp::Truncate(h, i)),
        1 => h.clone().prop_map(VecOp::Clear),
        1 => (h.clone(), any::<u8>()).prop_map(|(h, k)| VecOp::Retain(h, k)),
        2 => (h.clone(), ix.clone()).prop_map(|(h, i)| VecOp::SplitOff(h, i)),
        2 => (h.clone(), h.clone()).prop_map(|(h, o)| VecOp::Append(h, o)),
        3 => (h.clone(), len, seed).prop_map(|(h, l, s)| VecOp::Extend(h, l, s)),
        1 => (h.clone(), len, seed).prop_map(|(h, l, s)| VecOp::ExtendRef(h, l, s)),
        1 => (h.clone(), x).prop_map(|(h, d)| VecOp::AddAll(h, d)),
        2 => (h.clone(), ix).prop_map(|(h, i)| VecOp::Read(h, i)),
        1 => (h.clone(), any::<u16>()).prop_map(|(h, p)| VecOp::Iterate(h, p)),
        1 => (h.clone(), any::<u8>()).prop_map(|(h, k)| VecOp::IntoIter(h, k)),
        2 => (h.clone(), h).prop_map(|(a, b)| VecOp::Compare(a, b)),
    ]
}

/// Runs the block once per publication strategy, with `P` naming it: the same operations check
/// `cowkit::CowList` and `cowkit::seize::CowList` (and the other collections).
#[cfg(feature = "std")]
macro_rules! for_each_strategy {
    (|$p:ident| $body:block) => {{
        {
            type $p = cowkit::ArcSwapStrategy;
            $body
        }
        #[cfg(feature = "seize")]
        {
            type $p = cowkit::seize::SeizeStrategy;
            $body
        }
    }};
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Every list, fork and the set equal their `Vec` models after every op; every kept
    /// snapshot still shows what it showed when taken.
    #[cfg(feature = "std")]
    #[test]
    fn list_and_set_match_model(ops in vec(list_op(), 1..80)) {
        for_each_strategy!(|P| {
            let mut model = ListModel::<P>::new();
            for op in &ops {
                model.apply(op);
                model.check();
            }
        });
    }

    /// Every buffer of a family of forks equals its `Vec<u8>` after every op, and `stats()`
    /// and `changed_pages` agree exactly with the page identities copy-on-write implies.
    #[cfg(feature = "std")]
    #[test]
    fn buffer_matches_model(ops in vec(buffer_op(), 1..60)) {
        let mut model = BufferModel::new();
        for op in &ops {
            model.apply(op);
            model.check();
        }
    }

    /// Every map and fork equals its `HashMap` model after every op; snapshots never change.
    #[cfg(feature = "std")]
    #[test]
    fn map_matches_model(ops in vec(map_op(), 1..80)) {
        for_each_strategy!(|P| {
            let mut model = MapModel::<P>::new();
            for op in &ops {
                model.apply(op);
                model.check();
            }
        });
    }

    /// Every `CowVec` of a family of forks and splits equals its own `Vec` after every op, its
    /// chunks are the vector, and ours panics exactly when `Vec` does.
    #[test]
    fn vec_matches_model(ops in vec(vec_op(), 1..60)) {
        let mut model = VecModel::new();
        for op in &ops {
            model.apply(op);
            model.check();
        }
    }

    /// A write through one handle never shows through another, and counts stay right.
    #[test]
    fn shared_matches_model(ops in vec(shared_op(), 1..80)) {
        let mut model = SharedModel::new();
        for op in &ops {
            model.apply(op);
            model.check();
        }
    }

    /// Every handle of a family of clones equals its own `String` after every op, and ours
    /// panics exactly when `String` does.
    #[test]
    fn string_matches_model(ops in vec(string_op(), 1..60)) {
        let mut model = StringModel::new();
        for op in &ops {
            model.apply(op);
            model.check();
        }
    }
}

//! Model-based proptests: random operation sequences applied to each cowkit type and to a std
//! model, checked after every step. The models live in `tests/models/` and also drive the fuzz
//! targets.

mod models;

use proptest::collection::vec;
use proptest::prelude::*;

use models::shared::{SharedModel, SharedOp};
use models::string::{StringModel, StringOp};

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
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

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

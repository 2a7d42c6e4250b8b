//! Model-based proptests: random operation sequences applied to each cowkit type and to a std
//! model, checked after every step. The models live in `tests/models/` and also drive the fuzz
//! targets.

mod models;

use proptest::collection::vec;
use proptest::prelude::*;

use models::shared::{SharedModel, SharedOp};

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
}

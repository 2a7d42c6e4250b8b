//! Differential fuzzing of `Shared<T>`: random operation sequences on a set of handles,
//! checked against the model after every step. The model is the proptest's
//! (`tests/models/shared.rs`), so both explore the same operations.
//!
//! Run: `cargo +nightly fuzz run shared_ops` (from the repository root).

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/models/shared.rs"]
#[allow(dead_code)]
mod model;

use model::{SharedModel, SharedOp};

fuzz_target!(|ops: Vec<SharedOp>| {
    let mut model = SharedModel::new();
    for op in &ops {
        model.apply(op);
        model.check();
    }
});

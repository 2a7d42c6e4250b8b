//! Differential fuzzing of `CowString` against `String`: random operation sequences on a
//! family of clones, checked after every step. The model is the proptest's
//! (`tests/models/string.rs`), so both explore the same operations.
//!
//! Run: `cargo +nightly fuzz run string_ops` (from the repository root).

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/models/quiet.rs"]
mod quiet;

#[path = "../../tests/models/string.rs"]
#[allow(dead_code)]
mod model;

use model::{StringModel, StringOp};

fuzz_target!(|ops: Vec<StringOp>| {
    let mut model = StringModel::new();
    for op in &ops {
        model.apply(op);
        model.check();
    }
});

//! Differential fuzzing of `CowVec<T>`: random operations on a family of forks and splits,
//! checked against `Vec<u64>` models after every step; an op that panics on the `Vec` must
//! panic on the `CowVec`. The model is the proptest's (`tests/models/vec.rs`). It is built with
//! `--cfg cowkit_small_pages`, under which a chunk holds 64 bytes of elements and table nodes
//! have 4 slots, so short inputs reach tables several levels deep. (`cfg(fuzzing)` changes
//! nothing in cowkit.)
//!
//! Run (from the repository root; cargo-fuzz adds its own flags to `RUSTFLAGS`):
//! `RUSTFLAGS="--cfg cowkit_small_pages" cargo +nightly fuzz run vec_ops`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[cfg(not(cowkit_small_pages))]
compile_error!(
    "build cowkit's fuzz targets with RUSTFLAGS=\"--cfg cowkit_small_pages\" (small chunks, deep tables)"
);

#[path = "../../tests/models/quiet.rs"]
mod quiet;

#[path = "../../tests/models/vec.rs"]
#[allow(dead_code)]
mod model;

use model::{VecModel, VecOp};

fuzz_target!(|ops: Vec<VecOp>| {
    let mut model = VecModel::new();
    for op in &ops {
        model.apply(op);
        model.check();
    }
});

//! Differential fuzzing of `CowBuffer`: random operations on a family of forks (a fork of a
//! fork of a fork), checked against `Vec<u8>` models and exact page identities after every
//! step. The model is the proptest's (`tests/models/buffer.rs`). Fuzzing builds set
//! `cfg(fuzzing)`, under which pages are 64 bytes and table nodes have 4 slots, so short inputs
//! reach tables several levels deep.
//!
//! Run: `cargo +nightly fuzz run buffer_ops` (from the repository root).

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/models/buffer.rs"]
#[allow(dead_code)]
mod model;

use model::{BufferModel, BufferOp};

fuzz_target!(|ops: Vec<BufferOp>| {
    let mut model = BufferModel::new();
    for op in &ops {
        model.apply(op);
        model.check();
    }
});

//! Differential fuzzing of `CowBuffer`: random operations on a family of forks (a fork of a
//! fork of a fork), checked against `Vec<u8>` models and exact page identities after every
//! step. The model is the proptest's (`tests/models/buffer.rs`). It is built with
//! `--cfg cowkit_small_pages`, under which pages are 64 bytes and table nodes have 4 slots, so
//! short inputs reach tables several levels deep. (`cfg(fuzzing)` changes nothing in cowkit:
//! a user's fuzz build sees production's page size.)
//!
//! Run (from the repository root; cargo-fuzz adds its own flags to `RUSTFLAGS`):
//! `RUSTFLAGS="--cfg cowkit_small_pages" cargo +nightly fuzz run buffer_ops`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[cfg(not(cowkit_small_pages))]
compile_error!(
    "build cowkit's fuzz targets with RUSTFLAGS=\"--cfg cowkit_small_pages\" (64-byte pages, deep tables)"
);

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

//! Differential fuzzing of `CowMap`: random operation sequences on a few
//! forks with snapshots kept alive, checked against the std model after every step, on both
//! publication strategies. The model
//! is the proptest's (`tests/models/map.rs`), so both explore the same operations.
//!
//! Run: `cargo +nightly fuzz run map_ops` (from the repository root).

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/models/map.rs"]
#[allow(dead_code)]
mod model;

use model::{MapModel, MapOp};

/// Applies `ops` to the model on the publication strategy `P`, checking after every step.
fn run<P: cowkit::Publish>(ops: &[MapOp]) {
    let mut model = MapModel::<P>::new();
    for op in ops {
        model.apply(op);
        model.check();
    }
}

// The same operations on both publication strategies.
fuzz_target!(|ops: Vec<MapOp>| {
    run::<cowkit::ArcSwapStrategy>(&ops);
    run::<cowkit::seize::SeizeStrategy>(&ops);
});

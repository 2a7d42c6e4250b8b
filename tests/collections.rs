//! Public-API tests of the snapshot collections: `CowCell`, `CowList`, `CowSet`, `CowMap`.
//!
//! The list and set tests follow the behaviours JSR-166's TCK checks for Java's
//! `CopyOnWriteArrayList` and `CopyOnWriteArraySet` (snapshot iteration unaffected by later
//! writes, addIfAbsent / addAllAbsent, indexOf / lastIndexOf, equality and hashing with plain
//! lists, out-of-range indices), in Rust's terms. Leaks are checked with the counting allocator
//! in `tests/support`. A bounded multi-thread stress test closes the file; set
//! `COWKIT_STRESS=<factor>` to run it longer. Also here: no user `Drop` runs under the writers'
//! lock, borrowed-form lookups, iteration, owned readers and the conditional map writes.
//!
//! Every test runs once per publication strategy: the body (`collections/body.rs`) is
//! included in one module per strategy, which names the types it tests (`cowkit::CowList`,
//! `cowkit::seize::CowList`, …).
#![cfg(feature = "std")]

mod support;

/// The collections on the default strategy (arc-swap).
mod arc_swap {
    pub use cowkit::{CowCell, CowList, CowMap, CowSet, OwnedReader, Snapshot};

    /// Whether a replaced version is freed as soon as its last reader lets go: true of
    /// arc-swap.
    pub const FREES_PROMPTLY: bool = true;

    include!("collections/body.rs");
}

/// The collections on seize (`cowkit::seize`).
#[cfg(feature = "seize")]
mod seize {
    pub use cowkit::seize::{CowCell, CowList, CowMap, CowSet, OwnedReader, Snapshot};

    /// seize keeps the cell's count on a replaced version until its batch is reclaimed, and
    /// the value is dropped by a later write or the cell's drop: the tests check those later
    /// frees instead.
    pub const FREES_PROMPTLY: bool = false;

    include!("collections/body.rs");
}

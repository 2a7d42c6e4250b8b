//! The one import point for synchronization primitives: atomics and fences, the buffer's
//! page-pool lock, and the writers' mutex of the snapshot cells.
//!
//! Every other module takes its atomics and locks from here, never from `core::sync::atomic` or
//! `parking_lot` directly, so that one switch changes them all. The normal build uses `core`
//! atomics (no `std` needed, so the core, the string and the buffer work with `alloc` alone)
//! and `parking_lot` for the locks (with the `std` feature). The publication strategies (the
//! swap cells readers load from) are not primitives: they live in `src/cell/publish/`.
//!
//! # Under `--cfg loom`
//!
//! When the whole build has `--cfg loom` (as a downstream crate's loom tests do:
//! `RUSTFLAGS="--cfg loom" cargo test`) and cowkit's `loom` feature is on, the same names are
//! loom's model-checked types, so that loom explores cowkit's interleavings together with the
//! user's own:
//!
//! - every reference count (`Shared`'s, the string's heap block's, the buffer's pages and
//!   nodes, which all use `RefCount`) is a loom `AtomicUsize`, with the orderings of the
//!   normal build;
//! - the writers' lock is built of a loom `Mutex` and `Condvar`, and its re-entry check is
//!   keyed on the loom thread (loom runs all its threads on one OS thread, where
//!   parking_lot's re-entrant mutex would see one owner);
//! - the buffer's page pool is off (it is a cache, not part of any protocol): each page is an
//!   arena of its own, one allocation with its count, freed with its last handle;
//! - every publication strategy's cell is a loom stand-in (`src/cell/publish/loom.rs`).
//!
//! Nothing changes outside `cfg(loom)`, and the `loom` feature alone (without the cfg) changes
//! nothing at all: loom is a dependency only of `cfg(loom)` builds.

#[cfg(all(loom, not(feature = "loom")))]
compile_error!(
    "cowkit: this build has `--cfg loom`, so cowkit's synchronization switches to loom's types, \
     which needs cowkit's `loom` feature. Add to your Cargo.toml: \
     [target.'cfg(loom)'.dev-dependencies] cowkit = { version = \"…\", features = [\"loom\"] }"
);

#[cfg(not(loom))]
pub(crate) use core::sync::atomic::{AtomicUsize, Ordering, fence};
#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicUsize, Ordering, fence};

/// The buffer's page pool lock: a plain, non-poisoning mutex, and its guard. Used by the pool,
/// which builds without it (loom, `--cfg cowkit_unpooled`; chosen in `src/buffer/page/`)
/// leave out.
#[cfg(feature = "std")]
#[allow(unused_imports)]
pub(crate) use parking_lot::{Mutex as PoolMutex, MutexGuard as PoolGuard};

/// The buffer's page pool's flag (whether threads cache free pages), read without the pool's
/// lock (see the pool for why that is safe).
#[cfg(feature = "std")]
#[allow(unused_imports)]
pub(crate) use core::sync::atomic::AtomicBool as PoolFlag;

/// The writers' mutex of the snapshot cells, and its loom twin (`writer.rs`).
#[cfg(feature = "std")]
pub(crate) mod writer;

//! A stand-in for a crate that uses cowkit: a listener registry on a `CowList`, as the
//! snapshot collections are meant to be used. Its loom tests (`tests/loom.rs`) and its fuzz
//! target (`fuzz/`) exercise cowkit from outside, the way a user's own checks would.
//!
//! Run its loom tests from this directory:
//! `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=3 cargo test --release --test loom -- --nocapture`.

use cowkit::CowList;

/// Registered listener ids: many readers, rare writers.
#[derive(Debug, Default)]
pub struct Registry {
    ids: CowList<u32>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Registry::default()
    }

    /// Registers `id` once, atomically: `true` when it was added now.
    pub fn register(&self, id: u32) -> bool {
        self.ids.push_if_absent(id)
    }

    /// Registers `id` with a check-then-act race: two threads can both see it absent and
    /// both add it. Kept as the bug a loom test must find.
    pub fn register_racy(&self, id: u32) {
        if !self.ids.contains(&id) {
            self.ids.push(id);
        }
    }

    /// How many ids are registered.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// `true` when none is registered.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The list itself.
    pub fn ids(&self) -> &CowList<u32> {
        &self.ids
    }
}

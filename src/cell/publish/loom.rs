//! The loom stand-in that every strategy uses under `--cfg loom`: a loom `RwLock<Shared<T>>`.
//!
//! Neither arc-swap nor seize supports loom. Their guarantees, which cowkit builds on, are that
//! a load returns a whole published version, that a store (release) happens before any load
//! (acquire) that sees it, and that a loaded version stays alive while the guard lives. The
//! stand-in gives exactly these, and loom checks cowkit's protocol on top of them (the counts,
//! the writers' lock, the hand-off of the replaced version). What it cannot model: the
//! strategies' own lock-free internals (arc-swap's debt slots, seize's reservations); and it
//! is stronger in one way: a reader's unlock happens before the next writer's lock, an edge
//! neither strategy promises. No cowkit code relies on that edge (the counts order every
//! free); user code must not either.
#![deny(unsafe_code)]

use core::ops::Deref;
use std::sync::PoisonError;

use super::SwapCell;
use super::polling::{Peek, PollingReader};
use crate::shared::Shared;

/// The current version of a cell.
pub struct LoomCell<T> {
    cell: loom::sync::RwLock<Shared<T>>,
}

// Nothing panics while the stand-in's lock is held (a clone of `Shared` or a pointer swap), so
// it is never poisoned in fact; taking it through a poison is for robustness.
impl<T> Peek<T> for LoomCell<T> {
    fn current_ptr(&self) -> *const T {
        Shared::as_ptr(&self.cell.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn load_counted(&self) -> Shared<T> {
        // The read lock stands for the strategies' acquire load; the clone is one increment
        // (no user code runs under the lock).
        Shared::clone(&self.cell.read().unwrap_or_else(PoisonError::into_inner))
    }
}

impl<T> SwapCell<T> for LoomCell<T> {
    /// An owned handle.
    type Guard = Shared<T>;

    type Reader<S: Deref<Target = Self>> = PollingReader<T, S>;

    fn new(value: Shared<T>) -> Self {
        LoomCell {
            cell: loom::sync::RwLock::new(value),
        }
    }

    fn load(&self) -> Shared<T> {
        self.load_counted()
    }

    fn guard_into_shared(guard: Shared<T>) -> Shared<T> {
        guard
    }

    fn guard_value(guard: &Shared<T>) -> &T {
        guard
    }

    /// On an owned handle, not under the stand-in's lock: `read` is user code.
    fn read<R>(&self, read: impl FnOnce(&T) -> R) -> R {
        read(&self.load_counted())
    }

    fn load_full(&self) -> Shared<T> {
        self.load_counted()
    }

    fn swap(&self, new: Shared<T>) -> Shared<T> {
        core::mem::replace(
            &mut *self.cell.write().unwrap_or_else(PoisonError::into_inner),
            new,
        )
    }

    /// Nothing to drop: the stand-in keeps nothing of replaced versions.
    fn reclaim(&self) {}

    fn into_inner(self) -> Shared<T> {
        self.cell
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn reader<S: Deref<Target = Self>>(source: S) -> PollingReader<T, S> {
        PollingReader::new(source)
    }

    fn reader_load<S: Deref<Target = Self>>(reader: &mut PollingReader<T, S>) -> &Shared<T> {
        reader.load()
    }
}

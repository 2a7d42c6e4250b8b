//! The default strategy's cell: `arc_swap::ArcSwapAny<Shared<T>>`. It relies on `Shared`'s
//! `arc_swap::RefCnt` impl and its argument, in `src/shared/ref_cnt.rs`.
#![deny(unsafe_code)]

use core::ops::Deref;

use super::SwapCell;
use crate::shared::Shared;

/// The current version of a cell, in an `arc_swap::ArcSwapAny`: lock-free for readers.
pub struct ArcSwapCell<T> {
    cell: arc_swap::ArcSwapAny<Shared<T>>,
}

/// A `Deref` to an `ArcSwapCell`, seen as arc-swap's own cell: the form arc-swap's `Cache`
/// takes.
pub struct Access<S>(S);

impl<T, S: Deref<Target = ArcSwapCell<T>>> Deref for Access<S> {
    type Target = arc_swap::ArcSwapAny<Shared<T>>;

    #[inline]
    fn deref(&self) -> &Self::Target {
        &self.0.cell
    }
}

impl<T> SwapCell<T> for ArcSwapCell<T> {
    /// May hold no count of its own (arc-swap's "debt" fast path).
    type Guard = arc_swap::Guard<Shared<T>>;

    /// arc-swap's `Cache`: it owns a handle to the version it last saw, and `load` compares
    /// that with the cell's current pointer (one relaxed load) and reloads only on a change.
    type Reader<S: Deref<Target = Self>> = arc_swap::cache::Cache<Access<S>, Shared<T>>;

    fn new(value: Shared<T>) -> Self {
        ArcSwapCell {
            cell: arc_swap::ArcSwapAny::new(value),
        }
    }

    #[inline]
    fn load(&self) -> Self::Guard {
        self.cell.load()
    }

    fn guard_into_shared(guard: Self::Guard) -> Shared<T> {
        arc_swap::Guard::into_inner(guard)
    }

    #[inline]
    fn guard_value(guard: &Self::Guard) -> &T {
        guard
    }

    /// Through `load`, which takes no count on arc-swap's fast path. The guard keeps the
    /// version alive however `read` writes to the cell meanwhile: a writer that swaps it out
    /// first pays the guard's debt (takes a count for it).
    #[inline]
    fn read<R>(&self, read: impl FnOnce(&T) -> R) -> R {
        read(&self.cell.load())
    }

    fn load_full(&self) -> Shared<T> {
        self.cell.load_full()
    }

    fn swap(&self, new: Shared<T>) -> Shared<T> {
        self.cell.swap(new)
    }

    /// arc-swap keeps nothing: the handle `swap` returns is the last it gives out.
    #[inline]
    fn reclaim(&self) {}

    fn into_inner(self) -> Shared<T> {
        self.cell.into_inner()
    }

    fn reader<S: Deref<Target = Self>>(source: S) -> Self::Reader<S> {
        arc_swap::cache::Cache::new(Access(source))
    }

    #[inline]
    fn reader_load<S: Deref<Target = Self>>(reader: &mut Self::Reader<S>) -> &Shared<T> {
        reader.load()
    }
}

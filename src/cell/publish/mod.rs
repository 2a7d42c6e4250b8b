//! Publication strategies: how a snapshot cell hands its current version to lock-free readers
//! and gets rid of the versions it replaces.
//!
//! A strategy is a type implementing the sealed trait [`Publish`]; every snapshot collection
//! takes one as its last type parameter (`GenericCowList<T, P>`), and the names users write
//! fix it: [`cowkit::CowList<T>`](crate::CowList) is the list on [`ArcSwapStrategy`], and with
//! the `seize` feature `cowkit::seize::CowList<T>` is the list on `SeizeStrategy`. Enabling a
//! feature only adds a strategy; it never changes which one an existing type uses.
//!
//! The interface every strategy implements is written once, in `SwapCell`; each strategy
//! lives in a file of its own:
//! - `arc_swap.rs`: `arc_swap::ArcSwapAny<Shared<T>>` (the default);
//! - `seize.rs`: a pointer protected by a `seize::Collector` of the cell's own;
//! - `loom.rs`: under `--cfg loom`, a loom stand-in that **every** strategy uses, so that loom
//!   explores cowkit's protocol above the cell (neither arc-swap nor seize supports loom);
//! - `polling.rs`: the cached reader of the strategies whose loads return owned handles.
//!
//! This module is the one place that selects the cell type of each strategy.
// The strategies that need `unsafe` (seize) allow it in their own file; the others deny it.
#![allow(unsafe_code)]

// Every strategy is compiled (type-checked) in every build that has its dependency, also
// where loom's stand-in replaces it.
#[cfg_attr(loom, allow(dead_code))]
mod arc_swap;
#[cfg(loom)]
mod loom;
#[cfg(any(loom, feature = "seize"))]
mod polling;
#[cfg(feature = "seize")]
#[cfg_attr(loom, allow(dead_code))]
mod seize;

/// A publication strategy for the snapshot collections: a type that selects how a cell
/// publishes its current version to readers and reclaims the versions it replaces.
///
/// Sealed: cowkit's own strategies are [`ArcSwapStrategy`] (the default) and, with the
/// `seize` feature, `SeizeStrategy`. Code generic over the strategy takes `P: Publish`:
///
/// ```
/// use cowkit::Publish;
/// use cowkit::list::GenericCowList;
///
/// fn total<P: Publish>(list: &GenericCowList<u64, P>) -> u64 {
///     list.load().iter().sum()
/// }
///
/// let list = cowkit::CowList::from(vec![1, 2, 3]);
/// assert_eq!(total(&list), 6);
/// ```
pub trait Publish: sealed::Sealed + Sized + Send + Sync + 'static {
    /// The swap cell that holds a collection's current version.
    #[doc(hidden)]
    type Cell<T>: SwapCell<T>;
}

/// The default strategy: versions published through an `arc_swap::ArcSwapAny`.
///
/// Reads take no count (arc-swap's per-thread debt slots); a replaced version is freed as soon
/// as its last reader lets go. Every write walks one node per thread that has ever loaded
/// through arc-swap in the process, so a write slows down as such threads accumulate (see the
/// crate docs' "Publication strategies").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ArcSwapStrategy;

/// Versions published through a `seize::Collector` of each cell's own.
///
/// A write costs the same however many threads have ever read. A replaced version is freed
/// later than with [`ArcSwapStrategy`]: once its batch (of 16 retirements per writing thread)
/// is reclaimed, by a later write or the cell's drop. Use it through `cowkit::seize`.
#[cfg(feature = "seize")]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SeizeStrategy;

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::ArcSwapStrategy {}
    #[cfg(feature = "seize")]
    impl Sealed for super::SeizeStrategy {}
}

// The selection, made here once: each strategy's cell, and under loom the stand-in for all.
#[cfg(not(loom))]
impl Publish for ArcSwapStrategy {
    type Cell<T> = self::arc_swap::ArcSwapCell<T>;
}
#[cfg(all(feature = "seize", not(loom)))]
impl Publish for SeizeStrategy {
    type Cell<T> = self::seize::SeizeCell<T>;
}
#[cfg(loom)]
impl Publish for ArcSwapStrategy {
    type Cell<T> = self::loom::LoomCell<T>;
}
#[cfg(all(feature = "seize", loom))]
impl Publish for SeizeStrategy {
    type Cell<T> = self::loom::LoomCell<T>;
}

/// The cell of strategy `P` holding versions of `T`.
pub(crate) type CellOf<T, P> = <P as Publish>::Cell<T>;
/// A short read of a cell of strategy `P`.
pub(crate) type GuardOf<T, P> = <CellOf<T, P> as SwapCell<T>>::Guard;
/// The cached reader of a cell of strategy `P`, reaching its cell through `S`.
pub(crate) type ReaderOf<T, P, S> = <CellOf<T, P> as SwapCell<T>>::Reader<S>;

/// The interface every strategy's cell implements (see [`SwapCell`]).
mod interface {
    use core::ops::Deref;

    use crate::shared::Shared;

    /// The interface of a publication strategy's swap cell: what `CowCell` needs, written once.
    ///
    /// A cell owns one count on its current version. Readers never block; writers are serialized
    /// by the caller (the writers' lock), so `swap` is never called concurrently with itself.
    ///
    /// Not nameable outside cowkit (a public trait in a private module), so that [`Publish`] can
    /// bound its cell by it and stay sealed.
    pub trait SwapCell<T>: Sized {
        /// A short-lived read of the current version. It may hold no count of its own
        /// (arc-swap's debt), so it is for short reads.
        type Guard;

        /// A reader's private cache of the cell's current version, reaching the cell through `S`
        /// (a borrow, or an owned handle of the cell's owner).
        type Reader<S: Deref<Target = Self>>;

        /// A cell whose first version is `value` (the cell takes over its count).
        fn new(value: Shared<T>) -> Self;

        /// The current version, for a short read.
        fn load(&self) -> Self::Guard;

        /// Turns a short read into an owned handle (takes a count if the guard had none).
        fn guard_into_shared(guard: Self::Guard) -> Shared<T>;

        /// The version a short read shows.
        fn guard_value(guard: &Self::Guard) -> &T;

        /// Runs `read` on the current version, taking no count where the strategy can avoid it.
        ///
        /// `read` may be user code (a `Clone`, `PartialEq`, `Hash` or closure), which may write to
        /// this same cell: the version `read` borrows must stay alive through such a write.
        fn read<R>(&self, read: impl FnOnce(&T) -> R) -> R;

        /// The current version as an owned handle (one count increment).
        fn load_full(&self) -> Shared<T>;

        /// Runs `read` on the current version for a writer, which holds the writers' lock.
        ///
        /// By default a short read ([`load`](SwapCell::load)). A strategy may read without a
        /// guard or count: under the lock no `swap` runs, so the current version stays
        /// published, and the cell's own count keeps it alive.
        ///
        /// # Safety
        ///
        /// The caller holds this cell's writers' lock for the whole call.
        #[inline]
        unsafe fn read_locked<R>(&self, read: impl FnOnce(&T) -> R) -> R {
            let current = self.load();
            read(Self::guard_value(&current))
        }

        /// Publishes `new` and returns the version it replaced, with a count of its own for the
        /// caller to drop (after releasing the writers' lock). Called only by one writer at a time.
        fn swap(&self, new: Shared<T>) -> Shared<T>;

        /// Drops what the strategy kept of replaced versions whose time has come. Writers call it
        /// after releasing the writers' lock, so that those `Drop`s run where a write's own do.
        fn reclaim(&self);

        /// The current version, consuming the cell.
        fn into_inner(self) -> Shared<T>;

        /// A cached reader of the cell behind `source`, starting at its current version.
        fn reader<S: Deref<Target = Self>>(source: S) -> Self::Reader<S>;

        /// The current version through `reader`, reloaded only if a writer published since.
        fn reader_load<S: Deref<Target = Self>>(reader: &mut Self::Reader<S>) -> &Shared<T>;
    }
}

pub(crate) use self::interface::SwapCell;

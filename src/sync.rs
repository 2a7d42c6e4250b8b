//! The one import point for atomics, fences, the writers' mutex and the snapshot swap cell.
//!
//! Every other module takes its synchronization primitives from here, never from
//! `core::sync::atomic`, `parking_lot` or `arc_swap` directly, so that one switch changes them
//! all. The normal build uses `core` atomics (no `std` needed, so the core, the string and the
//! buffer work with `alloc` alone), `parking_lot` for the writers' lock and
//! `arc_swap::ArcSwapAny` for the swap cell (both with the `std` feature).
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
//! - the swap cell is a stand-in: a loom `RwLock` around the current `Shared<T>`. arc-swap has
//!   no loom support; its guarantees are that a load returns a whole published value, that a
//!   store (release) happens before any load (acquire) that sees it, and that a loaded value
//!   stays alive while the guard lives. The stand-in gives exactly these, and loom checks our
//!   protocol on top of them (counts, the writers' lock, the hand-off of the replaced version).
//!   What it cannot model: arc-swap's own lock-free internals (its per-thread debt slots), and
//!   it is stronger in one way: a reader's unlock happens before the next writer's lock, an
//!   edge arc-swap does not promise. No cowkit code relies on that edge (the counts order every
//!   free); user code must not either.
//! - the buffer's page pool is off (it is a cache, not part of any protocol): each page is an
//!   arena of its own, one allocation with its count, freed with its last handle.
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

/// The buffer's page pool lock: a plain, non-poisoning mutex. Loom builds have no pool (it is
/// a cache, not part of any protocol), so loom checks the page and node counts alone.
#[cfg(all(feature = "std", not(loom), not(cowkit_unpooled)))]
pub(crate) use parking_lot::Mutex as PoolMutex;

/// The buffer's page pool's policy flag (whether threads cache free pages), read without the
/// pool's lock. Not in loom builds, which have no pool.
#[cfg(all(feature = "std", not(loom), not(cowkit_unpooled)))]
pub(crate) use core::sync::atomic::AtomicBool as PoolFlag;

/// The writers' mutex: serializes the writers of one snapshot cell.
///
/// It guards no data of its own (the data lives in the swap cell), only the right to write.
/// It does not poison, so a panicking writer leaves the lock usable for the next one.
///
/// A writer that calls back into the same cell from inside its own write (a closure given to
/// `update`, or a `Clone` or `Drop` run under the lock) would wait for itself forever with a
/// plain mutex. The lock therefore knows which thread holds it: a second entry from that thread
/// panics with [`REENTRANT_WRITE`] instead of deadlocking. The panic unwinds through the outer
/// write, which then publishes nothing and releases the lock.
///
/// - Normal builds: parking_lot's `ReentrantMutex`, which lets the owning thread in again,
///   around a flag that says a write is in progress; the second entry sees the flag.
/// - Loom builds: a flag under a loom `Mutex` with a `Condvar` for waiting writers, and a loom
///   thread-local list of the writer locks the current loom thread holds; the second entry
///   finds its lock in the list before it blocks.
#[cfg(feature = "std")]
pub(crate) mod writer {
    /// The message of the panic raised by a write from inside a write to the same cell.
    pub(crate) const REENTRANT_WRITE: &str = "cowkit: a write to a collection from inside \
        its own write (an `update` closure, or a `Clone` or `Drop` it runs) would deadlock; \
        make the second change inside the same closure, or after it returns";

    #[cfg(loom)]
    pub(crate) use self::model::WriterLock;
    #[cfg(not(loom))]
    pub(crate) use self::parking::WriterLock;

    /// The normal build's lock.
    #[cfg(not(loom))]
    mod parking {
        use core::cell::Cell;

        use super::REENTRANT_WRITE;

        /// A mutex that guards the right to publish a new snapshot.
        pub(crate) struct WriterLock {
            /// `true` while a writer holds the lock; only the owning thread reads or writes it.
            lock: parking_lot::ReentrantMutex<Cell<bool>>,
        }

        /// Held while one writer copies, changes and publishes; dropping it lets the next in.
        pub(crate) struct WriterGuard<'a> {
            guard: parking_lot::ReentrantMutexGuard<'a, Cell<bool>>,
        }

        impl WriterLock {
            /// An unlocked lock.
            pub(crate) fn new() -> Self {
                WriterLock {
                    lock: parking_lot::ReentrantMutex::new(Cell::new(false)),
                }
            }

            /// Blocks until no other writer holds the lock.
            ///
            /// # Panics
            ///
            /// With `REENTRANT_WRITE` when this thread already holds it.
            pub(crate) fn lock(&self) -> WriterGuard<'_> {
                let guard = self.lock.lock();
                if guard.replace(true) {
                    // The outer write on this thread still holds the lock and its flag; this
                    // guard is dropped by the unwind without touching the flag.
                    drop(guard);
                    panic!("{REENTRANT_WRITE}");
                }
                WriterGuard { guard }
            }
        }

        impl Drop for WriterGuard<'_> {
            fn drop(&mut self) {
                self.guard.set(false);
            }
        }
    }

    /// The loom build's lock: the same API and behaviour, with the owner known per loom thread.
    ///
    /// It is a flag under a loom `Mutex`, with a `Condvar` for waiting writers, rather than a
    /// loom `Mutex` held for the whole write: a loom mutex cannot be taken again once a guard
    /// of it was dropped by a panic (loom unwraps the poison), and a writer's closure may panic.
    /// Here no panic can happen while the inner mutex is held, so a panicking write releases
    /// the lock as parking_lot's does. Acquiring the flag synchronizes with its last release
    /// through the inner mutex, as a mutex's lock synchronizes with its unlock.
    #[cfg(loom)]
    mod model {
        use alloc::vec::Vec;
        use core::cell::RefCell;

        use super::REENTRANT_WRITE;

        loom::thread_local! {
            /// The writer locks (by address) that the current loom thread holds.
            static HELD: RefCell<Vec<usize>> = RefCell::new(Vec::new());
        }

        /// A mutex that guards the right to publish a new snapshot.
        pub(crate) struct WriterLock {
            /// `true` while a writer holds the lock.
            held: loom::sync::Mutex<bool>,
            /// Wakes a writer waiting for `held` to fall.
            freed: loom::sync::Condvar,
        }

        /// Held while one writer copies, changes and publishes; dropping it lets the next in.
        pub(crate) struct WriterGuard<'a> {
            lock: &'a WriterLock,
            /// The lock's address in `HELD`.
            key: usize,
        }

        impl WriterLock {
            /// An unlocked lock.
            pub(crate) fn new() -> Self {
                WriterLock {
                    held: loom::sync::Mutex::new(false),
                    freed: loom::sync::Condvar::new(),
                }
            }

            /// Blocks until no other writer holds the lock.
            ///
            /// # Panics
            ///
            /// With `REENTRANT_WRITE` when this loom thread already holds it.
            pub(crate) fn lock(&self) -> WriterGuard<'_> {
                // The address identifies the lock while it lives, and a guard borrows the lock,
                // so no other lock can take this address while the key is in `HELD`.
                let key = core::ptr::from_ref(self) as usize;
                if HELD.with(|held| held.borrow().contains(&key)) {
                    panic!("{REENTRANT_WRITE}");
                }
                // Never poisoned: nothing panics while the inner mutex is held.
                let mut held = self.held.lock().unwrap();
                while *held {
                    held = self.freed.wait(held).unwrap();
                }
                *held = true;
                drop(held);
                HELD.with(|held| held.borrow_mut().push(key));
                WriterGuard { lock: self, key }
            }
        }

        impl Drop for WriterGuard<'_> {
            fn drop(&mut self) {
                HELD.with(|held| held.borrow_mut().retain(|&key| key != self.key));
                // Taken and released within this drop: a drop run by an unwind takes it while
                // already panicking, which does not poison it.
                *self.lock.held.lock().unwrap() = false;
                self.lock.freed.notify_one();
            }
        }
    }
}

/// The snapshot swap cell: holds the current `Shared<T>`; readers load it without locking,
/// a writer swaps in a new one.
///
/// One interface, three backends (exactly one is compiled):
/// - [`arc_swap_cell`]: the default, `arc_swap::ArcSwapAny<Shared<T>>`;
/// - [`seize_cell`]: with the `seize` feature, a pointer protected by a `seize::Collector`,
///   for writes whose cost does not grow with the number of threads that ever read;
/// - [`loom_cell`]: under `--cfg loom`, a loom `RwLock` stand-in (see the module docs).
#[cfg(feature = "std")]
pub(crate) mod swap {
    use crate::Shared;

    #[cfg(all(not(loom), not(feature = "seize")))]
    pub(crate) use self::arc_swap_cell::{SwapCell, SwapGuard, SwapReader, guard_into_shared};
    #[cfg(loom)]
    pub(crate) use self::loom_cell::{SwapCell, SwapGuard, guard_into_shared};
    #[cfg(any(loom, feature = "seize"))]
    pub(crate) use self::polling::SwapReader;
    #[cfg(all(not(loom), feature = "seize"))]
    pub(crate) use self::seize_cell::{SwapCell, SwapGuard, guard_into_shared};

    /// A way to reach one swap cell: a borrow of it, or an owned handle of its owner (an
    /// `Arc` of a collection), so that a reader can borrow its cell or own it.
    pub(crate) trait CellSource {
        /// The type of the cell's value.
        type Value;
        /// The cell.
        fn swap_cell(&self) -> &SwapCell<Self::Value>;
    }

    impl<T> CellSource for &SwapCell<T> {
        type Value = T;

        #[inline]
        fn swap_cell(&self) -> &SwapCell<T> {
            self
        }
    }

    /// The default backend: arc-swap.
    #[cfg(all(not(loom), not(feature = "seize")))]
    mod arc_swap_cell {
        use super::CellSource;
        use crate::Shared;

        /// The current snapshot of a cell: an `arc_swap::ArcSwapAny<Shared<T>>`, lock-free for
        /// readers.
        pub(crate) struct SwapCell<T> {
            cell: arc_swap::ArcSwapAny<Shared<T>>,
        }

        /// A short-lived read of the current snapshot; derefs to the `Shared<T>` it protects.
        ///
        /// It may not hold a reference count of its own (arc-swap's "debt" fast path), which is
        /// why it is meant for short reads; `load_full` gives an owned handle.
        pub(crate) type SwapGuard<T> = arc_swap::Guard<Shared<T>>;

        impl<T> SwapCell<T> {
            /// A cell whose first snapshot is `value`.
            pub(crate) fn new(value: Shared<T>) -> Self {
                SwapCell {
                    cell: arc_swap::ArcSwapAny::new(value),
                }
            }

            /// The current snapshot, for a short read.
            #[inline]
            pub(crate) fn load(&self) -> SwapGuard<T> {
                self.cell.load()
            }

            /// Runs `read` on the current snapshot (through `load`, which takes no count on
            /// arc-swap's fast path).
            #[inline]
            pub(crate) fn read<R>(&self, read: impl FnOnce(&T) -> R) -> R {
                read(&self.cell.load())
            }

            /// The current snapshot as an owned handle (one count increment).
            pub(crate) fn load_full(&self) -> Shared<T> {
                self.cell.load_full()
            }

            /// Publishes `new` and returns the snapshot it replaced.
            ///
            /// Readers that loaded the old snapshot keep it alive; the caller decides where the
            /// returned handle is dropped (after releasing the writers' lock).
            pub(crate) fn swap(&self, new: Shared<T>) -> Shared<T> {
                self.cell.swap(new)
            }

            /// Drops what the backend keeps of replaced versions. arc-swap keeps nothing: the
            /// handle `swap` returns is the last it gives out.
            #[inline]
            pub(crate) fn drop_retired(&self) {}

            /// The current snapshot, consuming the cell.
            pub(crate) fn into_inner(self) -> Shared<T> {
                self.cell.into_inner()
            }
        }

        /// Turns a short read into an owned handle (takes a count if the guard had none).
        pub(crate) fn guard_into_shared<T>(guard: SwapGuard<T>) -> Shared<T> {
            arc_swap::Guard::into_inner(guard)
        }

        /// A `CellSource` seen as arc-swap's cell, the form arc-swap's `Cache` takes.
        struct Access<C>(C);

        impl<C: CellSource> core::ops::Deref for Access<C> {
            type Target = arc_swap::ArcSwapAny<Shared<C::Value>>;

            #[inline]
            fn deref(&self) -> &Self::Target {
                &self.0.swap_cell().cell
            }
        }

        /// A reader's private cache of one cell's current snapshot, for hot read loops:
        /// arc-swap's `Cache`. It owns a handle to the snapshot it last saw; `load` compares
        /// that with the cell's current pointer and reloads only when a writer has published
        /// since. It reaches its cell through `C`: a borrow, or an owned handle of its owner.
        pub(crate) struct SwapReader<C: CellSource> {
            cache: arc_swap::cache::Cache<Access<C>, Shared<C::Value>>,
        }

        impl<C: CellSource> SwapReader<C> {
            /// A reader of the cell `source` leads to, starting at its current snapshot.
            pub(crate) fn new(source: C) -> Self {
                SwapReader {
                    cache: arc_swap::cache::Cache::new(Access(source)),
                }
            }

            /// The current snapshot, reloaded only if it changed since the last call.
            #[inline]
            pub(crate) fn load(&mut self) -> &Shared<C::Value> {
                self.cache.load()
            }
        }
    }

    /// The `seize` backend: the current version is a raw `Shared<T>` pointer in an `AtomicPtr`,
    /// read under a guard of the cell's own `seize::Collector`.
    ///
    /// Why: every arc-swap store walks one node per thread that ever loaded through arc-swap in
    /// the process, so a write slows down with every thread alive (the collections bench's
    /// write-scaling report). seize instead batches the versions a cell gives up and checks
    /// the other threads once per batch, skipping the inactive ones, so a write costs the same
    /// with 1,000 idle threads as with none.
    ///
    /// The protocol:
    /// - The cell owns one count on the published version (the pointer came from
    ///   `Shared::into_raw`).
    /// - A reader enters the collector, loads the pointer (`protect`), takes its own count and
    ///   leaves: a `load` or `snapshot` is always a counted `Shared<T>` (so a `Snapshot` stays
    ///   `Send` and `Sync` as with arc-swap, and never holds a guard).
    /// - A writer (under the writers' lock) swaps in the new pointer, takes a count on the old
    ///   version for its caller, and retires the cell's count on it to the collector. seize
    ///   runs the reclaimer only once every reader that was inside a guard when the version
    ///   was retired has left, so no reader can be between its `protect` and its count
    ///   increment on a version whose cell count is gone.
    /// - The reclaimer (`release`) drops the cell's count. It runs inside another reader's
    ///   `leave` or another write's retire, where user code must not run (a `Drop` could panic
    ///   through seize or write back to the cell), so when that count was the last it moves
    ///   the value into the cell's `graves` instead of dropping it. The graves are emptied
    ///   (values dropped) by the next writer after it releases the writers' lock, and when
    ///   the cell drops.
    /// - Each cell has its own collector (as seize recommends, one per data structure), so a
    ///   cell that is not `Sync` is only ever entered, and its versions only reclaimed, on its
    ///   own thread.
    ///
    /// The cost, in memory: up to [`BATCH`] replaced versions per writing thread stay alive
    /// until their batch is reclaimed, where arc-swap frees each as soon as its last reader
    /// lets go.
    #[cfg(all(not(loom), feature = "seize"))]
    mod seize_cell {
        use core::marker::PhantomData;
        use core::mem::ManuallyDrop;
        use core::ptr;
        use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
        use std::boxed::Box;
        use std::vec::Vec;

        use seize::{Collector, Guard};

        use crate::Shared;

        /// Versions a cell gives up before seize checks the other threads for them: the
        /// write-scaling report's trade of memory for the walk (seize's own default).
        pub(super) const BATCH: usize = 16;

        /// Values whose last count a reclaimer released, waiting to be dropped where user code
        /// may run.
        struct Graves<T> {
            /// Set after a value is buried, so that a write with nothing to drop (most of
            /// them: a batch is reclaimed once per `BATCH` retirements) costs one load, not a
            /// lock round trip.
            pending: AtomicBool,
            values: parking_lot::Mutex<Vec<T>>,
        }

        impl<T> Graves<T> {
            fn new() -> Self {
                Graves {
                    pending: AtomicBool::new(false),
                    values: parking_lot::Mutex::new(Vec::new()),
                }
            }

            /// Keeps `value` until the next `exhume`.
            fn bury(&self, value: T) {
                self.values.lock().push(value);
                // Release: a writer that sees the flag (Acquire) finds the value under the
                // lock; one that misses it finds it at a later write or the cell's drop.
                self.pending.store(true, Ordering::Release);
            }

            /// The values buried so far (none without touching the lock when none were).
            fn exhume(&self) -> Vec<T> {
                if !self.pending.load(Ordering::Acquire) {
                    return Vec::new();
                }
                // Cleared before the take: a value buried in between is taken now, and its
                // flag, set again, costs one extra (empty) take later; none is missed.
                self.pending.store(false, Ordering::Relaxed);
                core::mem::take(&mut *self.values.lock())
            }
        }

        /// One version a cell gave up, on its way through the collector.
        struct Retired<T> {
            /// The cell's count on the version: a pointer from `Shared::into_raw`.
            version: *const T,
            /// The cell's graves, where the value goes when that count was its last.
            graves: *const Graves<T>,
        }

        /// The current snapshot of a cell.
        pub(crate) struct SwapCell<T> {
            /// The published version: a pointer from `Shared::into_raw` that owns the cell's
            /// count on it. Null only after `into_inner`.
            current: AtomicPtr<T>,
            /// This cell's reclaimer. Declared before `graves`: its drop reclaims every
            /// retirement still pending, into the graves.
            collector: Collector,
            /// Boxed, because retirements point at it and the cell may move.
            graves: Box<Graves<T>>,
            /// The cell shares `Shared<T>` handles between threads: it is `Send` and `Sync`
            /// exactly when `Shared<T>` is (`AtomicPtr` alone would always be).
            _shares: PhantomData<Shared<T>>,
        }

        /// A read of the current snapshot: an owned handle (one count).
        pub(crate) type SwapGuard<T> = Shared<T>;

        impl<T> SwapCell<T> {
            /// A cell whose first snapshot is `value`.
            pub(crate) fn new(value: Shared<T>) -> Self {
                SwapCell {
                    current: AtomicPtr::new(Shared::into_raw(value).cast_mut()),
                    collector: Collector::new().batch_size(BATCH),
                    graves: Box::new(Graves::new()),
                    _shares: PhantomData,
                }
            }

            /// The current snapshot (an owned handle: one count increment).
            #[inline]
            pub(crate) fn load(&self) -> SwapGuard<T> {
                self.load_full()
            }

            /// The current snapshot as an owned handle (one count increment).
            pub(crate) fn load_full(&self) -> Shared<T> {
                let guard = self.collector.enter();
                let version = guard.protect(&self.current, Ordering::Acquire);
                // SAFETY: `version` is the published pointer, from `Shared::into_raw`, and the
                // value is alive with a count of at least 1: the cell's count on it is released
                // only by the reclaimer of its retirement, which seize runs only after every
                // thread inside a guard at the retirement (this one, if the version was
                // swapped out since our `protect`) has left. The handle is never dropped
                // (`ManuallyDrop`): it only lends the value to `clone`, which takes our count.
                let version = ManuallyDrop::new(unsafe { Shared::from_raw(version) });
                let mine = Shared::clone(&version);
                drop(guard);
                mine
            }

            /// Runs `read` on the current version under a guard, without taking a count.
            #[inline]
            pub(crate) fn read<R>(&self, read: impl FnOnce(&T) -> R) -> R {
                let guard = self.collector.enter();
                let version = guard.protect(&self.current, Ordering::Acquire);
                // SAFETY: as in `load_full`: the version is alive while this guard is held, and
                // nothing mutates a published version. The borrow cannot outlive the guard:
                // `R` is chosen before the borrow's lifetime, so it cannot hold it.
                let result = read(unsafe { &*version });
                drop(guard);
                result
            }

            /// The published pointer, to compare with a handle already held; never
            /// dereferenced.
            #[inline]
            pub(crate) fn current_ptr(&self) -> *const T {
                self.current.load(Ordering::Relaxed)
            }

            /// Publishes `new` and returns the snapshot it replaced (a count of its own).
            ///
            /// The cell's count on the replaced version goes to the collector; see the module
            /// docs. The caller drops the returned handle, and then calls `drop_retired`,
            /// after releasing the writers' lock.
            pub(crate) fn swap(&self, new: Shared<T>) -> Shared<T> {
                let old = self
                    .current
                    .swap(Shared::into_raw(new).cast_mut(), Ordering::AcqRel);
                // SAFETY: `old` was the published pointer, from `Shared::into_raw`, carrying
                // the cell's count, which is still held (it is retired below, not dropped): the
                // value is alive. The handle only lends it to `clone`, the caller's count.
                let replaced = Shared::clone(&ManuallyDrop::new(unsafe { Shared::from_raw(old) }));
                let retired = Box::into_raw(Box::new(Retired {
                    version: old.cast_const(),
                    graves: ptr::from_ref(&*self.graves),
                }));
                // SAFETY: seize's `retire` contract:
                // - "no longer accessible to any thread that enters after": the retirement
                //   stands for `old`, which readers reach only through `current`, and the swap
                //   above took it out of `current` before this call (readers load `current`
                //   with seize's `protect` ordering, which pairs with the collector's
                //   barriers); the `Retired` box itself is never shared.
                // - "not accessed by the current thread after": this function returns the
                //   caller's own count (`replaced`), not the retired one, and never touches
                //   `retired` again.
                // - "valid to pass to the reclaimer": `release::<T>` takes `retired` back as
                //   the `Box` it is, once (seize runs each reclaimer once), and releases the
                //   cell's count exactly once; `graves` is alive whenever a reclaimer of this
                //   collector runs (the collector is dropped, reclaiming every pending
                //   retirement, before the graves: field order).
                unsafe { self.collector.retire(retired, release::<T>) };
                replaced
            }

            /// Drops the values that reclaimers left in the graves. Called by writers after
            /// releasing the writers' lock, so that those `Drop`s run where a write's own do.
            pub(crate) fn drop_retired(&self) {
                drop(self.graves.exhume());
            }

            /// The current snapshot, consuming the cell.
            pub(crate) fn into_inner(mut self) -> Shared<T> {
                let version = core::mem::replace(self.current.get_mut(), ptr::null_mut());
                // SAFETY: the published pointer and the cell's count, taken out of the cell
                // (which now holds null, so its drop does not release the count again). The
                // cell is owned, so no thread is inside a read of it.
                unsafe { Shared::from_raw(version) }
            }
        }

        impl<T> Drop for SwapCell<T> {
            fn drop(&mut self) {
                let version = *self.current.get_mut();
                if !version.is_null() {
                    // SAFETY: the published pointer and the cell's count, released once. With
                    // `&mut self` no thread is inside a read of the cell (reads borrow it and
                    // leave their guard before returning), so no reader can be between its
                    // `protect` and its count increment.
                    drop(unsafe { Shared::from_raw(version) });
                }
                // Then the fields: the collector reclaims every pending retirement into the
                // graves, and the graves drop their values.
            }
        }

        /// Turns a read into an owned handle: it already is one.
        pub(crate) fn guard_into_shared<T>(guard: SwapGuard<T>) -> Shared<T> {
            guard
        }

        /// The reclaimer of a retired version: releases the cell's count on it. When that was
        /// the last count, the value goes into the cell's graves rather than being dropped
        /// here (see the module docs).
        ///
        /// # Safety
        ///
        /// `retired` came from `Box::into_raw` in `swap`, is passed once, and its cell's
        /// graves are alive (seize's contract for a reclaimer, and `swap`'s SAFETY comment).
        unsafe fn release<T>(retired: *mut Retired<T>, _collector: &Collector) {
            // SAFETY: the function's contract: a `Box` from `swap`, taken back once.
            let retired = unsafe { Box::from_raw(retired) };
            // SAFETY: `version` came from `Shared::into_raw` and carries the cell's count,
            // released here and nowhere else.
            let version = unsafe { Shared::from_raw(retired.version) };
            if let Some(value) = Shared::into_inner(version) {
                // SAFETY: the graves outlive every reclaimer of the collector (contract).
                let graves = unsafe { &*retired.graves };
                graves.bury(value);
            }
        }
    }

    /// The loom backend: a loom `RwLock<Shared<T>>` stand-in (see the module docs for what it
    /// models).
    #[cfg(loom)]
    mod loom_cell {
        use std::sync::PoisonError;

        use crate::Shared;

        /// The current snapshot of a cell.
        pub(crate) struct SwapCell<T> {
            cell: loom::sync::RwLock<Shared<T>>,
        }

        /// A read of the current snapshot: an owned handle.
        pub(crate) type SwapGuard<T> = Shared<T>;

        // Nothing panics while the stand-in's lock is held (a clone of `Shared` or a pointer
        // swap), so it is never poisoned in fact; taking it through a poison is for robustness.
        impl<T> SwapCell<T> {
            /// A cell whose first snapshot is `value`.
            pub(crate) fn new(value: Shared<T>) -> Self {
                SwapCell {
                    cell: loom::sync::RwLock::new(value),
                }
            }

            /// The current snapshot.
            pub(crate) fn load(&self) -> SwapGuard<T> {
                self.load_full()
            }

            /// The current snapshot as an owned handle (one count increment).
            pub(crate) fn load_full(&self) -> Shared<T> {
                // The read lock stands for arc-swap's acquire load; the clone is one increment
                // (no user code runs under the lock).
                Shared::clone(&self.cell.read().unwrap_or_else(PoisonError::into_inner))
            }

            /// Runs `read` on an owned handle to the current snapshot (not under the stand-in's
            /// lock: `read` is user code).
            pub(crate) fn read<R>(&self, read: impl FnOnce(&T) -> R) -> R {
                read(&self.load_full())
            }

            /// The published pointer, to compare with a handle already held.
            pub(crate) fn current_ptr(&self) -> *const T {
                Shared::as_ptr(&self.cell.read().unwrap_or_else(PoisonError::into_inner))
            }

            /// Publishes `new` and returns the snapshot it replaced.
            pub(crate) fn swap(&self, new: Shared<T>) -> Shared<T> {
                core::mem::replace(
                    &mut *self.cell.write().unwrap_or_else(PoisonError::into_inner),
                    new,
                )
            }

            /// Nothing to drop: the stand-in keeps nothing of replaced versions.
            pub(crate) fn drop_retired(&self) {}

            /// The current snapshot, consuming the cell.
            pub(crate) fn into_inner(self) -> Shared<T> {
                self.cell
                    .into_inner()
                    .unwrap_or_else(PoisonError::into_inner)
            }
        }

        /// Turns a read into an owned handle: it already is one.
        pub(crate) fn guard_into_shared<T>(guard: SwapGuard<T>) -> Shared<T> {
            guard
        }
    }

    /// The reader of the backends whose loads return owned handles (seize, loom): it keeps
    /// the version it last loaded and reloads when the cell's pointer differs from it. The
    /// kept version is alive (it holds a count), so its address cannot be reused by a newer
    /// version: an equal pointer is the same version.
    #[cfg(any(loom, feature = "seize"))]
    mod polling {
        use super::CellSource;
        use crate::Shared;

        /// A reader's private cache of one cell's current snapshot, for hot read loops.
        pub(crate) struct SwapReader<C: CellSource> {
            source: C,
            cached: Shared<C::Value>,
        }

        impl<C: CellSource> SwapReader<C> {
            /// A reader of the cell `source` leads to, starting at its current snapshot.
            pub(crate) fn new(source: C) -> Self {
                SwapReader {
                    cached: source.swap_cell().load_full(),
                    source,
                }
            }

            /// The current snapshot, reloaded only if it changed since the last call. The
            /// version it replaces is dropped here, outside any lock.
            #[inline]
            pub(crate) fn load(&mut self) -> &Shared<C::Value> {
                let cell = self.source.swap_cell();
                if cell.current_ptr() != Shared::as_ptr(&self.cached) {
                    self.cached = cell.load_full();
                }
                &self.cached
            }
        }
    }

    // SAFETY: `arc_swap::RefCnt`'s contract (arc-swap 1.9's src/ref_cnt.rs), point by point:
    // - `into_ptr` and `as_ptr` return the same non-null pointer for one handle, and it stays
    //   put when the handle is moved or cloned: both are `Shared::as_ptr`, the address of the
    //   value inside its own allocation (so two equal pointers are one value, ZSTs included:
    //   the value sits after the count, in a separate allocation per `Shared::new`).
    // - Counting: `clone` and `drop` move `Shared`'s one atomic count, which frees at zero only.
    // - `from_ptr` is not a one-to-one inverse of `into_ptr`. arc-swap also rebuilds handles,
    //   inside `ManuallyDrop`, from pointers it holds no count for: a reader's guard protected
    //   by a "debt" (a per-thread slot promising a count not yet taken). `Shared::from_raw`
    //   only offsets the pointer back to its allocation and reads and writes nothing, so it is
    //   sound on such a pointer while the value is alive and as long as that handle is not
    //   dropped without a count behind it. arc-swap keeps both: a debt-protected handle is
    //   dropped only after the debt was paid (a writer took a count for it), and before a
    //   pointer leaves the cell (swap, into_inner, the cell's drop) the writer pays every debt
    //   on it (`wait_for_readers`), so the count cannot reach zero under an unpaid debt (see
    //   `RefCount::decrement` for why a count of 1 is then ours alone).
    // - No panics: `clone` (arc-swap's `inc`) never unwinds: past `isize::MAX` counts it
    //   aborts. That is the case arc-swap 1.9.2 guards against (a panicking `inc` inside
    //   `Guard::into_inner` double-decrements); Cargo.toml requires 1.9.2 or later. `drop`
    //   (arc-swap's `dec`) unwinds only when it releases the last count and `T::drop` panics,
    //   exactly as `Arc<T>`, which arc-swap implements the trait for itself, does. Where
    //   arc-swap can release a last count (the cell's drop, a guard's drop, a `Cache` reload,
    //   a reader's slow-path load whose debt a writer paid after the writer's caller dropped
    //   the replaced version), such an unwind ends the operation without freeing anything
    //   early; at worst the slow-path load leaks its count on the newer version.
    unsafe impl<T> arc_swap::RefCnt for Shared<T> {
        type Base = T;

        fn into_ptr(me: Self) -> *mut T {
            Shared::into_raw(me).cast_mut()
        }

        fn as_ptr(me: &Self) -> *mut T {
            Shared::as_ptr(me).cast_mut()
        }

        unsafe fn from_ptr(ptr: *const T) -> Self {
            // SAFETY: `ptr` came from `into_ptr` (a `Shared::into_raw`) of a value that is
            // alive: either arc-swap owns a count it took for it, or it holds a debt on it,
            // under which the value stays alive and the handle made here is kept in a
            // `ManuallyDrop` until the debt is paid (see the impl's SAFETY comment).
            // `from_raw` touches no count, so neither case counts twice.
            unsafe { Shared::from_raw(ptr) }
        }
    }
}

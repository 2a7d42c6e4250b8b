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
//! - the buffer's page pool is off (it is a cache, not part of any protocol).
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
#[cfg(all(feature = "std", not(loom)))]
pub(crate) use parking_lot::Mutex as PoolMutex;

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
#[cfg(feature = "std")]
pub(crate) mod swap {
    use crate::Shared;

    /// The current snapshot of a cell.
    ///
    /// Normal builds: an `arc_swap::ArcSwapAny<Shared<T>>`, lock-free for readers.
    /// Loom builds: a loom `RwLock<Shared<T>>` (see the module docs for what it models).
    pub(crate) struct SwapCell<T> {
        #[cfg(not(loom))]
        cell: arc_swap::ArcSwapAny<Shared<T>>,
        #[cfg(loom)]
        cell: loom::sync::RwLock<Shared<T>>,
    }

    /// A short-lived read of the current snapshot; derefs to the `Shared<T>` it protects.
    ///
    /// With arc-swap it may not hold a reference count of its own (arc-swap's "debt" fast
    /// path), which is why it is meant for short reads; `load_full` gives an owned handle.
    #[cfg(not(loom))]
    pub(crate) type SwapGuard<T> = arc_swap::Guard<Shared<T>>;
    /// A short-lived read of the current snapshot; in loom builds it is an owned handle.
    #[cfg(loom)]
    pub(crate) type SwapGuard<T> = Shared<T>;

    impl<T> SwapCell<T> {
        /// A cell whose first snapshot is `value`.
        pub(crate) fn new(value: Shared<T>) -> Self {
            #[cfg(not(loom))]
            let cell = arc_swap::ArcSwapAny::new(value);
            #[cfg(loom)]
            let cell = loom::sync::RwLock::new(value);
            SwapCell { cell }
        }

        /// The current snapshot, for a short read.
        pub(crate) fn load(&self) -> SwapGuard<T> {
            #[cfg(not(loom))]
            return self.cell.load();
            #[cfg(loom)]
            return self.load_full();
        }

        /// The current snapshot as an owned handle (one count increment).
        pub(crate) fn load_full(&self) -> Shared<T> {
            #[cfg(not(loom))]
            return self.cell.load_full();
            // The read lock stands for arc-swap's acquire load; the clone is one increment
            // (no user code runs under the lock).
            #[cfg(loom)]
            return Shared::clone(&self.cell.read().unwrap_or_else(PoisonError::into_inner));
        }

        /// Publishes `new` and returns the snapshot it replaced.
        ///
        /// Readers that loaded the old snapshot keep it alive; the caller decides where the
        /// returned handle is dropped (after releasing the writers' lock).
        pub(crate) fn swap(&self, new: Shared<T>) -> Shared<T> {
            #[cfg(not(loom))]
            return self.cell.swap(new);
            #[cfg(loom)]
            return core::mem::replace(
                &mut *self.cell.write().unwrap_or_else(PoisonError::into_inner),
                new,
            );
        }

        /// The current snapshot, consuming the cell.
        pub(crate) fn into_inner(self) -> Shared<T> {
            #[cfg(not(loom))]
            return self.cell.into_inner();
            #[cfg(loom)]
            return self
                .cell
                .into_inner()
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    // Nothing panics while the stand-in's lock is held (a clone of `Shared` or a pointer
    // swap), so it is never poisoned in fact; taking it through a poison is for robustness.
    #[cfg(loom)]
    use std::sync::PoisonError;

    /// Turns a short read into an owned handle (takes a count if the guard had none).
    pub(crate) fn guard_into_shared<T>(guard: SwapGuard<T>) -> Shared<T> {
        #[cfg(not(loom))]
        return arc_swap::Guard::into_inner(guard);
        #[cfg(loom)]
        return guard;
    }

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

        fn swap_cell(&self) -> &SwapCell<T> {
            self
        }
    }

    /// A `CellSource` seen as arc-swap's cell, the form arc-swap's `Cache` takes.
    #[cfg(not(loom))]
    struct Access<C>(C);

    #[cfg(not(loom))]
    impl<C: CellSource> core::ops::Deref for Access<C> {
        type Target = arc_swap::ArcSwapAny<Shared<C::Value>>;

        #[inline]
        fn deref(&self) -> &Self::Target {
            &self.0.swap_cell().cell
        }
    }

    /// A reader's private cache of one cell's current snapshot, for hot read loops.
    ///
    /// It owns a handle to the snapshot it last saw; `load` compares that with the cell's
    /// current pointer and reloads only when a writer has published since. It reaches its cell
    /// through `C`: a borrow, or an owned handle of the cell's owner.
    /// Normal builds: arc-swap's `Cache`. Loom builds: the same compare-and-reload over the
    /// stand-in cell (the version it replaces is dropped outside the stand-in's lock, as
    /// `Cache` drops it outside any lock).
    pub(crate) struct SwapReader<C: CellSource> {
        #[cfg(not(loom))]
        cache: arc_swap::cache::Cache<Access<C>, Shared<C::Value>>,
        #[cfg(loom)]
        source: C,
        #[cfg(loom)]
        cached: Shared<C::Value>,
    }

    impl<C: CellSource> SwapReader<C> {
        /// A reader of the cell `source` leads to, starting at its current snapshot.
        pub(crate) fn new(source: C) -> Self {
            #[cfg(not(loom))]
            return SwapReader {
                cache: arc_swap::cache::Cache::new(Access(source)),
            };
            #[cfg(loom)]
            return SwapReader {
                cached: source.swap_cell().load_full(),
                source,
            };
        }

        /// The current snapshot, reloaded only if it changed since the last call.
        #[inline]
        pub(crate) fn load(&mut self) -> &Shared<C::Value> {
            #[cfg(not(loom))]
            return self.cache.load();
            #[cfg(loom)]
            {
                let fresh = {
                    let current = self
                        .source
                        .swap_cell()
                        .cell
                        .read()
                        .unwrap_or_else(PoisonError::into_inner);
                    (!Shared::ptr_eq(&current, &self.cached)).then(|| Shared::clone(&current))
                };
                if let Some(fresh) = fresh {
                    // The version replaced drops here, with no lock held.
                    self.cached = fresh;
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

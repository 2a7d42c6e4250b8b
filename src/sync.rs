//! The one import point for atomics, fences, the writers' mutex and the snapshot swap cell.
//!
//! Every other module takes its synchronization primitives from here, never from
//! `core::sync::atomic`, `parking_lot` or `arc_swap` directly. Under `cfg(all(test, loom))` the
//! same names are loom's model-checked types, and the swap cell becomes a loom-visible stand-in
//! (a loom `Mutex` around the current [`Shared<T>`]) behind the same small API, so that loom
//! checks our own protocol: the reference counts, the writers' lock and the snapshot hand-off.
//!
//! The normal build uses `core` atomics (no `std` needed, so the core, the string and the buffer
//! work with `alloc` alone), `parking_lot::Mutex` for writers and `arc_swap::ArcSwapAny` for the
//! swap cell (both with the `std` feature).

#[cfg(not(all(test, loom)))]
pub(crate) use core::sync::atomic::{AtomicUsize, Ordering, fence};
#[cfg(all(test, loom))]
pub(crate) use loom::sync::atomic::{AtomicUsize, Ordering, fence};

/// The buffer's page pool lock: a plain, non-poisoning mutex. Loom builds have no pool (it is
/// a cache, not part of any protocol), so loom checks the page and node counts alone.
#[cfg(all(feature = "std", not(all(test, loom))))]
pub(crate) use parking_lot::Mutex as PoolMutex;

/// The writers' mutex: serializes the writers of one snapshot cell.
///
/// It guards no data of its own (the data lives in the swap cell), only the right to write.
/// parking_lot's mutexes do not poison, so a panicking writer leaves the lock usable for the
/// next one.
///
/// A writer that calls back into the same cell from inside its own write (a closure given to
/// `update`, or a `Clone` or `Drop` run under the lock) would wait for itself forever with a
/// plain mutex. The lock is therefore parking_lot's `ReentrantMutex`, which lets the owning
/// thread in again, around a flag that says a write is in progress: the second entry sees the
/// flag and panics with [`REENTRANT_WRITE`] instead of deadlocking. The panic unwinds through
/// the outer write, which then publishes nothing and releases the lock.
#[cfg(feature = "std")]
pub(crate) mod writer {
    #[cfg(not(all(test, loom)))]
    use core::cell::Cell;

    /// The message of the panic raised by a write from inside a write to the same cell.
    #[cfg(not(all(test, loom)))]
    pub(crate) const REENTRANT_WRITE: &str = "cowkit: a write to a collection from inside \
        its own write (an `update` closure, or a `Clone` or `Drop` it runs) would deadlock; \
        make the second change inside the same closure, or after it returns";

    /// A mutex that guards the right to publish a new snapshot.
    pub(crate) struct WriterLock {
        /// `true` while a writer holds the lock; only the owning thread reads or writes it.
        #[cfg(not(all(test, loom)))]
        lock: parking_lot::ReentrantMutex<Cell<bool>>,
        // loom has no re-entrant mutex; the re-entry check is single-threaded logic, tested
        // in the normal build, so loom models a plain mutex.
        #[cfg(all(test, loom))]
        lock: loom::sync::Mutex<()>,
    }

    /// Held while one writer copies, changes and publishes; dropping it lets the next in.
    pub(crate) struct WriterGuard<'a> {
        #[cfg(not(all(test, loom)))]
        guard: parking_lot::ReentrantMutexGuard<'a, Cell<bool>>,
        #[cfg(all(test, loom))]
        _guard: loom::sync::MutexGuard<'a, ()>,
    }

    impl WriterLock {
        /// An unlocked lock.
        pub(crate) fn new() -> Self {
            WriterLock {
                #[cfg(not(all(test, loom)))]
                lock: parking_lot::ReentrantMutex::new(Cell::new(false)),
                #[cfg(all(test, loom))]
                lock: loom::sync::Mutex::new(()),
            }
        }

        /// Blocks until no other writer holds the lock.
        ///
        /// # Panics
        ///
        /// With `REENTRANT_WRITE` when this thread already holds it.
        pub(crate) fn lock(&self) -> WriterGuard<'_> {
            #[cfg(not(all(test, loom)))]
            {
                let guard = self.lock.lock();
                if guard.replace(true) {
                    // The outer write on this thread still holds the lock and its flag; this
                    // guard is dropped by the unwind without touching the flag.
                    drop(guard);
                    panic!("{REENTRANT_WRITE}");
                }
                WriterGuard { guard }
            }
            // loom's mutex poisons like std's; our writers never leave shared state
            // half-written (they publish only at the end), so a poisoned lock is safe to take.
            #[cfg(all(test, loom))]
            WriterGuard {
                _guard: self
                    .lock
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
            }
        }
    }

    #[cfg(not(all(test, loom)))]
    impl Drop for WriterGuard<'_> {
        fn drop(&mut self) {
            self.guard.set(false);
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
    /// Loom builds: a loom `Mutex<Shared<T>>`, so that loom sees every count change.
    pub(crate) struct SwapCell<T> {
        #[cfg(not(all(test, loom)))]
        cell: arc_swap::ArcSwapAny<Shared<T>>,
        #[cfg(all(test, loom))]
        cell: loom::sync::Mutex<Shared<T>>,
    }

    /// A short-lived read of the current snapshot; derefs to the `Shared<T>` it protects.
    ///
    /// With arc-swap it may not hold a reference count of its own (arc-swap's "debt" fast
    /// path), which is why it is meant for short reads; `load_full` gives an owned handle.
    #[cfg(not(all(test, loom)))]
    pub(crate) type SwapGuard<T> = arc_swap::Guard<Shared<T>>;
    /// A short-lived read of the current snapshot; in loom builds it is an owned handle.
    #[cfg(all(test, loom))]
    pub(crate) type SwapGuard<T> = Shared<T>;

    impl<T> SwapCell<T> {
        /// A cell whose first snapshot is `value`.
        pub(crate) fn new(value: Shared<T>) -> Self {
            #[cfg(not(all(test, loom)))]
            let cell = arc_swap::ArcSwapAny::new(value);
            #[cfg(all(test, loom))]
            let cell = loom::sync::Mutex::new(value);
            SwapCell { cell }
        }

        /// The current snapshot, for a short read.
        pub(crate) fn load(&self) -> SwapGuard<T> {
            #[cfg(not(all(test, loom)))]
            return self.cell.load();
            #[cfg(all(test, loom))]
            return self.load_full();
        }

        /// The current snapshot as an owned handle (one count increment).
        pub(crate) fn load_full(&self) -> Shared<T> {
            #[cfg(not(all(test, loom)))]
            return self.cell.load_full();
            #[cfg(all(test, loom))]
            return Shared::clone(&self.cell.lock().unwrap());
        }

        /// Publishes `new` and returns the snapshot it replaced.
        ///
        /// Readers that loaded the old snapshot keep it alive; the caller decides where the
        /// returned handle is dropped (after releasing the writers' lock).
        pub(crate) fn swap(&self, new: Shared<T>) -> Shared<T> {
            #[cfg(not(all(test, loom)))]
            return self.cell.swap(new);
            #[cfg(all(test, loom))]
            return core::mem::replace(&mut *self.cell.lock().unwrap(), new);
        }

        /// The current snapshot, consuming the cell.
        pub(crate) fn into_inner(self) -> Shared<T> {
            #[cfg(not(all(test, loom)))]
            return self.cell.into_inner();
            #[cfg(all(test, loom))]
            return self.cell.into_inner().unwrap();
        }
    }

    /// Turns a short read into an owned handle (takes a count if the guard had none).
    pub(crate) fn guard_into_shared<T>(guard: SwapGuard<T>) -> Shared<T> {
        #[cfg(not(all(test, loom)))]
        return arc_swap::Guard::into_inner(guard);
        #[cfg(all(test, loom))]
        return guard;
    }

    /// A reader's private cache of one cell's current snapshot, for hot read loops.
    ///
    /// It owns a handle to the snapshot it last saw; `load` compares that with the cell's
    /// current pointer (one relaxed load) and reloads only when a writer has published since.
    /// Normal builds: arc-swap's `Cache`. Loom builds: the same idea over the stand-in cell.
    pub(crate) struct SwapReader<'a, T> {
        #[cfg(not(all(test, loom)))]
        cache: arc_swap::cache::Cache<&'a arc_swap::ArcSwapAny<Shared<T>>, Shared<T>>,
        #[cfg(all(test, loom))]
        cell: &'a SwapCell<T>,
        #[cfg(all(test, loom))]
        cached: Shared<T>,
    }

    impl<'a, T> SwapReader<'a, T> {
        /// A reader of `cell`, starting at its current snapshot.
        pub(crate) fn new(cell: &'a SwapCell<T>) -> Self {
            #[cfg(not(all(test, loom)))]
            return SwapReader {
                cache: arc_swap::cache::Cache::new(&cell.cell),
            };
            #[cfg(all(test, loom))]
            return SwapReader {
                cell,
                cached: cell.load_full(),
            };
        }

        /// The current snapshot, reloaded only if it changed since the last call.
        #[inline]
        pub(crate) fn load(&mut self) -> &Shared<T> {
            #[cfg(not(all(test, loom)))]
            return self.cache.load();
            #[cfg(all(test, loom))]
            {
                self.cached = self.cell.load_full();
                &self.cached
            }
        }
    }

    // SAFETY: `arc_swap::RefCnt` asks that
    // - `into_ptr` and `as_ptr` return the same non-null pointer for one handle, and that
    //   `from_ptr` accepts exactly what `into_ptr` returned: both go through `Shared::as_ptr`
    //   (into_raw is `as_ptr` plus `mem::forget`), and `from_ptr` is `Shared::from_raw`, whose
    //   contract is precisely "a pointer from `into_raw`";
    // - the pointer stays valid while any clone lives and `clone`/`drop` adjust one shared
    //   count: that is `Shared`'s own reference count, which frees only at zero;
    // - the pointer is aligned for `Base = T` (arc-swap steals no low bits from it, but it
    //   is a `*const T` into a live `T` in any case).
    unsafe impl<T> arc_swap::RefCnt for Shared<T> {
        type Base = T;

        fn into_ptr(me: Self) -> *mut T {
            Shared::into_raw(me).cast_mut()
        }

        fn as_ptr(me: &Self) -> *mut T {
            Shared::as_ptr(me).cast_mut()
        }

        unsafe fn from_ptr(ptr: *const T) -> Self {
            // SAFETY: arc-swap only hands back pointers that `into_ptr` produced, and it
            // gives each one back once per count it took (the caller's contract).
            unsafe { Shared::from_raw(ptr) }
        }
    }
}

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

/// The writers' mutex: serializes the writers of one snapshot cell.
///
/// It guards no data of its own (the data lives in the swap cell), only the right to write, so
/// it is a lock around `()`. parking_lot's mutex does not poison, so a panicking writer leaves
/// the lock usable for the next one.
// The writers' mutex and the swap cell serve the snapshot collections (`CowCell` and the types
// built on it, DESIGN.md); until those land, only the loom tests use them.
#[cfg(feature = "std")]
#[cfg_attr(not(all(test, loom)), allow(dead_code))]
pub(crate) mod writer {
    /// A mutex that guards the right to publish a new snapshot.
    pub(crate) struct WriterLock {
        #[cfg(not(all(test, loom)))]
        lock: parking_lot::Mutex<()>,
        #[cfg(all(test, loom))]
        lock: loom::sync::Mutex<()>,
    }

    /// Held while one writer copies, changes and publishes; dropping it lets the next in.
    #[cfg(not(all(test, loom)))]
    pub(crate) type WriterGuard<'a> = parking_lot::MutexGuard<'a, ()>;
    /// Held while one writer copies, changes and publishes; dropping it lets the next in.
    #[cfg(all(test, loom))]
    pub(crate) type WriterGuard<'a> = loom::sync::MutexGuard<'a, ()>;

    impl WriterLock {
        /// An unlocked lock.
        pub(crate) fn new() -> Self {
            WriterLock {
                #[cfg(not(all(test, loom)))]
                lock: parking_lot::Mutex::new(()),
                #[cfg(all(test, loom))]
                lock: loom::sync::Mutex::new(()),
            }
        }

        /// Blocks until no other writer holds the lock.
        pub(crate) fn lock(&self) -> WriterGuard<'_> {
            #[cfg(not(all(test, loom)))]
            return self.lock.lock();
            // loom's mutex poisons like std's; our writers never leave shared state half-written
            // (they publish only at the end), so a poisoned lock is still safe to take.
            #[cfg(all(test, loom))]
            return self
                .lock
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

/// The snapshot swap cell: holds the current `Shared<T>`; readers load it without locking,
/// a writer swaps in a new one.
#[cfg(feature = "std")]
#[cfg_attr(not(all(test, loom)), allow(dead_code))]
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

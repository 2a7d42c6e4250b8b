//! The writers' mutex: serializes the writers of one snapshot cell.
//!
//! It guards no data of its own (the data lives in the swap cell), only the right to write.
//! It does not poison, so a panicking writer leaves the lock usable for the next one.
//!
//! A writer that calls back into the same cell from inside its own write (a closure given to
//! `update`, or a `Clone` or `Drop` run under the lock) would wait for itself forever with a
//! plain mutex. The lock therefore knows which thread holds it: a second entry from that thread
//! panics with [`REENTRANT_WRITE`] instead of deadlocking. The panic unwinds through the outer
//! write, which then publishes nothing and releases the lock.
//!
//! - Normal builds: parking_lot's `ReentrantMutex`, which lets the owning thread in again,
//!   around a flag that says a write is in progress; the second entry sees the flag.
//! - Loom builds: a flag under a loom `Mutex` with a `Condvar` for waiting writers, and a loom
//!   thread-local list of the writer locks the current loom thread holds; the second entry
//!   finds its lock in the list before it blocks.

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

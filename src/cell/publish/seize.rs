//! The seize strategy's cell: the current version is a raw `Shared<T>` pointer in an
//! `AtomicPtr`, read under a guard of the cell's own `seize::Collector`.
//!
//! Why: every arc-swap store walks one node per thread that ever loaded through arc-swap in
//! the process, so a write slows down with every thread alive (the collections bench's
//! write-scaling report). seize instead batches the versions a cell gives up and checks the
//! other threads once per batch, skipping the inactive ones, so a write costs the same with
//! 1,000 idle threads as with none.
//!
//! The protocol:
//! - The cell owns one count on the published version (the pointer came from
//!   `Shared::into_raw`).
//! - A reader enters the collector, loads the pointer (`protect`) and either takes its own
//!   count (`load`, `load_full`: a counted `Shared<T>`, so a `Snapshot` stays `Send` and
//!   `Sync` and never holds a guard) or runs a short read under the guard (`read`).
//! - A writer reads the version it edits without a guard or a count (`read_locked`): only a
//!   swap, which runs under the writers' lock the writer holds, could retire it.
//! - A writer (under the writers' lock) swaps in the new pointer, takes a count on the old
//!   version for its caller, and retires the cell's count on it through a guard of its own
//!   (`Guard::defer_retire`). seize runs the reclaimer only once every thread that was inside
//!   a guard when the version was retired has left, **the writer's own thread included**: so
//!   neither another reader between its `protect` and its count increment, nor a read on the
//!   writer's own thread that is still running user code (a `get_with` closure that writes to
//!   the same list) can see the version freed. `Collector::retire` would not do: seize
//!   documents that it is disconnected from the current thread's guards and may reclaim at
//!   once.
//! - The reclaimer (`release`) drops the cell's count. It runs inside another reader's `leave`
//!   or another write's retirement, where user code must not run (a `Drop` could panic through
//!   seize or write back to the cell), so when that count was the last it moves the value into
//!   the cell's graves instead of dropping it. The graves are emptied (values dropped) by the
//!   next writer after it releases the writers' lock, and when the cell drops.
//! - Each cell has its own collector (as seize recommends, one per data structure), so a cell
//!   that is not `Sync` is only ever entered, and its versions only reclaimed, on its own
//!   thread.
//! - Late in a thread's life (a thread-local's destructor that reads or writes a collection),
//!   seize's own thread-local is gone and a thread-bound guard cannot be made. The cell then
//!   takes a guard that owns a thread slot of its own (`Collector::enter_owned`, which needs
//!   no thread-local), see [`Entered`].
//!
//! The cost, in memory: up to [`BATCH`] replaced versions per writing thread stay alive until
//! their batch is reclaimed, where arc-swap frees each as soon as its last reader lets go.

use core::cell::Cell;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ops::Deref;
use core::ptr::{self, NonNull};
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::boxed::Box;
use std::vec::Vec;

use seize::{Collector, Guard, LocalGuard, OwnedGuard};

use super::SwapCell;
use super::polling::{Peek, PollingReader};
use crate::config::SEIZE_BATCH;
use crate::shared::Shared;

/// Versions a cell gives up before seize checks the other threads for them.
pub(crate) const BATCH: usize = SEIZE_BATCH;

/// Values whose last count a reclaimer released, waiting to be dropped where user code may run.
struct Graves<T> {
    /// Set after a value is buried, so that a write with nothing to drop (most of them: a
    /// batch is reclaimed once per `BATCH` retirements) costs one load, not a lock round trip.
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
        // Release: a writer that sees the flag (Acquire) finds the value under the lock; one
        // that misses it finds it at a later write or the cell's drop.
        self.pending.store(true, Ordering::Release);
    }

    /// The values buried so far (none without touching the lock when none were).
    fn exhume(&self) -> Vec<T> {
        if !self.pending.load(Ordering::Acquire) {
            return Vec::new();
        }
        // Cleared before the take: a value buried in between is taken now, and its flag, set
        // again, costs one extra (empty) take later; none is missed.
        self.pending.store(false, Ordering::Relaxed);
        core::mem::take(&mut *self.values.lock())
    }
}

/// One version a cell gave up, on its way through the collector.
struct Retired<T> {
    /// The cell's count on the version: a pointer from `Shared::into_raw`.
    version: *const T,
    /// The cell's graves, where the value goes when that count was its last.
    graves: NonNull<Graves<T>>,
}

/// This thread's standing with seize's thread-locals: [`UNSEEN`], [`LIVE`] or [`GONE`].
/// A `const` thread-local without a destructor, so it can be read at any time, even while
/// the thread's destructors run.
const UNSEEN: u8 = 0;
/// [`ALIVE`] is registered: its destructor has not run, so neither has seize's.
const LIVE: u8 = 1;
/// [`ALIVE`]'s destructor ran: seize's thread-local may be gone too.
const GONE: u8 = 2;

std::thread_local! {
    static STANDING: Cell<u8> = const { Cell::new(UNSEEN) };
    /// Registered right after this thread's first guard (whose making registers seize's own
    /// thread-local destructor), so it is destroyed before seize's: thread-local destructors
    /// run in the reverse order of their registration.
    static ALIVE: Alive = const { Alive };
}

/// Marks the thread [`GONE`] when its destructors reach it.
struct Alive;

impl Drop for Alive {
    fn drop(&mut self) {
        STANDING.set(GONE);
    }
}

/// A guard of one cell's collector: bound to this thread, or, late in the thread's life,
/// owning a thread slot of its own.
enum Entered<'a> {
    Local(LocalGuard<'a>),
    Owned(OwnedGuard<'a>),
}

impl Entered<'_> {
    /// A guard of `collector`, of the kind this thread can still make.
    ///
    /// Inlined whole on the usual path (a thread already registered), the rest out of line:
    /// it is on every read.
    #[inline(always)]
    fn enter(collector: &Collector) -> Entered<'_> {
        #[cfg(cowkit_strict_seize)]
        strict::entered();
        if STANDING.get() == LIVE {
            Entered::Local(collector.enter())
        } else {
            Entered::enter_unusual(collector)
        }
    }

    /// [`enter`](Entered::enter) on a thread's first use of seize or during its destructors.
    #[cold]
    #[inline(never)]
    fn enter_unusual(collector: &Collector) -> Entered<'_> {
        if STANDING.get() == UNSEEN {
            let guard = collector.enter();
            // Registers `ALIVE` after seize's thread-local (made by the `enter` above, if this
            // is the thread's first guard). During the thread's destructors it may fail; the
            // thread then stays `UNSEEN` and tries again next time.
            if ALIVE.try_with(|_| ()).is_ok() {
                STANDING.set(LIVE);
            }
            Entered::Local(guard)
        } else {
            Entered::Owned(collector.enter_owned())
        }
    }

    /// seize's `protect` through this guard.
    #[inline]
    fn protect<T>(&self, ptr: &AtomicPtr<T>) -> *mut T {
        match self {
            Entered::Local(guard) => guard.protect(ptr, Ordering::Acquire),
            Entered::Owned(guard) => guard.protect(ptr, Ordering::Acquire),
        }
    }

    /// seize's `defer_retire` through this guard.
    ///
    /// # Safety
    ///
    /// seize's contract for `Guard::defer_retire`: `ptr` is no longer reachable by a thread
    /// that enters after this call, and it is valid to pass to `reclaim` once reclaimed.
    unsafe fn defer_retire<T>(&self, ptr: *mut T, reclaim: unsafe fn(*mut T, &Collector)) {
        #[cfg(cowkit_strict_seize)]
        {
            let collector = match self {
                Entered::Local(guard) => guard.collector(),
                Entered::Owned(guard) => guard.collector(),
            };
            // SAFETY: the function's own contract, which the model keeps as seize does.
            return unsafe { strict::defer_retire(ptr, reclaim, collector) };
        }
        #[cfg_attr(cowkit_strict_seize, allow(unreachable_code))]
        match self {
            // SAFETY: the function's own contract, which is seize's.
            Entered::Local(guard) => unsafe { guard.defer_retire(ptr, reclaim) },
            Entered::Owned(guard) => {
                // SAFETY: the function's own contract, which is seize's.
                unsafe { guard.defer_retire(ptr, reclaim) };
                // An owned guard's batch belongs to a thread slot that is given up with the
                // guard: hand it to the collector now rather than leave it for the slot's next
                // owner (or the collector's drop).
                guard.flush();
            }
        }
    }
}

#[cfg(cowkit_strict_seize)]
impl Drop for Entered<'_> {
    fn drop(&mut self) {
        strict::left();
    }
}

/// A model of seize at its strictest, for cowkit's own tests (`--cfg cowkit_strict_seize`):
/// a retirement is reclaimed at the earliest moment seize's documentation allows, not when
/// seize 0.5.1 happens to reclaim it.
///
/// For `Guard::defer_retire` ("delays reclamation until the guard is dropped"; a thread "stays
/// marked as active until the last guard is dropped") that is when this thread's last guard
/// leaves. (`Collector::retire`, which "may reclaim immediately", would reclaim at once: the
/// model of the call this strategy made before, under which a write inside a read freed the
/// version the read borrowed.) The model ignores other threads, so it is sound only in tests
/// that use a collection from one thread; they run alone:
/// `RUSTFLAGS="--cfg cowkit_strict_seize" cargo test --features seize --test collections --
/// seize::a_write_inside_a_read`.
#[cfg(cowkit_strict_seize)]
mod strict {
    use core::cell::{Cell, RefCell};
    use std::vec::Vec;

    use seize::Collector;

    type Reclaim = unsafe fn(*mut (), &Collector);

    std::thread_local! {
        static DEPTH: Cell<usize> = const { Cell::new(0) };
        static PENDING: RefCell<Vec<(*mut (), Reclaim, *const Collector)>> =
            const { RefCell::new(Vec::new()) };
    }

    /// A guard was made on this thread.
    pub(super) fn entered() {
        DEPTH.set(DEPTH.get() + 1);
    }

    /// A guard of this thread left: the last one reclaims what was retired meanwhile.
    pub(super) fn left() {
        let depth = DEPTH.get() - 1;
        DEPTH.set(depth);
        if depth == 0 {
            for (ptr, reclaim, collector) in PENDING.take() {
                // SAFETY: `defer_retire`'s contract: valid to reclaim now that this thread,
                // the only one the model admits, has left; the collector is alive (a guard of
                // it was alive until just now, and the cell outlives its guards).
                unsafe { reclaim(ptr, &*collector) };
            }
        }
    }

    /// Retires `ptr` until this thread's last guard leaves.
    ///
    /// # Safety
    ///
    /// As `seize::Guard::defer_retire`.
    pub(super) unsafe fn defer_retire<T>(
        ptr: *mut T,
        reclaim: unsafe fn(*mut T, &Collector),
        collector: &Collector,
    ) {
        // SAFETY: `fn(*mut T, &C)` and `fn(*mut (), &C)` have the same ABI for a sized `T`
        // (the cast seize makes itself); it is called back only with `ptr`, cast back.
        let reclaim: Reclaim = unsafe { core::mem::transmute(reclaim) };
        PENDING.with_borrow_mut(|pending| pending.push((ptr.cast(), reclaim, collector)));
    }
}

/// The current version of a cell.
pub struct SeizeCell<T> {
    /// The published version: a pointer from `Shared::into_raw` that owns the cell's count on
    /// it. Null only after `into_inner`.
    current: AtomicPtr<T>,
    /// This cell's reclaimer. Dropped first in `drop`: that reclaims every retirement still
    /// pending, into the graves, which must then still exist.
    collector: ManuallyDrop<Collector>,
    /// From `Box::into_raw`, owned by the cell and freed in its drop after the collector. A
    /// raw pointer, not a `Box`, so that moving the cell does not retag (and so invalidate)
    /// the pointers that pending retirements keep to it.
    graves: NonNull<Graves<T>>,
    /// The cell shares `Shared<T>` handles between threads and owns `T` values in its graves.
    _shares: PhantomData<(Shared<T>, Box<Graves<T>>)>,
}

// SAFETY: the cell's fields are an `AtomicPtr` and a `Collector` (both `Send` and `Sync`),
// the published version (a `Shared<T>`: `Send` and `Sync` exactly when `T: Send + Sync`), and
// the graves, owned as a `Box` would be: a mutex of `T` values that any thread may bury or
// drop (so `T: Send`) while others read versions (so `T: Sync`). `T: Send + Sync` covers all.
unsafe impl<T: Send + Sync> Send for SeizeCell<T> {}
// SAFETY: as for `Send`: every shared access goes through atomics, seize's guards or the
// graves' mutex.
unsafe impl<T: Send + Sync> Sync for SeizeCell<T> {}

impl<T> SeizeCell<T> {
    /// The graves.
    fn graves(&self) -> &Graves<T> {
        // SAFETY: `graves` came from `Box::into_raw` and is freed only in `drop`, after the
        // collector; only shared borrows of it are ever made.
        unsafe { self.graves.as_ref() }
    }
}

impl<T> Peek<T> for SeizeCell<T> {
    #[inline]
    fn current_ptr(&self) -> *const T {
        self.current.load(Ordering::Relaxed)
    }

    fn load_counted(&self) -> Shared<T> {
        let guard = Entered::enter(&self.collector);
        let version = guard.protect(&self.current);
        // SAFETY: `version` is the published pointer, from `Shared::into_raw`, and the value
        // is alive with a count of at least 1: the cell's count on it is released only by the
        // reclaimer of its retirement, which seize runs only after every thread inside a guard
        // at the retirement (this one, if the version was swapped out since our `protect`) has
        // left. The handle is never dropped (`ManuallyDrop`): it only lends the value to
        // `clone`, which takes our count.
        let version = ManuallyDrop::new(unsafe { Shared::from_raw(version) });
        let mine = Shared::clone(&version);
        drop(guard);
        mine
    }
}

impl<T> SwapCell<T> for SeizeCell<T> {
    /// An owned handle (one count).
    type Guard = Shared<T>;

    type Reader<S: Deref<Target = Self>> = PollingReader<T, S>;

    fn new(value: Shared<T>) -> Self {
        SeizeCell {
            current: AtomicPtr::new(Shared::into_raw(value).cast_mut()),
            collector: ManuallyDrop::new(Collector::new().batch_size(BATCH)),
            graves: NonNull::from(Box::leak(Box::new(Graves::new()))),
            _shares: PhantomData,
        }
    }

    #[inline]
    fn load(&self) -> Shared<T> {
        self.load_counted()
    }

    fn guard_into_shared(guard: Shared<T>) -> Shared<T> {
        guard
    }

    #[inline]
    fn guard_value(guard: &Shared<T>) -> &T {
        guard
    }

    /// Under a guard, without taking a count. `read` may write to this cell (user code): that
    /// write retires the version `read` borrows through a guard of this same thread, which
    /// keeps it alive until this guard, too, has left (see the module docs).
    #[inline]
    fn read<R>(&self, read: impl FnOnce(&T) -> R) -> R {
        let guard = Entered::enter(&self.collector);
        let version = guard.protect(&self.current);
        // SAFETY: as in `load_counted`: the version is alive while this guard is held, and
        // nothing mutates a published version. The borrow cannot outlive the guard: `R` is
        // chosen before the borrow's lifetime, so it cannot hold it.
        let result = read(unsafe { &*version });
        drop(guard);
        result
    }

    fn load_full(&self) -> Shared<T> {
        self.load_counted()
    }

    /// Without a guard or a count: the writers' lock keeps the current version published.
    #[inline]
    unsafe fn read_locked<R>(&self, read: impl FnOnce(&T) -> R) -> R {
        // Acquire: pairs with the `swap` (AcqRel) that published the version, so its value is
        // visible; the writers' lock, released after that swap, orders it as well.
        let version = self.current.load(Ordering::Acquire);
        // SAFETY: the caller holds the writers' lock (the function's contract), so no `swap`
        // (always under that lock) runs until `read` has returned: `version` stays the
        // published pointer, from `Shared::into_raw`, whose count the cell holds and releases
        // only after a swap retires it. It is not null: only `into_inner`, which consumes the
        // cell, stores null. Nothing mutates a published version, and the borrow cannot
        // outlive the call (`R` is chosen before its lifetime).
        read(unsafe { &*version })
    }

    fn swap(&self, new: Shared<T>) -> Shared<T> {
        let old = self
            .current
            .swap(Shared::into_raw(new).cast_mut(), Ordering::AcqRel);
        // SAFETY: `old` was the published pointer, from `Shared::into_raw`, carrying the cell's
        // count, which is still held (it is retired below, not dropped): the value is alive.
        // The handle only lends it to `clone`, the caller's count.
        let replaced = Shared::clone(&ManuallyDrop::new(unsafe { Shared::from_raw(old) }));
        let retired = Box::into_raw(Box::new(Retired {
            version: old.cast_const(),
            graves: self.graves,
        }));
        let guard = Entered::enter(&self.collector);
        // SAFETY: seize's contract for `Guard::defer_retire`:
        // - "no longer accessible to any thread that enters after it is removed": readers reach
        //   `old` only through `current`, which the swap above replaced (readers `protect` it,
        //   pairing with the collector's barriers); the `Retired` box itself is never shared.
        //   This thread may still be inside an outer read of `old` (a `read` closure that
        //   writes): `defer_retire`, unlike `Collector::retire`, waits for this thread's guards.
        // - "valid to pass to the reclaimer": `release::<T>` takes `retired` back as the `Box`
        //   it is, once (seize runs each reclaimer once), and releases the cell's count once;
        //   `graves` outlives every reclaimer of this collector (the cell's drop drops the
        //   collector, reclaiming every pending retirement, before it frees the graves).
        unsafe { guard.defer_retire(retired, release::<T>) };
        drop(guard);
        replaced
    }

    fn reclaim(&self) {
        drop(self.graves().exhume());
    }

    fn into_inner(self) -> Shared<T> {
        let version = self.current.swap(ptr::null_mut(), Ordering::Relaxed);
        // SAFETY: the published pointer and the cell's count, taken out of the cell (which now
        // holds null, so its drop does not release the count again). The cell is owned, so no
        // thread is inside a read of it.
        unsafe { Shared::from_raw(version) }
    }

    fn reader<S: Deref<Target = Self>>(source: S) -> PollingReader<T, S> {
        PollingReader::new(source)
    }

    #[inline]
    fn reader_load<S: Deref<Target = Self>>(reader: &mut PollingReader<T, S>) -> &Shared<T> {
        reader.load()
    }
}

impl<T> Drop for SeizeCell<T> {
    fn drop(&mut self) {
        let version = *self.current.get_mut();
        if !version.is_null() {
            // SAFETY: the published pointer and the cell's count, released once. With `&mut
            // self` no thread is inside a read of the cell (reads borrow it and leave their
            // guard before returning), so no reader can be between its `protect` and its count
            // increment.
            drop(unsafe { Shared::from_raw(version) });
        }
        // SAFETY: dropped once, here; the field is not used again. Its drop reclaims every
        // retirement still pending, into the graves (alive until below).
        unsafe { ManuallyDrop::drop(&mut self.collector) };
        // SAFETY: `graves` came from `Box::into_raw` (through `Box::leak`) in `new`, and no
        // retirement can reach it any more: the collector that held them is gone. The box's
        // drop drops the values buried in it.
        drop(unsafe { Box::from_raw(self.graves.as_ptr()) });
    }
}

/// The reclaimer of a retired version: releases the cell's count on it. When that was the
/// last count, the value goes into the cell's graves rather than being dropped here (see the
/// module docs).
///
/// # Safety
///
/// `retired` came from `Box::into_raw` in `swap`, is passed once, and its cell's graves are
/// alive (seize's contract for a reclaimer, and `swap`'s SAFETY comment).
unsafe fn release<T>(retired: *mut Retired<T>, _collector: &Collector) {
    // SAFETY: the function's contract: a `Box` from `swap`, taken back once.
    let retired = unsafe { Box::from_raw(retired) };
    // SAFETY: `version` came from `Shared::into_raw` and carries the cell's count, released
    // here and nowhere else.
    let version = unsafe { Shared::from_raw(retired.version) };
    if let Some(value) = Shared::into_inner(version) {
        // SAFETY: the graves outlive every reclaimer of the collector (contract).
        let graves = unsafe { retired.graves.as_ref() };
        graves.bury(value);
    }
}

//! [`CowCell<T>`] and [`Snapshot<T>`]: the snapshot / copy-and-swap protocol, written once,
//! over the publication strategy of [`publish`].
//!
//! Every snapshot collection (`CowList`, `CowSet`, `CowMap`) is a cell around a std container;
//! all of their writes go through `GenericCowCell::rewrite`, the one place that takes the
//! writers' lock, publishes and frees.
#![deny(unsafe_code)]

pub mod publish;

use core::fmt;
use core::ops::Deref;

use self::publish::{ArcSwapStrategy, CellOf, GuardOf, Publish, ReaderOf, SwapCell};
use crate::shared::Shared;
use crate::sync::writer::WriterLock;
use std::sync::Arc;

/// A value that many threads read without locking while writers replace it with an edited
/// copy: the copy-on-write cell under [`CowList`](crate::CowList), [`CowSet`](crate::CowSet)
/// and [`CowMap`](crate::CowMap).
///
/// Readers call [`load`](CowCell::load) (a short-lived [`Snapshot`]), [`snapshot`](CowCell::snapshot)
/// (an owned [`Shared<T>`] to keep) or a cached [`reader`](CowCell::reader) (for hot loops).
/// None of them ever blocks, and what they see never changes under them. A writer calls
/// [`update`](CowCell::update): it clones the current value once, applies the closure to the
/// clone and publishes it with one atomic swap; any number of changes in one closure cost one
/// copy. Writers take turns on a mutex, so no update is lost.
///
/// # Guarantees
///
/// - A reader sees a whole published value, never a half-applied update.
/// - Two writers never lose each other's changes: each starts from the other's result.
/// - A closure that panics (or returns `Err` to [`try_update`](CowCell::try_update)) publishes
///   nothing; the cell stays usable (there is no poisoning).
/// - A snapshot stays valid and unchanged after any number of writes; each old version is
///   freed when its last reader lets go. The writer frees the version it replaced after
///   releasing the lock, so other writers never wait on a free. (On seize,
///   `cowkit::seize::CowCell`, an old version is freed later, by a later write or the cell's
///   drop: see the crate docs' "Publication strategies".)
/// - A write from inside a write to the same cell (`cell.update(|_| cell.update(..))`, or a
///   `Clone` of `T` that writes to the cell) panics with a message saying so, instead of
///   deadlocking; the outer write then publishes nothing.
/// - No `Drop` of yours runs under the writers' lock: the version a write replaces, a draft
///   it gives up (a panicking closure, an `Err` from `try_update`) and the values the
///   collections' writes take out or turn away are all dropped after the lock is released,
///   so such a `Drop` may write to the same cell. One exception: a `Clone` that panics part
///   way through cloning a `T` drops what it had cloned inside that clone, under the lock
///   (the collections' own copies avoid this for `CowList` and `CowSet`: they clone element by
///   element into a draft kept outside the lock; `CowMap`'s table copy and a `Hash` that panics
///   inside a map write do not). A `Drop` run there that writes to the same cell panics inside
///   the unwind, which aborts, as any panic escaping a `Drop` during unwinding does.
///
/// # Panics after publishing
///
/// "A panicking closure publishes nothing" is about the closure. Once a write has published,
/// it still drops the version it replaced (after releasing the lock), so a `Drop` of `T` that
/// panics there makes `update` (or `push`, `insert`, …) panic *after* its change is visible.
/// The cell is valid and usable; the caller just cannot tell from the panic alone whether the
/// change landed.
///
/// # Deadlocks between cells
///
/// The re-entry check sees only the same cell on the same thread. Two threads that each write
/// to cell `a` from inside a write to cell `b`, and to `b` from inside `a`, wait for each other
/// forever, as two mutexes taken in opposite orders do. Do not write to another cell from
/// inside a write (an `update` closure, `compute`, `get_or_insert_with`'s `make`, a `Clone`),
/// or always nest such writes in one global order. cowkit does not detect this: detecting it
/// would need a lock-order record on every write.
///
/// # Memory layout
///
/// ```text
///  CowCell<T>                                   Shared<T> blocks (one per live version)
/// ┌─────────────────────────────────┐          ┌───────┬───────────┐
/// │ current: ArcSwapAny<Shared<T>> ─┼────────► │ count │ T (now)   │ ◄── Snapshot, Reader
/// │ writer:  mutex (writers only)   │          └───────┴───────────┘
/// └─────────────────────────────────┘          ┌───────┬───────────┐
///                                              │ count │ T (older) │ ◄── a reader's Shared<T>
///                                              └───────┴───────────┘     (freed when it drops)
/// ```
///
/// # Costs
///
/// | operation | cost |
/// |---|---|
/// | [`load`](CowCell::load) | lock-free: a few atomic operations on a thread-local slot (arc-swap's fast path), no count change |
/// | [`snapshot`](CowCell::snapshot) | as `load`, plus one atomic increment |
/// | [`Reader::load`] | one relaxed load and a pointer compare when nothing changed |
/// | [`update`](CowCell::update) | lock, one `T::clone`, one allocation, one swap; the replaced version is freed after unlocking |
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::thread;
/// use cowkit::CowCell;
///
/// #[derive(Clone, Debug)]
/// struct Config { retries: u32, hosts: Vec<String> }
///
/// let config = Arc::new(CowCell::new(Config { retries: 3, hosts: vec!["a".into()] }));
/// let before = config.snapshot(); // kept for as long as we like
///
/// let writer = {
///     let config = Arc::clone(&config);
///     thread::spawn(move || {
///         // Both changes are published together: no reader sees one without the other.
///         config.update(|c| {
///             c.retries = 5;
///             c.hosts.push("b".into());
///         });
///     })
/// };
/// writer.join().unwrap();
///
/// assert_eq!(config.load().retries, 5);
/// assert_eq!(config.load().hosts, ["a", "b"]);
/// assert_eq!(before.retries, 3); // the old snapshot never changes
/// ```
///
/// `CowCell<T>` publishes through arc-swap ([`ArcSwapStrategy`]); with the `seize` feature,
/// `cowkit::seize::CowCell<T>` is the same cell on seize. Both are [`GenericCowCell`] with
/// their strategy as the last type parameter.
pub type CowCell<T> = GenericCowCell<T, ArcSwapStrategy>;

/// A [`CowCell`] generic over its publication strategy `P` (see [`publish`]): the type behind
/// `cowkit::CowCell<T>` (`P` = [`ArcSwapStrategy`]) and, with the `seize` feature,
/// `cowkit::seize::CowCell<T>`. Its methods are documented here; the type's guarantees,
/// layout and costs on [`CowCell`].
pub struct GenericCowCell<T, P: Publish = ArcSwapStrategy> {
    /// The published version. Readers load it without locking; it changes only by a swap made
    /// while `writer` is held.
    current: CellOf<T, P>,
    /// Serializes writers: held from reading the current version until the next is published.
    writer: WriterLock,
}

impl<T, P: Publish> GenericCowCell<T, P> {
    /// A cell holding `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cell = cowkit::CowCell::new(1);
    /// assert_eq!(*cell.load(), 1);
    /// ```
    pub fn new(value: T) -> Self {
        GenericCowCell::from_shared(Shared::new(value))
    }

    /// A cell whose current version is `value`, shared with whoever else holds it (no copy).
    pub(crate) fn from_shared(value: Shared<T>) -> Self {
        GenericCowCell {
            current: SwapCell::new(value),
            writer: WriterLock::new(),
        }
    }

    /// The current value, for a short read. Never blocks.
    ///
    /// The [`Snapshot`] derefs to `T` and never changes, whatever writers do meanwhile. It is
    /// meant to be dropped soon (it may occupy one of a few per-thread slots of arc-swap);
    /// keep a [`snapshot`](CowCell::snapshot) instead for long walks or to store.
    ///
    /// # Examples
    ///
    /// ```
    /// let cell = cowkit::CowCell::new(vec![1, 2, 3]);
    /// let view = cell.load();
    /// cell.update(|v| v.clear());
    /// assert_eq!(*view, [1, 2, 3]); // still the version it loaded
    /// assert!(cell.load().is_empty());
    /// ```
    #[inline]
    pub fn load(&self) -> Snapshot<T, P> {
        Snapshot {
            guard: self.current.load(),
        }
    }

    /// Runs `read` on the current value, for the collections' own short reads (`len`, `get`,
    /// `contains`, …): no count taken where the backend can avoid it (seize reads under a
    /// guard; arc-swap's `load` already takes none). `read` must be short: while it runs, the
    /// version stays protected.
    #[inline]
    pub(crate) fn read<R>(&self, read: impl FnOnce(&T) -> R) -> R {
        self.current.read(read)
    }

    /// The current value as an owned handle, to keep or send to another thread. Never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::{CowCell, Shared};
    ///
    /// let cell = CowCell::new(String::from("v1"));
    /// let v1: Shared<String> = cell.snapshot();
    /// cell.replace(String::from("v2"));
    /// assert_eq!(*v1, "v1");
    /// assert_eq!(*cell.snapshot(), "v2");
    /// ```
    pub fn snapshot(&self) -> Shared<T> {
        self.current.load_full()
    }

    /// A cached reader for hot loops: its [`Reader::load`] costs one pointer compare while
    /// nothing has changed.
    ///
    /// A reader keeps the version it last loaded alive until its next `load` or its drop, so
    /// keep one per thread or task, not one per idle object.
    ///
    /// # Examples
    ///
    /// ```
    /// let cell = cowkit::CowCell::new(10);
    /// let mut reader = cell.reader();
    /// assert_eq!(*reader.load(), 10);
    /// cell.update(|n| *n += 1);
    /// assert_eq!(*reader.load(), 11);
    /// ```
    pub fn reader(&self) -> Reader<'_, T, P> {
        Reader {
            inner: SwapCell::reader(&self.current),
        }
    }

    /// A cached reader that owns the cell (through this `Arc`), to keep in a struct or move to
    /// another thread; see [`OwnedReader`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// let cell = Arc::new(cowkit::CowCell::new(1));
    /// let mut reader = cell.owned_reader();
    /// let seen = std::thread::spawn(move || *reader.load()).join().unwrap();
    /// assert_eq!(seen, 1);
    /// ```
    pub fn owned_reader(self: &Arc<Self>) -> OwnedReader<T, P>
    where
        T: 'static,
        Self: Send + Sync,
    {
        OwnedReader::new(Arc::clone(self) as Arc<dyn CellOwner<T, P>>)
    }

    /// Publishes `value` and returns the version it replaced.
    ///
    /// Readers holding the old version keep it; it is freed when the returned handle and they
    /// are all gone.
    ///
    /// # Examples
    ///
    /// ```
    /// let cell = cowkit::CowCell::new("old");
    /// let old = cell.replace("new");
    /// assert_eq!((*old, *cell.load()), ("old", "new"));
    /// ```
    pub fn replace(&self, value: T) -> Shared<T> {
        let next = Shared::new(value);
        let replaced = {
            let _writer = self.writer.lock();
            self.current.swap(next)
        };
        self.current.reclaim();
        replaced
    }

    /// The one write path: under the writers' lock, `build` sees the current version and puts
    /// the next one in the [`Draft`] (leaving it empty keeps the current one); it returns a
    /// result.
    ///
    /// The draft lives outside the lock: whatever it holds when the write ends (a version
    /// withdrawn, or a half-built one when `build` panics) is dropped after the lock is
    /// released, as is the version replaced. So a `Drop` of the elements never runs under the
    /// lock, and one that writes to this same cell is an ordinary next write, not a re-entry.
    /// If `build` panics, nothing is published and the unwind releases the lock first.
    pub(crate) fn rewrite<R>(&self, build: impl FnOnce(&T, &mut Draft<T>) -> R) -> R {
        // Declared before the lock's guard, so that an unwind drops it after the guard.
        let mut draft = Draft {
            next: None,
            withdrawn: None,
        };
        let (replaced, result) = {
            let _writer = self.writer.lock();
            // The read ends before the swap, so the swap has no claim of ours to settle.
            // SAFETY: `read_locked`'s one precondition: the writers' lock is held (`_writer`,
            // alive until the end of this block, past the read).
            #[allow(unsafe_code)]
            let result = unsafe {
                self.current
                    .read_locked(|current| build(current, &mut draft))
            };
            let replaced = draft
                .next
                .take()
                .map(|next| self.current.swap(Shared::new(next)));
            (replaced, result)
        };
        drop(replaced);
        drop(draft);
        self.current.reclaim();
        result
    }
}

/// The next version a write builds (see [`CowCell::rewrite`]). It lives outside the writers'
/// lock, so that what it holds is never dropped under the lock.
pub(crate) struct Draft<T> {
    /// The version to publish when the build returns.
    next: Option<T>,
    /// A version built and then given up: dropped, unpublished, after the lock is released.
    withdrawn: Option<T>,
}

impl<T> Draft<T> {
    /// Makes `value` the version to publish when the build returns, and lends it for editing.
    /// A panic before the build returns publishes nothing; the value is dropped after the lock.
    pub(crate) fn publish(&mut self, value: T) -> &mut T {
        self.next.insert(value)
    }

    /// Gives up the version to publish: nothing is published; it is dropped after the lock.
    pub(crate) fn withdraw(&mut self) {
        self.withdrawn = self.next.take();
    }
}

impl<T: Clone, P: Publish> GenericCowCell<T, P> {
    /// Changes the value: clones the current version once, applies `change` to the clone and
    /// publishes it. Returns what `change` returns.
    ///
    /// Writers take turns, so concurrent updates never lose each other's changes. Readers see
    /// the old version until the swap and the new one after, never a mix.
    ///
    /// # Panics
    ///
    /// If `change` panics, the panic propagates and nothing is published. A write to this same
    /// cell from inside `change` (or from a `Clone` or `Drop` of `T` run here) panics rather
    /// than deadlock.
    ///
    /// # Examples
    ///
    /// ```
    /// let cell = cowkit::CowCell::new(vec![1, 2]);
    /// let len = cell.update(|v| {
    ///     v.push(3);
    ///     v.push(4); // both pushes: one copy, one publish
    ///     v.len()
    /// });
    /// assert_eq!(len, 4);
    /// assert_eq!(*cell.load(), [1, 2, 3, 4]);
    /// ```
    pub fn update<R>(&self, change: impl FnOnce(&mut T) -> R) -> R {
        self.rewrite(|current, draft| change(draft.publish(current.clone())))
    }

    /// Like [`update`](CowCell::update), but publishes only when `change` returns `Ok`.
    ///
    /// # Errors
    ///
    /// Returns `change`'s error unchanged; the cell then still holds the previous version.
    ///
    /// # Examples
    ///
    /// ```
    /// let balance = cowkit::CowCell::new(10u32);
    /// let withdraw = |amount: u32| {
    ///     balance.try_update(|b| {
    ///         *b = b.checked_sub(amount).ok_or("insufficient funds")?;
    ///         Ok(*b)
    ///     })
    /// };
    /// assert_eq!(withdraw(4), Ok(6));
    /// assert_eq!(withdraw(7), Err("insufficient funds"));
    /// assert_eq!(*balance.load(), 6);
    /// ```
    pub fn try_update<R, E>(&self, change: impl FnOnce(&mut T) -> Result<R, E>) -> Result<R, E> {
        self.rewrite(|current, draft| {
            let result = change(draft.publish(current.clone()));
            if result.is_err() {
                draft.withdraw();
            }
            result
        })
    }

    /// The current value, taken out of the cell: moved when no snapshot shares it, else
    /// cloned.
    ///
    /// # Examples
    ///
    /// ```
    /// let cell = cowkit::CowCell::new(String::from("done"));
    /// assert_eq!(cell.into_inner(), "done");
    /// ```
    pub fn into_inner(self) -> T {
        Shared::unwrap_or_clone(self.current.into_inner())
    }
}

impl<T, P: Publish> Clone for GenericCowCell<T, P> {
    /// A new, independent cell that starts from this one's current version, shared (O(1)).
    fn clone(&self) -> Self {
        GenericCowCell::from_shared(self.snapshot())
    }
}

impl<T: Default, P: Publish> Default for GenericCowCell<T, P> {
    fn default() -> Self {
        GenericCowCell::new(T::default())
    }
}

impl<T, P: Publish> From<T> for GenericCowCell<T, P> {
    fn from(value: T) -> Self {
        GenericCowCell::new(value)
    }
}

impl<T: fmt::Debug, P: Publish> fmt::Debug for GenericCowCell<T, P> {
    /// Formats the current version.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CowCell").field(&*self.load()).finish()
    }
}

/// A short-lived read of a [`CowCell`]'s value (from [`CowCell::load`] and the collections'
/// `load`); derefs to `T`.
///
/// The value it shows never changes, whatever writers do. Drop it soon: with arc-swap a
/// snapshot may hold one of a few per-thread slots instead of a reference count (which is what
/// makes `load` cheap). Turn it into an owned [`Shared<T>`] with [`Snapshot::into_shared`] to
/// keep it.
///
/// # Examples
///
/// ```
/// let list = cowkit::CowList::from(vec![3, 1, 2]);
/// let snap = list.load();
/// let sum: i32 = snap.iter().sum(); // iterate, slice, search: all on one version
/// assert_eq!((sum, &snap[1..]), (6, &[1, 2][..]));
/// ```
pub struct Snapshot<T, P: Publish = ArcSwapStrategy> {
    guard: GuardOf<T, P>,
}

impl<T, P: Publish> Snapshot<T, P> {
    /// An owned handle to the same version (takes a reference count if the snapshot had none).
    ///
    /// An associated function, so that it never shadows a method of `T`.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::{CowCell, Shared, Snapshot};
    ///
    /// let cell = CowCell::new(7);
    /// let kept: Shared<i32> = Snapshot::into_shared(cell.load());
    /// assert!(Shared::ptr_eq(&kept, &cell.snapshot()));
    /// ```
    pub fn into_shared(this: Self) -> Shared<T> {
        <CellOf<T, P>>::guard_into_shared(this.guard)
    }
}

impl<T, P: Publish> Deref for Snapshot<T, P> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        <CellOf<T, P>>::guard_value(&self.guard)
    }
}

impl<T, P: Publish> AsRef<T> for Snapshot<T, P> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<'a, T, P: Publish> IntoIterator for &'a Snapshot<T, P>
where
    &'a T: IntoIterator,
{
    type Item = <&'a T as IntoIterator>::Item;
    type IntoIter = <&'a T as IntoIterator>::IntoIter;

    /// Iterates the snapshot's value by reference: `for x in &list.load()`.
    fn into_iter(self) -> Self::IntoIter {
        (**self).into_iter()
    }
}

impl<T: fmt::Debug, P: Publish> fmt::Debug for Snapshot<T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

/// A cached reader of one [`CowCell`] (from [`CowCell::reader`] and the collections'
/// `reader`), for hot read loops on one thread.
///
/// [`load`](Reader::load) compares the cell's current pointer with the version it holds (one
/// relaxed atomic load) and reloads only when a writer has published since. The reader keeps
/// the version it last loaded alive until the next `load` or its drop.
///
/// # Examples
///
/// ```
/// let routes = cowkit::CowList::from(vec!["a", "b"]);
/// let mut reader = routes.reader();
/// let mut hits = 0;
/// for _ in 0..1000 {
///     hits += reader.load().len(); // no reference counting on the way
/// }
/// assert_eq!(hits, 2000);
/// ```
pub struct Reader<'a, T, P: Publish = ArcSwapStrategy> {
    inner: ReaderOf<T, P, &'a CellOf<T, P>>,
}

impl<T, P: Publish> Reader<'_, T, P> {
    /// The cell's current value.
    #[inline]
    pub fn load(&mut self) -> &T {
        <CellOf<T, P>>::reader_load(&mut self.inner)
    }
}

impl<T, P: Publish> fmt::Debug for Reader<'_, T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader").finish_non_exhaustive()
    }
}

/// The owner of one cell, as an [`OwnedReader`] keeps it: the cell itself or a collection
/// around it.
pub(crate) trait CellOwner<T, P: Publish>: Send + Sync {
    /// The cell.
    fn cell(&self) -> &GenericCowCell<T, P>;
}

impl<T, P: Publish> CellOwner<T, P> for GenericCowCell<T, P>
where
    Self: Send + Sync,
{
    fn cell(&self) -> &GenericCowCell<T, P> {
        self
    }
}

/// An owned handle of a cell's owner, as the reader's source of the cell.
///
/// It keeps the owner's `Arc` (type-erased, so that `OwnedReader<T>` names only `T`) and the
/// address of the cell inside it, found once, so that a load makes no dynamic call.
struct Owned<T, P: Publish> {
    /// The cell, inside `_owner`'s allocation.
    cell: core::ptr::NonNull<CellOf<T, P>>,
    /// Keeps the cell alive and in place.
    _owner: Arc<dyn CellOwner<T, P>>,
}

impl<T, P: Publish> Owned<T, P> {
    fn new(owner: Arc<dyn CellOwner<T, P>>) -> Self {
        Owned {
            cell: core::ptr::NonNull::from(&owner.cell().current),
            _owner: owner,
        }
    }
}

impl<T, P: Publish> Deref for Owned<T, P> {
    type Target = CellOf<T, P>;

    #[inline]
    fn deref(&self) -> &CellOf<T, P> {
        // SAFETY: `cell` points into the allocation of `_owner`, an `Arc` this value holds, so
        // it is alive for as long as `self` is borrowed, and an `Arc`'s contents never move.
        // Only shared borrows of the cell ever exist (every method of the owners takes `&self`,
        // and `Arc` hands out no `&mut` while shared, which it is, by `_owner`).
        #[allow(unsafe_code)]
        unsafe {
            self.cell.as_ref()
        }
    }
}

// SAFETY: `Owned<T, P>` is an `Arc<dyn CellOwner<T, P>>` (which is `Send` and `Sync`:
// `CellOwner` requires both) plus a shared borrow into it; sending or sharing it is sending or
// sharing that `Arc` and a `&` to the cell of a `Sync` owner, which the `Arc` already allows.
#[allow(unsafe_code)]
unsafe impl<T, P: Publish> Send for Owned<T, P> {}
// SAFETY: as for `Send`.
#[allow(unsafe_code)]
unsafe impl<T, P: Publish> Sync for Owned<T, P> {}

/// A cached reader that owns its cell: a [`Reader`] with no lifetime, to keep in a struct
/// beside (or instead of) the `Arc` it reads, or to move into a thread or task.
///
/// Made by `owned_reader` on an `Arc` of a [`CowCell`], [`CowList`](crate::CowList),
/// [`CowSet`](crate::CowSet) or [`CowMap`](crate::CowMap); it keeps that `Arc` (one count)
/// and reads as a [`Reader`] does: [`load`](OwnedReader::load) compares the cell's current
/// pointer with the version it holds and reloads only when a writer has published since. It
/// is `Send` and `Sync` (the collections it can own are).
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use cowkit::{CowMap, OwnedReader};
/// use std::collections::HashMap;
///
/// struct Router {
///     routes: OwnedReader<HashMap<&'static str, u16>>,
/// }
///
/// let table = Arc::new(CowMap::from([("/", 80)]));
/// let mut router = Router { routes: table.owned_reader() };
/// table.insert("/admin", 8080);
/// assert_eq!(router.routes.load()["/admin"], 8080);
/// ```
pub struct OwnedReader<T, P: Publish = ArcSwapStrategy> {
    inner: ReaderOf<T, P, Owned<T, P>>,
}

impl<T, P: Publish> OwnedReader<T, P> {
    /// A reader that keeps `owner` (one more count on its `Arc`).
    pub(crate) fn new(owner: Arc<dyn CellOwner<T, P>>) -> Self {
        OwnedReader {
            inner: SwapCell::reader(Owned::new(owner)),
        }
    }

    /// The cell's current value.
    #[inline]
    pub fn load(&mut self) -> &T {
        <CellOf<T, P>>::reader_load(&mut self.inner)
    }
}

impl<T, P: Publish> fmt::Debug for OwnedReader<T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedReader").finish_non_exhaustive()
    }
}

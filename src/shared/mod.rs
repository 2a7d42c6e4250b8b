//! [`Shared<T>`]: the one reference-counting core of cowkit. Its count is [`RefCount`]
//! (`count.rs`), the rules the string's heap block and the buffer's pages reuse; `ref_cnt.rs`
//! holds its `arc_swap::RefCnt` contract, written once.

mod count;
#[cfg(feature = "std")]
mod ref_cnt;

pub(crate) use self::count::{RefCount, prefetch};

use alloc::boxed::Box;
use core::borrow::Borrow;
use core::cmp::Ordering as CmpOrdering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::marker::PhantomData;
use core::mem::{self, ManuallyDrop};
use core::ops::Deref;
use core::ptr::NonNull;

/// The single heap allocation behind a [`Shared<T>`]. The count comes first (`repr(C)`), so
/// that it shares a cache line with the start of the value: a write through `make_mut` checks
/// the count and then touches the value, and a table walk reads a node's first bytes.
#[repr(C)]
struct Inner<T> {
    /// How many `Shared` handles point here.
    count: RefCount,
    /// The value. Invariant: borrowed mutably only through a handle that saw `count == 1` and
    /// is held by `&mut` or by value; otherwise only shared borrows exist.
    value: T,
}

/// An atomically reference-counted pointer with copy-on-write: the one core every cowkit type
/// stands on.
///
/// `Shared<T>` is like [`std::sync::Arc<T>`] without weak references: clones share one value,
/// and [`Shared::make_mut`] gives mutable access, copying the value first only when another
/// handle still shares it. Without a weak count, "am I the only handle?" is a single atomic
/// load, so `make_mut` and `get_mut` on a unique handle cost one load and a compare.
///
/// Operations are associated functions (`Shared::make_mut(&mut s)`, not `s.make_mut()`), so they
/// never shadow a method of `T` reached through [`Deref`].
///
/// # Memory layout
///
/// A handle is one pointer (`size_of::<Shared<T>>() == size_of::<usize>()`, and the same for
/// `Option<Shared<T>>`). It points at one heap allocation holding the count and the value:
///
/// ```text
///  Shared<T> ─┐
///  Shared<T> ─┼──▶ ┌──────────────────────┬───────────┐
///  Shared<T> ─┘    │ count: AtomicUsize=3 │ value: T  │
///                  └──────────────────────┴───────────┘
/// ```
///
/// # Costs
///
/// | operation | cost |
/// |---|---|
/// | `clone` | one relaxed atomic increment |
/// | `drop` | one release decrement; the last handle (one acquire load) drops `T` and frees |
/// | `make_mut` / `get_mut` on a unique handle | one acquire load |
/// | `make_mut` on a shared handle | one `T::clone` and one allocation |
///
/// # Thread safety
///
/// `Shared<T>` is `Send` and `Sync` exactly when `T` is `Send + Sync`, like `Arc<T>`: any handle
/// can hand out `&T` on its thread and the last one to go drops `T` on its thread.
///
/// # Examples
///
/// ```
/// use cowkit::Shared;
///
/// let mut a = Shared::new(vec![1, 2, 3]);
/// let b = Shared::clone(&a); // O(1): both point at one vector
/// assert!(Shared::ptr_eq(&a, &b));
/// assert_eq!(Shared::strong_count(&a), 2);
///
/// Shared::make_mut(&mut a).push(4); // shared: copies once, then writes
/// assert_eq!(*a, [1, 2, 3, 4]);
/// assert_eq!(*b, [1, 2, 3]); // the other handle never sees the write
///
/// Shared::make_mut(&mut a).push(5); // unique now: writes in place
/// assert_eq!(Shared::strong_count(&a), 1);
/// ```
pub struct Shared<T> {
    /// Invariant: points at a live `Inner<T>` allocated by `Box` in [`Shared::new`], and this
    /// handle owns one of its counts.
    ptr: NonNull<Inner<T>>,
    /// Says that a `Shared<T>` owns (and may drop) an `Inner<T>`, for the drop checker.
    owns: PhantomData<Inner<T>>,
}

// SAFETY: a `Shared<T>` sent to another thread can hand out `&T` there while handles on this
// thread do too (so `T: Sync`), and may be the last handle and drop `T` there (so `T: Send`).
// The count itself is atomic. These are exactly `Arc<T>`'s bounds.
unsafe impl<T: Send + Sync> Send for Shared<T> {}
// SAFETY: `&Shared<T>` on another thread can be cloned into an owned handle there, so sharing a
// handle needs everything sending one needs: `T: Send + Sync`.
unsafe impl<T: Send + Sync> Sync for Shared<T> {}

// A handle is one non-null pointer, so `Option<Shared<T>>` costs nothing extra.
const _: () = assert!(size_of::<Shared<u8>>() == size_of::<usize>());
const _: () = assert!(size_of::<Option<Shared<u8>>>() == size_of::<usize>());

// A handle is a pointer; moving it never moves the value.
impl<T> Unpin for Shared<T> {}

impl<T> Shared<T> {
    /// Moves `value` into a new allocation with a count of one.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = cowkit::Shared::new(5);
    /// assert_eq!(*s, 5);
    /// ```
    #[inline]
    pub fn new(value: T) -> Self {
        let inner = Box::new(Inner {
            count: RefCount::new(),
            value,
        });
        Shared {
            // A pointer made from the `&mut Inner<T>` of the whole allocation: `as_ptr` and
            // `from_raw` rely on its provenance covering the count as well as the value.
            ptr: NonNull::from(Box::leak(inner)),
            owns: PhantomData,
        }
    }

    #[inline]
    fn inner(&self) -> &Inner<T> {
        // SAFETY: `ptr` points at a live `Inner<T>` while this handle exists (field invariant);
        // only shared borrows of it are made here.
        unsafe { self.ptr.as_ref() }
    }

    /// The number of handles sharing this value, this one included.
    ///
    /// Another thread may clone or drop a handle right after the read, so use the number for
    /// reporting; for decisions use [`Shared::is_unique`] or [`Shared::get_mut`].
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::Shared;
    /// let a = Shared::new("x");
    /// let b = a.clone();
    /// assert_eq!(Shared::strong_count(&a), 2);
    /// drop(b);
    /// assert_eq!(Shared::strong_count(&a), 1);
    /// ```
    #[inline]
    pub fn strong_count(this: &Self) -> usize {
        this.inner().count.get()
    }

    /// `true` when no other handle shares the value, so a write would not copy.
    ///
    /// Takes `&mut` so that the answer cannot go stale: no one can clone this handle while you
    /// hold it mutably, and other handles can only go away.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::Shared;
    /// let mut a = Shared::new(1);
    /// assert!(Shared::is_unique(&mut a));
    /// let b = a.clone();
    /// assert!(!Shared::is_unique(&mut a));
    /// drop(b);
    /// assert!(Shared::is_unique(&mut a));
    /// ```
    #[inline]
    pub fn is_unique(this: &mut Self) -> bool {
        this.inner().count.is_unique()
    }

    /// `true` when both handles point at the same allocation (not merely equal values).
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::Shared;
    /// let a = Shared::new(1);
    /// let b = a.clone();
    /// let c = Shared::new(1);
    /// assert!(Shared::ptr_eq(&a, &b));
    /// assert!(!Shared::ptr_eq(&a, &c));
    /// ```
    #[inline]
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.ptr == b.ptr
    }

    /// A mutable reference to the value when this is the only handle, else `None`. Never copies.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::Shared;
    /// let mut a = Shared::new(1);
    /// *Shared::get_mut(&mut a).unwrap() += 1;
    /// let b = a.clone();
    /// assert!(Shared::get_mut(&mut a).is_none());
    /// assert_eq!(*b, 2);
    /// ```
    #[inline]
    pub fn get_mut(this: &mut Self) -> Option<&mut T> {
        if this.inner().count.is_unique() {
            // SAFETY: the count is 1 and we hold the one handle by `&mut`, so no other handle
            // exists to read the value, and none can be made while the returned borrow (tied to
            // `this`) lives. The Acquire in `is_unique` orders every earlier reader's accesses
            // before our writes.
            Some(unsafe { &mut (*this.ptr.as_ptr()).value })
        } else {
            None
        }
    }

    /// A mutable reference to the value, first copying it into a new allocation when other
    /// handles share it ("clone on write"). The other handles keep the old value.
    ///
    /// If `T::clone` panics, `this` is left exactly as it was.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::Shared;
    /// let mut a = Shared::new(String::from("hello"));
    /// let b = a.clone();
    /// Shared::make_mut(&mut a).push_str(", world"); // copies: `b` still shares the old one
    /// assert_eq!(*a, "hello, world");
    /// assert_eq!(*b, "hello");
    /// assert!(!Shared::ptr_eq(&a, &b));
    /// ```
    #[inline]
    pub fn make_mut(this: &mut Self) -> &mut T
    where
        T: Clone,
    {
        if !this.inner().count.is_unique() {
            Shared::unshare(this);
        }
        // SAFETY: `this` is unique now: either the check above saw a count of 1 (with the
        // Acquire ordering `get_mut` relies on), or `this` is the copy we just made, which no
        // one else has seen. We hold it by `&mut` for the returned borrow's lifetime.
        unsafe { &mut (*this.ptr.as_ptr()).value }
    }

    /// [`make_mut`](Self::make_mut), with the copy made by `copy` from the shared handle
    /// instead of by `T::clone`: for a copy built differently (the page table's path copy,
    /// which copies the nodes below too). The unique case is the same one load and compare.
    /// Should `copy` hand back a handle that is not unique, it is copied again by `T::clone`.
    #[inline]
    pub(crate) fn make_mut_with(this: &mut Self, copy: impl FnOnce(&Self) -> Self) -> &mut T
    where
        T: Clone,
    {
        if !this.inner().count.is_unique() {
            // As in `unshare`: made before `this` is touched, and held by `this` before the old
            // handle drops.
            let fresh = copy(this);
            drop(mem::replace(this, fresh));
            if !this.inner().count.is_unique() {
                Shared::unshare(this);
            }
        }
        // SAFETY: `this` is unique now: the first check saw a count of 1 (with the Acquire
        // ordering `get_mut` relies on), or the check after the copy did. We hold it by `&mut`
        // for the returned borrow's lifetime.
        unsafe { &mut (*this.ptr.as_ptr()).value }
    }

    /// [`make_mut`](Self::make_mut)'s copy, out of line so that the unique case (a load and a
    /// compare) inlines into every write path.
    #[cold]
    #[inline(never)]
    fn unshare(this: &mut Self)
    where
        T: Clone,
    {
        // Clone before touching `this`: a panicking `T::clone` leaves it untouched.
        let copy = Shared::new(T::clone(this));
        // `this` holds the copy before the old handle drops, so a panic in the old value's
        // `Drop` (other handles may have gone meanwhile, making this the last) leaves `this`
        // valid and pointing at the copy.
        drop(mem::replace(this, copy));
    }

    /// The value, when `this` is the only handle; else `this` back, unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::Shared;
    /// let a = Shared::new(3);
    /// let b = a.clone();
    /// let a = Shared::try_unwrap(a).unwrap_err(); // shared: handed back
    /// drop(b);
    /// assert_eq!(Shared::try_unwrap(a), Ok(3));
    /// ```
    pub fn try_unwrap(this: Self) -> Result<T, Self> {
        if !this.inner().count.is_unique() {
            return Err(this);
        }
        let this = ManuallyDrop::new(this);
        // SAFETY: the count is 1 and we own that one handle by value, so nothing else can reach
        // the allocation; it came from `Box` (field invariant), and `ManuallyDrop` keeps `Drop`
        // from freeing it a second time.
        let inner = unsafe { Box::from_raw(this.ptr.as_ptr()) };
        Ok(inner.value)
    }

    /// Drops `this`; when it was the last handle, returns the value instead of dropping it.
    ///
    /// Unlike [`try_unwrap`](Shared::try_unwrap), this never hands the handle back, so when
    /// several threads call it on clones of one value, exactly one of them gets it (as with
    /// `Arc::into_inner`).
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::Shared;
    /// let a = Shared::new(String::from("last"));
    /// let b = a.clone();
    /// assert_eq!(Shared::into_inner(a), None); // `b` still holds it
    /// assert_eq!(Shared::into_inner(b).as_deref(), Some("last"));
    /// ```
    pub fn into_inner(this: Self) -> Option<T> {
        let this = ManuallyDrop::new(this);
        if !this.inner().count.decrement() {
            return None;
        }
        // SAFETY: `decrement` returned `true`: this was the last handle, every other handle's
        // use of the value happened before (its Acquire), and the allocation came from `Box`
        // (field invariant). `ManuallyDrop` keeps `Drop` from decrementing a second time.
        let inner = unsafe { Box::from_raw(this.ptr.as_ptr()) };
        Some(inner.value)
    }

    /// The value: moved out when `this` is the only handle, else cloned.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::Shared;
    /// let a = Shared::new(vec![1]);
    /// let b = a.clone();
    /// assert_eq!(Shared::unwrap_or_clone(a), [1]); // cloned: `b` still holds it
    /// assert_eq!(Shared::unwrap_or_clone(b), [1]); // moved out
    /// ```
    pub fn unwrap_or_clone(this: Self) -> T
    where
        T: Clone,
    {
        Shared::try_unwrap(this).unwrap_or_else(|shared| T::clone(&shared))
    }

    /// Gives up the handle and returns a pointer to the value, keeping its count.
    ///
    /// Turn it back into a handle with [`Shared::from_raw`], or the value leaks.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::Shared;
    /// let ptr = Shared::into_raw(Shared::new(7));
    /// // SAFETY: `ptr` came from `into_raw` and is turned back once.
    /// let s = unsafe { Shared::from_raw(ptr) };
    /// assert_eq!(*s, 7);
    /// ```
    #[must_use = "losing the pointer leaks the value"]
    pub fn into_raw(this: Self) -> *const T {
        let ptr = Shared::as_ptr(&this);
        mem::forget(this);
        ptr
    }

    /// Rebuilds a handle from a pointer that [`Shared::into_raw`] returned.
    ///
    /// # Safety
    ///
    /// - `ptr` must have come from `Shared::<T>::into_raw` (same `T`), and the value must
    ///   still be alive (some count on it not yet released);
    /// - the handle returned owns one count: dropping it releases one. So each count kept by
    ///   `into_raw` may be turned back into a handle that is dropped at most once. Rebuilding a
    ///   handle reads and writes nothing, so a handle rebuilt without a count of its own is
    ///   sound as long as it is never dropped (kept in `ManuallyDrop`, as arc-swap keeps its
    ///   debt-protected guards) while the value is kept alive by other counts.
    ///
    /// # Examples
    ///
    /// See [`Shared::into_raw`].
    pub unsafe fn from_raw(ptr: *const T) -> Self {
        let offset = mem::offset_of!(Inner<T>, value);
        // SAFETY: `ptr` points at the `value` field of a live `Inner<T>` (caller's contract),
        // with the provenance of the whole allocation (`as_ptr` derives it from the `Inner`
        // pointer), so stepping back by the field's offset stays inside that allocation.
        let inner = unsafe { ptr.byte_sub(offset) }
            .cast::<Inner<T>>()
            .cast_mut();
        // SAFETY: `inner` points at a live allocation, so it is not null.
        let inner = unsafe { NonNull::new_unchecked(inner) };
        Shared {
            ptr: inner,
            owns: PhantomData,
        }
    }

    /// Starts loading the cache line of the count, so that a clone, drop or uniqueness check
    /// of this handle soon after does not stall on memory. A hint: it changes nothing. Copying
    /// a page-table node prefetches all its children first, so that their cache misses overlap
    /// instead of each waiting behind the previous locked increment.
    ///
    /// The count's own address is prefetched (the allocation's start, as `Inner` is
    /// `repr(C)` with the count first).
    #[inline]
    pub(crate) fn prefetch(this: &Self) {
        prefetch(&this.inner().count);
    }

    /// The size of the one allocation behind a handle (the count and the value), for memory
    /// accounting such as `CowBuffer::stats`.
    pub(crate) const ALLOCATION_SIZE: usize = size_of::<Inner<T>>();

    /// Sets the count directly, so a test can reach the overflow bound without `isize::MAX`
    /// leaked handles.
    #[cfg(all(test, not(loom)))]
    pub(crate) fn set_count_for_test(this: &Self, count: usize) {
        this.inner().count.set_for_test(count);
    }

    /// A pointer to the value; valid while any handle to it lives. Does not change the count.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::Shared;
    /// let a = Shared::new(1);
    /// let b = a.clone();
    /// assert_eq!(Shared::as_ptr(&a), Shared::as_ptr(&b));
    /// assert_eq!(unsafe { *Shared::as_ptr(&a) }, 1);
    /// ```
    #[inline]
    pub fn as_ptr(this: &Self) -> *const T {
        // SAFETY: `ptr` points at a live `Inner<T>` (field invariant); `&raw const` takes the
        // field's address without making a reference, keeping the whole allocation's provenance.
        unsafe { &raw const (*this.ptr.as_ptr()).value }
    }
}

impl<T> Clone for Shared<T> {
    /// Another handle to the same value: one relaxed atomic increment, no copy of `T`.
    #[inline]
    fn clone(&self) -> Self {
        self.inner().count.increment();
        Shared {
            ptr: self.ptr,
            owns: PhantomData,
        }
    }
}

impl<T> Drop for Shared<T> {
    /// Drops this handle; the last handle drops `T` and frees the allocation, even when
    /// `T::drop` panics.
    #[inline]
    fn drop(&mut self) {
        if self.inner().count.decrement() {
            // SAFETY: this was the last handle (the count reached 0, with the Acquire fence
            // ordering all other handles' accesses before this point), the allocation came from
            // `Box` (field invariant), and `self` is never used again.
            unsafe { drop_slow(self.ptr) }
        }
    }
}

/// Drops the value and frees its allocation; kept out of line so that `drop` inlines small.
///
/// `Box`'s drop frees the memory even when `T::drop` panics (its unwind path still
/// deallocates), so a panicking `Drop` leaks nothing; `tests/shared.rs` pins this.
///
/// # Safety
///
/// - `ptr` came from `Box::<Inner<T>>` in [`Shared::new`];
/// - the count has reached zero: no handle to it remains or will be used again.
#[cold]
#[inline(never)]
unsafe fn drop_slow<T>(ptr: NonNull<Inner<T>>) {
    // SAFETY: both preconditions are this function's own contract.
    drop(unsafe { Box::from_raw(ptr.as_ptr()) });
}

impl<T> Deref for Shared<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.inner().value
    }
}

impl<T> AsRef<T> for Shared<T> {
    #[inline]
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T> Borrow<T> for Shared<T> {
    #[inline]
    fn borrow(&self) -> &T {
        self
    }
}

impl<T: Default> Default for Shared<T> {
    /// A new allocation holding `T::default()`.
    fn default() -> Self {
        Shared::new(T::default())
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared::new(value)
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    /// Formats the value, exactly as `T` does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: fmt::Display> fmt::Display for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T> fmt::Pointer for Shared<T> {
    /// Formats the address of the value, as [`Shared::as_ptr`] returns it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Pointer::fmt(&Shared::as_ptr(self), f)
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    /// Compares the values (two handles of one allocation compare like `T` compares with
    /// itself, so a `NaN` is still unequal to itself).
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Eq> Eq for Shared<T> {}

impl<T: PartialOrd> PartialOrd for Shared<T> {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        (**self).partial_cmp(&**other)
    }
}

impl<T: Ord> Ord for Shared<T> {
    #[inline]
    fn cmp(&self, other: &Self) -> CmpOrdering {
        (**self).cmp(&**other)
    }
}

impl<T: Hash> Hash for Shared<T> {
    /// Hashes the value, exactly as `T` does (so `Borrow<T>` lookups work).
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

//! `Shared<T>` as an `arc_swap::RefCnt`, so that an `arc_swap::ArcSwapAny<Shared<T>>` (the
//! default publication strategy's cell) stores it directly: the contract and its argument,
//! written once.

use super::Shared;

// SAFETY: `arc_swap::RefCnt`'s contract as of arc-swap 1.9.5 (its src/ref_cnt.rs; Cargo.toml
// requires 1.9.5, the first release in which a load can no longer return a value stored in a
// *different* `ArcSwap` whose freed address was reused, arc-swap #210), point by point:
// - `into_ptr` and `as_ptr` return the same non-null pointer for one handle, and it stays put
//   when the handle is moved or cloned: both are `Shared::as_ptr`, the address of the value
//   inside its own allocation, which no other live value shares (each `Shared::new` is an
//   allocation of its own, of at least the count's size, so ZSTs too get distinct addresses
//   while alive).
// - Counting: `clone` and `drop` move `Shared`'s one atomic count, which frees at zero only.
// - `from_ptr` is not a one-to-one inverse of `into_ptr`. arc-swap also rebuilds handles,
//   inside `ManuallyDrop`, from pointers it holds no count for: a reader's guard protected by
//   a "debt" (a per-thread slot promising a count not yet taken). `Shared::from_raw` only
//   offsets the pointer back to its allocation and reads and writes nothing, so it is sound on
//   such a pointer while the value is alive and as long as that handle is not dropped without
//   a count behind it. arc-swap keeps both: a debt-protected handle is dropped only after the
//   debt was paid (a writer took a count for it), and before a pointer leaves the cell (swap,
//   into_inner, the cell's drop) the writer pays every debt on it, so the count cannot reach
//   zero under an unpaid debt (see `RefCount::decrement` for why a count of 1 is then ours
//   alone). Since 1.9.5 a writer pays a debt only when it was
//   taken on the writer's own instance or confirmed by the reader against it
//   (`Debt::pay_for_storage` checks the slot's storage address), so a writer of another cell
//   whose freed value's address was reused can no longer pay our reader's debt and hand it a
//   count on a foreign value.
// - `TAG` (1.9.4) stays 0: `Shared` has no weak pointers sharing its count, so no two pointer
//   kinds to one allocation can be stored in different instances.
// - No panics: `clone` (arc-swap's `inc`) never unwinds: past `isize::MAX` counts it aborts
//   (arc-swap 1.9.2 documents that `inc` must not unwind: a panicking `inc` inside
//   `Guard::into_inner` double-decrements). `drop` (arc-swap's `dec`) unwinds only when it
//   releases the last count and `T::drop` panics, exactly as `Arc<T>`, which arc-swap
//   implements the trait for itself, does. Where arc-swap can release a last count (the
//   cell's drop, a guard's drop, a `Cache` reload, a reader's slow-path load whose debt a
//   writer paid after the writer's caller dropped the replaced version), such an unwind ends
//   the operation without freeing anything early; at worst the slow-path load leaks its count
//   on the newer version.
unsafe impl<T> arc_swap::RefCnt for Shared<T> {
    type Base = T;

    fn into_ptr(me: Self) -> *mut T {
        Shared::into_raw(me).cast_mut()
    }

    fn as_ptr(me: &Self) -> *mut T {
        Shared::as_ptr(me).cast_mut()
    }

    unsafe fn from_ptr(ptr: *const T) -> Self {
        // SAFETY: `ptr` came from `into_ptr` (a `Shared::into_raw`) of a value that is alive:
        // either arc-swap owns a count it took for it, or it holds a debt on it, under which
        // the value stays alive and the handle made here is kept in a `ManuallyDrop` until the
        // debt is paid (see the impl's SAFETY comment). `from_raw` touches no count, so neither
        // case counts twice.
        unsafe { Shared::from_raw(ptr) }
    }
}

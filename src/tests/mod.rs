//! Tests of internals that the public API cannot reach.
//!
//! `page_pool_faults.rs` is declared by the page pool (`buffer/page/pool.rs`), so that it is
//! built exactly where the pool is.

#[cfg(not(loom))]
mod overflow;

#[cfg(loom)]
mod loom_buffer;
#[cfg(all(loom, feature = "std"))]
mod loom_cell;
#[cfg(loom)]
mod loom_shared;
#[cfg(loom)]
mod loom_string;

/// `Shared::make_mut_with`: the copy is `copy`'s when the handle is shared, none when it is
/// unique, and a `T::clone` when `copy` hands back a handle that is not unique.
#[cfg(not(loom))]
#[test]
fn make_mut_with_copies_only_shared_handles() {
    use crate::shared::Shared;
    use alloc::vec;

    let mut a = Shared::new(vec![1, 2]);
    let before = Shared::as_ptr(&a);
    Shared::make_mut_with(&mut a, |_| unreachable!("unique: no copy")).push(3);
    assert_eq!((Shared::as_ptr(&a), &*a), (before, &vec![1, 2, 3]));

    let b = a.clone();
    Shared::make_mut_with(&mut a, |old| Shared::new(vec![old[0] * 10])).push(4);
    assert_eq!((&*a, &*b), (&vec![10, 4], &vec![1, 2, 3]));
    assert_eq!(Shared::strong_count(&b), 1);

    // A copy that is itself shared (here: another handle on the old value) is copied again.
    let c = b.clone();
    let mut d = b.clone();
    Shared::make_mut_with(&mut d, Shared::clone).push(5);
    assert_eq!(
        (&*b, &*c, &*d),
        (&vec![1, 2, 3], &vec![1, 2, 3], &vec![1, 2, 3, 5])
    );
    assert!(!Shared::ptr_eq(&b, &d));
    assert_eq!(Shared::strong_count(&b), 2);
}

//! Pages: [`PAGE_SIZE`] bytes behind a [`Shared`] count, made writable copy-on-write, and the
//! pool that keeps freed pages for reuse.
//!
//! Why a pool: a page that the allocator hands back to the kernel costs a first-touch fault
//! (~1.5 µs measured on this project's machines) when it is next written. That is most of what
//! the kernel's own copy-on-write fault costs (~2 µs), so without reuse a user-space copy loses
//! its advantage exactly when it matters: right after a large diverged clone is dropped. The
//! pool is bounded ([`DEFAULT_POOL_LIMIT`], changed with `CowBuffer::set_page_pool_limit`),
//! shared by every buffer and guarded by one mutex, taken once per page taken and once per
//! table leaf freed (never once per freed page).

#![deny(unsafe_code)]

use super::PAGE_SIZE;
use crate::Shared;

/// The bytes of one page. Only pages reached through a unique handle are ever written.
pub(crate) struct Page(pub(crate) [u8; PAGE_SIZE]);

/// A handle to a page: the page table's leaves. `None` in a slot is a hole (reads as zeros).
pub(crate) type PageRef = Shared<Page>;

/// What a hole reads as.
pub(crate) static ZEROS: [u8; PAGE_SIZE] = [0; PAGE_SIZE];

/// The pool's default bound: 4,096 pages (16 MiB with 4 KiB pages). Enough to absorb the
/// churn of a typical working set of diverged clones without holding much memory hostage.
#[cfg(all(feature = "std", not(loom)))]
pub(crate) const DEFAULT_POOL_LIMIT: usize = 4096;

/// Makes the page in `slot` writable and returns its bytes: in place when this handle is the
/// only one, else a new page; a hole becomes a page.
///
/// With `overwrite` the caller promises to write every byte of the page, so a new page is not
/// filled first (neither zeroed for a hole nor copied from a shared page).
#[inline]
pub(crate) fn writable(slot: &mut Option<PageRef>, overwrite: bool) -> &mut [u8; PAGE_SIZE] {
    if !slot.as_mut().is_some_and(Shared::is_unique) {
        let mut page = fresh();
        if !overwrite {
            let bytes = &mut unique(&mut page).0;
            match slot.as_deref() {
                Some(shared) => bytes.copy_from_slice(&shared.0),
                None => bytes.fill(0),
            }
        }
        // Drops this buffer's count on the shared page (it was not the last one: the page was
        // shared a moment ago; if the other holder went meanwhile, the page is freed here).
        *slot = Some(page);
    }
    match slot {
        Some(page) => &mut unique(page).0,
        None => unreachable!("the slot was filled above"),
    }
}

/// The bytes of a page known to be held by one handle only.
#[inline]
fn unique(page: &mut PageRef) -> &mut Page {
    Shared::get_mut(page).expect("cowkit: a fresh or checked page has one handle")
}

/// A page with one handle and unspecified bytes: from the pool when it has one.
#[inline]
fn fresh() -> PageRef {
    #[cfg(all(feature = "std", not(loom)))]
    if let Some(page) = pool::take() {
        return page;
    }
    new_page()
}

/// A page straight from the allocator (kept out of line: the pool usually has one).
#[cold]
#[inline(never)]
fn new_page() -> PageRef {
    Shared::new(Page([0; PAGE_SIZE]))
}

/// Gives up pages a table no longer holds: unique ones go back to the pool while it has room,
/// the others are dropped (a shared page just loses one count).
pub(crate) fn recycle(pages: impl Iterator<Item = PageRef>) {
    #[cfg(all(feature = "std", not(loom)))]
    pool::put(pages);
    #[cfg(not(all(feature = "std", not(loom))))]
    pages.for_each(drop);
}

/// The process-wide pool of free pages.
#[cfg(all(feature = "std", not(loom)))]
pub(crate) mod pool {
    use alloc::vec::Vec;

    use super::{DEFAULT_POOL_LIMIT, PageRef};
    use crate::Shared;
    use crate::sync::PoolMutex;

    /// Free pages and the bound on their number.
    struct Pool {
        /// Invariant: every handle here is the only handle to its page, and
        /// `pages.len() <= limit`.
        pages: Vec<PageRef>,
        /// The most pages kept.
        limit: usize,
    }

    static POOL: PoolMutex<Pool> = PoolMutex::new(Pool {
        pages: Vec::new(),
        limit: DEFAULT_POOL_LIMIT,
    });

    /// A free page, if the pool has one.
    #[inline]
    pub(super) fn take() -> Option<PageRef> {
        POOL.lock().pages.pop()
    }

    /// Keeps the unique pages of `pages` while there is room; drops the rest.
    pub(super) fn put(pages: impl Iterator<Item = PageRef>) {
        let mut pool = POOL.lock();
        for mut page in pages {
            if pool.pages.len() < pool.limit && Shared::is_unique(&mut page) {
                pool.pages.push(page);
            }
            // Otherwise `page` drops here: freed to the allocator, or one count less.
        }
    }

    /// Sets the bound (in pages), freeing pooled pages above it; returns the previous bound.
    pub(crate) fn set_limit(limit: usize) -> usize {
        let (previous, excess) = {
            let mut pool = POOL.lock();
            let keep = pool.pages.len().min(limit);
            let excess = pool.pages.split_off(keep);
            if limit < pool.pages.capacity() / 2 {
                pool.pages.shrink_to(limit);
            }
            (core::mem::replace(&mut pool.limit, limit), excess)
        };
        // Freed after the lock is released.
        drop(excess);
        previous
    }

    /// How many pages the pool holds now.
    pub(crate) fn len() -> usize {
        POOL.lock().pages.len()
    }
}

/// Loom builds have no pool (see the module docs); the public limit functions still exist.
#[cfg(all(feature = "std", loom))]
pub(crate) mod pool {
    /// No pool: nothing to bound.
    pub(crate) fn set_limit(_limit: usize) -> usize {
        0
    }

    /// No pool: nothing held.
    pub(crate) fn len() -> usize {
        0
    }
}

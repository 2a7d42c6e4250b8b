//! Every tunable of cowkit in one place, each with the reason for its value.
//!
//! Tests may shrink some of them (`--cfg cowkit_small_pages`) to reach deep structures with
//! little data; each such variant sits beside the production value.
// Some builds leave out the code that uses a tunable (the page pool without `std`, under loom
// and with `--cfg cowkit_unpooled`), so a tunable unused in one build is not an error here.
#![allow(dead_code)]

/// Versions a seize cell gives up before seize checks the other threads for them (seize's own
/// default). Each writing thread keeps up to this many replaced versions alive until its batch
/// is reclaimed: the write-scaling report's trade of memory for the walk over the threads.
#[cfg(feature = "seize")]
pub(crate) const SEIZE_BATCH: usize = 16;

/// The page pool's default bound on free frames kept in idle arenas: 4,096 pages (16 MiB with
/// 4 KiB pages: 8 idle arenas). Enough to absorb the churn of a typical working set of
/// diverged clones without holding much memory hostage (`CowBuffer::set_page_pool_limit`).
#[cfg(feature = "std")]
pub(crate) const PAGE_POOL_LIMIT: usize = 4096;

/// Free frames each thread keeps for itself (128 KiB with 4 KiB pages): a thread that copies
/// and drops pages in a loop then takes no lock per page.
#[cfg(feature = "std")]
pub(crate) const PAGE_CACHE_FRAMES: usize = 32;

/// Frames moved between a thread's cache and the pool at a time: half the cache, so that a
/// thread alternating takes and frees at the boundary does not lock on every page.
#[cfg(feature = "std")]
pub(crate) const PAGE_CACHE_BATCH: usize = PAGE_CACHE_FRAMES / 2;

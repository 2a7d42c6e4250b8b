//! Every tunable of cowkit in one place, each with the reason for its value.
//!
//! Tests may shrink some of them (`--cfg cowkit_small_pages`) to reach deep structures with
//! little data; each such variant sits beside the production value.

/// Versions a seize cell gives up before seize checks the other threads for them (seize's own
/// default). Each writing thread keeps up to this many replaced versions alive until its batch
/// is reclaimed: the write-scaling report's trade of memory for the walk over the threads.
#[cfg(feature = "seize")]
pub(crate) const SEIZE_BATCH: usize = 16;

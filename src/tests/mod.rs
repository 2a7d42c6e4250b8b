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

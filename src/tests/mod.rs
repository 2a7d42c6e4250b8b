//! Tests of internals that the public API cannot reach.

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

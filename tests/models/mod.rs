//! Operation models shared by the proptests and the fuzz targets: one `Op` enum per family,
//! applied to the cowkit type and to a std model, with the invariants checked after every op.

#[cfg(feature = "std")]
pub mod buffer;
#[cfg(feature = "std")]
pub mod list;
#[cfg(feature = "std")]
pub mod map;
pub mod quiet;
pub mod shared;
pub mod string;
pub mod vec;

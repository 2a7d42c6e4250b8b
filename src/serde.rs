//! Every serde impl of the crate, behind the `serde` feature.
//!
//! Each type serializes as its value, and deserializes by building the value first.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Shared;

impl<T: Serialize> Serialize for Shared<T> {
    /// Serializes the value, exactly as `T` does: the sharing is not recorded.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        T::serialize(self, serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Shared<T> {
    /// Deserializes a `T` into a new, unique allocation.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Shared::new)
    }
}

//! Every serde impl of the crate, behind the `serde` feature.
//!
//! Each type serializes as its value, and deserializes by building the value first.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{CowString, Shared};

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

impl Serialize for CowString {
    /// Serializes as a string.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

impl<'de> Deserialize<'de> for CowString {
    /// Deserializes from a string: inline when it fits, else one exact-size block.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Accepts any string form the deserializer offers.
        struct Text;

        impl serde::de::Visitor<'_> for Text {
            type Value = CowString;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<CowString, E> {
                Ok(CowString::from(text))
            }
        }

        deserializer.deserialize_str(Text)
    }
}

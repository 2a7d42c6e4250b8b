//! Every serde impl of the crate, behind the `serde` feature.
//!
//! Each type serializes as its value, and deserializes by building the value first.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::buffer::CowBuffer;
use crate::shared::Shared;
use crate::string::CowString;

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

impl Serialize for CowBuffer {
    /// Serializes as a sequence of `u8` with its length up front, exactly as `Vec<u8>` and
    /// `[u8]` serialize, streamed page by page: nothing is gathered into one allocation, so a
    /// buffer of holes costs no memory to write out. (serde can hand a bytes type only one
    /// contiguous slice, which would mean copying the whole buffer first.) In bincode,
    /// postcard and JSON this is the same output as `serialize_bytes`; formats with a distinct
    /// byte-string type (CBOR, MessagePack) write an array, as they do for `Vec<u8>`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;

        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for chunk in self.pages() {
            for byte in chunk {
                seq.serialize_element(byte)?;
            }
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for CowBuffer {
    /// Deserializes from bytes or a sequence of `u8`. A sequence is written into pages as its
    /// elements arrive: a length announced up front is never allocated ahead of the data.
    /// Either way a page whose bytes are all zero stays a hole (no memory).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Accepts bytes in any form the deserializer offers.
        struct Bytes;

        impl<'de> serde::de::Visitor<'de> for Bytes {
            type Value = CowBuffer;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("bytes")
            }

            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<CowBuffer, E> {
                Ok(CowBuffer::from(bytes))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<CowBuffer, A::Error> {
                let mut buffer = CowBuffer::new();
                let mut page = [0u8; crate::PAGE_SIZE];
                let mut filled = 0;
                while let Some(byte) = seq.next_element::<u8>()? {
                    page[filled] = byte;
                    filled += 1;
                    if filled == page.len() {
                        buffer.extend_from_slice(&page);
                        filled = 0;
                    }
                }
                buffer.extend_from_slice(&page[..filled]);
                Ok(buffer)
            }
        }

        deserializer.deserialize_bytes(Bytes)
    }
}

/// The snapshot collections: each serializes one snapshot of its current version, so a
/// concurrent writer can never make it write half of an update.
#[cfg(feature = "std")]
mod collections {
    use core::hash::{BuildHasher, Hash};
    use std::collections::HashMap;
    use std::vec::Vec;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::cell::GenericCowCell;
    use crate::cell::publish::Publish;
    use crate::list::GenericCowList;
    use crate::list::set::GenericCowSet;
    use crate::map::GenericCowMap;

    impl<T: Serialize, P: Publish> Serialize for GenericCowCell<T, P> {
        /// Serializes the current value, as `T` does.
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            T::serialize(&self.load(), serializer)
        }
    }

    impl<'de, T: Deserialize<'de>, P: Publish> Deserialize<'de> for GenericCowCell<T, P> {
        /// Deserializes a `T` into a new cell.
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            T::deserialize(deserializer).map(GenericCowCell::new)
        }
    }

    impl<T: Serialize, P: Publish> Serialize for GenericCowList<T, P> {
        /// Serializes the current version as a sequence.
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.load()[..].serialize(serializer)
        }
    }

    impl<'de, T: Deserialize<'de>, P: Publish> Deserialize<'de> for GenericCowList<T, P> {
        /// Deserializes a sequence (through `Vec<T>`, whose serde impl caps pre-allocation).
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            Vec::deserialize(deserializer).map(GenericCowList::from)
        }
    }

    impl<T: Serialize, P: Publish> Serialize for GenericCowSet<T, P> {
        /// Serializes the current version as a sequence, in insertion order.
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.load()[..].serialize(serializer)
        }
    }

    impl<'de, T: Deserialize<'de> + PartialEq, P: Publish> Deserialize<'de> for GenericCowSet<T, P> {
        /// Deserializes a sequence, keeping the first of equal elements.
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            Vec::deserialize(deserializer).map(GenericCowSet::from)
        }
    }

    impl<K: Serialize, V: Serialize, H, P: Publish> Serialize for GenericCowMap<K, V, H, P> {
        /// Serializes the current version as a map.
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(self.load().iter())
        }
    }

    impl<'de, K, V, H, P: Publish> Deserialize<'de> for GenericCowMap<K, V, H, P>
    where
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
        H: BuildHasher + Default,
    {
        /// Deserializes a map (through `HashMap`, whose serde impl caps pre-allocation).
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            HashMap::deserialize(deserializer).map(GenericCowMap::from)
        }
    }
}

impl<T: Serialize> Serialize for crate::vec::CowVec<T> {
    /// Serializes as a sequence with its length up front, exactly as `Vec<T>` does, streamed
    /// chunk by chunk.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self)
    }
}

impl<'de, T: Deserialize<'de> + Clone> Deserialize<'de> for crate::vec::CowVec<T> {
    /// Deserializes a sequence, pushing each element (no `Vec` gathered first).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Accepts a sequence of `T`.
        struct Elements<T>(core::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de> + Clone> serde::de::Visitor<'de> for Elements<T> {
            type Value = crate::vec::CowVec<T>;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a sequence")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = crate::vec::CowVec::new();
                while let Some(x) = seq.next_element()? {
                    out.push(x);
                }
                Ok(out)
            }
        }

        deserializer.deserialize_seq(Elements(core::marker::PhantomData))
    }
}

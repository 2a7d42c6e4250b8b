//! The errors of [`CowString::from_utf8`] and [`CowString::from_utf16`].

use alloc::vec::Vec;
use core::fmt;

#[cfg(doc)]
use super::repr::CowString;

/// The error of [`CowString::from_utf8`]: the bytes were not UTF-8. Gives the bytes back, as
/// `std::string::FromUtf8Error` does.
///
/// # Examples
///
/// ```
/// let error = cowkit::CowString::from_utf8(vec![0xf0, 0x9f]).unwrap_err();
/// assert_eq!(error.as_bytes(), [0xf0, 0x9f]);
/// assert_eq!(error.utf8_error().error_len(), None); // cut short, not invalid
/// assert_eq!(
///     error.to_string(),
///     "incomplete utf-8 byte sequence from index 0"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FromUtf8Error {
    pub(super) bytes: Vec<u8>,
    pub(super) error: core::str::Utf8Error,
}

impl FromUtf8Error {
    /// The bytes that were to become the string.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes that were to become the string, given back.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Where the first invalid sequence is, as `str::from_utf8` reports it.
    pub fn utf8_error(&self) -> core::str::Utf8Error {
        self.error
    }
}

impl fmt::Display for FromUtf8Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl core::error::Error for FromUtf8Error {}

/// The error of [`CowString::from_utf16`]: the text held a lone surrogate.
///
/// # Examples
///
/// ```
/// let error = cowkit::CowString::from_utf16(&[0xD800]).unwrap_err();
/// assert_eq!(error.to_string(), "invalid utf-16: lone surrogate found");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FromUtf16Error(pub(super) ());

impl fmt::Display for FromUtf16Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid utf-16: lone surrogate found")
    }
}

impl core::error::Error for FromUtf16Error {}

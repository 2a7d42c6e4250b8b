//! [`Drain`], the iterator of [`CowString::drain`].

use core::fmt;
use core::iter::FusedIterator;

use super::repr::CowString;

/// The iterator of [`CowString::drain`]: the removed `char`s, front to back.
///
/// Like `std::string::Drain`, it borrows the string mutably, and removes the range from it
/// when dropped.
///
/// # Examples
///
/// ```
/// use cowkit::{CowString, string::Drain};
/// let mut s = CowString::from("αβγ");
/// let mut d: Drain<'_> = s.drain(..4);
/// assert_eq!(d.next_back(), Some('β'));
/// assert_eq!(d.as_str(), "α");
/// drop(d);
/// assert_eq!(s, "γ");
/// ```
pub struct Drain<'a> {
    /// The string, mutably borrowed for `'a`; its text is private (inline or unshared) unless
    /// `start == end`.
    pub(super) string: *mut CowString,
    /// The removed byte range, on char boundaries.
    pub(super) start: usize,
    pub(super) end: usize,
    /// The part of the removed text not yet yielded.
    pub(super) chars: core::str::Chars<'a>,
}

// SAFETY: a `Drain` stands for the `&'a mut CowString` it was made from (which is `Send` and
// `Sync`, as `CowString` is) and a `Chars` into its private text; nothing else reaches them.
unsafe impl Send for Drain<'_> {}
// SAFETY: `&Drain` only reads the not-yet-yielded text; see `Send`.
unsafe impl Sync for Drain<'_> {}

impl Drain<'_> {
    /// The removed text not yet yielded.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("abc");
    /// let mut d = s.drain(..);
    /// d.next();
    /// assert_eq!(d.as_str(), "bc");
    /// ```
    pub fn as_str(&self) -> &str {
        self.chars.as_str()
    }
}

impl Drop for Drain<'_> {
    fn drop(&mut self) {
        if self.start != self.end {
            // SAFETY: the `Drain` holds the only borrow of the string (`'a`), and `chars` is
            // not used again; `start..end` was checked by `drain` and the text has not changed
            // since (nothing else could reach it).
            unsafe { (*self.string).splice(self.start, self.end, &[]) };
        }
    }
}

impl fmt::Debug for Drain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Drain").field(&self.as_str()).finish()
    }
}

impl AsRef<str> for Drain<'_> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<[u8]> for Drain<'_> {
    fn as_ref(&self) -> &[u8] {
        self.as_str().as_bytes()
    }
}

impl Iterator for Drain<'_> {
    type Item = char;

    #[inline]
    fn next(&mut self) -> Option<char> {
        self.chars.next()
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.chars.size_hint()
    }

    #[inline]
    fn last(mut self) -> Option<char> {
        self.next_back()
    }
}

impl DoubleEndedIterator for Drain<'_> {
    #[inline]
    fn next_back(&mut self) -> Option<char> {
        self.chars.next_back()
    }
}

impl FusedIterator for Drain<'_> {}

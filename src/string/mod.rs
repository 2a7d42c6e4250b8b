//! [`CowString`]: a 16-byte refcounted string with 16 bytes inline, O(1) clone, and writes that
//! copy only when the text is shared; and its companions, as `std::string` has them: the
//! [`Drain`] iterator, the errors of [`CowString::from_utf8`] and [`CowString::from_utf16`], and
//! [`ToCowString`]. `CowString` and `ToCowString` are also re-exported at the crate root.

mod block;
mod drain;
mod error;
mod impls;
mod repr;

use alloc::boxed::Box;
use alloc::collections::TryReserveError;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::{Range, RangeBounds};
use core::ptr;

pub use self::drain::Drain;
pub use self::error::{FromUtf8Error, FromUtf16Error};
pub use self::repr::CowString;
use crate::range::slice_range;

/// The panics of `String::drain` and `String::extend_from_within` (std 1.95) for a range whose
/// start or end is not on a char boundary.
const DRAIN_BOUNDARY: [&str; 2] = [
    "assertion failed: self.is_char_boundary(start)",
    "assertion failed: self.is_char_boundary(end)",
];

/// The same panics of `String::replace_range` (std 1.95).
const REPLACE_RANGE_BOUNDARY: [&str; 2] = [
    "start of range should be a character boundary",
    "end of range should be a character boundary",
];

impl CowString {
    /// Takes the bytes of `vec` as text if they are UTF-8, as `String::from_utf8` does (the
    /// bytes are copied: inline up to 16, else into one block of exactly their length).
    ///
    /// # Errors
    ///
    /// When `vec` is not UTF-8: a [`FromUtf8Error`] that gives the bytes back and says where
    /// the first bad sequence is.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowString;
    /// assert_eq!(CowString::from_utf8(b"cow".to_vec()).unwrap(), "cow");
    /// let error = CowString::from_utf8(vec![b'a', 0xff]).unwrap_err();
    /// assert_eq!(error.utf8_error().valid_up_to(), 1);
    /// assert_eq!(error.into_bytes(), [b'a', 0xff]);
    /// ```
    pub fn from_utf8(vec: Vec<u8>) -> Result<CowString, FromUtf8Error> {
        match core::str::from_utf8(&vec) {
            Ok(text) => Ok(CowString::from(text)),
            Err(error) => Err(FromUtf8Error { bytes: vec, error }),
        }
    }

    /// The bytes as text, each invalid sequence replaced by U+FFFD (`�`), as
    /// `String::from_utf8_lossy` does; returns a `CowString` (inline when short) rather than a
    /// `Cow<str>`.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowString;
    /// assert_eq!(CowString::from_utf8_lossy(b"a\xffb"), "a\u{FFFD}b");
    /// ```
    pub fn from_utf8_lossy(bytes: &[u8]) -> CowString {
        let mut text = CowString::with_capacity(bytes.len());
        for chunk in bytes.utf8_chunks() {
            text.push_str(chunk.valid());
            if !chunk.invalid().is_empty() {
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
        text
    }

    /// Takes the bytes of `vec` as text without checking that they are UTF-8.
    ///
    /// # Safety
    ///
    /// `vec` must be UTF-8, as for `String::from_utf8_unchecked`.
    ///
    /// # Examples
    ///
    /// ```
    /// // SAFETY: the bytes are ASCII.
    /// let s = unsafe { cowkit::CowString::from_utf8_unchecked(b"cow".to_vec()) };
    /// assert_eq!(s, "cow");
    /// ```
    pub unsafe fn from_utf8_unchecked(vec: Vec<u8>) -> CowString {
        // SAFETY: UTF-8 by the caller's contract.
        CowString::from(unsafe { core::str::from_utf8_unchecked(&vec) })
    }

    /// Decodes UTF-16 text, as `String::from_utf16` does.
    ///
    /// # Errors
    ///
    /// A [`FromUtf16Error`] when `v` holds a lone surrogate.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowString;
    /// let music = [0xD834, 0xDD1E, 0x006d, 0x0075, 0x0073, 0x0069, 0x0063];
    /// assert_eq!(CowString::from_utf16(&music).unwrap(), "𝄞music");
    /// assert!(CowString::from_utf16(&[0xD834, 0x006d]).is_err());
    /// ```
    pub fn from_utf16(v: &[u16]) -> Result<CowString, FromUtf16Error> {
        let mut text = CowString::with_capacity(v.len());
        for unit in char::decode_utf16(v.iter().copied()) {
            text.push(unit.map_err(|_| FromUtf16Error(()))?);
        }
        Ok(text)
    }

    /// Decodes UTF-16 text, each lone surrogate replaced by U+FFFD (`�`), as
    /// `String::from_utf16_lossy` does.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowString;
    /// assert_eq!(CowString::from_utf16_lossy(&[0x0061, 0xD834]), "a\u{FFFD}");
    /// ```
    pub fn from_utf16_lossy(v: &[u16]) -> CowString {
        let mut text = CowString::with_capacity(v.len());
        text.extend(
            char::decode_utf16(v.iter().copied())
                .map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER)),
        );
        text
    }

    /// Makes the text private (unshares it) with room for at least `additional` more bytes.
    ///
    /// # Panics
    ///
    /// When the new length would exceed the maximum ("capacity overflow").
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("a");
    /// s.reserve(100);
    /// assert!(s.capacity() >= 101);
    /// ```
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        self.writable(additional);
    }

    /// Makes the text private (unshares it) with room for exactly `additional` more bytes if
    /// it must move, where [`reserve`](Self::reserve) leaves room to grow.
    ///
    /// # Panics
    ///
    /// When the new length would exceed the maximum ("capacity overflow").
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("a text longer than fifteen bytes");
    /// s.reserve_exact(10);
    /// assert_eq!(s.capacity(), s.len() + 10);
    /// ```
    pub fn reserve_exact(&mut self, additional: usize) {
        if let Err(fail) = self.make_room(additional, true) {
            fail.raise();
        }
    }

    /// [`reserve`](Self::reserve), reporting a failure instead of panicking or aborting: a
    /// length past the maximum, or an allocator that has no memory. On error the text is
    /// unchanged.
    ///
    /// # Errors
    ///
    /// std's [`TryReserveError`], as `String::try_reserve` returns it.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("text");
    /// assert!(s.try_reserve(100).is_ok() && s.capacity() >= 104);
    /// assert!(s.try_reserve(usize::MAX).is_err());
    /// assert_eq!(s, "text");
    /// ```
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), TryReserveError> {
        self.try_make_room(additional, false)
    }

    /// [`reserve_exact`](Self::reserve_exact), reporting a failure instead of panicking or
    /// aborting. On error the text is unchanged.
    ///
    /// # Errors
    ///
    /// std's [`TryReserveError`], as `String::try_reserve_exact` returns it.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("text");
    /// assert!(s.try_reserve_exact(100).is_ok() && s.capacity() == 104);
    /// assert!(s.try_reserve_exact(usize::MAX).is_err());
    /// ```
    pub fn try_reserve_exact(&mut self, additional: usize) -> Result<(), TryReserveError> {
        self.try_make_room(additional, true)
    }

    /// Releases spare room: a text of up to 16 bytes moves inline; a private heap block shrinks
    /// to the length. A shared block is left as it is (the other handles still use it).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::with_capacity(100);
    /// s.push_str("short");
    /// s.shrink_to_fit();
    /// assert!(s.is_inline());
    /// ```
    pub fn shrink_to_fit(&mut self) {
        self.shrink_to(0);
    }

    /// Appends a `char`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("ab");
    /// s.push('ç');
    /// assert_eq!(s, "abç");
    /// ```
    #[inline]
    pub fn push(&mut self, ch: char) {
        self.push_char(ch);
    }

    /// Appends a string slice.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::new();
    /// s.push_str("copy");
    /// s.push_str("-on-write");
    /// assert_eq!(s, "copy-on-write");
    /// ```
    #[inline]
    pub fn push_str(&mut self, string: &str) {
        self.push_bytes(string.as_bytes());
    }

    /// Removes the last `char` and returns it; `None` when empty. Never copies the text.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("ab");
    /// assert_eq!(s.pop(), Some('b'));
    /// assert_eq!(s.pop(), Some('a'));
    /// assert_eq!(s.pop(), None);
    /// ```
    pub fn pop(&mut self) -> Option<char> {
        let ch = self.chars().next_back()?;
        // Only the length changes: a shared block is not written, so this needs no copy.
        self.set_len(self.len() - ch.len_utf8());
        Some(ch)
    }

    /// Inserts a `char` at byte index `idx`.
    ///
    /// # Panics
    ///
    /// When `idx` is past the end or not on a `char` boundary, as `String::insert`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("ac");
    /// s.insert(1, 'b');
    /// assert_eq!(s, "abc");
    /// ```
    pub fn insert(&mut self, idx: usize, ch: char) {
        assert!(
            self.is_char_boundary(idx),
            "assertion failed: self.is_char_boundary(idx)"
        );
        let mut buf = [0; 4];
        self.insert_bytes(idx, ch.encode_utf8(&mut buf).as_bytes());
    }

    /// Inserts a string slice at byte index `idx`.
    ///
    /// # Panics
    ///
    /// When `idx` is past the end or not on a `char` boundary, as `String::insert_str`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("cow");
    /// s.insert_str(0, "copy-on-write ");
    /// assert_eq!(s, "copy-on-write cow");
    /// ```
    pub fn insert_str(&mut self, idx: usize, string: &str) {
        assert!(
            self.is_char_boundary(idx),
            "assertion failed: self.is_char_boundary(idx)"
        );
        self.insert_bytes(idx, string.as_bytes());
    }

    /// Removes the `char` at byte index `idx` and returns it.
    ///
    /// # Panics
    ///
    /// When `idx` is not on a `char` boundary, or is at or past the end, as `String::remove`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("abc");
    /// assert_eq!(s.remove(1), 'b');
    /// assert_eq!(s, "ac");
    /// ```
    pub fn remove(&mut self, idx: usize) -> char {
        let Some(ch) = self[idx..].chars().next() else {
            panic!("cannot remove a char from the end of a string");
        };
        let width = ch.len_utf8();
        let (dst, len) = self.writable(0);
        // SAFETY: `idx + width <= len` (the char was found there); the tail moves down over it
        // inside our private buffer (`copy` allows the overlap).
        unsafe { ptr::copy(dst.add(idx + width), dst.add(idx), len - idx - width) };
        self.set_len(len - width);
        ch
    }

    /// Shortens the text to `new_len` bytes; nothing happens when it is not shorter. Never
    /// copies the text.
    ///
    /// # Panics
    ///
    /// When `new_len` is shorter than the text and not on a `char` boundary, as
    /// `String::truncate`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("hello");
    /// s.truncate(2);
    /// assert_eq!(s, "he");
    /// ```
    pub fn truncate(&mut self, new_len: usize) {
        if new_len < self.len() {
            assert!(
                self.is_char_boundary(new_len),
                "assertion failed: self.is_char_boundary(new_len)"
            );
            // Only the length changes: a shared block is not written.
            self.set_len(new_len);
        }
    }

    /// Empties the text. A private buffer keeps its capacity; a shared one is let go.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("text");
    /// s.clear();
    /// assert!(s.is_empty());
    /// ```
    pub fn clear(&mut self) {
        if !self.is_unique() {
            *self = CowString::new();
        } else {
            self.set_len(0);
        }
    }

    /// Keeps only the `char`s for which `keep` returns `true`, in order.
    ///
    /// If `keep` panics, the text stays valid: the `char`s already judged are kept or removed
    /// as `keep` said, and the rest are kept.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("c-o-w");
    /// s.retain(|c| c != '-');
    /// assert_eq!(s, "cow");
    /// ```
    pub fn retain<F: FnMut(char) -> bool>(&mut self, mut keep: F) {
        /// Closes the gap between the kept text and the unjudged tail, also on a panic.
        struct Gap<'a> {
            s: &'a mut CowString,
            base: *mut u8,
            len: usize,
            read: usize,
            written: usize,
        }
        impl Drop for Gap<'_> {
            fn drop(&mut self) {
                if self.written != self.read {
                    // SAFETY: `written < read <= len` within our private buffer (`base` is
                    // set before anything is removed); the unjudged tail `read..len` moves
                    // down to `written` (`copy` allows the overlap).
                    unsafe {
                        ptr::copy(
                            self.base.add(self.read),
                            self.base.add(self.written),
                            self.len - self.read,
                        )
                    };
                }
                // Kept chars and the whole tail are UTF-8, each ending on a boundary.
                self.s.set_len(self.written + self.len - self.read);
            }
        }

        let len = self.len();
        let mut gap = Gap {
            s: self,
            base: ptr::null_mut(),
            len,
            read: 0,
            written: 0,
        };
        // Taken through `gap.s`, so the pointer stays valid while `gap` holds the borrow.
        let (base, _) = gap.s.writable(0);
        gap.base = base;
        while gap.read < len {
            // SAFETY: `read..len` is unjudged text, untouched so far, starting on a char
            // boundary, so it is valid UTF-8.
            let rest = unsafe {
                core::str::from_utf8_unchecked(core::slice::from_raw_parts(
                    base.add(gap.read),
                    len - gap.read,
                ))
            };
            let ch = rest
                .chars()
                .next()
                .expect("non-empty UTF-8 has a first char");
            let width = ch.len_utf8();
            if keep(ch) {
                if gap.written != gap.read {
                    // SAFETY: `written < read`, both within the buffer; `copy` allows overlap.
                    unsafe { ptr::copy(base.add(gap.read), base.add(gap.written), width) };
                }
                gap.written += width;
            }
            gap.read += width;
        }
    }

    /// Replaces the byte range `range` with `replace_with`; the lengths may differ.
    ///
    /// # Panics
    ///
    /// When the range is out of order or out of bounds, or either end is not on a `char`
    /// boundary, as `String::replace_range`, with its messages.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("copy on write");
    /// s.replace_range(4..5, "-");
    /// s.replace_range(7.., "-write");
    /// assert_eq!(s, "copy-on-write");
    /// ```
    pub fn replace_range<R: RangeBounds<usize>>(&mut self, range: R, replace_with: &str) {
        let Range { start, end } = self.char_range(range, REPLACE_RANGE_BOUNDARY);
        self.splice(start, end, replace_with.as_bytes());
    }

    /// Replaces bytes `start..end`, both on char boundaries the caller checked, with `bytes`,
    /// which are UTF-8 and not in our buffer.
    fn splice(&mut self, start: usize, end: usize, bytes: &[u8]) {
        let (new, removed) = (bytes.len(), end - start);
        let (dst, len) = self.writable(new.saturating_sub(removed));
        debug_assert!(start <= end && end <= len);
        // SAFETY: room for `len - removed + new` bytes; the tail `end..len` moves to
        // `start + new` (overlap allowed), then `bytes` (not in our private buffer, see
        // `push_bytes`) fills `start..start + new`.
        unsafe {
            ptr::copy(dst.add(end), dst.add(start + new), len - end);
            ptr::copy_nonoverlapping(bytes.as_ptr(), dst.add(start), new);
        }
        self.set_len(len - removed + new);
    }

    /// Splits the text at byte index `at`: `self` keeps `0..at`, the result holds the rest.
    ///
    /// # Panics
    ///
    /// When `at` is past the end or not on a `char` boundary, as `String::split_off`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("copy-on-write");
    /// let tail = s.split_off(4);
    /// assert_eq!((s.as_str(), tail.as_str()), ("copy", "-on-write"));
    /// ```
    #[must_use = "use `.truncate()` if you don't need the other half"]
    pub fn split_off(&mut self, at: usize) -> CowString {
        assert!(
            self.is_char_boundary(at),
            "assertion failed: self.is_char_boundary(at)"
        );
        let tail = CowString::from(&self[at..]);
        self.set_len(at);
        tail
    }

    /// Removes the byte range `range` and returns its `char`s, front to back.
    ///
    /// As with `String::drain`, the text is unshared first (one copy when shared) and the
    /// range is removed when the [`Drain`] is dropped, whether or not it was run to the end; a
    /// `Drain` that is leaked (`mem::forget`) removes nothing.
    ///
    /// # Panics
    ///
    /// When the range is out of order or out of bounds, or either end is not on a `char`
    /// boundary, as `String::drain`, with its messages.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("copy-on-write");
    /// let removed: String = s.drain(4..7).collect();
    /// assert_eq!(removed, "-on");
    /// assert_eq!(s, "copy-write");
    /// s.drain(..5); // no `must_use` warning, as with `String::drain`
    /// assert_eq!(s, "write");
    /// ```
    pub fn drain<R: RangeBounds<usize>>(&mut self, range: R) -> Drain<'_> {
        let Range { start, end } = self.char_range(range, DRAIN_BOUNDARY);
        let string: *mut CowString = self;
        if start == end {
            // Nothing to remove: the text is not unshared, and `Drop` does nothing.
            return Drain {
                string,
                start,
                end,
                chars: "".chars(),
            };
        }
        // SAFETY: `string` is `self`, borrowed mutably for the `Drain`'s lifetime.
        let (base, _) = unsafe { (*string).writable(0) };
        // SAFETY: `start..end` is within the private text, on char boundaries, so UTF-8; it
        // stays in place and unwritten while the `Drain` lives: the `Drain` holds the only
        // borrow of `self` (so the handle, and inline text in it, cannot move, and nothing
        // else writes), and touches the text again only in its `Drop`.
        let removed = unsafe {
            core::str::from_utf8_unchecked(core::slice::from_raw_parts(
                base.add(start),
                end - start,
            ))
        };
        Drain {
            string,
            start,
            end,
            chars: removed.chars(),
        }
    }

    /// Appends a copy of the byte range `src` of the text to its end.
    ///
    /// # Panics
    ///
    /// When the range is out of order or out of bounds, or either end is not on a `char`
    /// boundary, as `String::extend_from_within`, with its messages.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("copy-on-");
    /// s.extend_from_within(..4);
    /// assert_eq!(s, "copy-on-copy");
    /// ```
    pub fn extend_from_within<R: RangeBounds<usize>>(&mut self, src: R) {
        let Range { start, end } = self.char_range(src, DRAIN_BOUNDARY);
        let (dst, len) = self.writable(end - start);
        // SAFETY: room for `end - start` more bytes after `len`; the source `start..end` lies
        // within `0..len` of the same private buffer, so the two do not overlap; whole chars.
        unsafe { ptr::copy_nonoverlapping(dst.add(start), dst.add(len), end - start) };
        self.set_len(len + end - start);
    }

    /// Resolves `range` against the text, panicking where `String`'s range methods panic: the
    /// bounds as `slice::range` checks them (with std's messages), then a start and an end
    /// that are not char boundaries, with the `boundary` messages of the method.
    #[track_caller]
    fn char_range<R: RangeBounds<usize>>(
        &self,
        range: R,
        boundary: [&'static str; 2],
    ) -> Range<usize> {
        let range = slice_range(range, self.len());
        for (at, message) in [range.start, range.end].into_iter().zip(boundary) {
            if !self.is_char_boundary(at) {
                panic!("{message}");
            }
        }
        range
    }

    /// Converts ASCII letters to upper case in place (unsharing the text first).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("cow");
    /// s.make_ascii_uppercase();
    /// assert_eq!(s, "COW");
    /// ```
    pub fn make_ascii_uppercase(&mut self) {
        self.as_mut_str().make_ascii_uppercase();
    }

    /// Converts ASCII letters to lower case in place (unsharing the text first).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("COW");
    /// s.make_ascii_lowercase();
    /// assert_eq!(s, "cow");
    /// ```
    pub fn make_ascii_lowercase(&mut self) {
        self.as_mut_str().make_ascii_lowercase();
    }

    /// The text as `&mut str`, after making it private: a shared text is copied once (to
    /// exactly its length), a private one is handed out in place.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("cow");
    /// s.as_mut_str().make_ascii_uppercase();
    /// assert_eq!(s, "COW");
    /// ```
    pub fn as_mut_str(&mut self) -> &mut str {
        let (ptr, len) = self.writable(0);
        // SAFETY: `ptr..ptr+len` is our private UTF-8 text (`writable` unshared it); the
        // borrow of `self` keeps any clone from being made while the `&mut str` lives.
        unsafe { core::str::from_utf8_unchecked_mut(core::slice::from_raw_parts_mut(ptr, len)) }
    }

    /// The text as a `String` (one copy).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = cowkit::CowString::from("text");
    /// assert_eq!(s.into_string(), String::from("text"));
    /// ```
    pub fn into_string(self) -> String {
        String::from(self.as_str())
    }

    /// The text as a `Box<str>` (one copy, of exactly the length).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = cowkit::CowString::from("text");
    /// assert_eq!(&*s.into_boxed_str(), "text");
    /// ```
    pub fn into_boxed_str(self) -> Box<str> {
        Box::from(self.as_str())
    }

    /// The text's bytes as a `Vec<u8>` (one copy).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = cowkit::CowString::from("text");
    /// assert_eq!(s.into_bytes(), b"text");
    /// ```
    pub fn into_bytes(self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }

    /// Leaks a copy of the text and returns it as `&mut str` for the rest of the program, as
    /// `String::leak` does (the copy is a `Box<str>` of exactly the length).
    ///
    /// # Examples
    ///
    /// ```
    /// let s: &'static mut str = cowkit::CowString::from("forever").leak();
    /// s.make_ascii_uppercase();
    /// assert_eq!(s, "FOREVER");
    /// ```
    pub fn leak<'a>(self) -> &'a mut str {
        Box::leak(self.into_boxed_str())
    }

    /// Formats `args` into a new string, inline when the result fits. Used by [`cow_format!`].
    ///
    /// [`cow_format!`]: crate::cow_format
    #[doc(hidden)]
    pub fn from_fmt(args: fmt::Arguments<'_>) -> CowString {
        match args.as_str() {
            Some(literal) => CowString::from(literal),
            None => {
                let mut s = CowString::new();
                fmt::Write::write_fmt(&mut s, args).expect("a formatting trait returned an error");
                s
            }
        }
    }
}

/// Builds a [`CowString`] with `format!` syntax; results of up to 16 bytes stay inline.
///
/// # Examples
///
/// ```
/// use cowkit::cow_format;
/// let s = cow_format!("{}-{}", "cow", 42);
/// assert_eq!(s, "cow-42");
/// assert!(s.is_inline());
/// ```
#[macro_export]
macro_rules! cow_format {
    ($($arg:tt)*) => {
        $crate::CowString::from_fmt(::core::format_args!($($arg)*))
    };
}

/// Formats a value into a [`CowString`], as [`ToString`](alloc::string::ToString) does into a
/// `String`: implemented for every [`Display`](fmt::Display) type. Results of up to 16 bytes
/// stay inline.
///
/// # Examples
///
/// ```
/// use cowkit::{CowString, ToCowString};
/// let s: CowString = 42.to_cow_string();
/// assert_eq!(s, "42");
/// assert!(s.is_inline());
/// ```
pub trait ToCowString {
    /// The value, formatted with `Display`.
    fn to_cow_string(&self) -> CowString;
}

impl<T: fmt::Display + ?Sized> ToCowString for T {
    #[inline]
    fn to_cow_string(&self) -> CowString {
        CowString::from_fmt(format_args!("{self}"))
    }
}

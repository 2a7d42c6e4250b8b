//! `CowString`'s trait impls: `Deref`, formatting, comparisons and hashing as `str`'s,
//! conversions, `Extend` / `FromIterator`, `Add`, indexing.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{Add, AddAssign, Deref, DerefMut, Index, IndexMut};
use core::slice::SliceIndex;
use core::str::FromStr;

use super::repr::CowString;

impl Deref for CowString {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

/// `&mut *s` (and every `&mut str` method called on `s`) unshares the text first, as
/// [`as_mut_str`](CowString::as_mut_str) does.
impl DerefMut for CowString {
    #[inline]
    fn deref_mut(&mut self) -> &mut str {
        self.as_mut_str()
    }
}

impl Default for CowString {
    fn default() -> Self {
        CowString::new()
    }
}

impl fmt::Debug for CowString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for CowString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Write for CowString {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }

    #[inline]
    fn write_char(&mut self, c: char) -> fmt::Result {
        self.push(c);
        Ok(())
    }
}

impl Hash for CowString {
    /// Hashes exactly as `str` does, so `HashMap<CowString, _>` can be searched with `&str`.
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq for CowString {
    /// Clones of one heap text compare equal from their pointer and length alone.
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.ptr_eq(other) || self.as_str() == other.as_str()
    }
}

impl Eq for CowString {}

impl PartialOrd for CowString {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CowString {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// `==` and `<` both ways between `CowString` and another string type.
macro_rules! impl_cmp_with {
    ($($other:ty),*) => {$(
        impl PartialEq<$other> for CowString {
            #[inline]
            fn eq(&self, other: &$other) -> bool {
                self.as_str() == &other[..]
            }
        }
        impl PartialEq<CowString> for $other {
            #[inline]
            fn eq(&self, other: &CowString) -> bool {
                &self[..] == other.as_str()
            }
        }
        impl PartialOrd<$other> for CowString {
            #[inline]
            fn partial_cmp(&self, other: &$other) -> Option<Ordering> {
                self.as_str().partial_cmp(&other[..])
            }
        }
        impl PartialOrd<CowString> for $other {
            #[inline]
            fn partial_cmp(&self, other: &CowString) -> Option<Ordering> {
                self[..].partial_cmp(other.as_str())
            }
        }
    )*};
}

impl_cmp_with!(str, &str, String, Cow<'_, str>);

impl Borrow<str> for CowString {
    #[inline]
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for CowString {
    #[inline]
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<[u8]> for CowString {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

#[cfg(feature = "std")]
impl AsRef<std::ffi::OsStr> for CowString {
    #[inline]
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.as_str().as_ref()
    }
}

#[cfg(feature = "std")]
impl AsRef<std::path::Path> for CowString {
    #[inline]
    fn as_ref(&self) -> &std::path::Path {
        self.as_str().as_ref()
    }
}

impl From<&str> for CowString {
    /// Copies the text: inline up to 16 bytes, else into a block of exactly its length.
    #[inline]
    fn from(text: &str) -> Self {
        CowString::from_text(text)
    }
}

impl From<&mut str> for CowString {
    fn from(text: &mut str) -> Self {
        CowString::from(&*text)
    }
}

impl From<&String> for CowString {
    fn from(text: &String) -> Self {
        CowString::from(text.as_str())
    }
}

impl From<String> for CowString {
    /// Copies the text (a `String`'s buffer has no room for the count).
    fn from(text: String) -> Self {
        CowString::from(text.as_str())
    }
}

impl From<Box<str>> for CowString {
    fn from(text: Box<str>) -> Self {
        CowString::from(&*text)
    }
}

impl From<Cow<'_, str>> for CowString {
    fn from(text: Cow<'_, str>) -> Self {
        CowString::from(&*text)
    }
}

impl From<char> for CowString {
    #[inline]
    fn from(ch: char) -> Self {
        let mut s = CowString::new();
        s.push(ch);
        s
    }
}

impl From<CowString> for String {
    fn from(text: CowString) -> Self {
        text.into_string()
    }
}

impl FromStr for CowString {
    type Err = core::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(CowString::from(text))
    }
}

/// `Extend` and `FromIterator` for each item type that appends as text.
/// `chars` items reserve room for the iterator's lower bound first (one byte per `char` at
/// least), as `String`'s do, so that a long run moves to the heap once, not by doubling.
macro_rules! impl_extend {
    ($($item:ty => |$s:ident, $x:ident| $push:expr, $reserve:expr),* $(,)?) => {$(
        impl<'a> Extend<$item> for CowString {
            #[inline]
            fn extend<I: IntoIterator<Item = $item>>(&mut self, iter: I) {
                let iter = iter.into_iter();
                let lower = iter.size_hint().0;
                // Only when something will be appended: `reserve` unshares the text.
                if $reserve && lower > 0 {
                    self.reserve_for_appends(lower);
                }
                for $x in iter {
                    let $s = &mut *self;
                    $push;
                }
            }
        }
        impl<'a> FromIterator<$item> for CowString {
            #[inline]
            fn from_iter<I: IntoIterator<Item = $item>>(iter: I) -> Self {
                let mut s = CowString::new();
                s.extend(iter);
                s
            }
        }
    )*};
}

impl_extend! {
    char => |s, c| s.push(c), true,
    &'a char => |s, c| s.push(*c), true,
    &'a str => |s, x| s.push_str(x), false,
    String => |s, x| s.push_str(&x), false,
    Box<str> => |s, x| s.push_str(&x), false,
    Cow<'a, str> => |s, x| s.push_str(&x), false,
    CowString => |s, x| s.push_str(&x), false,
}

impl Add<&str> for CowString {
    type Output = CowString;

    /// Appends `rhs` to `self` (copying only if `self` is shared) and returns it.
    #[inline]
    fn add(mut self, rhs: &str) -> CowString {
        self.push_str(rhs);
        self
    }
}

impl AddAssign<&str> for CowString {
    #[inline]
    fn add_assign(&mut self, rhs: &str) {
        self.push_str(rhs);
    }
}

/// `s[range]` reads in place, for every index `str` takes (`Range`, `(Bound, Bound)`, …).
impl<I: SliceIndex<str>> Index<I> for CowString {
    type Output = I::Output;

    #[inline]
    fn index(&self, index: I) -> &I::Output {
        self.as_str().index(index)
    }
}

/// `&mut s[range]` unshares the text first (one copy when shared), then indexes the private
/// text.
impl<I: SliceIndex<str>> IndexMut<I> for CowString {
    #[inline]
    fn index_mut(&mut self, index: I) -> &mut I::Output {
        self.as_mut_str().index_mut(index)
    }
}

/// `From<CowString>` for each owned string form std converts a `String` into; each copies the
/// text once, as the std conversion from `&str` does.
macro_rules! impl_into {
    ($($(#[$attr:meta])* $target:ty => |$s:ident| $convert:expr),* $(,)?) => {$(
        $(#[$attr])*
        impl From<CowString> for $target {
            #[inline]
            fn from($s: CowString) -> Self {
                $convert
            }
        }
    )*};
}

impl_into! {
    Arc<str> => |s| Arc::from(s.as_str()),
    Rc<str> => |s| Rc::from(s.as_str()),
    Box<str> => |s| s.into_boxed_str(),
    Vec<u8> => |s| s.into_bytes(),
    Cow<'_, str> => |s| Cow::Owned(s.into_string()),
    Box<dyn core::error::Error> => |s| Box::from(s.into_string()),
    Box<dyn core::error::Error + Send + Sync> => |s| Box::from(s.into_string()),
    #[cfg(feature = "std")]
    std::ffi::OsString => |s| std::ffi::OsString::from(s.as_str()),
    #[cfg(feature = "std")]
    std::path::PathBuf => |s| std::path::PathBuf::from(s.as_str()),
}

impl From<&CowString> for String {
    fn from(text: &CowString) -> Self {
        String::from(text.as_str())
    }
}

impl From<&CowString> for CowString {
    /// A clone, as `From<&String> for String` is.
    fn from(text: &CowString) -> Self {
        text.clone()
    }
}

impl FromIterator<CowString> for String {
    fn from_iter<I: IntoIterator<Item = CowString>>(iter: I) -> Self {
        let mut text = String::new();
        text.extend(iter);
        text
    }
}

impl Extend<CowString> for String {
    fn extend<I: IntoIterator<Item = CowString>>(&mut self, iter: I) {
        iter.into_iter().for_each(|s| self.push_str(&s));
    }
}

impl<'a> FromIterator<CowString> for Cow<'a, str> {
    fn from_iter<I: IntoIterator<Item = CowString>>(iter: I) -> Self {
        Cow::Owned(String::from_iter(iter))
    }
}

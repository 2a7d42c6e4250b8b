//! [`CowString`]: a 16-byte refcounted string with 16 bytes inline, O(1) clone, and writes that
//! copy only when the text is shared; and its companions, as `std::string` has them: the
//! [`Drain`] iterator, the errors of [`CowString::from_utf8`] and [`CowString::from_utf16`], and
//! [`ToCowString`]. `CowString` and `ToCowString` are also re-exported at the crate root.

use alloc::alloc::{Layout, alloc, dealloc, handle_alloc_error, realloc};
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::collections::TryReserveError;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::iter::FusedIterator;
use core::ops::{Add, AddAssign, Deref, DerefMut, Index, IndexMut, Range, RangeBounds};
use core::ptr::{self, NonNull};
use core::slice::SliceIndex;
use core::str::FromStr;

use crate::range::slice_range;
use crate::shared::RefCount;

/// The longest text kept inline, in the handle itself: all 16 bytes. A text of 16 bytes takes
/// the last byte too: UTF-8 text never ends in a byte of 0xC0 or more, so such a byte can say
/// that the handle holds something else (see [`LastByte`]).
pub(crate) const INLINE_CAP: usize = 16;

/// The last byte of an inline text shorter than 16 bytes is `INLINE_LEN + len`.
const INLINE_LEN: u8 = 0xC0;
/// The last byte of a handle on a heap block.
const HEAP: u8 = 0xD0;
/// The last byte of a handle on a `'static` text ([`CowString::from_static`]).
const STATIC: u8 = 0xD1;

/// The longest text a pointer handle (heap or static) can hold: its length is stored in the 7
/// bytes beside the pointer, below the tag byte; and an allocation may not pass `isize::MAX`
/// bytes. 2^56 − 1 bytes is 64 PiB, far beyond any machine.
const MAX_CAP: usize = {
    let by_tag: u64 = (1 << 56) - 1;
    let by_alloc = isize::MAX as u64 - size_of::<Header>() as u64;
    (if by_tag < by_alloc { by_tag } else { by_alloc }) as usize
};

/// A pointer handle's second word (bytes 8..16, read as a little-endian `u64`): the length in
/// bits 0..56, the tag (heap or static) in the top byte, which is the handle's last byte.
const fn pointer_word(len: usize, tag: u8) -> u64 {
    debug_assert!(len <= MAX_CAP && tag >= HEAP);
    len as u64 | (tag as u64) << 56
}

/// Copies `n` bytes from `src` to `dst`, as `ptr::copy_nonoverlapping`, but copies of up to 16
/// bytes (a pushed `char`, a short word) without a call: two possibly overlapping loads and
/// stores of the widest size that fits, as small-copy routines do.
///
/// # Safety
///
/// As `ptr::copy_nonoverlapping(src, dst, n)`.
#[inline(always)]
unsafe fn copy_short(src: *const u8, dst: *mut u8, n: usize) {
    // SAFETY: the caller's contract, passed on; each arm's `n` is within `copy_halves`'s
    // bounds for its word.
    unsafe {
        match n {
            0 => {}
            1 => *dst = *src,
            2..=3 => copy_halves::<u16>(src, dst, n),
            4..=7 => copy_halves::<u32>(src, dst, n),
            8..=16 => copy_halves::<u64>(src, dst, n),
            _ => ptr::copy_nonoverlapping(src, dst, n),
        }
    }
}

/// Copies `n` bytes, `size_of::<W>() <= n <= 2 * size_of::<W>()`, as two words `W`: the first
/// `size_of::<W>()` bytes and the last, which overlap when `n` is less than twice the size.
///
/// # Safety
///
/// As `ptr::copy_nonoverlapping(src, dst, n)`, with `n` in the range above.
#[inline(always)]
unsafe fn copy_halves<W: Copy>(src: *const u8, dst: *mut u8, n: usize) {
    let w = size_of::<W>();
    debug_assert!(w <= n && n <= 2 * w);
    // SAFETY: both words lie within `src..src + n` and `dst..dst + n` (`w <= n`), which are
    // valid and do not overlap (the caller's contract); the accesses are unaligned. Both loads
    // happen before the stores, so the overlapping middle is written twice with equal bytes.
    unsafe {
        let (first, last) = (
            src.cast::<W>().read_unaligned(),
            src.add(n - w).cast::<W>().read_unaligned(),
        );
        dst.cast::<W>().write_unaligned(first);
        dst.add(n - w).cast::<W>().write_unaligned(last);
    }
}

/// Bits 0..56 of the second word: a pointer handle's length.
const LEN_MASK: u64 = (1 << 56) - 1;

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

/// The smallest heap block: the first spill from inline gets room for a few more appends.
const MIN_HEAP_CAP: usize = 32;

/// The values the last byte of a handle can hold, one variant per value, so that the compiler
/// knows 0xD2..=0xFF never occur and uses one of them for `Option<CowString>`'s `None` (which
/// keeps it at 16 bytes):
///
/// - `0x00..=0xBF`: the last byte of a 16-byte inline text (UTF-8 never ends in 0xC0 or more);
/// - `0xC0..=0xCF`: an inline text of `0..=15` bytes ([`INLINE_LEN`] + length);
/// - `0xD0`: a heap handle ([`HEAP`]); `0xD1`: a static handle ([`STATIC`]).
///
/// The code reads this byte as the top byte of the handle's second word, the way it was stored
/// (see [`CowString::tag`]); the variants exist only for the niche.
#[allow(dead_code)] // made by `transmute` from checked bytes, never named
#[allow(clippy::upper_case_acronyms)] // hexadecimal, not acronyms
#[rustfmt::skip]
#[derive(Clone, Copy)]
#[repr(u8)]
enum LastByte {
    X00 = 0, X01, X02, X03, X04, X05, X06, X07, X08, X09, X0A, X0B,
    X0C, X0D, X0E, X0F, X10, X11, X12, X13, X14, X15, X16, X17,
    X18, X19, X1A, X1B, X1C, X1D, X1E, X1F, X20, X21, X22, X23,
    X24, X25, X26, X27, X28, X29, X2A, X2B, X2C, X2D, X2E, X2F,
    X30, X31, X32, X33, X34, X35, X36, X37, X38, X39, X3A, X3B,
    X3C, X3D, X3E, X3F, X40, X41, X42, X43, X44, X45, X46, X47,
    X48, X49, X4A, X4B, X4C, X4D, X4E, X4F, X50, X51, X52, X53,
    X54, X55, X56, X57, X58, X59, X5A, X5B, X5C, X5D, X5E, X5F,
    X60, X61, X62, X63, X64, X65, X66, X67, X68, X69, X6A, X6B,
    X6C, X6D, X6E, X6F, X70, X71, X72, X73, X74, X75, X76, X77,
    X78, X79, X7A, X7B, X7C, X7D, X7E, X7F, X80, X81, X82, X83,
    X84, X85, X86, X87, X88, X89, X8A, X8B, X8C, X8D, X8E, X8F,
    X90, X91, X92, X93, X94, X95, X96, X97, X98, X99, X9A, X9B,
    X9C, X9D, X9E, X9F, XA0, XA1, XA2, XA3, XA4, XA5, XA6, XA7,
    XA8, XA9, XAA, XAB, XAC, XAD, XAE, XAF, XB0, XB1, XB2, XB3,
    XB4, XB5, XB6, XB7, XB8, XB9, XBA, XBB, XBC, XBD, XBE, XBF,
    XC0, XC1, XC2, XC3, XC4, XC5, XC6, XC7, XC8, XC9, XCA, XCB,
    XCC, XCD, XCE, XCF, XD0, XD1,
}

impl LastByte {
    /// The variant for `byte`.
    const fn new(byte: u8) -> LastByte {
        assert!(byte <= STATIC, "not a valid last byte");
        // SAFETY: `LastByte` is `repr(u8)` with one variant for each value in `0..=STATIC`.
        unsafe { core::mem::transmute::<u8, LastByte>(byte) }
    }
}

/// The start of a heap block; `capacity` bytes of text follow it in the same allocation.
#[repr(C)]
struct Header {
    /// Handles sharing this block: `Shared`'s count and rules (see `RefCount`).
    count: RefCount,
    /// Bytes of text the block holds. Invariant: changes only while `count == 1`, and
    /// `capacity <= MAX_CAP`.
    capacity: usize,
}

/// Where the text starts in a block: right after the header (8-byte aligned, so no padding).
const DATA_OFFSET: usize = size_of::<Header>();

/// Why a heap block could not be had: the size passes the maximum, or the allocator failed.
#[derive(Clone, Copy, Debug)]
enum AllocFail {
    CapacityOverflow,
    AllocError(Layout),
}

impl AllocFail {
    /// The panic (or abort) of the infallible methods, as `String`'s: "capacity overflow", or
    /// the global allocation-error handler.
    #[cold]
    #[track_caller]
    fn raise(self) -> ! {
        match self {
            AllocFail::CapacityOverflow => capacity_overflow(),
            AllocFail::AllocError(layout) => handle_alloc_error(layout),
        }
    }
}

/// The one place heap blocks are allocated, grown and freed.
mod block {
    use super::*;

    /// The layout of a block holding `capacity` bytes.
    fn layout(capacity: usize) -> Result<Layout, AllocFail> {
        if capacity > MAX_CAP {
            return Err(AllocFail::CapacityOverflow);
        }
        // `capacity <= MAX_CAP`, so the sum stays below `isize::MAX`.
        Layout::from_size_align(DATA_OFFSET + capacity, align_of::<Header>())
            .map_err(|_| AllocFail::CapacityOverflow)
    }

    /// A new block with a count of one and room for `capacity` bytes (at least one).
    pub(super) fn new(capacity: usize) -> Result<NonNull<Header>, AllocFail> {
        let layout = layout(capacity)?;
        // SAFETY: the layout's size is at least `DATA_OFFSET` > 0.
        let raw = unsafe { alloc(layout) };
        let ptr = NonNull::new(raw.cast::<Header>()).ok_or(AllocFail::AllocError(layout))?;
        // SAFETY: `ptr` is a fresh allocation, aligned and big enough for a `Header`.
        unsafe {
            ptr.as_ptr().write(Header {
                count: RefCount::new(),
                capacity,
            })
        };
        Ok(ptr)
    }

    /// Moves a block to room for `capacity` bytes, keeping its header and text. On failure the
    /// block is left as it was.
    ///
    /// # Safety
    /// - `ptr` is a live block whose count is 1, held by the caller's only handle;
    /// - `capacity` is at least the length of the text the caller keeps in it.
    pub(super) unsafe fn grow(
        ptr: NonNull<Header>,
        capacity: usize,
    ) -> Result<NonNull<Header>, AllocFail> {
        let new_layout = layout(capacity)?;
        // SAFETY: the block is live (caller's contract), so its header can be read; its
        // capacity passed `layout` when the block was made.
        let old_layout = unsafe { layout(ptr.as_ref().capacity).unwrap_unchecked() };
        // SAFETY: `ptr` was allocated with `old_layout` (every block is made by `new` or
        // `grow` with `layout(capacity)`), the alignment is unchanged, and `new_layout`'s size
        // is non-zero and at most `isize::MAX` (checked in `layout`).
        let raw = unsafe { realloc(ptr.as_ptr().cast(), old_layout, new_layout.size()) };
        let new = NonNull::new(raw.cast::<Header>()).ok_or(AllocFail::AllocError(new_layout))?;
        // SAFETY: `new` is the moved block, unique (the caller's only handle owns it).
        unsafe { (*new.as_ptr()).capacity = capacity };
        Ok(new)
    }

    /// Drops the header and frees the block.
    ///
    /// # Safety
    /// - `ptr` is a live block whose count has reached zero: no handle uses it any more.
    pub(super) unsafe fn free(ptr: NonNull<Header>) {
        // SAFETY: the block is live until the `dealloc` below (caller's contract), and its
        // capacity passed `layout` when it was made.
        let layout = unsafe { layout(ptr.as_ref().capacity).unwrap_unchecked() };
        // SAFETY: the header was written by `new` and is dropped once, here (a no-op for a
        // plain atomic, but it keeps the count's type free to own resources, as loom's does).
        unsafe { ptr::drop_in_place(ptr.as_ptr()) };
        // SAFETY: allocated with this layout; no handle uses it any more.
        unsafe { dealloc(ptr.as_ptr().cast(), layout) };
    }

    /// The first byte of the block's text.
    pub(super) fn data(ptr: NonNull<Header>) -> *mut u8 {
        // SAFETY: the text starts `DATA_OFFSET` bytes into the allocation, within it.
        unsafe { ptr.as_ptr().cast::<u8>().add(DATA_OFFSET) }
    }
}

/// std's [`TryReserveError`] for a failure of ours, for the `try_reserve` methods.
///
/// std gives no constructor, so the error is std's own answer to the same request: a capacity
/// past `isize::MAX` bytes (which `Vec` refuses before it allocates), or an allocation of the
/// size that just failed. Should that allocation succeed (memory was freed in between), it is
/// given back and `None` says to try again.
#[cold]
fn std_reserve_error(fail: AllocFail) -> Option<TryReserveError> {
    match fail {
        AllocFail::CapacityOverflow => Vec::<u8>::new().try_reserve(usize::MAX).err(),
        AllocFail::AllocError(layout) => Vec::<u8>::new().try_reserve_exact(layout.size()).err(),
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn capacity_overflow() -> ! {
    panic!("capacity overflow");
}

/// A refcounted string: 16 bytes, up to 16 bytes inline, O(1) clone, copy-on-write.
///
/// `CowString` reads like a `&str` (it derefs to `str`) and writes like a `String`, as a
/// drop-in: it has `String`'s stable API, with its panics. Cloning never copies the text: a
/// short text (up to 16 bytes) lives inside the handle itself, a longer one lives in a heap
/// block that clones share through a reference count, and a constant made with
/// [`from_static`](Self::from_static) points at its `'static` text without a count. A write
/// first makes the text unique: in place when no other handle shares it, else with one copy
/// into a new block that has room to grow, so a run of appends after a clone stays amortized
/// O(1).
///
/// # Memory layout
///
/// ```text
///  inline, 16 bytes:     ┌────────────────────────────────────────────────────┐
///                        │ text bytes 0..16 (UTF-8 never ends in a byte ≥ 0xC0)│
///                        └────────────────────────────────────────────────────┘
///  inline, n < 16 bytes: ┌──────────────────────────────────────────┬─────────┐
///                        │ text bytes 0..n, then unused bytes       │ 0xC0 + n│
///                        └──────────────────────────────────────────┴─────────┘
///  heap:                 ┌────────────────────┬─────────────────────┬─────────┐
///                        │ text pointer       │ len (7 bytes, LE)   │ 0xD0    │
///                        └─────────┬──────────┴─────────────────────┴─────────┘
///                                  ▼
///            ┌───────────────┬────────────────┬──────────────────────────────┐
///            │ count (atomic)│ capacity       │ text bytes …                 │
///            └───────────────┴────────────────┴──────────────────────────────┘
///  static:               ┌────────────────────┬─────────────────────┬─────────┐
///                        │ 'static text ptr   │ len (7 bytes, LE)   │ 0xD1    │
///                        └────────────────────┴─────────────────────┴─────────┘
/// ```
///
/// `size_of::<CowString>() == 16`, and `size_of::<Option<CowString>>() == 16` too: the last
/// byte never takes values above 0xD1, and `None` uses one of them.
///
/// # Costs
///
/// | operation | cost |
/// |---|---|
/// | `clone` | copy 16 bytes; plus one relaxed atomic increment for a heap text |
/// | read (`Deref`, `as_str`, `s[range]`) | one branch on the tag; never copies |
/// | first write after a clone | one copy of the text into a new block with room to grow |
/// | later writes, appends | in place, amortized O(1) per appended byte |
/// | `==` on two clones of one heap text | pointer and length compare, no byte read |
///
/// # Mutation through `[]`, and the hole that sank C++'s COW strings
///
/// `&mut s[range]` ([`IndexMut`]) unshares the text first, then hands out `&mut str` into the
/// now-private buffer:
///
/// ```
/// use cowkit::CowString;
/// let mut s = CowString::from("copy-on-write strings");
/// let other = s.clone();
/// s[0..4].make_ascii_uppercase(); // unshares once, then writes in place
/// assert_eq!(s, "COPY-on-write strings");
/// assert_eq!(other, "copy-on-write strings");
/// ```
///
/// C++ dropped reference-counted `std::string` because a reference taken with `operator[]`
/// before a copy could still write into the buffer the copy shared. In Rust that program does
/// not compile: while the `&mut str` lives, `s` is mutably borrowed and cannot be cloned.
///
/// ```compile_fail
/// use cowkit::CowString;
/// let mut s = CowString::from("a text longer than fifteen bytes");
/// let part = &mut s[0..4];
/// let copy = s.clone(); // error: `s` is already borrowed as mutable
/// part.make_ascii_uppercase();
/// # drop(copy);
/// ```
///
/// # Panics
///
/// Every method panics exactly where `String`'s method of the same name panics for the same
/// call: an index that is not on a `char` boundary, a range out of order or out of bounds.
/// A length past 2^56 − 1 bytes (64 PiB) panics with "capacity overflow".
///
/// # Thread safety
///
/// `Send` and `Sync`: a heap block is never written while shared, and its count is atomic.
///
/// # Examples
///
/// ```
/// use cowkit::CowString;
///
/// let mut greeting = CowString::from("hello");
/// assert!(greeting.is_inline()); // short: no allocation
/// greeting.push_str(", copy-on-write world");
/// assert!(!greeting.is_inline()); // spilled to a heap block
///
/// let copy = greeting.clone(); // O(1): shares the block
/// assert!(copy.ptr_eq(&greeting));
/// greeting.push('!'); // shared: copies once, then appends
/// assert_eq!(copy, "hello, copy-on-write world");
/// assert_eq!(greeting, "hello, copy-on-write world!");
/// ```
#[repr(C, align(8))]
pub struct CowString {
    /// Bytes `0..8` of the handle, as a pointer so that moves keep a heap pointer's provenance.
    ///
    /// Inline: bytes `0..len` of the whole handle are the text (UTF-8); the bytes after it are
    /// initialized (zero or old text) up to the last byte, which holds `INLINE_LEN + len` when
    /// `len < 16` (for `len == 16` it is the text's last byte).
    /// Heap: `ptr` points at the text of a live block (`DATA_OFFSET` bytes after its header) of
    /// which this handle owns one count; `len` bytes of it are UTF-8 and `len <= capacity`.
    /// Static: `ptr` points at `len` bytes of UTF-8 text that live for `'static`.
    /// For both, bytes `8..16` read as a little-endian `u64` are `len | tag << 56`.
    ptr: *const u8,
    /// The rest of the first word where pointers are narrower than 8 bytes (inline text).
    pad: [u8; 8 - size_of::<usize>()],
    /// Bytes `8..15`: inline text, or the low 7 bytes of a pointer handle's length. Three
    /// scalars (bytes 8..12, 12..14, 14), not a byte array, so that a move copies them in
    /// three loads, not seven.
    mid_4: u32,
    mid_2: u16,
    mid_1: u8,
    /// Byte 15: see [`LastByte`].
    last: LastByte,
}

const _: () = assert!(size_of::<CowString>() == 16);
const _: () = assert!(size_of::<Option<CowString>>() == 16);
const _: () = assert!(size_of::<usize>() <= 8 && DATA_OFFSET % align_of::<Header>() == 0);

// SAFETY: a `CowString` owns its inline bytes outright; a heap block is only read while shared
// (writes need a count of 1 seen through `&mut`), and its count is atomic; a static text is
// never written. So handles may move to and be used from other threads, like `Arc<str>`.
unsafe impl Send for CowString {}
// SAFETY: `&CowString` only reads (and clones, an atomic increment); see `Send`.
unsafe impl Sync for CowString {}

impl CowString {
    /// The longest text, in bytes, kept inside the handle without an allocation: 16.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowString;
    /// let fits = "x".repeat(CowString::INLINE_CAPACITY);
    /// assert!(CowString::from(fits.as_str()).is_inline());
    /// assert!(!CowString::from(fits + "x").is_inline());
    /// ```
    pub const INLINE_CAPACITY: usize = INLINE_CAP;

    /// An empty string; does not allocate.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = cowkit::CowString::new();
    /// assert!(s.is_empty() && s.is_inline());
    /// ```
    #[inline]
    pub const fn new() -> Self {
        CowString {
            ptr: ptr::null(),
            pad: [0; 8 - size_of::<usize>()],
            mid_4: 0,
            mid_2: 0,
            mid_1: 0,
            last: LastByte::new(INLINE_LEN),
        }
    }

    /// A string on a `'static` text, without allocating or counting: inline when it fits (up
    /// to 16 bytes), else a handle that points at the text. Clones copy the 16 bytes; the first
    /// write copies the text out, as for a shared text. Usable in `const` and `static` items.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowString;
    /// const GREETING: CowString = CowString::from_static("hello, copy-on-write world");
    /// let mut s = GREETING; // no allocation, no count
    /// assert!(!s.is_inline() && s.as_ptr() == GREETING.as_ptr());
    /// s.push('!'); // the first write copies
    /// assert_eq!(s, "hello, copy-on-write world!");
    /// assert!(CowString::from_static("short").is_inline());
    /// ```
    pub const fn from_static(text: &'static str) -> CowString {
        let len = text.len();
        if len > INLINE_CAP {
            return CowString::pointer(text.as_ptr(), len, STATIC);
        }
        let mut bytes = [0u8; 16];
        let mut i = 0;
        while i < len {
            bytes[i] = text.as_bytes()[i];
            i += 1;
        }
        if len < INLINE_CAP {
            bytes[15] = INLINE_LEN + len as u8;
        }
        // SAFETY: 16 initialized bytes whose last is a valid `LastByte`: a tag, or the last
        // byte of 16 bytes of UTF-8 (below 0xC0); the first word becomes a pointer without
        // provenance, which is never dereferenced (the handle is inline).
        unsafe { core::mem::transmute::<[u8; 16], CowString>(bytes) }
    }

    /// An empty string with room for `capacity` bytes: inline up to 16, else one heap block.
    ///
    /// # Panics
    ///
    /// When `capacity` exceeds the maximum length ("capacity overflow").
    ///
    /// # Examples
    ///
    /// ```
    /// let s = cowkit::CowString::with_capacity(100);
    /// assert!(s.capacity() >= 100 && s.is_empty());
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        if capacity <= INLINE_CAP {
            CowString::new()
        } else {
            match block::new(capacity) {
                Ok(ptr) => CowString::pointer(block::data(ptr), 0, HEAP),
                Err(fail) => fail.raise(),
            }
        }
    }

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

    /// A pointer handle (heap or static) on `len` bytes at `text`.
    #[inline]
    const fn pointer(text: *const u8, len: usize, tag: u8) -> Self {
        let word = pointer_word(len, tag).to_le_bytes();
        CowString {
            ptr: text,
            pad: [0; 8 - size_of::<usize>()],
            mid_4: u32::from_ne_bytes([word[0], word[1], word[2], word[3]]),
            mid_2: u16::from_ne_bytes([word[4], word[5]]),
            mid_1: word[6],
            last: LastByte::new(tag),
        }
    }

    /// The handle's second word (bytes 8..16) as the little-endian `u64` it was stored as.
    #[inline]
    fn word(&self) -> u64 {
        // SAFETY: bytes 8..16 of the 16-byte, 8-aligned handle: aligned and initialized.
        u64::from_le(unsafe { (self as *const Self).cast::<u64>().add(1).read() })
    }

    /// The last byte (see [`LastByte`]), read through the second word, the way pointer
    /// handles store it (`len | tag << 56` in one 8-byte store), so that a read right after a
    /// length change loads exactly what was stored.
    #[inline]
    fn tag(&self) -> u8 {
        (self.word() >> 56) as u8
    }

    /// `true` for a heap handle: one that owns a count.
    #[inline]
    fn is_heap(&self) -> bool {
        self.tag() == HEAP
    }

    /// A pointer handle's length; only meaningful when `tag() >= HEAP`.
    #[inline]
    fn pointer_len(&self) -> usize {
        (self.word() & LEN_MASK) as usize
    }

    /// An inline text's length; only meaningful when `tag() < HEAP`.
    #[inline]
    fn inline_len(&self) -> usize {
        // Below 0xC0 the last byte is text: 16 bytes; else the tag says the length.
        usize::from(self.tag().wrapping_sub(INLINE_LEN)).min(INLINE_CAP)
    }

    /// The heap block; only meaningful when `is_heap()`.
    #[inline]
    fn block(&self) -> NonNull<Header> {
        debug_assert!(self.is_heap());
        // SAFETY: a heap handle's pointer is `DATA_OFFSET` bytes into a live block (field
        // invariant); stepping back stays inside it, at its header.
        unsafe { NonNull::new_unchecked(self.ptr.sub(DATA_OFFSET).cast::<Header>().cast_mut()) }
    }

    /// The block's header; only for heap handles.
    #[inline]
    fn header(&self) -> &Header {
        // SAFETY: a heap handle's block is live while the handle is (field invariant).
        unsafe { self.block().as_ref() }
    }

    /// Sets the length, keeping the representation. The caller must have made the bytes up
    /// to `len` valid UTF-8 text, ending on a char boundary, within the capacity.
    #[inline]
    fn set_len(&mut self, len: usize) {
        let tag = self.tag();
        if tag >= HEAP {
            debug_assert!(tag == STATIC || len <= self.header().capacity);
            self.set_pointer_len(len, tag);
        } else if len < INLINE_CAP {
            self.last = LastByte::new(INLINE_LEN + len as u8);
        } else {
            // 16 bytes: the text's own last byte, already written, is the last byte.
            debug_assert!(len == INLINE_CAP && self.tag() < INLINE_LEN);
        }
    }

    /// Sets a pointer handle's length and tag (the second word) in one store, leaving the
    /// pointer as it is.
    #[inline]
    fn set_pointer_len(&mut self, len: usize, tag: u8) {
        let word = pointer_word(len, tag).to_le();
        // SAFETY: bytes 8..16 of the 16-byte, 8-aligned handle, aligned; the word's top byte
        // is `tag`, a valid last byte.
        unsafe { (self as *mut Self).cast::<u64>().add(1).write(word) };
    }

    /// Turns `self` into a pointer handle (heap or static) on `len` bytes at `text`, as two
    /// word stores, so that later reads of the second word load what was stored whole. What
    /// `self` held before is overwritten, not dropped.
    #[inline]
    fn set_pointer(&mut self, text: *const u8, len: usize, tag: u8) {
        self.ptr = text;
        self.set_pointer_len(len, tag);
    }

    /// The text as bytes: a pointer and a length.
    #[inline]
    fn raw_parts(&self) -> (*const u8, usize) {
        if self.tag() >= HEAP {
            (self.ptr, self.pointer_len())
        } else {
            ((self as *const Self).cast::<u8>(), self.inline_len())
        }
    }

    /// The text.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = cowkit::CowString::from("text");
    /// assert_eq!(s.as_str(), "text");
    /// ```
    #[inline]
    pub fn as_str(&self) -> &str {
        let (ptr, len) = self.raw_parts();
        // SAFETY: `ptr..ptr+len` is the initialized UTF-8 text (field invariants), which lives
        // as long as `self` and is not written while `&self` is borrowed (writes need
        // `&mut self`, and a shared block is never written).
        unsafe { core::str::from_utf8_unchecked(core::slice::from_raw_parts(ptr, len)) }
    }

    /// Makes the text writable in place with room for `additional` more bytes, and returns
    /// its first byte and its length: inline, or in a heap block no other handle shares.
    #[inline]
    fn writable(&mut self, additional: usize) -> (*mut u8, usize) {
        let tag = self.tag();
        if tag == HEAP {
            let (header, len) = (self.header(), self.pointer_len());
            if header.count.is_unique() && header.capacity - len >= additional {
                return (self.ptr.cast_mut(), len);
            }
        } else if tag < HEAP {
            let len = self.inline_len();
            if additional <= INLINE_CAP - len {
                return ((self as *mut Self).cast::<u8>(), len);
            }
        }
        self.writable_slow(additional)
    }

    /// [`writable`](Self::writable) when the text must move: from inline to heap, out of a
    /// shared block, or to a bigger block. An in-place edit of a shared text (`additional ==
    /// 0`) copies it to its exact size; an append gets room to grow.
    #[cold]
    #[inline(never)]
    fn writable_slow(&mut self, additional: usize) -> (*mut u8, usize) {
        match self.make_room(additional, additional == 0) {
            Ok(room) => room,
            Err(fail) => fail.raise(),
        }
    }

    /// Makes the text private with room for `additional` more bytes, as
    /// [`writable`](Self::writable) does, and reports a failure instead of panicking. A new
    /// block gets exactly the room asked for when `exact`, else room to grow (twice the
    /// length). On failure `self` is unchanged.
    fn make_room(&mut self, additional: usize, exact: bool) -> Result<(*mut u8, usize), AllocFail> {
        let (src, len) = self.raw_parts();
        let needed = match len.checked_add(additional) {
            Some(n) if n <= MAX_CAP => n,
            _ => return Err(AllocFail::CapacityOverflow),
        };
        if self.is_heap() && self.header().count.is_unique() {
            let capacity = self.header().capacity;
            if capacity < needed {
                // Unique but too small: grow in place (realloc), doubling for amortized appends.
                let capacity = if exact {
                    needed
                } else {
                    needed.max(capacity.saturating_mul(2)).min(MAX_CAP)
                };
                // SAFETY: the block is live and unique (checked just above, through
                // `&mut self`), and `capacity >= needed >= len`.
                let block = unsafe { block::grow(self.block(), capacity) }?;
                // Not an assignment: the moved block is still ours, nothing is dropped.
                self.set_pointer(block::data(block), len, HEAP);
            }
            return Ok((self.ptr.cast_mut(), len));
        }
        if self.is_inline() && needed <= INLINE_CAP {
            return Ok(((self as *mut Self).cast::<u8>(), len));
        }
        // Inline and too long, shared or static: copy the text into a private home. Moving out
        // of a shared block or a static text to a short enough text goes inline.
        if needed <= INLINE_CAP {
            let mut private = CowString::new();
            // SAFETY: `src..src+len` is our text (in a block or a static text, since an inline
            // text that fits returned above); `private` has room for 16 bytes; no overlap.
            unsafe { ptr::copy_nonoverlapping(src, (&raw mut private).cast::<u8>(), len) };
            private.set_len(len);
            // Dropping the old handle here releases our count of a shared block.
            *self = private;
            return Ok(((self as *mut Self).cast::<u8>(), len));
        }
        let capacity = if exact {
            needed
        } else {
            needed
                .max(len.saturating_mul(2))
                .clamp(MIN_HEAP_CAP, MAX_CAP)
        };
        let dst = block::data(block::new(capacity)?);
        // SAFETY: `src..src+len` is our text; `dst` has room for `capacity >= needed >= len`
        // bytes in a new allocation, so no overlap.
        unsafe { ptr::copy_nonoverlapping(src, dst, len) };
        // SAFETY: `self` is valid for reads; the old handle is dropped just below, once,
        // after `set_pointer` overwrote it with the handle that owns the new block's count.
        let old = unsafe { ptr::read(self) };
        self.set_pointer(dst, len, HEAP);
        // Releases our count of a shared block (a static text has none).
        drop(old);
        Ok((dst, len))
    }

    /// [`make_room`](Self::make_room) for the `try_reserve` methods, with std's error.
    fn try_make_room(&mut self, additional: usize, exact: bool) -> Result<(), TryReserveError> {
        loop {
            match self.make_room(additional, exact) {
                Ok(_) => return Ok(()),
                Err(fail) => {
                    if let Some(error) = std_reserve_error(fail) {
                        return Err(error);
                    }
                }
            }
        }
    }

    /// Appends `bytes`, which the caller guarantees are UTF-8 (a whole `str` or `char`).
    #[inline]
    fn push_bytes(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        let (dst, len) = self.writable(n);
        // SAFETY: `writable` made room for `n` more bytes after the `len` in use; `bytes`
        // cannot overlap them: it borrows something other than `self`, and if it is another
        // handle's text in a block we shared, `writable` moved us out of that block.
        unsafe { copy_short(bytes.as_ptr(), dst.add(len), n) };
        // After `writable` the text is inline (its bytes are the handle's) or in a private heap
        // block: which one is known from `dst`, without reading the handle back (the copy
        // could have written it, so the compiler would reload it).
        if ptr::eq(dst, (&raw const *self).cast::<u8>()) {
            self.set_len(len + n);
        } else {
            // The heap case of `set_len`, its tag known: one store.
            debug_assert!(self.is_heap() && len + n <= self.header().capacity);
            self.set_pointer_len(len + n, HEAP);
        }
    }

    /// Inserts `bytes` (UTF-8) at `idx`, a char boundary the caller checked.
    fn insert_bytes(&mut self, idx: usize, bytes: &[u8]) {
        let (dst, len) = self.writable(bytes.len());
        debug_assert!(idx <= len);
        // SAFETY: room for `len + bytes.len()` bytes; the tail moves with `copy` (overlapping
        // ranges allowed), then `bytes` (not in our buffer, see `push_bytes`) fills the gap.
        unsafe {
            ptr::copy(dst.add(idx), dst.add(idx + bytes.len()), len - idx);
            ptr::copy_nonoverlapping(bytes.as_ptr(), dst.add(idx), bytes.len());
        }
        self.set_len(len + bytes.len());
    }

    /// Bytes the current buffer holds: 16 inline, the length for a static text (whose next
    /// write copies), else the heap block's capacity.
    ///
    /// A shared block is copied on the next write whatever its capacity; call
    /// [`reserve`](Self::reserve) to get a private buffer with room.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowString;
    /// assert_eq!(CowString::new().capacity(), 16);
    /// assert!(CowString::with_capacity(64).capacity() >= 64);
    /// ```
    #[inline]
    pub fn capacity(&self) -> usize {
        match self.tag() {
            HEAP => self.header().capacity,
            STATIC => self.pointer_len(),
            _ => INLINE_CAP,
        }
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

    /// Releases spare room down to `min_capacity` or the length, whichever is larger, as
    /// `String::shrink_to`: a text that then fits moves inline; a private heap block shrinks.
    /// A shared block, or one already at most that big, is left as it is.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::with_capacity(100);
    /// s.push_str("a text longer than fifteen bytes");
    /// s.shrink_to(40);
    /// assert_eq!(s.capacity(), 40);
    /// s.shrink_to(0);
    /// assert_eq!(s.capacity(), s.len());
    /// ```
    pub fn shrink_to(&mut self, min_capacity: usize) {
        if self.is_inline() {
            return;
        }
        let len = self.pointer_len();
        let capacity = len.max(min_capacity);
        if capacity <= INLINE_CAP {
            *self = CowString::from(self.as_str());
        } else if self.is_heap()
            && self.header().count.is_unique()
            && self.header().capacity > capacity
        {
            // SAFETY: live, unique (checked through `&mut self`), and `capacity >= len`.
            // Shrinking cannot overflow; should the allocator fail, the block stays as it is.
            if let Ok(block) = unsafe { block::grow(self.block(), capacity) } {
                // The moved block is still ours: overwritten, not dropped.
                self.set_pointer(block::data(block), len, HEAP);
            }
        }
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
        let mut buf = [0; 4];
        self.push_bytes(ch.encode_utf8(&mut buf).as_bytes());
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
        if !self.is_inline() && !self.is_unique() {
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

    /// `true` when the text lives inside the handle (up to [`INLINE_CAPACITY`](Self::INLINE_CAPACITY)
    /// = 16 bytes, no allocation).
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowString;
    /// assert!(CowString::from("sixteen bytes...").is_inline());
    /// assert!(!CowString::from("seventeen bytes..").is_inline());
    /// ```
    #[inline]
    pub fn is_inline(&self) -> bool {
        self.tag() < HEAP
    }

    /// `true` when the handle points at a `'static` text (made by
    /// [`from_static`](Self::from_static) from a text of more than 16 bytes): no allocation, no
    /// count; the next write copies the text out.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowString;
    /// let mut s = CowString::from_static("a constant longer than sixteen bytes");
    /// assert!(s.is_static() && !s.clone().is_unique());
    /// s.push('!');
    /// assert!(!s.is_static() && s.is_unique());
    /// ```
    #[inline]
    pub fn is_static(&self) -> bool {
        self.tag() == STATIC
    }

    /// `true` when a write would not copy: the text is inline or in a block no other handle
    /// shares (a static text is always shared).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = cowkit::CowString::from("a text longer than fifteen bytes");
    /// assert!(s.is_unique());
    /// let t = s.clone();
    /// assert!(!s.is_unique());
    /// drop(t);
    /// assert!(s.is_unique());
    /// ```
    #[inline]
    pub fn is_unique(&mut self) -> bool {
        match self.tag() {
            HEAP => self.header().count.is_unique(),
            STATIC => false,
            _ => true,
        }
    }

    /// `true` when both handles share one heap block, or one static text, and show the same
    /// length of it, so they are clones of one another. Inline texts have no shared storage:
    /// always `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// use cowkit::CowString;
    /// let a = CowString::from("a text longer than fifteen bytes");
    /// let b = a.clone();
    /// assert!(a.ptr_eq(&b));
    /// assert!(!a.ptr_eq(&CowString::from(a.as_str())));
    /// ```
    #[inline]
    pub fn ptr_eq(&self, other: &CowString) -> bool {
        // Equal second words: the same tag (heap or static) and the same length.
        !self.is_inline() && self.ptr == other.ptr && self.word() == other.word()
    }

    /// The number of handles sharing the text's heap block (1 for an inline or a static text,
    /// which have no count).
    ///
    /// Another thread may clone or drop a handle right after the read: use it for reporting.
    ///
    /// # Examples
    ///
    /// ```
    /// let a = cowkit::CowString::from("a text longer than fifteen bytes");
    /// let b = a.clone();
    /// assert_eq!(a.strong_count(), 2);
    /// drop(b);
    /// assert_eq!(a.strong_count(), 1);
    /// ```
    pub fn strong_count(&self) -> usize {
        if self.is_heap() {
            self.header().count.get()
        } else {
            1
        }
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

impl Clone for CowString {
    /// Another handle to the same text: 16 bytes copied, plus one relaxed atomic increment
    /// when the text is on the heap.
    #[inline]
    fn clone(&self) -> Self {
        if self.is_heap() {
            self.header().count.increment();
        }
        // SAFETY: a bitwise copy of the 16 bytes (two word moves): an inline text is plain
        // bytes, and a heap handle's count was just incremented for the copy to own.
        unsafe { ptr::read(self) }
    }
}

impl Drop for CowString {
    #[inline]
    fn drop(&mut self) {
        if self.is_heap() && self.header().count.decrement() {
            // SAFETY: the count reached zero (with the Acquire fence that orders every other
            // handle's reads before this), so no handle uses the block any more.
            unsafe { block::free(self.block()) };
        }
    }
}

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
        let mut s = CowString::with_capacity(text.len());
        s.push_str(text);
        s
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
macro_rules! impl_extend {
    ($($item:ty => |$s:ident, $x:ident| $push:expr),* $(,)?) => {$(
        impl<'a> Extend<$item> for CowString {
            fn extend<I: IntoIterator<Item = $item>>(&mut self, iter: I) {
                for $x in iter {
                    let $s = &mut *self;
                    $push;
                }
            }
        }
        impl<'a> FromIterator<$item> for CowString {
            fn from_iter<I: IntoIterator<Item = $item>>(iter: I) -> Self {
                let mut s = CowString::new();
                s.extend(iter);
                s
            }
        }
    )*};
}

impl_extend! {
    char => |s, c| s.push(c),
    &'a char => |s, c| s.push(*c),
    &'a str => |s, x| s.push_str(x),
    String => |s, x| s.push_str(&x),
    Box<str> => |s, x| s.push_str(&x),
    Cow<'a, str> => |s, x| s.push_str(&x),
    CowString => |s, x| s.push_str(&x),
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
    string: *mut CowString,
    /// The removed byte range, on char boundaries.
    start: usize,
    end: usize,
    /// The part of the removed text not yet yielded.
    chars: core::str::Chars<'a>,
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
    bytes: Vec<u8>,
    error: core::str::Utf8Error,
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
pub struct FromUtf16Error(());

impl fmt::Display for FromUtf16Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid utf-16: lone surrogate found")
    }
}

impl core::error::Error for FromUtf16Error {}

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

//! The representation: the 16-byte handle and every test of its tag (inline, heap, static),
//! the last-byte niche, the short copies, and the two ways to get a writable text
//! ([`CowString::writable`] for in-place edits and appends, [`CowString::make_room`] when the
//! text must move). The `String`-shaped API above it (`super`) calls these and never looks at
//! the tag itself. The hot paths are tuned here, by hand.

use alloc::collections::TryReserveError;
use core::mem::ManuallyDrop;
use core::ptr::{self, NonNull};

use super::block::{self, AllocFail, DATA_OFFSET, Header, std_reserve_error};

/// The longest text kept inline, in the handle itself: all 16 bytes. A text of 16 bytes takes
/// the last byte too: UTF-8 text never ends in a byte of 0xC0 or more, so such a byte can say
/// that the handle holds something else (see [`LastByte`]).
pub(crate) const INLINE_CAP: usize = 16;

/// The last byte of an inline text shorter than 16 bytes is `INLINE_LEN + len`.
pub(super) const INLINE_LEN: u8 = 0xC0;
/// The last byte of a handle on a heap block.
pub(super) const HEAP: u8 = 0xD0;
/// The last byte of a handle on a `'static` text ([`CowString::from_static`]).
pub(super) const STATIC: u8 = 0xD1;

/// The longest text a pointer handle (heap or static) can hold: its length is stored in the 7
/// bytes beside the pointer, below the tag byte; and an allocation may not pass `isize::MAX`
/// bytes. 2^56 − 1 bytes is 64 PiB, far beyond any machine.
pub(super) const MAX_CAP: usize = {
    let by_tag: u64 = (1 << 56) - 1;
    let by_alloc = isize::MAX as u64 - size_of::<Header>() as u64;
    (if by_tag < by_alloc { by_tag } else { by_alloc }) as usize
};

/// A pointer handle's second word (bytes 8..16, read as a little-endian `u64`): the length in
/// bits 0..56, the tag (heap or static) in the top byte, which is the handle's last byte.
pub(super) const fn pointer_word(len: usize, tag: u8) -> u64 {
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
pub(super) unsafe fn copy_short(src: *const u8, dst: *mut u8, n: usize) {
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
pub(super) unsafe fn copy_halves<W: Copy>(src: *const u8, dst: *mut u8, n: usize) {
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

/// `bytes` (an inline text of `len` bytes, little-endian) with the tag of its length in the
/// last byte when `len < 16` (bytes `len..15` must be zero); unchanged at 16, where the last
/// byte is text.
#[inline(always)]
fn with_inline_tag(bytes: u128, len: usize) -> u128 {
    if len < INLINE_CAP {
        bytes & !(0xFF << 120) | u128::from(INLINE_LEN + len as u8) << 120
    } else {
        bytes
    }
}

/// Reads `n <= 16` bytes at `src` into an integer, little-endian (byte `i` in bits
/// `8i..8i + 8`), zero above `n`: two possibly overlapping loads of the widest word that fits,
/// never a byte past `src + n`.
///
/// # Safety
///
/// `n <= 16`, and `src` is valid for reads of `n` bytes.
#[inline(always)]
pub(super) unsafe fn load_short(src: *const u8, n: usize) -> u128 {
    debug_assert!(n <= INLINE_CAP);
    // SAFETY: each pair of loads lies within `src..src + n` (`w <= n` for a word of `w` bytes);
    // the loads are unaligned. Where the two overlap, both carry the same bytes, so OR-ing the
    // second, shifted to its place, over the first changes nothing there.
    unsafe {
        match n {
            0 => 0,
            1 => u128::from(*src),
            2..=3 => {
                let first = u16::from_le(src.cast::<u16>().read_unaligned());
                let last = u16::from_le(src.add(n - 2).cast::<u16>().read_unaligned());
                u128::from(u32::from(first) | u32::from(last) << (8 * (n - 2)))
            }
            4..=7 => {
                let first = u32::from_le(src.cast::<u32>().read_unaligned());
                let last = u32::from_le(src.add(n - 4).cast::<u32>().read_unaligned());
                u128::from(u64::from(first) | u64::from(last) << (8 * (n - 4)))
            }
            _ => {
                let first = u64::from_le(src.cast::<u64>().read_unaligned());
                let last = u64::from_le(src.add(n - 8).cast::<u64>().read_unaligned());
                u128::from(first) | u128::from(last) << (8 * (n - 8))
            }
        }
    }
}

/// The UTF-8 encoding of `ch` as an integer, little-endian (the first byte lowest), and its
/// length: computed in registers, as `char::encode_utf8` would write it.
#[inline(always)]
fn utf8_word(ch: char) -> (u32, usize) {
    let c = u32::from(ch);
    if c < 0x80 {
        (c, 1)
    } else if c < 0x800 {
        (0xC0 | c >> 6 | (0x80 | c & 0x3F) << 8, 2)
    } else if c < 0x1_0000 {
        (
            0xE0 | c >> 12 | (0x80 | c >> 6 & 0x3F) << 8 | (0x80 | c & 0x3F) << 16,
            3,
        )
    } else {
        (
            0xF0 | c >> 18
                | (0x80 | c >> 12 & 0x3F) << 8
                | (0x80 | c >> 6 & 0x3F) << 16
                | (0x80 | c & 0x3F) << 24,
            4,
        )
    }
}

/// Stores the `n` bytes of `utf8` (from [`utf8_word`]) at `dst`, with no more stores than
/// needed and none past `dst + n`.
///
/// # Safety
///
/// `dst` is valid for writes of `n` bytes, `1 <= n <= 4`.
#[inline(always)]
unsafe fn store_utf8(dst: *mut u8, utf8: u32, n: usize) {
    // SAFETY: every store lies within `dst..dst + n` (the caller's contract); unaligned.
    unsafe {
        match n {
            1 => *dst = utf8 as u8,
            2 => dst.cast::<u16>().write_unaligned((utf8 as u16).to_le()),
            3 => {
                dst.cast::<u16>().write_unaligned((utf8 as u16).to_le());
                *dst.add(2) = (utf8 >> 16) as u8;
            }
            _ => dst.cast::<u32>().write_unaligned(utf8.to_le()),
        }
    }
}

/// Bits 0..56 of the second word: a pointer handle's length.
pub(super) const LEN_MASK: u64 = (1 << 56) - 1;

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
    /// zero up to the last byte (appends OR new bytes into them), which holds `INLINE_LEN + len` when
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

/// A handle as two words, the pointer keeping its provenance: handles are made through it
/// with two word stores (one field at a time, a later load of the second word would wait on
/// four narrower stores) or from two registers.
#[repr(C, align(8))]
struct Words {
    ptr: *const u8,
    pad: [u8; 8 - size_of::<usize>()],
    word: u64,
}

const _: () = assert!(
    size_of::<Words>() == size_of::<CowString>() && align_of::<Words>() == align_of::<CowString>()
);
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
        // Two whole words, so that the first append's loads of them are served from these
        // stores (a store of the last byte alone would make a load of its word wait).
        // SAFETY: 16 initialized bytes (in memory order, by `to_le`): zeros, then the tag of
        // an empty inline text, a valid last byte. The first word becomes a null pointer.
        unsafe {
            core::mem::transmute::<[u64; 2], CowString>([0, ((INLINE_LEN as u64) << 56).to_le()])
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
    #[inline]
    pub fn with_capacity(capacity: usize) -> Self {
        if capacity <= INLINE_CAP {
            CowString::new()
        } else {
            CowString::with_block(capacity, 0)
        }
    }

    /// A heap handle on a new block of `capacity` bytes, of which the caller will fill the
    /// first `len` (the handle says `len` already).
    #[inline]
    fn with_block(capacity: usize, len: usize) -> Self {
        debug_assert!(len <= capacity);
        match block::new(capacity) {
            Ok(ptr) => CowString::pointer(block::data(ptr), len, HEAP),
            Err(fail) => fail.raise(),
        }
    }

    /// A copy of `text`: inline when it fits, built in registers (no allocation, no store of
    /// a byte that a later load of a whole word would have to wait for); else one block of
    /// exactly its length.
    #[inline]
    pub(super) fn from_text(text: &str) -> Self {
        let n = text.len();
        if n <= INLINE_CAP {
            // SAFETY: `text` is valid for `n <= 16` bytes.
            let bytes = unsafe { load_short(text.as_ptr(), n) };
            // SAFETY: the first `n` bytes are `text`, UTF-8; the rest are zero.
            unsafe { CowString::inline(bytes, n) }
        } else {
            let (ptr, word) = CowString::heap_copy(text);
            // SAFETY: the parts of a heap handle on a new block of its own (one count), whose
            // first `len` bytes are `text`, UTF-8.
            unsafe { CowString::from_parts(ptr, word) }
        }
    }

    /// [`from_text`](Self::from_text) for a text longer than 16 bytes, as the parts of the
    /// handle (returned in registers).
    #[inline(never)]
    fn heap_copy(text: &str) -> (*const u8, u64) {
        let len = text.len();
        let dst = match block::new(len) {
            Ok(ptr) => block::data(ptr),
            Err(fail) => fail.raise(),
        };
        // SAFETY: the new block has room for `len` bytes at `dst`, a fresh allocation that
        // `text` cannot overlap.
        unsafe { ptr::copy_nonoverlapping(text.as_ptr(), dst, len) };
        (dst, pointer_word(len, HEAP))
    }

    /// An inline handle on the first `len` bytes of `bytes` (little-endian: byte `i` of the
    /// text is bits `8i..8i + 8`), made as two whole words.
    ///
    /// # Safety
    /// - `len <= 16`, and the first `len` bytes are UTF-8 text;
    /// - when `len < 16`, bytes `len..16` are zero (the tag is set here).
    #[inline(always)]
    unsafe fn inline(bytes: u128, len: usize) -> Self {
        debug_assert!(len <= INLINE_CAP);
        let bytes = with_inline_tag(bytes, len);
        // SAFETY: 16 initialized bytes (two words, in memory order); the last is the tag of a
        // text shorter than 16 bytes, or the last byte of 16 bytes of UTF-8 (below 0xC0): a
        // valid `LastByte`. The first word becomes a pointer without provenance, never
        // dereferenced (the handle is inline).
        unsafe {
            core::mem::transmute::<[u64; 2], CowString>([
                (bytes as u64).to_le(),
                ((bytes >> 64) as u64).to_le(),
            ])
        }
    }

    /// An inline handle's 16 bytes as one little-endian integer, read as two whole words.
    #[inline(always)]
    fn inline_bytes(&self) -> u128 {
        // SAFETY: the 16-byte, 8-aligned handle, initialized: two aligned word loads. (A
        // heap handle's pointer read as an integer is only compared, never used as one.)
        let [lo, hi] = unsafe { (self as *const Self).cast::<[u64; 2]>().read() };
        u128::from(u64::from_le(lo)) | u128::from(u64::from_le(hi)) << 64
    }

    /// Appends the `n >= 1` bytes of `piece` (little-endian, zero above `n`, UTF-8) in
    /// registers when the text is inline and has room for them; `false` (and nothing done)
    /// otherwise.
    ///
    /// Word by word, with shifts of 64 bits at most (a 128-bit shift by a variable amount is a
    /// chain of double-width shifts and conditional moves, slow on some CPUs), and without
    /// masking the old text: the bytes after an inline text are zero (a field invariant), so
    /// the new bytes are OR-ed in.
    #[inline(always)]
    fn push_inline(&mut self, piece: u128, n: usize) -> bool {
        debug_assert!(n >= 1);
        // SAFETY: the 16-byte, 8-aligned handle, initialized: two aligned word loads.
        let [lo, hi] = unsafe { (self as *const Self).cast::<[u64; 2]>().read() };
        let (lo, hi) = (u64::from_le(lo), u64::from_le(hi));
        // The tag of an inline text of 0..=15 bytes; a full 16-byte text has no room anyway.
        let tag = (hi >> 56) as u8;
        if !(INLINE_LEN..HEAP).contains(&tag) {
            return false;
        }
        let len = usize::from(tag - INLINE_LEN);
        let new_len = len + n;
        if new_len > INLINE_CAP {
            return false;
        }
        let (piece_lo, piece_hi) = (piece as u64, (piece >> 64) as u64);
        let (mut lo, mut hi) = (lo, hi & LEN_MASK);
        if len >= 8 {
            // All of `piece` lands in the second word (`n <= 16 - len <= 8`).
            hi |= piece_lo << (8 * (len - 8));
        } else {
            let shift = 8 * len as u32;
            lo |= piece_lo << shift;
            // The bytes of `piece_lo` pushed out of the first word, then `piece_hi`'s.
            // `>> 1 >> (63 - shift)` is `>> (64 - shift)`, and 0 when `shift` is 0.
            hi |= piece_hi << shift | (piece_lo >> 1) >> (63 - shift);
        }
        if new_len < INLINE_CAP {
            hi |= u64::from(INLINE_LEN + new_len as u8) << 56;
        }
        // SAFETY: the handle is inline (tag checked): 16 bytes of its own, aligned. The new
        // bytes are the old text, then `piece`'s UTF-8, then zeros, and a valid last byte:
        // the tag of `new_len < 16`, or the last byte of a 16-byte UTF-8 text.
        unsafe {
            (self as *mut Self)
                .cast::<[u64; 2]>()
                .write([lo.to_le(), hi.to_le()])
        };
        true
    }

    /// Appends a `char`: its UTF-8 bytes computed in registers and stored straight into the
    /// text (no encoding into a buffer, no copy call).
    #[inline]
    pub(super) fn push_char(&mut self, ch: char) {
        let (utf8, n) = utf8_word(ch);
        self.append(
            n,
            || u128::from(utf8),
            // SAFETY: `append` calls this with room for `room >= n` bytes at `dst`. A
            // multi-byte char with room for four takes one 4-byte store whatever `n`: the
            // bytes past `n` are spare capacity, not text.
            |dst, room| unsafe {
                if n == 1 {
                    *dst = utf8 as u8;
                } else if room >= 4 {
                    dst.cast::<u32>().write_unaligned(utf8.to_le());
                } else {
                    store_utf8(dst, utf8, n);
                }
            },
        );
    }

    /// Appends `n` bytes of UTF-8 text, given twice: `piece` returns them as an integer
    /// (little-endian, zero above `n`; only called when `n <= 16`), `write` stores them at a
    /// pointer with room for `n` bytes. The one append path: in place when the text has room
    /// ([`append_in_place`](Self::append_in_place)), else after moving it
    /// ([`moved_for_append`](Self::moved_for_append)).
    ///
    /// The handle is only read and written whole or by word here, and the slow path takes and
    /// gives it back by value, so that in a loop of appends the compiler can keep it in
    /// registers instead of storing and reloading it on every call.
    #[inline(always)]
    fn append(&mut self, n: usize, piece: impl Fn() -> u128, write: impl Fn(*mut u8, usize)) {
        if self.append_in_place(n, &piece, &write) || n == 0 {
            return;
        }
        self.move_for_append(n);
        let appended = self.append_in_place(n, &piece, &write);
        debug_assert!(appended, "a moved text has room for the append");
    }

    /// Makes room for `n` more bytes before a run of appends (`Extend`), the way
    /// [`append`](Self::append) would for the first of them: nothing when the text is inline
    /// or in a private block, with room.
    #[inline(always)]
    pub(super) fn reserve_for_appends(&mut self, n: usize) {
        let word = self.word();
        let tag = (word >> 56) as u8;
        let room = if tag == HEAP {
            let header = self.header();
            if header.count.is_unique() {
                header.capacity - (word & LEN_MASK) as usize
            } else {
                0
            }
        } else if (INLINE_LEN..HEAP).contains(&tag) {
            INLINE_CAP - usize::from(tag - INLINE_LEN)
        } else {
            // A full inline text, or a static one.
            0
        };
        if room < n {
            self.move_for_append(n);
        }
    }

    /// Moves the text to a private home with room for `n` more bytes (see
    /// [`writable_slow`](Self::writable_slow)).
    ///
    /// The handle goes to the out-of-line part and comes back as two words, in registers (a
    /// pointer and an integer: a pair the calling convention passes and returns in
    /// registers), never through memory: the caller's handle can then live in registers
    /// around the call, and no load waits on a store of it.
    #[inline(always)]
    fn move_for_append(&mut self, n: usize) {
        let (ptr, word) = CowString::moved_for_append(self.ptr, self.word(), n);
        // SAFETY: `moved_for_append` took over the handle's parts and gave back the parts of
        // the handle that replaces it (having released what the old one owned, or kept it in
        // the new one); on a panic it dropped nothing, so `self` still owns the old handle.
        // The parts are those of a valid handle, read from one by `moved_for_append`.
        unsafe { ptr::write(self, CowString::from_parts(ptr, word)) };
    }

    /// The out-of-line part of [`move_for_append`](Self::move_for_append): the handle made of
    /// `ptr` and `word`, moved to a private home with room for `n` more bytes, as parts. On
    /// failure it panics having dropped nothing (the text is left as it was).
    #[cold]
    #[inline(never)]
    fn moved_for_append(ptr: *const u8, word: u64, n: usize) -> (*const u8, u64) {
        // SAFETY: the parts of a valid handle (`move_for_append` passes its own), whose
        // ownership moves here; `ManuallyDrop` keeps a panic from dropping it (the caller
        // still owns it then).
        let mut this = ManuallyDrop::new(unsafe { CowString::from_parts(ptr, word) });
        this.writable_slow(n);
        (this.ptr, this.word())
    }

    /// A handle from its two words: the first as a pointer (keeping a heap or static
    /// pointer's provenance), the second as a little-endian integer.
    ///
    /// # Safety
    ///
    /// `ptr` and `word` are the parts of a valid handle (its `ptr` field and
    /// [`word`](Self::word)), which the result then owns.
    #[inline(always)]
    unsafe fn from_parts(ptr: *const u8, word: u64) -> CowString {
        let words = Words {
            ptr,
            pad: [0; 8 - size_of::<usize>()],
            word: word.to_le(),
        };
        // SAFETY: `Words` has the handle's layout (checked beside it); the parts are a valid
        // handle's (the caller's contract).
        unsafe { core::mem::transmute::<Words, CowString>(words) }
    }

    /// [`append`](Self::append) without moving the text: a private heap block with room takes
    /// the bytes in place and the new length in one store; an inline text with room takes them
    /// in registers ([`push_inline`](Self::push_inline)). `false`, and nothing done, otherwise.
    #[inline(always)]
    fn append_in_place(
        &mut self,
        n: usize,
        piece: &impl Fn() -> u128,
        write: &impl Fn(*mut u8, usize),
    ) -> bool {
        let word = self.word();
        if (word >> 56) as u8 == HEAP {
            let len = (word & LEN_MASK) as usize;
            let header = self.header();
            let room = header.capacity - len;
            if header.count.is_unique() && room >= n {
                // SAFETY: `len <= capacity`: the text's end is within its block.
                write(unsafe { self.ptr.add(len).cast_mut() }, room);
                // The same tag, the length `len + n <= capacity <= MAX_CAP`: no carry into
                // the tag byte.
                self.set_word(word + n as u64);
                return true;
            }
            false
        } else {
            n != 0 && n <= INLINE_CAP && self.push_inline(piece(), n)
        }
    }

    /// Stores the second word (bytes 8..16) whole.
    ///
    /// The caller makes it a valid one: for a pointer handle, its length and tag; the tag
    /// byte is always a valid last byte.
    #[inline(always)]
    fn set_word(&mut self, word: u64) {
        debug_assert!((word >> 56) as u8 <= STATIC);
        // SAFETY: bytes 8..16 of the 16-byte, 8-aligned handle, aligned; the top byte is a
        // valid last byte (caller's contract, checked in debug builds).
        unsafe { (self as *mut Self).cast::<u64>().add(1).write(word.to_le()) };
    }

    /// A pointer handle (heap or static) on `len` bytes at `text`.
    #[inline]
    pub(super) const fn pointer(text: *const u8, len: usize, tag: u8) -> Self {
        let words = Words {
            ptr: text,
            pad: [0; 8 - size_of::<usize>()],
            word: pointer_word(len, tag).to_le(),
        };
        // SAFETY: `Words` has the handle's layout: the pointer in the first field, then bytes
        // 8..16 holding `len | tag << 56` little-endian, whose top byte, the handle's last, is
        // `tag` (HEAP or STATIC), a valid `LastByte`.
        unsafe { core::mem::transmute::<Words, CowString>(words) }
    }

    /// The handle's second word (bytes 8..16) as the little-endian `u64` it was stored as.
    #[inline]
    pub(super) fn word(&self) -> u64 {
        // SAFETY: bytes 8..16 of the 16-byte, 8-aligned handle: aligned and initialized.
        u64::from_le(unsafe { (self as *const Self).cast::<u64>().add(1).read() })
    }

    /// The last byte (see [`LastByte`]), read through the second word, the way pointer
    /// handles store it (`len | tag << 56` in one 8-byte store), so that a read right after a
    /// length change loads exactly what was stored.
    #[inline]
    pub(super) fn tag(&self) -> u8 {
        (self.word() >> 56) as u8
    }

    /// `true` for a heap handle: one that owns a count.
    #[inline]
    pub(super) fn is_heap(&self) -> bool {
        self.tag() == HEAP
    }

    /// A pointer handle's length; only meaningful when `tag() >= HEAP`.
    #[inline]
    pub(super) fn pointer_len(&self) -> usize {
        (self.word() & LEN_MASK) as usize
    }

    /// An inline text's length; only meaningful when `tag() < HEAP`.
    #[inline]
    pub(super) fn inline_len(&self) -> usize {
        // Below 0xC0 the last byte is text: 16 bytes; else the tag says the length.
        usize::from(self.tag().wrapping_sub(INLINE_LEN)).min(INLINE_CAP)
    }

    /// The heap block; only meaningful when `is_heap()`.
    #[inline]
    pub(super) fn block(&self) -> NonNull<Header> {
        debug_assert!(self.is_heap());
        // SAFETY: a heap handle's pointer is `DATA_OFFSET` bytes into a live block (field
        // invariant); stepping back stays inside it, at its header.
        unsafe { NonNull::new_unchecked(self.ptr.sub(DATA_OFFSET).cast::<Header>().cast_mut()) }
    }

    /// The block's header; only for heap handles.
    #[inline]
    pub(super) fn header(&self) -> &Header {
        // SAFETY: a heap handle's block is live while the handle is (field invariant).
        unsafe { self.block().as_ref() }
    }

    /// Sets the length, keeping the representation. The caller must have made the bytes up
    /// to `len` valid UTF-8 text, ending on a char boundary, within the capacity.
    #[inline]
    pub(super) fn set_len(&mut self, len: usize) {
        let tag = self.tag();
        if tag >= HEAP {
            debug_assert!(tag == STATIC || len <= self.header().capacity);
            self.set_pointer_len(len, tag);
        } else {
            debug_assert!(len < INLINE_CAP || self.tag() < INLINE_LEN);
            // The bytes past the text become zero (the field invariant that appends rely
            // on), and the tag is set: both words rewritten whole.
            let keep = if len >= INLINE_CAP {
                u128::MAX
            } else {
                (1u128 << (8 * len)) - 1
            };
            let bytes = with_inline_tag(self.inline_bytes() & keep, len);
            // SAFETY: the handle is inline: its text (UTF-8, ending on a char boundary at
            // `len`, the caller's contract), zeros, and the tag of `len` (or, at 16, the
            // text's own last byte, below 0xC0): a valid handle.
            unsafe {
                (self as *mut Self)
                    .cast::<[u64; 2]>()
                    .write([(bytes as u64).to_le(), ((bytes >> 64) as u64).to_le()])
            };
        }
    }

    /// Sets a pointer handle's length and tag (the second word) in one store, leaving the
    /// pointer as it is.
    #[inline]
    pub(super) fn set_pointer_len(&mut self, len: usize, tag: u8) {
        let word = pointer_word(len, tag).to_le();
        // SAFETY: bytes 8..16 of the 16-byte, 8-aligned handle, aligned; the word's top byte
        // is `tag`, a valid last byte.
        unsafe { (self as *mut Self).cast::<u64>().add(1).write(word) };
    }

    /// Turns `self` into a pointer handle (heap or static) on `len` bytes at `text`, as two
    /// word stores, so that later reads of the second word load what was stored whole. What
    /// `self` held before is overwritten, not dropped.
    #[inline]
    pub(super) fn set_pointer(&mut self, text: *const u8, len: usize, tag: u8) {
        self.ptr = text;
        self.set_pointer_len(len, tag);
    }

    /// The text as bytes: a pointer and a length.
    #[inline]
    pub(super) fn raw_parts(&self) -> (*const u8, usize) {
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
    pub(super) fn writable(&mut self, additional: usize) -> (*mut u8, usize) {
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
    pub(super) fn writable_slow(&mut self, additional: usize) -> (*mut u8, usize) {
        match self.make_room(additional, additional == 0) {
            Ok(room) => room,
            Err(fail) => fail.raise(),
        }
    }

    /// Makes the text private with room for `additional` more bytes, as
    /// [`writable`](Self::writable) does, and reports a failure instead of panicking. A new
    /// block gets exactly the room asked for when `exact`, else room to grow (twice the
    /// length). On failure `self` is unchanged.
    pub(super) fn make_room(
        &mut self,
        additional: usize,
        exact: bool,
    ) -> Result<(*mut u8, usize), AllocFail> {
        let (src, len) = self.raw_parts();
        let needed = match len.checked_add(additional) {
            Some(n) if n <= MAX_CAP => n,
            _ => return Err(AllocFail::CapacityOverflow),
        };
        if self.is_heap() && self.header().count.is_unique() {
            let capacity = self.header().capacity;
            if capacity < needed {
                // Unique but too small: grow in place (realloc), doubling for amortized appends.
                let capacity = block::capacity_for(needed, capacity, exact);
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
        let capacity = block::capacity_for(needed, len, exact);
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
    pub(super) fn try_make_room(
        &mut self,
        additional: usize,
        exact: bool,
    ) -> Result<(), TryReserveError> {
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
    pub(super) fn push_bytes(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        self.append(
            n,
            // SAFETY: `append` asks for the integer only when `n <= 16`; `bytes` is valid
            // for `n` bytes.
            || unsafe { load_short(bytes.as_ptr(), n) },
            // SAFETY: `append` calls this with room for `n` bytes at `dst`.
            // `bytes` cannot overlap them: it borrows something other than `self`, and if it
            // is another handle's text in a block we shared, the text moved out of it.
            |dst, _| unsafe { copy_short(bytes.as_ptr(), dst, n) },
        );
    }

    /// Inserts `bytes` (UTF-8) at `idx`, a char boundary the caller checked.
    pub(super) fn insert_bytes(&mut self, idx: usize, bytes: &[u8]) {
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

//! The representation: the 16-byte handle and every test of its tag (inline, heap, static),
//! the last-byte niche, and the ways to get a writable text ([`CowString::writable`] for
//! in-place edits, [`CowString::make_room`] when the text must move, the append path in
//! [`append`]). The `String`-shaped API above it (`super`) calls these and never looks at the
//! tag itself. The hot paths are tuned here, by hand: [`append`] for appends, [`bytes`] for the
//! short copies and encodings in registers.

mod append;
mod bytes;

use alloc::collections::TryReserveError;
use core::ptr::{self, NonNull};

use self::bytes::{load_short, with_inline_tag};

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
/// `&mut s[range]` ([`IndexMut`](core::ops::IndexMut)) unshares the text first, then hands out `&mut str` into the
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
            CowString::with_block(capacity)
        }
    }

    /// An empty heap handle on a new block of `capacity` bytes.
    #[inline]
    fn with_block(capacity: usize) -> Self {
        match block::new(capacity) {
            Ok(ptr) => CowString::pointer(block::data(ptr), 0, HEAP),
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

    /// An inline handle's 16 bytes as one little-endian integer, read as two whole words.
    #[inline(always)]
    fn inline_bytes(&self) -> u128 {
        // SAFETY: the 16-byte, 8-aligned handle, initialized: two aligned word loads. (A
        // heap handle's pointer read as an integer is only compared, never used as one.)
        let [lo, hi] = unsafe { (self as *const Self).cast::<[u64; 2]>().read() };
        u128::from(u64::from_le(lo)) | u128::from(u64::from_le(hi)) << 64
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
        let word = self.word();
        if self
            .room_in_place(word)
            .is_some_and(|room| room >= additional)
        {
            return if (word >> 56) as u8 == HEAP {
                (self.ptr.cast_mut(), (word & LEN_MASK) as usize)
            } else {
                ((self as *mut Self).cast::<u8>(), self.inline_len())
            };
        }
        self.writable_slow(additional)
    }

    /// The bytes that can be added to the text in place, `word` being its second word
    /// ([`word`](Self::word)): the spare capacity of a heap block no other handle shares, or
    /// the inline bytes left (0 for a full 16-byte text). `None` when the text must move
    /// before any write: a shared block or a static text. The one test of "writable in place"
    /// of [`writable`](Self::writable) and the append path.
    #[inline(always)]
    pub(super) fn room_in_place(&self, word: u64) -> Option<usize> {
        let tag = (word >> 56) as u8;
        if tag == HEAP {
            let header = self.header();
            header
                .count
                .is_unique()
                .then(|| header.capacity - (word & LEN_MASK) as usize)
        } else if tag < HEAP {
            Some(INLINE_CAP - usize::from(tag.wrapping_sub(INLINE_LEN)).min(INLINE_CAP))
        } else {
            None
        }
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
        let word = self.word();
        if (word >> 56) as u8 == HEAP {
            self.header().count.increment();
        }
        // SAFETY: a bitwise copy of the handle, as its two words (two word stores, so that
        // reads of the copy by word or by field are served from them): an inline text is
        // plain bytes, and a heap handle's count was just incremented for the copy to own.
        unsafe { CowString::from_parts(self.ptr, word) }
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

//! Bytes in registers: the short copies and loads that move up to 16 bytes without a call,
//! and a `char`'s UTF-8 encoding computed in a word.

use core::ptr;

use super::{INLINE_CAP, INLINE_LEN};

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

/// `bytes` (an inline text of `len` bytes, little-endian) with the tag of its length in the
/// last byte when `len < 16` (bytes `len..15` must be zero); unchanged at 16, where the last
/// byte is text.
#[inline(always)]
pub(super) fn with_inline_tag(bytes: u128, len: usize) -> u128 {
    if len < INLINE_CAP {
        bytes & !(0xFF << 120) | u128::from(INLINE_LEN + len as u8) << 120
    } else {
        bytes
    }
}

/// The UTF-8 encoding of `ch` as an integer, little-endian (the first byte lowest), and its
/// length: computed in registers, as `char::encode_utf8` would write it.
#[inline(always)]
pub(super) fn utf8_word(ch: char) -> (u32, usize) {
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
pub(super) unsafe fn store_utf8(dst: *mut u8, utf8: u32, n: usize) {
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

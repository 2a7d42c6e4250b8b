//! The append path, tuned by hand: in place in a private block, in registers for an inline
//! text, and otherwise after one move of the text, out of line, with the handle passed in
//! registers.

use core::mem::ManuallyDrop;
use core::ptr;

use super::bytes::{copy_short, load_short, store_utf8, utf8_word};
use super::{CowString, HEAP, INLINE_CAP, INLINE_LEN, LEN_MASK};

impl CowString {
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
    pub(in crate::string) fn push_char(&mut self, ch: char) {
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
    pub(in crate::string) fn reserve_for_appends(&mut self, n: usize) {
        if self.room_in_place(self.word()).is_none_or(|room| room < n) {
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
            let Some(room) = self.room_in_place(word).filter(|&room| room >= n) else {
                return false;
            };
            let len = (word & LEN_MASK) as usize;
            // SAFETY: `len <= capacity`: the text's end is within its block.
            write(unsafe { self.ptr.add(len).cast_mut() }, room);
            // The same tag, the length `len + n <= capacity <= MAX_CAP`: no carry into the
            // tag byte.
            self.set_word(word + n as u64);
            true
        } else {
            n != 0 && n <= INLINE_CAP && self.push_inline(piece(), n)
        }
    }

    /// Appends `bytes`, which the caller guarantees are UTF-8 (a whole `str` or `char`).
    #[inline]
    pub(in crate::string) fn push_bytes(&mut self, bytes: &[u8]) {
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
}

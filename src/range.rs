//! Range arguments resolved as std's slice methods resolve them, with std's panics.

use core::ops::{Bound, Range, RangeBounds};

/// Resolves `range` against a length, panicking where and as `<[T]>::copy_within`,
/// `String::drain` and `Vec::drain` do on the toolchain this crate is tested with (std 1.95's
/// wording): an end past the length (an inclusive end at or past it), a start past the length,
/// a start after the end, and an excluded start equal to the end.
///
/// The checks and their order follow std's: the end first, then the start against the length,
/// then against the end. The tests compare every message with `Vec::copy_within`'s, so a
/// toolchain whose wording changed shows up there.
#[track_caller]
pub(crate) fn slice_range<R: RangeBounds<usize>>(range: R, len: usize) -> Range<usize> {
    let end = match range.end_bound() {
        Bound::Included(&end) if end >= len => end_out_of_range(end, len),
        Bound::Included(&end) => end + 1,
        Bound::Excluded(&end) => end,
        Bound::Unbounded => len,
    };
    if end > len {
        end_out_of_range(end, len);
    }
    let (start, excluded) = match range.start_bound() {
        Bound::Included(&start) => (start, false),
        Bound::Excluded(&start) => (start, true),
        Bound::Unbounded => (0, false),
    };
    if start > end {
        if start > len {
            panic!("range start index {start} out of range for slice of length {len}");
        }
        panic!("slice index starts at {start} but ends at {end}");
    }
    if excluded && start == end {
        // std reports an empty range after an excluded start as its end being out of range.
        end_out_of_range(end, len);
    }
    start + usize::from(excluded)..end
}

/// std's panic for a range end past the length.
#[cold]
#[inline(never)]
#[track_caller]
fn end_out_of_range(end: usize, len: usize) -> ! {
    panic!("range end index {end} out of range for slice of length {len}")
}

//! [`BufferCursor`]: `std::io` access to a [`CowBuffer`] at a position.

use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};

use super::{CowBuffer, MAX_LEN};

/// A position in a [`CowBuffer`], with [`Read`], [`BufRead`], [`Seek`] and (over a buffer it may
/// change) [`Write`]: what `std::io::Cursor<Vec<u8>>` is to a `Vec<u8>`.
///
/// `B` is the buffer, owned or borrowed: `BufferCursor<CowBuffer>`,
/// `BufferCursor<&CowBuffer>` (reads) or `BufferCursor<&mut CowBuffer>` (reads and writes).
/// Reading from an O(1) clone leaves the original free to change meanwhile.
///
/// - Reads stop at the end of the buffer (0 bytes at or past it); holes read as zeros.
/// - [`fill_buf`](BufRead::fill_buf) hands out the rest of the current page without copying.
/// - Writes overwrite, then grow the buffer, as `Cursor<Vec<u8>>` does; a write past the end
///   leaves a hole between (zeros, no memory). A write that would take the length past
///   `isize::MAX` fails with [`io::ErrorKind::InvalidInput`] and writes nothing.
/// - Seeking before 0 or past `u64::MAX` fails with [`io::ErrorKind::InvalidInput`]; seeking
///   past the end is allowed.
///
/// # Examples
///
/// ```
/// use std::io::{BufRead, Read, Seek, SeekFrom, Write};
/// use cowkit::{BufferCursor, CowBuffer};
///
/// let mut file = CowBuffer::new();
/// let mut w = BufferCursor::new(&mut file);
/// w.write_all(b"line one\nline two\n")?;
/// w.seek(SeekFrom::Start(5))?;
/// w.write_all(b"ONE")?;
///
/// let mut lines = BufferCursor::new(file.clone()).lines();
/// assert_eq!(lines.next().unwrap()?, "line ONE");
///
/// let mut r = BufferCursor::new(&file);
/// r.seek(SeekFrom::End(-4))?;
/// let mut tail = String::new();
/// r.read_to_string(&mut tail)?;
/// assert_eq!(tail, "two\n");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct BufferCursor<B> {
    /// The buffer read and written.
    inner: B,
    /// The position, in bytes from the start; may be past the end.
    pos: u64,
}

impl<B> BufferCursor<B> {
    /// A cursor at position 0.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = cowkit::BufferCursor::new(cowkit::CowBuffer::new());
    /// assert_eq!(c.position(), 0);
    /// ```
    pub fn new(inner: B) -> Self {
        BufferCursor { inner, pos: 0 }
    }

    /// The position in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// let mut c = cowkit::BufferCursor::new(cowkit::CowBuffer::from(&b"abc"[..]));
    /// c.read_exact(&mut [0; 2]).unwrap();
    /// assert_eq!(c.position(), 2);
    /// ```
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// Moves to `pos` (which may be past the end).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut c = cowkit::BufferCursor::new(cowkit::CowBuffer::new());
    /// c.set_position(10);
    /// assert_eq!(c.position(), 10);
    /// ```
    pub fn set_position(&mut self, pos: u64) {
        self.pos = pos;
    }

    /// The buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = cowkit::BufferCursor::new(cowkit::CowBuffer::zeroed(3));
    /// assert_eq!(c.get_ref().len(), 3);
    /// ```
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// The buffer, mutably.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut c = cowkit::BufferCursor::new(cowkit::CowBuffer::new());
    /// c.get_mut().extend_from_slice(b"x");
    /// assert_eq!(c.get_ref().len(), 1);
    /// ```
    pub fn get_mut(&mut self) -> &mut B {
        &mut self.inner
    }

    /// The buffer, consuming the cursor.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// let mut c = cowkit::BufferCursor::new(cowkit::CowBuffer::new());
    /// c.write_all(b"hi").unwrap();
    /// assert_eq!(c.into_inner().to_vec(), b"hi");
    /// ```
    pub fn into_inner(self) -> B {
        self.inner
    }
}

/// The position as an offset into a buffer; positions past `usize::MAX` are past every end.
fn offset(pos: u64) -> usize {
    usize::try_from(pos).unwrap_or(usize::MAX)
}

impl<B: AsRef<CowBuffer>> Read for BufferCursor<B> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.as_ref().read_at(offset(self.pos), buf);
        self.pos += n as u64;
        Ok(n)
    }
}

impl<B: AsRef<CowBuffer>> BufRead for BufferCursor<B> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        Ok(self.inner.as_ref().chunk_at(offset(self.pos)))
    }

    fn consume(&mut self, amt: usize) {
        self.pos = self.pos.saturating_add(amt as u64);
    }
}

impl<B> Seek for BufferCursor<B>
where
    B: AsRef<CowBuffer>,
{
    fn seek(&mut self, style: SeekFrom) -> io::Result<u64> {
        let (base, delta) = match style {
            SeekFrom::Start(pos) => {
                self.pos = pos;
                return Ok(pos);
            }
            SeekFrom::End(delta) => (self.inner.as_ref().len() as u64, delta),
            SeekFrom::Current(delta) => (self.pos, delta),
        };
        match base.checked_add_signed(delta) {
            Some(pos) => {
                self.pos = pos;
                Ok(pos)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "invalid seek to a negative or overflowing position",
            )),
        }
    }

    fn stream_position(&mut self) -> io::Result<u64> {
        Ok(self.pos)
    }
}

impl<B: AsMut<CowBuffer>> Write for BufferCursor<B> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let start = usize::try_from(self.pos).ok().filter(|&start| {
            start
                .checked_add(buf.len())
                .is_some_and(|end| end <= MAX_LEN)
        });
        let Some(start) = start else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "cowkit: a write there would make the buffer longer than isize::MAX bytes",
            ));
        };
        self.inner.as_mut().write_at(start, buf);
        self.pos += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

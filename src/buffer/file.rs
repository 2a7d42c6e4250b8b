//! Files: [`CowBuffer::read_file`] (a private copy of a file's pages, all-zero pages as holes)
//! and [`CowBuffer::write_changes`] (writes back exactly the pages that differ from a base).
//! Together they give the semantics of the kernel's `MAP_PRIVATE` mapping and Windows'
//! copy-on-write sections, eagerly: the buffer is the process's own copy, and the file is
//! untouched until the changes are written back.
//!
//! Safe code only: the bytes are read with plain (positional) reads, so a file changed or
//! truncated by someone else meanwhile gives other bytes, never undefined behaviour.

#![cfg(feature = "std")]

use alloc::vec;
use alloc::vec::Vec;
use std::fs::File;
use std::io;

use self::os::{read_at, write_all_at};
use super::{CowBuffer, MAX_LEN, PAGE_SIZE};
use crate::config::FILE_IO_CHUNK;

// The one place the positional I/O is chosen: `pread`/`pwrite` on Unix (the file's cursor
// stays where it was); a seek, then a read or write through `&File`, elsewhere (Windows and
// every other platform with files: the cursor moves).
#[cfg(not(unix))]
use self::portable as os;
#[cfg(unix)]
use self::unix as os;

/// [`CowBuffer::read_file`], whose docs say what it does.
pub(super) fn read_file(file: &File) -> io::Result<CowBuffer> {
    // The length now is only a hint for the scratch piece's size: the file is read to
    // wherever its end is while it is read.
    let hint = file.metadata().map_or(0, |meta| meta.len());
    let size = usize::try_from(hint)
        .unwrap_or(FILE_IO_CHUNK)
        .clamp(PAGE_SIZE, FILE_IO_CHUNK)
        .next_multiple_of(PAGE_SIZE);
    let mut piece = vec![0u8; size];
    let mut buffer = CowBuffer::new();
    loop {
        let n = read_piece(file, &mut piece, buffer.len() as u64)?;
        if n > MAX_LEN - buffer.len() {
            return Err(io::Error::new(
                io::ErrorKind::OutOfMemory,
                "file longer than the longest CowBuffer (isize::MAX bytes)",
            ));
        }
        // All-zero pages stay holes (`extend_from_slice` writes only the runs of pages with
        // a nonzero byte).
        buffer.extend_from_slice(&piece[..n]);
        if n < piece.len() {
            // A read returned 0 bytes: the end of the file.
            return Ok(buffer);
        }
        if piece.len() < FILE_IO_CHUNK {
            // The hint was short (a file that grew, or one whose length the OS does not
            // report): larger pieces from here on.
            piece.resize((2 * piece.len()).min(FILE_IO_CHUNK), 0);
        }
    }
}

/// [`CowBuffer::write_changes`], whose docs say what it does.
pub(super) fn write_changes(
    buffer: &CowBuffer,
    base: &CowBuffer,
    file: &File,
) -> io::Result<usize> {
    let changed = buffer.changed_pages(base);
    let mut scratch = Vec::new();
    let mut i = 0;
    while i < changed.len() {
        // A run of adjacent changed pages, at most one chunk long: one write.
        let mut end = i + 1;
        while end < changed.len()
            && changed[end] == changed[end - 1] + 1
            && (end - i) * PAGE_SIZE < FILE_IO_CHUNK
        {
            end += 1;
        }
        let start = changed[i] * PAGE_SIZE;
        let bytes = if end - i == 1 {
            // One page: written from the page itself, no copy.
            buffer.page(changed[i]).unwrap_or_default()
        } else {
            let stop = buffer.len().min((changed[end - 1] + 1) * PAGE_SIZE);
            scratch.resize(stop - start, 0);
            let n = buffer.read_at(start, &mut scratch);
            &scratch[..n]
        };
        write_all_at(file, bytes, start as u64)?;
        i = end;
    }
    let len = buffer.len() as u64;
    if file.metadata()?.len() != len {
        file.set_len(len)?;
    }
    Ok(changed.len())
}

/// Reads from `offset` on into `piece` until it is full or a read returns 0 bytes (the end of
/// the file); returns how many bytes it holds. Interrupted reads are retried.
fn read_piece(file: &File, piece: &mut [u8], offset: u64) -> io::Result<usize> {
    let mut filled = 0;
    while filled < piece.len() {
        match read_at(file, &mut piece[filled..], offset + filled as u64) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Positional I/O on Unix: `pread` and `pwrite`, which leave the file's cursor alone.
#[cfg(unix)]
mod unix {
    use std::fs::File;
    use std::io;
    use std::os::unix::fs::FileExt;

    /// One read of up to `buf.len()` bytes at `offset`.
    pub(super) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        file.read_at(buf, offset)
    }

    /// Writes all of `buf` at `offset` (interrupted writes are retried).
    pub(super) fn write_all_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
        file.write_all_at(buf, offset)
    }
}

/// The same through `Seek` and `Read`/`Write` on `&File`, for every platform: the cursor moves.
/// Compiled on Unix in test builds too, so that it is tested there.
#[cfg(any(not(unix), test))]
mod portable {
    use std::fs::File;
    use std::io::{self, Read, Seek, SeekFrom, Write};

    /// One read of up to `buf.len()` bytes at `offset`.
    pub(super) fn read_at(mut file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        file.seek(SeekFrom::Start(offset))?;
        file.read(buf)
    }

    /// Writes all of `buf` at `offset` (interrupted writes are retried).
    pub(super) fn write_all_at(mut file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
        file.seek(SeekFrom::Start(offset))?;
        file.write_all(buf)
    }

    #[cfg(test)]
    mod tests {
        use std::fs::OpenOptions;

        #[test]
        fn portable_reads_and_writes_at_offsets() {
            let path = std::env::temp_dir()
                .join(std::format!("cowkit-portable-io-{}", std::process::id()));
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
                .unwrap();
            super::write_all_at(&file, b"world", 6).unwrap();
            super::write_all_at(&file, b"hello ", 0).unwrap();
            let mut out = [0u8; 8];
            assert_eq!(super::read_at(&file, &mut out, 3).unwrap(), 8);
            assert_eq!(&out, b"lo world");
            assert_eq!(super::read_at(&file, &mut out, 11).unwrap(), 0);
            assert_eq!(std::fs::read(&path).unwrap(), b"hello world");
            std::fs::remove_file(&path).unwrap();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PAGE_SIZE;
    use crate::buffer::is_zero;

    #[test]
    fn is_zero_sees_every_byte() {
        let mut page = [0u8; PAGE_SIZE + 5];
        assert!(is_zero(&page) && is_zero(&[]));
        let ats = [0, 7, 8, 127, 128, 1000, PAGE_SIZE - 1, PAGE_SIZE + 4];
        for at in ats.into_iter().filter(|&at| at < PAGE_SIZE + 5) {
            page[at] = 1;
            assert!(!is_zero(&page), "{at}");
            page[at] = 0;
        }
    }
}

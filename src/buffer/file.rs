//! Files: [`CowBuffer::read_file`] (a private copy of a file's pages, all-zero pages as holes),
//! [`CowBuffer::map_file`] (the file's own pages, mapped read-only, until written) and
//! [`CowBuffer::write_changes`] (writes back exactly the pages that differ from a base).
//! Together they give the semantics of the kernel's `MAP_PRIVATE` mapping and Windows'
//! copy-on-write sections, eagerly: the buffer is the process's own copy, and the file is
//! untouched until the changes are written back.
//!
//! `read_file` and `write_changes` are safe: the bytes are read and written with plain
//! (positional) reads and writes, so a file changed or truncated by someone else meanwhile
//! gives other bytes, never undefined behaviour. `map_file` is not: its pages are the file's
//! (`page/mapped.rs`).

#![cfg(feature = "std")]

use alloc::vec;
use alloc::vec::Vec;
use std::fs::File;
use std::io;

use self::os::{read_at, write_all_at};
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
use super::page::mapped::Mapping;
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
            return Err(too_long());
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

/// [`CowBuffer::map_file`], whose docs say what it does: the file mapped read-only, its pages
/// in the table as file pages.
///
/// # Safety
///
/// `map_file`'s: the file does not change while the buffer or a buffer made from it lives.
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
#[allow(unsafe_code)]
pub(super) unsafe fn map_file(file: &File) -> io::Result<CowBuffer> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        // A directory, a pipe or a device: no pages to map (and a device may never end).
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "CowBuffer::map_file needs a regular file",
        ));
    }
    if meta.len() == 0 {
        // Empty, or a file of /proc, whose bytes a read still gives: read it (an empty file's
        // read returns at once).
        return read_file(file);
    }
    let len = usize::try_from(meta.len())
        .ok()
        .filter(|&len| len <= MAX_LEN)
        .ok_or_else(too_long)?;
    let mut buffer = CowBuffer::new();
    let mapping = match Mapping::map(file, len, &meta) {
        Ok(mapping) => mapping,
        // A file system that cannot map (sysfs, some FUSE ones) can still be read.
        Err(e) if e.raw_os_error() == Some(libc::ENODEV) => return read_file(file),
        Err(e) => return Err(e),
    };
    buffer.resize(len);
    // SAFETY: the handles go into `buffer`'s table only, and the count that keeps them valid
    // goes into `buffer.mapping` first; from there every buffer whose table can hold them
    // keeps a count as long (`CowBuffer`'s invariant on `mapping`: a clone and a buffer split
    // off take one; no other operation moves pages between tables). The caller promised that
    // the file does not change meanwhile.
    let (mapped, mut pages) = unsafe { mapping.pages() };
    buffer.mapping = mapped;
    let count = len.div_ceil(PAGE_SIZE);
    let mut page_no = 0;
    while page_no < count {
        // One leaf at a time: the slots from `page_no` to the leaf's end.
        let slots = buffer.table.items_mut(page_no..count);
        for slot in slots.iter_mut() {
            *slot = pages.next();
        }
        page_no += slots.len();
    }
    debug_assert!(pages.next().is_none());
    Ok(buffer)
}

/// [`CowBuffer::map_file`] where files are not mapped: the file is read.
///
/// # Safety
///
/// None needed here; `map_file`'s contract is for the platforms that map.
#[cfg(not(all(target_os = "linux", not(cowkit_portable_arenas))))]
#[allow(unsafe_code)]
pub(super) unsafe fn map_file(file: &File) -> io::Result<CowBuffer> {
    read_file(file)
}

/// The error for a file longer than the longest buffer.
fn too_long() -> io::Error {
    io::Error::new(
        io::ErrorKind::OutOfMemory,
        "file longer than the longest CowBuffer (isize::MAX bytes)",
    )
}

/// [`CowBuffer::write_changes`], whose docs say what it does.
pub(super) fn write_changes(
    buffer: &CowBuffer,
    base: &CowBuffer,
    file: &File,
) -> io::Result<usize> {
    #[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
    if buffer.mapping.maps(file)? || base.mapping.maps(file)? {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the file is mapped by this buffer or by `base` (CowBuffer::map_file): writing it \
             would change their pages under them; write to another file",
        ));
    }
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

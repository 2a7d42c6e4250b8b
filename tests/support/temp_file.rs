//! A temp file for the file tests (`tests/buffer_file.rs`, `tests/buffer_map.rs`), each of
//! which includes this file as a module: named so that no other test or process uses the name,
//! removed when dropped; and the bytes they write into files.

#![allow(dead_code, reason = "each test crate uses its own part")]

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use cowkit::CowBuffer;

/// A file under the temp directory with a name no other test (or process) uses, removed on
/// drop. Declare it before the buffers mapped from it, so that it is dropped after them.
pub struct TempFile {
    path: PathBuf,
}

impl TempFile {
    /// A new file holding `bytes`.
    pub fn with(bytes: &[u8]) -> TempFile {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "cowkit-{}-{}-{}",
            env!("CARGO_CRATE_NAME"),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        fs::write(&path, bytes).unwrap();
        TempFile { path }
    }

    /// A new sparse file of `len` bytes with `byte` at each offset of `marks`.
    pub fn sparse(len: usize, marks: &[usize], byte: u8) -> TempFile {
        let file = TempFile::with(b"");
        let f = file.open();
        f.set_len(len as u64).unwrap();
        for &at in marks {
            write_at(&f, &[byte], at);
        }
        file
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opened for reading and writing.
    pub fn open(&self) -> File {
        OpenOptions::new()
            .read(true)
            .write(true)
            .open(&self.path)
            .unwrap()
    }

    /// The file mapped: opened read-only, mapped, the handle closed (the mapping outlives it).
    pub fn map(&self) -> CowBuffer {
        let file = File::open(&self.path).unwrap();
        // SAFETY: the file is a temp file this test owns and does not modify or truncate while
        // any buffer mapped from it lives (it is removed only after them).
        unsafe { CowBuffer::map_file(&file) }.unwrap()
    }

    pub fn bytes(&self) -> Vec<u8> {
        fs::read(&self.path).unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Writes `bytes` at `at` (positional, whatever the platform).
pub fn write_at(file: &File, bytes: &[u8], at: usize) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = file;
    f.seek(SeekFrom::Start(at as u64)).unwrap();
    f.write_all(bytes).unwrap();
}

/// Bytes that are never zero, different per seed.
pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) | 1)
        .collect()
}

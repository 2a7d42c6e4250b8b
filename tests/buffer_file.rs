//! Public-API tests of `CowBuffer`'s files: `read_file` (round trips, holes for all-zero pages,
//! sparse files, files at their end, files that shrink or change while read, errors) and
//! `write_changes` (exactly the changed pages, growth and truncation of the file, errors).
//! (`tests/model.rs` also saves and loads buffers in its random-operation model;
//! `--cfg cowkit_small_pages` shrinks pages to 64 bytes. `tests/buffer_map.rs` tests
//! `map_file`.)
#![cfg(feature = "std")]

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use cowkit::{CowBuffer, PAGE_SIZE};

#[path = "support/temp_file.rs"]
mod temp_file;

use temp_file::{TempFile, pattern};

const P: usize = PAGE_SIZE;

/// How many pages of `bytes` are all zero.
fn zero_pages(bytes: &[u8]) -> usize {
    bytes
        .chunks(P)
        .filter(|page| page.iter().all(|&b| b == 0))
        .count()
}

/// Empty, 1-byte, page-exact, page + 1 and multi-page files read back byte for byte, with
/// all-zero pages as holes and the others private; writing the buffer against an empty base
/// into an empty file recreates the file.
#[test]
fn round_trips() {
    let mut multi = pattern(7 * P + 123, 1);
    multi[2 * P..4 * P].fill(0); // two zero pages in the middle
    multi[5 * P + 1..6 * P].fill(0); // a page that is zero but for one byte
    let cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        vec![42],
        vec![0],
        pattern(P, 2),
        pattern(P + 1, 3),
        vec![0; P + 1],
        multi,
        pattern(300 * P, 4), // several leaves and levels, several 1 MiB pieces with 4 KiB pages
    ];
    for bytes in &cases {
        let file = TempFile::with(bytes);
        let buffer = CowBuffer::read_file(&file.open()).unwrap();
        assert_eq!(buffer.len(), bytes.len());
        assert!(buffer == *bytes, "read_file of {} bytes", bytes.len());
        let stats = buffer.stats();
        assert_eq!(stats.pages, bytes.len().div_ceil(P));
        assert_eq!(stats.holes, zero_pages(bytes), "{} bytes", bytes.len());
        assert_eq!(
            (stats.private, stats.shared),
            (stats.pages - stats.holes, 0)
        );

        // Against itself: nothing to write, and the file stays as it was.
        assert_eq!(buffer.write_changes(&buffer, &file.open()).unwrap(), 0);
        assert_eq!(file.bytes(), *bytes);

        // Against an empty base into an empty file: every page held, and the length.
        let copy = TempFile::with(b"");
        let written = buffer
            .write_changes(&CowBuffer::new(), &copy.open())
            .unwrap();
        assert_eq!(written, stats.pages - stats.holes);
        assert_eq!(copy.bytes(), *bytes, "copy of {} bytes", bytes.len());
    }
}

/// A 64 MiB sparse file with 3 written pages reads as 3 private pages and holes: memory for
/// 3 pages and their table paths, not 64 MiB.
#[test]
fn sparse_file_costs_its_written_pages() {
    let len = 64 << 20;
    let file = TempFile::with(b"");
    let f = file.open();
    f.set_len(len as u64).unwrap();
    let marks = [0, len / 2 + 5, len - 1];
    for &at in &marks {
        (&f).seek(SeekFrom::Start(at as u64)).unwrap();
        (&f).write_all(&[7]).unwrap();
    }
    (&f).seek(SeekFrom::Start(0)).unwrap();

    let buffer = CowBuffer::read_file(&f).unwrap();
    assert_eq!(buffer.len(), len);
    let stats = buffer.stats();
    assert_eq!(stats.pages, len / P);
    assert_eq!((stats.private, stats.holes), (3, len / P - 3));
    assert!(
        stats.resident_bytes < 3 * P + (64 << 10),
        "resident {} bytes",
        stats.resident_bytes
    );
    for &at in &marks {
        assert_eq!(buffer.get(at), Some(7));
        assert_eq!(buffer.get(at ^ 1), Some(0));
    }
    // Positional reads leave the cursor where it was.
    #[cfg(unix)]
    assert_eq!((&f).stream_position().unwrap(), 0);
}

/// 100 scattered small writes to a clone of a file's buffer: the file is untouched until
/// `write_changes`, which writes each distinct page touched once, and the file then equals
/// the buffer.
#[test]
fn scattered_writes_write_their_pages() {
    let pages = 1000;
    let original = pattern(pages * P, 9);
    let file = TempFile::with(&original);
    let f = file.open();
    let opened = CowBuffer::read_file(&f).unwrap();
    let mut edited = opened.clone();

    let mut touched = HashSet::new();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for i in 0..100 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let page = (state >> 33) as usize % pages;
        let len = 1 + i % 8;
        let at = page * P + (state >> 13) as usize % (P - len);
        edited.write_at(at, &vec![i as u8; len]);
        touched.insert(page);
    }
    assert_eq!(file.bytes(), original, "MAP_PRIVATE: the file is untouched");
    assert_eq!(edited.changed_pages(&opened).len(), touched.len());

    let written = edited.write_changes(&opened, &f).unwrap();
    assert_eq!(written, touched.len());
    assert!(written <= 100);
    assert_eq!(file.bytes(), edited.to_vec());

    // The next save is against the buffer as saved: nothing left to write.
    let saved = edited.clone();
    assert_eq!(edited.write_changes(&saved, &f).unwrap(), 0);
    // A run of adjacent changed pages (one write of several pages) and a lone one.
    edited.fill(10 * P + 5..20 * P + 7, 0xEE);
    edited.set(500 * P, 1);
    assert_eq!(edited.write_changes(&saved, &f).unwrap(), 12);
    assert_eq!(file.bytes(), edited.to_vec());
}

/// A buffer shorter than its base truncates the file (mid-page and at a page boundary); a
/// longer one grows it (holes as zeros, written pages past the old end); pages punched by a
/// truncation and regrown are written as zeros.
#[test]
fn truncation_both_ways() {
    let original = pattern(10 * P + 100, 5);
    let file = TempFile::with(&original);
    let f = file.open();
    let base = CowBuffer::read_file(&f).unwrap();

    // Shorter, cutting into page 6: that page (its tail zeroed) is the one written.
    let mut b = base.clone();
    b.truncate(6 * P + 10);
    assert_eq!(b.write_changes(&base, &f).unwrap(), 1);
    assert_eq!(file.bytes(), &original[..6 * P + 10]);

    // Shorter, at a page boundary: nothing to write, only the length.
    let base = b;
    let mut b = base.clone();
    b.truncate(3 * P);
    assert_eq!(b.write_changes(&base, &f).unwrap(), 0);
    assert_eq!(file.bytes(), &original[..3 * P]);

    // Longer by holes: nothing to write, the file grows with zeros.
    let base = b;
    let mut b = base.clone();
    b.resize(8 * P + 3);
    assert_eq!(b.write_changes(&base, &f).unwrap(), 0);
    assert_eq!(file.bytes(), b.to_vec());
    assert_eq!(fs::metadata(file.path()).unwrap().len(), (8 * P + 3) as u64);

    // Longer by a write past the end: the page written, holes between.
    let base = b;
    let mut b = base.clone();
    b.write_at(12 * P + 1, b"tail");
    assert_eq!(b.write_changes(&base, &f).unwrap(), 1);
    assert_eq!(file.bytes(), b.to_vec());

    // Truncated and regrown: pages 1 and 2 are holes now, written as zeros.
    let base = b;
    let mut b = base.clone();
    b.truncate(P);
    b.resize(3 * P);
    assert_eq!(b.changed_pages(&base), [1, 2]);
    assert_eq!(b.write_changes(&base, &f).unwrap(), 2);
    assert_eq!(file.bytes(), b.to_vec());

    // Down to nothing.
    let base = b;
    let empty = CowBuffer::new();
    assert_eq!(empty.write_changes(&base, &f).unwrap(), 0);
    assert!(file.bytes().is_empty());
}

/// `read_file` reads from offset 0 whatever the cursor says, also when it stands at the end
/// (Unix leaves it there); a file at its end reads as empty.
#[test]
fn reads_from_the_start_whatever_the_cursor() {
    let bytes = pattern(3 * P + 7, 11);
    let file = TempFile::with(&bytes);
    let mut f = file.open();
    f.seek(SeekFrom::End(0)).unwrap();
    let buffer = CowBuffer::read_file(&f).unwrap();
    assert!(buffer == bytes);
    #[cfg(unix)]
    assert_eq!(f.stream_position().unwrap(), bytes.len() as u64);

    let empty = TempFile::with(b"");
    let buffer = CowBuffer::read_file(&empty.open()).unwrap();
    assert!(buffer.is_empty());
    assert_eq!(buffer.stats().resident_bytes, 0);
}

/// A file shrunk (or grown) through another handle between two reads: each read gives the
/// file as it is then, and a buffer read before keeps its bytes.
#[test]
fn file_shrunk_between_reads() {
    let bytes = pattern(20 * P + 5, 13);
    let file = TempFile::with(&bytes);
    let reader = File::open(file.path()).unwrap();
    let before = CowBuffer::read_file(&reader).unwrap();

    file.open().set_len((4 * P + 9) as u64).unwrap();
    let after = CowBuffer::read_file(&reader).unwrap();
    assert_eq!(after.len(), 4 * P + 9);
    assert!(after == bytes[..4 * P + 9]);
    assert!(before == bytes, "a buffer read before is a copy");

    file.open().set_len((6 * P) as u64).unwrap();
    let regrown = CowBuffer::read_file(&reader).unwrap();
    let mut want = bytes[..4 * P + 9].to_vec();
    want.resize(6 * P, 0);
    assert!(regrown == want);
    assert_eq!(regrown.stats().holes, 1); // page 5: zeros from set_len
}

/// A file that another thread keeps truncating and regrowing while it is read: every read
/// succeeds with at most the longest length, and every byte is the file's byte or a zero
/// from a truncation: never a crash.
#[test]
fn file_changing_while_read() {
    let len = 64 * P;
    let bytes = pattern(len, 17);
    let file = TempFile::with(&bytes);
    let stop = AtomicBool::new(false);
    thread::scope(|s| {
        s.spawn(|| {
            let f = file.open();
            let mut i = 0usize;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let cut = (i * 7919) % len;
                f.set_len(cut as u64).unwrap();
                f.set_len(len as u64).unwrap();
                if i % 2 == 0 {
                    f.set_len(cut as u64).unwrap();
                }
            }
        });
        let reader = File::open(file.path()).unwrap();
        for _ in 0..200 {
            let buffer = CowBuffer::read_file(&reader).unwrap();
            assert!(buffer.len() <= len);
            for (i, (a, b)) in buffer.bytes().zip(&bytes).enumerate() {
                assert!(a == *b || a == 0, "byte {i}: {a}");
            }
        }
        stop.store(true, Ordering::Relaxed);
    });
}

/// Two buffers read from the same file share no page; a clone shares them all.
#[test]
fn pages_read_are_the_buffers_own() {
    let mut bytes = pattern(5 * P, 19);
    bytes[P..2 * P].fill(0);
    let file = TempFile::with(&bytes);
    let a = CowBuffer::read_file(&file.open()).unwrap();
    let b = CowBuffer::read_file(&file.open()).unwrap();
    assert!(a == b);
    assert_eq!(a.changed_pages(&b), [0, 2, 3, 4]); // page 1 is a hole in both
    assert_eq!(a.stats().private, 4);
    let c = a.clone();
    assert!(c.changed_pages(&a).is_empty());
    assert_eq!(a.stats().shared, 4);
}

/// Errors come back as `Err`, never as a panic.
#[test]
fn errors_are_returned() {
    let file = TempFile::with(&pattern(2 * P, 23));
    let write_only = OpenOptions::new().write(true).open(file.path()).unwrap();
    assert!(CowBuffer::read_file(&write_only).is_err());

    let read_only = File::open(file.path()).unwrap();
    let base = CowBuffer::read_file(&read_only).unwrap();
    let mut b = base.clone();
    b.set(1, 0);
    assert!(b.write_changes(&base, &read_only).is_err());
    // Only the length differs: `set_len` on a read-only file fails.
    let mut b = base.clone();
    b.truncate(P);
    assert!(b.write_changes(&base, &read_only).is_err());
    assert_eq!(file.bytes(), pattern(2 * P, 23), "nothing was written");

    // A directory opens on Unix, but does not read.
    #[cfg(unix)]
    assert!(CowBuffer::read_file(&File::open(std::env::temp_dir()).unwrap()).is_err());
}

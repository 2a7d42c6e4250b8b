//! Public-API tests of `CowBuffer::map_file`: the bytes of files of every shape, the pages a
//! fresh mapping holds (file pages, counted as shared, never holes), copy-on-write of single
//! pages, `changed_pages` and `write_changes` after writes to a mapped image, every edit
//! against a `Vec<u8>`, the file left untouched, clones dropped in any order and sent to other
//! threads, and errors. (`tests/model.rs` maps files in its random-operation model too.)
//!
//! Every file mapped here is a temp file the test owns and never modifies while a buffer
//! mapped from it lives: `map_file`'s contract. Changes are saved to a *different* file (or a
//! copy), never to the mapped one.
//!
//! Some tests pin what only a mapping `map_file` does (Linux; not with
//! `--cfg cowkit_portable_arenas`, where it reads the file as `read_file` does): they are
//! compiled there only.
#![cfg(feature = "std")]

use std::fs::{File, OpenOptions};
use std::thread;
// Used by the tests of a mapping only (see above).
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
use std::{
    fs,
    path::{Path, PathBuf},
};

use cowkit::{CowBuffer, PAGE_SIZE};

#[path = "support/temp_file.rs"]
mod temp_file;

use temp_file::{TempFile, pattern};

const P: usize = PAGE_SIZE;

/// A small deterministic generator (64-bit LCG), so that failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { self.next() % n }
    }
}

/// Asserts every read path of `buffer` against `want`: `len`, `==`, `to_vec`, `get` at the
/// ends and around each page boundary, `page(i)`, `pages()`, `bytes()`, and `read_at` across
/// page boundaries and past the end.
#[track_caller]
fn assert_reads(buffer: &CowBuffer, want: &[u8], what: &str) {
    assert_eq!(buffer.len(), want.len(), "{what}: len");
    assert_eq!(buffer.is_empty(), want.is_empty(), "{what}: is_empty");
    assert!(*buffer == *want, "{what}: ==");
    assert_eq!(buffer.to_vec(), want, "{what}: to_vec");
    assert_eq!(buffer.get(want.len()), None, "{what}: get past the end");
    for page in 0..want.len().div_ceil(P) {
        let start = page * P;
        let end = (start + P).min(want.len());
        assert_eq!(
            buffer.page(page),
            Some(&want[start..end]),
            "{what}: page {page}"
        );
        for at in [start, end - 1] {
            assert_eq!(buffer.get(at), Some(want[at]), "{what}: get({at})");
        }
    }
    assert_eq!(
        buffer.page(want.len().div_ceil(P)),
        None,
        "{what}: page past the end"
    );
    assert_eq!(buffer.pages().count(), want.len().div_ceil(P), "{what}");
    assert!(
        buffer.pages().flatten().eq(want.iter()),
        "{what}: pages() in order"
    );
    assert!(buffer.bytes().eq(want.iter().copied()), "{what}: bytes()");
    // Pieces that straddle page boundaries and run past the end.
    for at in [
        0,
        1,
        P - 1,
        P,
        P + 1,
        3 * P - 5,
        want.len().saturating_sub(3),
    ] {
        let mut out = vec![0xEE; 2 * P + 3];
        let n = buffer.read_at(at, &mut out);
        let rest = want.get(at..).unwrap_or(&[]);
        let rest = &rest[..rest.len().min(out.len())];
        assert_eq!(&out[..n], rest, "{what}: read_at({at})");
    }
    assert_eq!(buffer.read_at(want.len(), &mut [0; 8]), 0, "{what}");
}

/// Files of every shape read back byte for byte through every read path: empty, 1 byte,
/// `PAGE_SIZE - 1`, `PAGE_SIZE`, `PAGE_SIZE + 1`, many pages, a length that is not a multiple
/// of the page size, zero pages among them; `==` against the file's bytes and against a
/// `read_file` of the same file; the file unchanged.
#[test]
fn bytes_equal_the_files() {
    let mut mixed = pattern(7 * P + 123, 1);
    mixed[2 * P..4 * P].fill(0); // two all-zero pages
    mixed[5 * P + 1..6 * P].fill(0); // zero but for one byte
    let cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        vec![42],
        vec![0],
        pattern(P - 1, 2),
        pattern(P, 3),
        pattern(P + 1, 4),
        vec![0; P + 1],
        mixed,
        pattern(300 * P + 17, 5), // several leaves and levels
    ];
    for bytes in &cases {
        let file = TempFile::with(bytes);
        let mapped = file.map();
        let what = format!("map_file of {} bytes", bytes.len());
        assert_reads(&mapped, bytes, &what);
        let read = CowBuffer::read_file(&file.open()).unwrap();
        assert!(mapped == read, "{what}: == read_file");
        assert_eq!(mapped.stats().pages, bytes.len().div_ceil(P), "{what}");
        drop(mapped);
        assert_eq!(file.bytes(), *bytes, "{what}: the file");
    }
}

/// A 64 MiB sparse file with 3 written bytes reads as the file: the marks, zeros beside them,
/// the length.
#[test]
fn sparse_64mib_file_reads_as_the_file() {
    let len = 64 << 20;
    let marks = [0, len / 2 + 5, len - 1];
    let file = TempFile::sparse(len, &marks, 7);
    let mapped = file.map();
    assert_eq!(mapped.len(), len);
    assert_eq!(mapped.stats().pages, len / P);
    for &at in &marks {
        assert_eq!(mapped.get(at), Some(7), "{at}");
        assert_eq!(mapped.get(at ^ 1), Some(0), "{at} ^ 1");
    }
    assert_eq!(mapped.get(len), None);
    // Every page but the marked ones reads as zeros.
    let marked: Vec<usize> = marks.iter().map(|at| at / P).collect();
    for (i, page) in mapped.pages().enumerate() {
        let nonzero = page.iter().filter(|&&b| b != 0).count();
        assert_eq!(nonzero, usize::from(marked.contains(&i)), "page {i}");
    }
}

/// A fresh mapping holds the file's pages: every page counts as shared (with the file), none
/// as a hole (all-zero pages included: they are file pages, unlike `read_file`'s holes) or
/// private; `resident_bytes` counts the table nodes only (the page cache is not the buffer's
/// memory), far below the pages' bytes for a 64 MiB sparse file.
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
#[test]
fn fresh_mapping_holds_file_pages() {
    let len = 64 << 20;
    let file = TempFile::sparse(len, &[0, len / 2 + 5, len - 1], 7);
    let mapped = file.map();
    let stats = mapped.stats();
    assert_eq!(
        (stats.pages, stats.holes, stats.private, stats.shared),
        (len / P, 0, 0, len / P)
    );
    assert!(stats.resident_bytes > 0, "the table of the file's pages");
    // The table: about 10 bytes per 4 KiB page, a few dozen per 64-byte page (small-page
    // builds), never the pages' bytes.
    let bound = if P >= 4096 { len / 64 } else { len / 2 };
    assert!(
        stats.resident_bytes < bound,
        "resident {} bytes: the table, not the pages",
        stats.resident_bytes
    );

    // A small file of all-zero and non-zero pages: file pages all, no hole.
    let mut bytes = pattern(6 * P + 9, 3);
    bytes[P..3 * P].fill(0);
    let file = TempFile::with(&bytes);
    let mapped = file.map();
    let stats = mapped.stats();
    assert_eq!((stats.holes, stats.private, stats.shared), (0, 0, 7));
    assert!(stats.resident_bytes < 7 * P);
    // A clone shares the same file pages: still all shared, nothing more resident.
    let clone = mapped.clone();
    assert_eq!(clone.stats(), stats);
}

/// A write copies that one page into a private page: private 1, every other page still a
/// file page, counted as shared; `resident_bytes` grows by at least that page. No clone is
/// kept: a file page counts as shared even when one buffer holds it.
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
#[test]
fn a_write_makes_one_page_private() {
    let pages = 40;
    let bytes = pattern(pages * P, 11);
    let file = TempFile::with(&bytes);
    for k in [0, 1, 17, pages - 1] {
        let mut mapped = file.map();
        let before = mapped.stats().resident_bytes;
        assert_eq!(mapped.set(k * P + 5, 0), Some(bytes[k * P + 5]));
        let stats = mapped.stats();
        assert_eq!(
            (stats.holes, stats.private, stats.shared),
            (0, 1, pages - 1),
            "after a write into page {k}"
        );
        assert!(stats.resident_bytes >= before + P, "page {k}: {stats:?}");
        // A second write into the same page stays in it; one into another page copies it.
        mapped.set(k * P + 6, 1);
        assert_eq!(mapped.stats().private, 1);
        mapped.set((k + 1) % pages * P, 1);
        assert_eq!(mapped.stats().private, 2);
        // Punched to a hole by `fill(.., 0)` over the whole page: a hole, not a file page.
        let j = (k + 2) % pages;
        mapped.fill(j * P..(j + 1) * P, 0);
        let stats = mapped.stats();
        assert_eq!(
            (stats.holes, stats.private, stats.shared),
            (1, 2, pages - 3)
        );
    }
}

/// Two `map_file` calls of the same file share no page: every page differs by identity
/// (all-zero ones included), though the bytes are equal; a clone shares them all.
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
#[test]
fn two_mappings_share_no_page() {
    let mut bytes = pattern(5 * P + 3, 19);
    bytes[P..2 * P].fill(0);
    let file = TempFile::with(&bytes);
    let a = file.map();
    let b = file.map();
    assert!(a == b);
    assert!(!a.ptr_eq(&b));
    let all: Vec<usize> = (0..6).collect();
    assert_eq!(a.changed_pages(&b), all);
    assert_eq!(b.changed_pages(&a), all);
    let c = a.clone();
    assert!(c.changed_pages(&a).is_empty());
    assert!(c.ptr_eq(&a));
}

/// The parts of the above every `map_file` gives: equal bytes, and a clone of a mapping
/// shares every page with it.
#[test]
fn two_mappings_are_equal() {
    let mut bytes = pattern(5 * P + 3, 19);
    bytes[P..2 * P].fill(0);
    let file = TempFile::with(&bytes);
    let a = file.map();
    let b = file.map();
    assert!(a == b);
    assert!(a == bytes);
    let c = a.clone();
    assert!(c.changed_pages(&a).is_empty());
    assert!(c.ptr_eq(&a));
    assert_eq!(
        c.stats().private,
        0,
        "every page of a clone is shared or a hole"
    );
}

/// `changed_pages` against the buffer as mapped lists exactly the pages written, on both
/// sides, and nothing for a page only read.
#[test]
fn changed_pages_are_the_pages_written() {
    let pages = 300;
    let bytes = pattern(pages * P + 77, 23);
    let file = TempFile::with(&bytes);
    let base = file.map();
    let mut edited = base.clone();
    assert!(edited.changed_pages(&base).is_empty());

    let mut want = bytes.clone();
    let mut written = vec![3, 4, 150, pages - 1, pages]; // `pages` is the partial last page
    for &page in &written {
        edited.set(page * P + 1, 0xAB);
        want[page * P + 1] = 0xAB;
    }
    // A write across a page boundary touches both pages.
    edited.write_at(200 * P - 2, &[1, 2, 3, 4]);
    want[200 * P - 2..200 * P + 2].copy_from_slice(&[1, 2, 3, 4]);
    written.extend([199, 200]);
    // Reads change nothing.
    assert_reads(&edited, &want, "after the writes");
    assert_reads(&base, &bytes, "the base");
    written.sort_unstable();
    assert_eq!(edited.changed_pages(&base), written);
    assert_eq!(base.changed_pages(&edited), written);
    assert!(base == bytes, "the base still reads as the file");
    assert_eq!(file.bytes(), bytes);
}

/// After 100 scattered writes to a mapped image (100 distinct pages), `write_changes` to a
/// file that is not the mapped one (a copy of it) writes exactly those 100 pages, and that
/// file then holds the buffer's bytes; the mapped file is untouched. The next save, against the
/// buffer as saved, writes only what changed since. This is the documented workflow: map one
/// file, save into another (or into the mapped file only once every buffer mapped from it is
/// dropped).
#[test]
fn write_changes_after_100_scattered_writes() {
    let pages = 1000;
    let original = pattern(pages * P, 9);
    let mapped_file = TempFile::with(&original);
    let target = TempFile::with(&original); // a copy: what the mapped image was
    let t = target.open();
    let base = mapped_file.map();
    let mut edited = base.clone();

    let mut rng = Lcg(0x2545_f491_4f6c_dd1d);
    let mut touched = Vec::new();
    while touched.len() < 100 {
        let page = rng.below(pages);
        if !touched.contains(&page) {
            touched.push(page);
            let len = 1 + touched.len() % 8;
            let at = page * P + rng.below(P - len);
            edited.write_at(at, &vec![touched.len() as u8; len]);
        }
    }
    touched.sort_unstable();
    assert_eq!(edited.changed_pages(&base), touched);
    assert_eq!(
        mapped_file.bytes(),
        original,
        "the mapped file is untouched"
    );

    assert_eq!(edited.write_changes(&base, &t).unwrap(), 100);
    assert_eq!(target.bytes(), edited.to_vec());
    assert_eq!(
        mapped_file.bytes(),
        original,
        "the mapped file is untouched"
    );
    assert!(base == original);

    // The next save is against the buffer as saved: a run of adjacent pages and a lone one.
    let saved = edited.clone();
    assert_eq!(edited.write_changes(&saved, &t).unwrap(), 0);
    edited.fill(10 * P + 5..20 * P + 7, 0xEE);
    edited.set(500 * P, 1);
    edited.truncate(900 * P + 3); // cuts into page 900: written, and the file shortened
    assert_eq!(edited.write_changes(&saved, &t).unwrap(), 13);
    assert_eq!(target.bytes(), edited.to_vec());

    // Saving into a new empty file against an empty base writes every page (no holes in a
    // mapped image of non-zero bytes).
    let fresh = TempFile::with(b"");
    assert_eq!(
        base.write_changes(&CowBuffer::new(), &fresh.open())
            .unwrap(),
        pages
    );
    assert_eq!(fresh.bytes(), original);
}

/// Every kind of edit on a mapped buffer (`write_at`, `set`, `fill` with and without zeros,
/// `truncate` mid-page and at a boundary, `resize` up and down, `split_off` at and off page
/// boundaries, `copy_within` both ways, `extend_from_slice`, `page_mut`, `clear`) against a
/// `Vec<u8>`; a clone kept as mapped and the file never change. Then the same edits at random.
#[test]
fn edits_match_a_vec() {
    let len = 10 * P + 77; // not a multiple of the page size
    let mut original = pattern(len, 29);
    original[3 * P..4 * P].fill(0); // an all-zero page of the file
    let file = TempFile::with(&original);
    let pristine = file.map();

    // Growing past a partial last page: the bytes past the file's end read as zeros.
    let mut b = file.map();
    let mut v = original.clone();
    b.resize(len + 1000);
    v.resize(len + 1000, 0);
    assert_reads(&b, &v, "resize past the file's end");

    let mut b = file.map();
    let mut v = original.clone();
    b.write_at(P - 3, b"across");
    v[P - 3..P + 3].copy_from_slice(b"across");
    assert_reads(&b, &v, "write_at");
    assert_eq!(b.set(3 * P + 9, 4), Some(0));
    v[3 * P + 9] = 4;
    b.fill(5 * P + 10..7 * P, 0); // a partial and a whole page to zero
    v[5 * P + 10..7 * P].fill(0);
    b.fill(8 * P..9 * P + 1, 0x5A);
    v[8 * P..9 * P + 1].fill(0x5A);
    assert_reads(&b, &v, "fill");
    b.copy_within(2 * P + 7..5 * P, 100); // to the front
    v.copy_within(2 * P + 7..5 * P, 100);
    b.copy_within(0..2 * P + 1, 6 * P + 3); // to the back, overlapping nothing
    v.copy_within(0..2 * P + 1, 6 * P + 3);
    b.copy_within(P..4 * P, P + 9); // overlapping, forward
    v.copy_within(P..4 * P, P + 9);
    assert_reads(&b, &v, "copy_within");
    if let Some(page) = b.page_mut(9) {
        page[0] = 0xFF;
        v[9 * P] = 0xFF;
    }
    b.extend_from_slice(&pattern(P + 5, 31));
    v.extend_from_slice(&pattern(P + 5, 31));
    assert_reads(&b, &v, "extend_from_slice");
    b.truncate(8 * P + 100); // mid-page
    v.truncate(8 * P + 100);
    assert_reads(&b, &v, "truncate mid-page");
    b.resize(9 * P + 1);
    v.resize(9 * P + 1, 0);
    assert_reads(&b, &v, "resize up after truncate");
    b.truncate(7 * P); // at a boundary
    v.truncate(7 * P);
    assert_reads(&b, &v, "truncate at a boundary");

    // split_off at a page boundary (pages move) and off one (bytes copied); each part lives
    // on alone after the other is dropped.
    let mut b = file.map();
    let mut v = original.clone();
    let tail = b.split_off(4 * P);
    let vtail = v.split_off(4 * P);
    assert_reads(&b, &v, "split_off head");
    drop(b);
    assert_reads(&tail, &vtail, "split_off tail, head dropped");
    let mut b = tail;
    let mut v = vtail;
    let tail = b.split_off(2 * P + 13);
    let vtail = v.split_off(2 * P + 13);
    assert_reads(&b, &v, "unaligned split_off head");
    assert_reads(&tail, &vtail, "unaligned split_off tail");
    drop((b, tail));

    let mut b = file.map();
    b.clear();
    assert_reads(&b, &[], "clear");
    assert_eq!(b.stats().resident_bytes, 0);

    assert_reads(&pristine, &original, "the clone as mapped");
    assert_eq!(file.bytes(), original, "the file");
}

/// Random edits on several clones of one mapping, each against its `Vec<u8>`.
#[test]
fn random_edits_on_clones_match_vecs() {
    let original = pattern(12 * P + 300, 37);
    let file = TempFile::with(&original);
    let mapped = file.map();
    let mut rng = Lcg(7);
    for round in 0..40 {
        let mut b = if round % 2 == 0 {
            mapped.clone()
        } else {
            file.map()
        };
        let mut v = original.clone();
        for step in 0..30 {
            let len = v.len();
            let at = rng.below(len + 1);
            match rng.below(8) {
                0 => {
                    let data = pattern(rng.below(2 * P), step as u8);
                    b.write_at(at, &data);
                    if at + data.len() > v.len() {
                        v.resize(at + data.len(), 0);
                    }
                    v[at..at + data.len()].copy_from_slice(&data);
                }
                1 => {
                    let end = (at + rng.below(3 * P)).min(len);
                    let byte = if rng.below(2) == 0 { 0 } else { step as u8 };
                    b.fill(at..end, byte);
                    v[at..end].fill(byte);
                }
                2 => {
                    b.truncate(at);
                    v.truncate(at);
                }
                3 => {
                    let new = rng.below(16 * P);
                    b.resize(new);
                    v.resize(new, 0);
                }
                4 => {
                    let at = if rng.below(2) == 0 { at / P * P } else { at };
                    let tail = b.split_off(at);
                    let vtail = v.split_off(at);
                    assert_reads(&tail, &vtail, "split_off tail");
                }
                5 => {
                    let count = rng.below(len - at + 1);
                    let dest = rng.below(len - count + 1);
                    b.copy_within(at..at + count, dest);
                    v.copy_within(at..at + count, dest);
                }
                6 => {
                    let data = pattern(rng.below(2 * P), step as u8 ^ 0x55);
                    b.extend_from_slice(&data);
                    v.extend_from_slice(&data);
                }
                _ => {
                    if at < len {
                        assert_eq!(b.set(at, step as u8), Some(v[at]));
                        v[at] = step as u8;
                    }
                }
            }
            assert!(b == v, "round {round}, step {step}");
        }
        assert_reads(&b, &v, "after random edits");
    }
    assert_reads(&mapped, &original, "the mapping kept");
    assert_eq!(file.bytes(), original, "the file");
}

/// Writes into every page of a mapped buffer (`set`, `page_mut`, `fill`, `write_at`), then
/// `truncate(0)`: the file's own bytes never change, read back with `std::fs::read`, and
/// another mapping of it still reads the original bytes.
#[test]
fn the_file_is_untouched_by_writes() {
    let original = pattern(20 * P + 5, 41);
    let file = TempFile::with(&original);
    let mut mapped = file.map();
    let other = file.map();
    for page in 0..=20 {
        mapped.set(page * P, 0);
    }
    assert_eq!(file.bytes(), original);
    for page in 0..=20 {
        mapped.page_mut(page).unwrap().fill(0xC3);
    }
    mapped.fill(0..5 * P, 0);
    mapped.write_at(19 * P, &[9; 2 * P]);
    assert_eq!(file.bytes(), original);
    assert!(other == original, "another mapping of the file");
    mapped.truncate(0);
    drop(mapped);
    assert_eq!(file.bytes(), original);
    assert!(other == original);
    assert!(file.map() == original, "a new mapping of the file");
}

/// One mapping cloned 100 times, some clones written, all dropped in an interleaved order
/// (the original first): every clone reads right until its drop, and a part split off the
/// mapping outlives every other buffer of it. (The unmapping itself shows only to valgrind
/// and AddressSanitizer, which CI runs this test under.)
#[test]
fn clones_dropped_in_any_order() {
    let original = pattern(9 * P + 1, 43);
    let file = TempFile::with(&original);
    let mut mapped = file.map();
    let tail = mapped.split_off(3 * P);
    let mut clones: Vec<CowBuffer> = (0..100).map(|_| mapped.clone()).collect();
    drop(mapped);
    for (i, clone) in clones.iter_mut().enumerate().filter(|(i, _)| i % 7 == 0) {
        clone.set(i % (3 * P), 0);
    }
    let mut order: Vec<usize> = (0..100).collect();
    let mut rng = Lcg(99);
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut slots: Vec<Option<CowBuffer>> = clones.into_iter().map(Some).collect();
    for &i in &order {
        let clone = slots[i].take().unwrap();
        let mut want = original[..3 * P].to_vec();
        if i % 7 == 0 {
            want[i % (3 * P)] = 0;
        }
        assert!(clone == want, "clone {i}");
        drop(clone);
    }
    assert!(tail == original[3 * P..], "the tail outlives the rest");
    drop(tail);
    assert_eq!(file.bytes(), original);
}

/// An empty file maps to an empty buffer that holds nothing, and grows like any buffer.
#[test]
fn empty_file_gives_an_empty_buffer() {
    let file = TempFile::with(b"");
    let mut mapped = file.map();
    assert!(mapped.is_empty());
    assert_eq!(mapped.len(), 0);
    let stats = mapped.stats();
    assert_eq!((stats.pages, stats.resident_bytes), (0, 0));
    assert!(mapped == CowBuffer::new());
    assert_eq!(mapped.pages().count(), 0);
    mapped.extend_from_slice(b"grown");
    assert!(mapped == b"grown"[..]);
    assert!(file.bytes().is_empty());
}

/// A write-only file and a directory give an `Err`, not a panic; a read-only file maps.
#[test]
fn errors_are_returned() {
    let file = TempFile::with(&pattern(2 * P, 47));
    let write_only = OpenOptions::new().write(true).open(file.path()).unwrap();
    // SAFETY: the file is a temp file this test owns and does not modify while a buffer mapped
    // from it lives (the call fails, so none does).
    let result = unsafe { CowBuffer::map_file(&write_only) };
    assert!(result.is_err(), "a write-only file");

    let read_only = File::open(file.path()).unwrap();
    // SAFETY: as above; the buffer is dropped at the end of the test, before the file.
    let mapped = unsafe { CowBuffer::map_file(&read_only) }.unwrap();
    assert!(mapped == pattern(2 * P, 47));

    // A directory opens on Unix, but does not map (nor read).
    #[cfg(unix)]
    {
        let dir = File::open(std::env::temp_dir()).unwrap();
        // SAFETY: a directory: no buffer maps it (the call fails).
        let result = unsafe { CowBuffer::map_file(&dir) };
        assert!(result.is_err(), "a directory");
    }
}

/// What is not a regular file is refused with `InvalidInput` where files are mapped: a
/// directory, and a device that never ends (read as `read_file` reads, `/dev/zero` would never
/// return). A sysfs file, which its file system cannot map, is read instead.
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
#[test]
fn only_regular_files_map() {
    for path in [std::env::temp_dir(), PathBuf::from("/dev/zero")] {
        let Ok(file) = File::open(&path) else {
            continue;
        };
        // SAFETY: not a regular file: the call fails before mapping anything.
        let result = unsafe { CowBuffer::map_file(&file) };
        let kind = result.map(|b| b.len()).unwrap_err().kind();
        assert_eq!(kind, std::io::ErrorKind::InvalidInput, "{path:?}");
    }
    let sysfs = Path::new("/sys/kernel/mm/transparent_hugepage/enabled");
    if let Ok(file) = File::open(sysfs) {
        // SAFETY: a sysfs attribute, which nothing changes meanwhile in this test (and which
        // is read, not mapped: sysfs cannot map).
        let read = unsafe { CowBuffer::map_file(&file) }.unwrap();
        assert_eq!(read.to_vec(), fs::read(sysfs).unwrap());
    }
}

/// `CowBuffer` is `Send + Sync`: clones of one mapping sent to threads, each read and written
/// there against its own `Vec`, while the threads also read one shared `&CowBuffer`; the
/// mapping and the file are unchanged afterwards.
#[test]
fn clones_on_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<CowBuffer>();

    let pages = 64;
    let original = pattern(pages * P + 11, 53);
    let file = TempFile::with(&original);
    let mapped = file.map();
    let shared = &mapped;
    let original = &original;
    thread::scope(|s| {
        let handles: Vec<_> = (0..4u8)
            .map(|t| {
                let mut mine = mapped.clone();
                s.spawn(move || {
                    let mut want = original.clone();
                    for round in 0..20 {
                        let page = (usize::from(t) * 13 + round * 7) % pages;
                        let at = page * P + round;
                        mine.set(at, t);
                        want[at] = t;
                        assert!(*shared == *original, "the shared mapping, thread {t}");
                    }
                    mine.extend_from_slice(&[t; 3]);
                    want.extend_from_slice(&[t; 3]);
                    assert!(mine == want, "thread {t}");
                    mine
                })
            })
            .collect();
        let results: Vec<CowBuffer> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        for (t, result) in results.iter().enumerate() {
            assert_eq!(result.len(), original.len() + 3);
            assert_eq!(result.get(original.len()), Some(t as u8));
            // Each thread's writes went to its own pages.
            assert!(result.changed_pages(&mapped).len() <= 21);
        }
        // Dropped here, on this thread, after the threads that wrote them ended.
        drop(results);
    });
    assert!(mapped == *original);
    // The last clones dropped on other threads: the mapping may end on any thread.
    let clones: Vec<CowBuffer> = (0..4).map(|_| mapped.clone()).collect();
    drop(mapped);
    thread::scope(|s| {
        for clone in clones {
            s.spawn(move || {
                assert!(clone == *original);
                drop(clone);
            });
        }
    });
    assert_eq!(file.bytes(), *original);
}

/// Whether `/proc/self/maps` lists a mapping of `path` (Linux).
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
fn is_mapped(path: &Path) -> bool {
    let maps = fs::read_to_string("/proc/self/maps").unwrap();
    let path = path.to_str().unwrap();
    maps.lines().any(|line| line.ends_with(path))
}

/// On Linux the mapping shows in `/proc/self/maps` while any buffer holds one of its pages (a
/// clone, or a part split off after the rest was dropped) and is gone once the last one
/// drops, also when the last holder drops on another thread.
#[cfg(all(target_os = "linux", not(cowkit_portable_arenas)))]
#[test]
fn dropping_the_last_holder_unmaps() {
    let original = pattern(8 * P + 3, 59);
    let file = TempFile::with(&original);
    assert!(!is_mapped(file.path()));
    let mut mapped = file.map();
    assert!(is_mapped(file.path()), "mapped");
    let clones: Vec<CowBuffer> = (0..100).map(|_| mapped.clone()).collect();
    let tail = mapped.split_off(4 * P);
    drop(mapped);
    drop(clones);
    assert!(
        is_mapped(file.path()),
        "the split-off tail still holds file pages"
    );
    assert!(tail == original[4 * P..]);
    thread::spawn(move || drop(tail)).join().unwrap();
    assert!(!is_mapped(file.path()), "unmapped with the last holder");
    assert_eq!(file.bytes(), original);
}

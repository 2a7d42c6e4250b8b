//! The operation model of `CowBuffer`, shared by the proptest (`tests/model.rs`) and the fuzz
//! target (`fuzz/fuzz_targets/buffer_ops.rs`).
//!
//! A [`BufferModel`] keeps a family of buffers made by forking (`Clone`) one another — a fork
//! of a fork of a fork — each beside a `Vec<u8>` with its bytes and the identity of each of its
//! pages. Page identities follow the copy-on-write rule the buffer promises: a write to a page
//! that is a hole, or that another live buffer also holds (at any index: `split_off` moves pages
//! to new indices), gets a new page; a
//! write to a page no other buffer holds keeps it; `fill(.., 0)` over a whole page and
//! truncation make holes. After every [`BufferOp`], [`BufferModel::check`] asserts for every
//! buffer that its bytes equal its `Vec`, that `stats()` counts exactly the holes, private and
//! shared pages the identities give, and for every pair that `changed_pages` lists exactly the
//! indices whose identities differ and that `==` agrees with the `Vec`s.
//!
//! Buffers are also saved to and loaded from one file per model (a temp file named by the
//! process id and a counter, removed with the model): `write_changes` against the buffer last
//! saved must write exactly the pages whose identities differ from it and leave the file equal
//! to the saved buffer's `Vec`; `read_file` gives those bytes back, with new pages for the
//! non-zero ones. The buffer last saved is kept (as a user keeps the base of the next save), so
//! its pages count as shared.
//!
//! `MapFile` maps a buffer's bytes with `map_file`, keeping its contract (the file must not be
//! modified or truncated while a buffer mapped from it lives): the bytes go to a new temp file
//! of their own, written once and never again, never the model's save file (which later saves
//! rewrite); the files are removed only when the model drops, after every buffer. Where
//! `map_file` maps ([`MAP_FILE_MAPS`]), each page of a mapping is a *file page*: an identity
//! shared with nothing else (not even another mapping of the same bytes), all-zero pages
//! included, that `stats()` counts as shared even while one buffer holds it (the file holds
//! it too), that `resident_bytes` does not count (the page cache is not the buffer's memory),
//! and that any write turns into a new private page. Elsewhere the model expects what
//! `read_file` gives.
//!
//! Built with `--cfg cowkit_small_pages` (cowkit's own small-page test build and its fuzz
//! build) pages are 64 bytes and table nodes have 4 slots, so the same ops reach tables 5 and 6
//! levels deep.

use std::collections::hash_map::DefaultHasher;
use std::fs::{self, File, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io::{BufRead, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use std::collections::HashSet;

use cowkit::{BufferCursor, CowBuffer, PAGE_SIZE};

/// At most this many buffers are kept.
const MAX_KEPT: usize = 6;

/// Whether `map_file` maps the file (its pages are file pages, see the module docs) rather
/// than reading it as `read_file` does: on Linux, by `map_file`'s docs, except in cowkit's
/// own build of the portable OS paths.
const MAP_FILE_MAPS: bool = cfg!(all(target_os = "linux", not(cowkit_portable_arenas)));

/// Offsets fall in this many pages (a few tree levels in either page size).
const MAX_PAGES: usize = if PAGE_SIZE <= 64 { 1100 } else { 40 };

/// One operation; `h` picks a live buffer (wrapping around). An offset is `(page, byte)`,
/// mapped by [`offset`] so that page boundaries come up often. `Data(len, seed)` is made by
/// [`bytes`]: seed 0 gives zeros.
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum BufferOp {
    /// `write_at(offset, data)`.
    WriteAt(u8, u16, u16, u16, u8),
    /// `set(offset, byte)`.
    Set(u8, u16, u16, u8),
    /// `fill(start..start + len, byte)`, with the range clamped into the buffer.
    Fill(u8, u16, u16, u16, u8),
    /// `truncate(offset)`.
    Truncate(u8, u16, u16),
    /// `resize(offset)`.
    Resize(u8, u16, u16),
    /// `extend_from_slice(data)`.
    Extend(u8, u16, u8),
    /// `extend(data.iter())` (`Extend<&u8>`, through `Extend<u8>`).
    ExtendIter(u8, u16, u8),
    /// `page_mut(page)`, then set byte `byte % page length` of it to `value`.
    PageMut(u8, u16, u16, u8),
    /// `copy_within(src..src + len, dest)`, with both clamped into the buffer.
    CopyWithin(u8, u16, u16, u16, u16, u16),
    /// `split_off(at)`, with `at` clamped into the buffer; the tail is kept as a new buffer.
    SplitOff(u8, u16, u16),
    /// `clear()`.
    Clear(u8),
    /// `read_at(offset, len)` and `get(offset)`, compared with the model.
    Read(u8, u16, u16, u16),
    /// A `BufferCursor` seeks to `offset` and writes `data`.
    CursorWrite(u8, u16, u16, u16, u8),
    /// A `BufferCursor` on a clone seeks to `offset`, reads `len` bytes through `Read` and
    /// the current page through `BufRead`.
    CursorRead(u8, u16, u16, u16),
    /// Keep `buffer[h].clone()`.
    Fork(u8),
    /// Drop `buffer[h]` (the last one stays).
    Drop(u8),
    /// Drop `buffer[h]` on a thread of its own (the last one stays): its freed pages go to that
    /// thread's cache and back to the pool when the thread ends.
    DropOnThread(u8),
    /// `set_page_pool_limit` to 0 (no caches; arenas unmapped once idle), one page, or 16 MiB
    /// (the default): memory policy only, so the models must not notice.
    PoolLimit(u8),
    /// `write_changes` of `buffer[h]` against the buffer last saved to the model's file (an
    /// empty buffer before the first save, when the file is empty); then the file's bytes are
    /// compared with the model, and `buffer[h]` becomes the base of the next save.
    SaveToFile(u8),
    /// `read_file` of the model's file replaces `buffer[h]`: the bytes last saved, all-zero
    /// pages as holes, every other page new.
    LoadFromFile(u8),
    /// `buffer[h]`'s bytes written to a new temp file (never written again, kept until the
    /// model drops), `map_file`d, and the mapping kept as a new buffer (replacing `buffer[h]`
    /// when [`MAX_KEPT`] are kept): every page a new file page where `map_file` maps.
    MapFile(u8),
}

/// Maps `(page, byte)` to an offset: page boundaries, their last bytes and the middle of a
/// page come up often.
pub fn offset(page: u16, byte: u16) -> usize {
    let within = match byte % 4 {
        0 => 0,
        1 => PAGE_SIZE - 1,
        _ => usize::from(byte / 4) % PAGE_SIZE,
    };
    usize::from(page) % MAX_PAGES * PAGE_SIZE + within
}

/// `len % (3 pages + 1)` bytes: zeros for seed 0, else a pattern that starts at `seed`.
pub fn bytes(len: u16, seed: u8) -> Vec<u8> {
    let len = usize::from(len) % (3 * PAGE_SIZE + 1);
    (0..len)
        .map(|i| {
            if seed == 0 {
                0
            } else {
                (i as u8).wrapping_mul(seed | 1).wrapping_add(seed)
            }
        })
        .collect()
}

/// One buffer beside its model.
struct Kept {
    buffer: CowBuffer,
    /// The bytes the buffer must hold.
    bytes: Vec<u8>,
    /// Per page: `None` for a hole, else the identity of the page the buffer holds there.
    pages: Vec<Option<u64>>,
}

/// The model's file and the buffer last saved to it.
struct Saved {
    /// A temp file unique to this process and model; removed on drop.
    path: PathBuf,
    /// The buffer last saved (an O(1) clone), with its model: the file holds `base.bytes`.
    base: Kept,
}

/// A temp file path unique to this process: `cowkit-buffer-model-<what>-<pid>-<n>`.
fn temp_path(what: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "cowkit-buffer-model-{what}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

/// A file that `MapFile` mapped: written once when made, never modified or truncated after,
/// removed on drop (which [`BufferModel`]'s `Drop` orders after every buffer's).
struct MappedFile {
    path: PathBuf,
}

impl MappedFile {
    /// A new file holding `bytes`.
    fn with(bytes: &[u8]) -> MappedFile {
        let path = temp_path("map");
        fs::write(&path, bytes).expect("write a file to map");
        MappedFile { path }
    }
}

impl Drop for MappedFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

impl Saved {
    /// A new empty file, with an empty buffer as the base.
    fn new() -> Saved {
        let path = temp_path("save");
        fs::write(&path, b"").expect("create the model's file");
        Saved {
            path,
            base: Kept {
                buffer: CowBuffer::new(),
                bytes: Vec::new(),
                pages: Vec::new(),
            },
        }
    }
}

impl Drop for Saved {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Buffers under test, each beside its model.
///
/// Drop order: the buffers (`kept`, then `saved`'s base) before the files mapped (`maps`), as
/// `map_file`'s contract asks; `Drop` empties the first two explicitly, and the fields are
/// declared in that order too.
pub struct BufferModel {
    kept: Vec<Kept>,
    /// The next fresh page identity.
    next_id: u64,
    /// The file, once an op saved or loaded.
    saved: Option<Saved>,
    /// The identities that are file pages (see the module docs): counted as shared even when
    /// one buffer holds them, and replaced by a new page on any write.
    file_pages: HashSet<u64>,
    /// Every file `MapFile` mapped, kept until the model drops.
    maps: Vec<MappedFile>,
}

impl Drop for BufferModel {
    fn drop(&mut self) {
        // Every buffer that may hold a mapping's pages goes before the mapped files are
        // removed (with the `maps` field, after this).
        self.kept.clear();
        self.saved = None;
    }
}

impl Default for BufferModel {
    fn default() -> Self {
        Self::new()
    }
}

impl BufferModel {
    /// One empty buffer.
    pub fn new() -> Self {
        BufferModel {
            kept: vec![Kept {
                buffer: CowBuffer::new(),
                bytes: Vec::new(),
                pages: Vec::new(),
            }],
            next_id: 0,
            saved: None,
            file_pages: HashSet::new(),
            maps: Vec::new(),
        }
    }

    /// A new page identity; a file page when `file`.
    fn fresh_id(&mut self, file: bool) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        if file {
            self.file_pages.insert(id);
        }
        id
    }

    /// Whether `id` is a file page: shared with the file, so a write always copies it.
    fn is_file_page(&self, id: Option<u64>) -> bool {
        id.is_some_and(|id| self.file_pages.contains(&id))
    }

    /// Whether page `id` is held by a live buffer other than buffer `k`, or by the base of the
    /// next save.
    fn held_elsewhere(&self, k: usize, id: Option<u64>) -> bool {
        id.is_some()
            && (self
                .kept
                .iter()
                .enumerate()
                .any(|(j, other)| j != k && other.pages.contains(&id))
                || self
                    .saved
                    .as_ref()
                    .is_some_and(|saved| saved.base.pages.contains(&id)))
    }

    fn pick(&self, h: u8) -> usize {
        usize::from(h) % self.kept.len()
    }

    /// The model of a write into page `page` of buffer `k`: a hole, a file page, or a page
    /// another live buffer or the base of the next save holds (at any index), becomes a new
    /// page; a page held by `k` alone stays.
    fn touch(&mut self, k: usize, page: usize) {
        let id = self.kept[k].pages[page];
        if id.is_none() || self.is_file_page(id) || self.held_elsewhere(k, id) {
            self.kept[k].pages[page] = Some(self.next_id);
            self.next_id += 1;
        }
    }

    /// The model of a write of `len` bytes at `at` (`len > 0`), growing first.
    fn model_write(&mut self, k: usize, at: usize, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        let end = at + data.len();
        let kept = &mut self.kept[k];
        if end > kept.bytes.len() {
            kept.bytes.resize(end, 0);
            kept.pages.resize(end.div_ceil(PAGE_SIZE), None);
        }
        kept.bytes[at..end].copy_from_slice(data);
        for page in at / PAGE_SIZE..end.div_ceil(PAGE_SIZE) {
            self.touch(k, page);
        }
    }

    /// The model of an append (`extend_from_slice`, `Extend`): the bytes past the old end are
    /// zero already, so only the pages where `data` has a nonzero byte are written.
    fn model_append(&mut self, k: usize, data: &[u8]) {
        let start = self.kept[k].bytes.len();
        let end = start + data.len();
        self.kept[k].bytes.extend_from_slice(data);
        self.kept[k].pages.resize(end.div_ceil(PAGE_SIZE), None);
        for page in start / PAGE_SIZE..end.div_ceil(PAGE_SIZE) {
            let from = (page * PAGE_SIZE).max(start);
            let to = ((page + 1) * PAGE_SIZE).min(end);
            if data[from - start..to - start].iter().any(|&b| b != 0) {
                self.touch(k, page);
            }
        }
    }

    /// The model of `truncate` / `resize` to `len`.
    fn model_resize(&mut self, k: usize, len: usize) {
        let kept = &mut self.kept[k];
        let old = kept.bytes.len();
        kept.bytes.resize(len, 0);
        kept.pages.resize(len.div_ceil(PAGE_SIZE), None);
        // Cutting into a page zeroes its tail in place: a write to that page.
        if len < old && len % PAGE_SIZE != 0 && kept.pages[len / PAGE_SIZE].is_some() {
            self.touch(k, len / PAGE_SIZE);
        }
    }

    /// Applies one op to the buffers and to their models.
    pub fn apply(&mut self, op: &BufferOp) {
        match *op {
            BufferOp::WriteAt(h, p, b, len, seed) => {
                let k = self.pick(h);
                let (at, data) = (offset(p, b), bytes(len, seed));
                self.kept[k].buffer.write_at(at, &data);
                self.model_write(k, at, &data);
            }
            BufferOp::CursorWrite(h, p, b, len, seed) => {
                let k = self.pick(h);
                let (at, data) = (offset(p, b), bytes(len, seed));
                let mut cursor = BufferCursor::new(&mut self.kept[k].buffer);
                assert_eq!(cursor.seek(SeekFrom::Start(at as u64)).unwrap(), at as u64);
                cursor.write_all(&data).unwrap();
                assert_eq!(cursor.position(), (at + data.len()) as u64);
                self.model_write(k, at, &data);
            }
            BufferOp::Extend(h, len, seed) => {
                let k = self.pick(h);
                let data = bytes(len, seed);
                self.kept[k].buffer.extend_from_slice(&data);
                self.model_append(k, &data);
            }
            BufferOp::ExtendIter(h, len, seed) => {
                let k = self.pick(h);
                let data = bytes(len, seed);
                self.kept[k].buffer.extend(data.iter());
                self.model_append(k, &data);
            }
            BufferOp::PageMut(h, page, byte, value) => {
                let k = self.pick(h);
                let pages = self.kept[k].pages.len();
                let len = self.kept[k].bytes.len();
                let page = usize::from(page) % (pages + 1);
                match self.kept[k].buffer.page_mut(page) {
                    None => assert_eq!(page, pages, "page_mut({page}) of {pages} pages"),
                    Some(bytes) => {
                        let at = usize::from(byte) % bytes.len();
                        assert_eq!(bytes.len(), PAGE_SIZE.min(len - page * PAGE_SIZE));
                        bytes[at] = value;
                        self.kept[k].bytes[page * PAGE_SIZE + at] = value;
                        self.touch(k, page);
                    }
                }
            }
            BufferOp::CopyWithin(h, p, b, len, dp, db) => {
                let k = self.pick(h);
                let size = self.kept[k].bytes.len();
                let src = offset(p, b).min(size);
                let count = (usize::from(len) % (3 * PAGE_SIZE)).min(size - src);
                let dest = offset(dp, db).min(size - count);
                self.kept[k].buffer.copy_within(src..src + count, dest);
                self.kept[k].bytes.copy_within(src..src + count, dest);
                if count > 0 {
                    for page in dest / PAGE_SIZE..(dest + count).div_ceil(PAGE_SIZE) {
                        self.touch(k, page);
                    }
                }
            }
            BufferOp::SplitOff(h, p, b) => {
                let k = self.pick(h);
                let size = self.kept[k].bytes.len();
                let at = offset(p, b).min(size);
                let tail = self.kept[k].buffer.split_off(at);
                let tail_bytes = self.kept[k].bytes[at..].to_vec();
                // Page-aligned: the same pages move; else the bytes are copied into new pages,
                // all-zero ones left as holes.
                let tail_pages: Vec<Option<u64>> = if at % PAGE_SIZE == 0 {
                    self.kept[k].pages[at / PAGE_SIZE..].to_vec()
                } else {
                    tail_bytes
                        .chunks(PAGE_SIZE)
                        .map(|chunk| {
                            chunk.iter().any(|&b| b != 0).then(|| {
                                self.next_id += 1;
                                self.next_id - 1
                            })
                        })
                        .collect()
                };
                self.model_resize(k, at);
                assert!(tail == tail_bytes, "split_off({at}) of {size} bytes");
                if self.kept.len() < MAX_KEPT {
                    self.kept.push(Kept {
                        buffer: tail,
                        bytes: tail_bytes,
                        pages: tail_pages,
                    });
                }
            }
            BufferOp::Set(h, p, b, byte) => {
                let k = self.pick(h);
                let at = offset(p, b);
                let old = self.kept[k].buffer.set(at, byte);
                assert_eq!(old, self.kept[k].bytes.get(at).copied(), "set({at})");
                if old.is_some() {
                    self.kept[k].bytes[at] = byte;
                    self.touch(k, at / PAGE_SIZE);
                }
            }
            BufferOp::Fill(h, p, b, len, byte) => {
                let k = self.pick(h);
                let size = self.kept[k].bytes.len();
                let start = offset(p, b).min(size);
                let end = (start + usize::from(len) % (3 * PAGE_SIZE)).min(size);
                self.kept[k].buffer.fill(start..end, byte);
                self.kept[k].bytes[start..end].fill(byte);
                let touched = if start < end {
                    start / PAGE_SIZE..end.div_ceil(PAGE_SIZE)
                } else {
                    0..0
                };
                for page in touched {
                    let page_start = page * PAGE_SIZE;
                    let page_end = (page_start + PAGE_SIZE).min(size);
                    let whole = start <= page_start && page_end <= end;
                    if byte == 0 && whole {
                        self.kept[k].pages[page] = None;
                    } else if byte != 0 || self.kept[k].pages[page].is_some() {
                        self.touch(k, page);
                    }
                }
            }
            BufferOp::Truncate(h, p, b) => {
                let k = self.pick(h);
                let len = offset(p, b);
                self.kept[k].buffer.truncate(len);
                if len < self.kept[k].bytes.len() {
                    self.model_resize(k, len);
                }
            }
            BufferOp::Resize(h, p, b) => {
                let k = self.pick(h);
                let len = offset(p, b);
                self.kept[k].buffer.resize(len);
                self.model_resize(k, len);
            }
            BufferOp::Clear(h) => {
                let k = self.pick(h);
                self.kept[k].buffer.clear();
                self.model_resize(k, 0);
            }
            BufferOp::Read(h, p, b, len) => {
                let kept = &self.kept[self.pick(h)];
                let at = offset(p, b);
                let mut out = vec![0xEE; usize::from(len) % (3 * PAGE_SIZE)];
                let n = kept.buffer.read_at(at, &mut out);
                let want = kept.bytes.get(at..).unwrap_or(&[]);
                let want = &want[..want.len().min(out.len())];
                assert_eq!(&out[..n], want, "read_at({at}, {})", out.len());
                assert_eq!(kept.buffer.get(at), kept.bytes.get(at).copied());
                // The other read paths, over the whole buffer.
                let buffer = &kept.buffer;
                assert_eq!(buffer.bytes().len(), kept.bytes.len());
                assert!(buffer.bytes().eq(kept.bytes.iter().copied()), "bytes()");
                let mut folded = Vec::new();
                buffer.bytes().for_each(|b| folded.push(b));
                assert_eq!(folded, kept.bytes, "bytes().for_each");
                for (page, want) in kept.bytes.chunks(PAGE_SIZE).enumerate() {
                    assert_eq!(buffer.page(page), Some(want), "page({page})");
                }
                assert_eq!(buffer.page(kept.pages.len()), None);
                assert_eq!(Vec::from(buffer.clone()), kept.bytes);
            }
            BufferOp::CursorRead(h, p, b, len) => {
                let kept = &self.kept[self.pick(h)];
                let at = offset(p, b);
                let mut cursor = BufferCursor::new(kept.buffer.clone());
                cursor.set_position(at as u64);
                let page = cursor.fill_buf().unwrap().to_vec();
                let want = kept.bytes.get(at..).unwrap_or(&[]);
                let page_rest = (PAGE_SIZE - at % PAGE_SIZE).min(want.len());
                assert_eq!(page, &want[..page_rest], "fill_buf at {at}");
                let mut out = Vec::new();
                let n = (&mut cursor)
                    .take(u64::from(len))
                    .read_to_end(&mut out)
                    .unwrap();
                assert_eq!(out, &want[..n], "read at {at}");
                assert_eq!(n, want.len().min(usize::from(len)));
            }
            BufferOp::Fork(h) => {
                if self.kept.len() < MAX_KEPT {
                    let k = self.pick(h);
                    let kept = &self.kept[k];
                    let fork = Kept {
                        buffer: kept.buffer.clone(),
                        bytes: kept.bytes.clone(),
                        pages: kept.pages.clone(),
                    };
                    assert!(fork.buffer.changed_pages(&kept.buffer).is_empty());
                    self.kept.push(fork);
                }
            }
            BufferOp::Drop(h) => {
                if self.kept.len() > 1 {
                    let k = self.pick(h);
                    self.kept.swap_remove(k);
                }
            }
            BufferOp::DropOnThread(h) => {
                if self.kept.len() > 1 {
                    let k = self.pick(h);
                    let kept = self.kept.swap_remove(k);
                    std::thread::spawn(move || drop(kept.buffer))
                        .join()
                        .expect("the dropping thread");
                }
            }
            BufferOp::PoolLimit(which) => {
                let bytes = match which % 3 {
                    0 => 0,
                    1 => PAGE_SIZE,
                    _ => 16 << 20,
                };
                CowBuffer::set_page_pool_limit(bytes);
            }
            BufferOp::SaveToFile(h) => {
                let k = self.pick(h);
                let saved = self.saved.get_or_insert_with(Saved::new);
                let kept = &self.kept[k];
                let base_pages = &saved.base.pages;
                let want = (0..kept.pages.len())
                    .filter(|&page| kept.pages[page] != base_pages.get(page).copied().flatten())
                    .count();
                let file = OpenOptions::new()
                    .write(true)
                    .open(&saved.path)
                    .expect("open the model's file");
                let written = kept
                    .buffer
                    .write_changes(&saved.base.buffer, &file)
                    .expect("write_changes");
                assert_eq!(
                    written, want,
                    "pages written by write_changes of buffer {k}"
                );
                let on_disk = fs::read(&saved.path).expect("read the model's file");
                assert!(on_disk == kept.bytes, "the file after saving buffer {k}");
                saved.base = Kept {
                    buffer: kept.buffer.clone(),
                    bytes: kept.bytes.clone(),
                    pages: kept.pages.clone(),
                };
            }
            BufferOp::LoadFromFile(h) => {
                let k = self.pick(h);
                let saved = self.saved.get_or_insert_with(Saved::new);
                let file = File::open(&saved.path).expect("open the model's file");
                let buffer = CowBuffer::read_file(&file).expect("read_file");
                let bytes = saved.base.bytes.clone();
                assert!(buffer == bytes, "read_file into buffer {k}");
                let pages = bytes
                    .chunks(PAGE_SIZE)
                    .map(|chunk| {
                        chunk.iter().any(|&b| b != 0).then(|| {
                            self.next_id += 1;
                            self.next_id - 1
                        })
                    })
                    .collect();
                self.kept[k] = Kept {
                    buffer,
                    bytes,
                    pages,
                };
            }
            BufferOp::MapFile(h) => {
                let k = self.pick(h);
                let bytes = self.kept[k].bytes.clone();
                // Never the model's save file, which a later save rewrites: a new file, written
                // once here and never again.
                let mapped = MappedFile::with(&bytes);
                let file = File::open(&mapped.path).expect("open the file to map");
                // SAFETY: `mapped` is a temp file of this model's own, written above and never
                // modified or truncated afterwards; it is kept in `self.maps` and removed only
                // when the model drops, after every buffer (`BufferModel`'s `Drop`).
                let buffer = unsafe { CowBuffer::map_file(&file) }.expect("map_file");
                drop(file);
                self.maps.push(mapped);
                assert!(buffer == bytes, "map_file of buffer {k}'s bytes");
                let pages = bytes
                    .chunks(PAGE_SIZE)
                    .map(|chunk| {
                        // A mapping: every page a file page. Read as `read_file` does: all-zero
                        // pages as holes, the others new private pages.
                        (MAP_FILE_MAPS || chunk.iter().any(|&b| b != 0))
                            .then(|| self.fresh_id(MAP_FILE_MAPS))
                    })
                    .collect();
                let kept = Kept {
                    buffer,
                    bytes,
                    pages,
                };
                if self.kept.len() < MAX_KEPT {
                    self.kept.push(kept);
                } else {
                    self.kept[k] = kept;
                }
            }
        }
    }

    /// Asserts that every buffer matches its model: bytes, page identities through `stats`,
    /// and, pairwise, `changed_pages`, `==` and `Hash`.
    pub fn check(&self) {
        if let Some(saved) = &self.saved {
            assert!(
                saved.base.buffer == saved.base.bytes,
                "the base of the next save"
            );
        }
        for (k, kept) in self.kept.iter().enumerate() {
            let buffer = &kept.buffer;
            assert_eq!(buffer.len(), kept.bytes.len(), "len of buffer {k}");
            assert!(*buffer == kept.bytes, "bytes of buffer {k}");
            let pages = kept.bytes.len().div_ceil(PAGE_SIZE);
            assert_eq!(buffer.pages().count(), pages);

            let mut want = (0, 0, 0); // holes, private, shared
            let mut file_pages = 0;
            for &id in &kept.pages {
                if self.is_file_page(id) {
                    file_pages += 1;
                    want.2 += 1;
                    continue;
                }
                match (id, self.held_elsewhere(k, id)) {
                    (None, _) => want.0 += 1,
                    (Some(_), false) => want.1 += 1,
                    (Some(_), true) => want.2 += 1,
                }
            }
            let stats = buffer.stats();
            assert_eq!(stats.pages, pages, "pages of buffer {k}");
            assert_eq!(
                (stats.holes, stats.private, stats.shared),
                want,
                "holes / private / shared of buffer {k}"
            );
            // File pages are the page cache's memory, not the buffer's: only their table counts.
            let held = pages - want.0;
            assert!(
                stats.resident_bytes >= (held - file_pages) * PAGE_SIZE,
                "resident of {k}"
            );
            if held == 0 {
                assert_eq!(stats.resident_bytes, 0, "a buffer of holes holds nothing");
            }

            for (j, other) in self.kept.iter().enumerate() {
                let want: Vec<usize> = (0..pages)
                    .filter(|&page| kept.pages[page] != other.pages.get(page).copied().flatten())
                    .collect();
                assert_eq!(
                    buffer.changed_pages(&other.buffer),
                    want,
                    "changed_pages of buffer {k} against buffer {j}"
                );
                let equal = kept.bytes == other.bytes;
                assert_eq!(*buffer == other.buffer, equal, "buffer {k} == buffer {j}");
                if buffer.ptr_eq(&other.buffer) {
                    assert!(
                        equal && want.is_empty(),
                        "ptr_eq buffers {k} and {j} differ"
                    );
                }
                if equal {
                    assert_eq!(hash(buffer), hash(&other.buffer));
                }
            }
        }
    }
}

fn hash(buffer: &CowBuffer) -> u64 {
    let mut hasher = DefaultHasher::new();
    buffer.hash(&mut hasher);
    hasher.finish()
}

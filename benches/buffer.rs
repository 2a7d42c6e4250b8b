//! `CowBuffer` beside its peers, in the same criterion groups so that ratios come from one run:
//! `Vec<u8>` (clone, then write), `snap_buf::SnapBuf` (a tree of ~4 KB leaves under 500-way
//! nodes, O(1) clone) and, in the report after the groups, the kernel's own copy-on-write.
//!
//! The report (not a criterion group) measures what criterion cannot, as a user's process sees
//! it, each cowkit figure beside the kernel's in the same memory state as a ratio from the same
//! run:
//! - 1 byte per page into a fresh clone of a populated 64 MiB / 1 GiB `CowBuffer`, against the
//!   kernel's copy-on-write (a populated mapping, `fork()`, the child writes 1 byte per page):
//!   each in a fresh process (the bench binary run again for that sweep alone, see
//!   [`in_child`]), without prewarming (what a user's program gets) and prewarmed (the
//!   bare-metal case, see [`prewarm_guest`]), with transparent huge pages on and off (cowkit's
//!   `CowBuffer::set_huge_pages`, and the kernel's memory advised alike); then with a warm page
//!   pool in this process (its bound printed), and a repeat at the default bound. Each: the
//!   mean over an untimed half of the pages, p50 / p99 / max and the writes over 50 µs over the
//!   other half, timed one by one;
//! - the first write after a clone at scattered pages, the table's metadata per page;
//! - the first write into a shared page whose source is in cache (2,000 clones of a 64 MiB
//!   buffer and of a one-page buffer, one write each) beside a 4 KiB malloc + copy + free;
//! - filling `CowBuffer::zeroed(1 GiB)` 1 byte per page, against a 4 KiB first-touch sweep of
//!   fresh `mmap` memory (`MADV_NOHUGEPAGE`), both fresh processes, in both memory states;
//! - serde keeping holes, and the memory of a 1 GiB `zeroed` buffer;
//! - files (`CowBuffer::map_file`) against the kernel's `MAP_PRIVATE` mapping of the same 1 GiB
//!   file of non-zero pages, each in a fresh process: the open (page cache dropped), 1 byte
//!   read per page (page cache warm), the first write per page, and `write_changes` of 100
//!   scattered writes (see [`files_report`]).
//!
//! It runs when no filter is given or the filter matches `report` (`cargo bench --bench buffer
//! -- report` runs only it, in about two minutes); `-- report_files` runs only the files part.
//!
//! Run: `cargo bench --bench buffer -- --warm-up-time 1 --measurement-time 3`.

#[path = "report.rs"]
mod report;

use std::fs::File;
use std::hint::black_box;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cowkit::{CowBuffer, PAGE_SIZE};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group};
use snap_buf::SnapBuf;

const MIB: usize = 1 << 20;
const GIB: usize = 1 << 30;

/// A buffer of `len` bytes with every page written (no holes).
fn populated(len: usize) -> CowBuffer {
    let mut buffer = CowBuffer::new();
    let chunk: Vec<u8> = (0..MIB).map(|i| (i * 7 + 1) as u8).collect();
    while buffer.len() < len {
        buffer.extend_from_slice(&chunk[..MIB.min(len - buffer.len())]);
    }
    buffer
}

fn populated_snap(len: usize) -> SnapBuf {
    let mut buffer = SnapBuf::new();
    let chunk: Vec<u8> = (0..MIB).map(|i| (i * 7 + 1) as u8).collect();
    let mut at = 0;
    while at < len {
        let n = MIB.min(len - at);
        buffer.write(at, &chunk[..n]);
        at += n;
    }
    buffer
}

fn clone(c: &mut Criterion) {
    let mut group = c.benchmark_group("buffer_clone");
    for (name, len) in [("64MiB", 64 * MIB), ("1GiB", GIB)] {
        let buffer = populated(len);
        group.bench_function(BenchmarkId::new("CowBuffer", name), |b| {
            b.iter(|| black_box(&buffer).clone())
        });
        drop(buffer);
        let snap = populated_snap(len);
        group.bench_function(BenchmarkId::new("SnapBuf", name), |b| {
            b.iter(|| black_box(&snap).clone())
        });
    }
    group.sample_size(10);
    let vec = vec![1u8; 64 * MIB];
    group.bench_function(BenchmarkId::new("Vec<u8>", "64MiB"), |b| {
        b.iter(|| black_box(&vec).clone())
    });
    group.finish();
}

/// One byte into a shared page whose source is in cache (the same page every time).
fn first_write(c: &mut Criterion) {
    let mut group = c.benchmark_group("buffer_first_write");
    let at = 1234 * PAGE_SIZE + 17;
    for (name, len) in [("64MiB", 64 * MIB), ("1GiB", GIB)] {
        let buffer = populated(len);
        group.bench_function(BenchmarkId::new("CowBuffer", name), |b| {
            b.iter_batched(
                || buffer.clone(),
                |mut fork| {
                    fork.set(at, 9);
                    fork
                },
                BatchSize::SmallInput,
            )
        });
        drop(buffer);
        let snap = populated_snap(len);
        group.bench_function(BenchmarkId::new("SnapBuf", name), |b| {
            b.iter_batched(
                || snap.clone(),
                |mut fork| {
                    fork.write(at, &[9]);
                    fork
                },
                BatchSize::SmallInput,
            )
        });
    }
    // A write into a page already private: the walk and the store.
    let mut private = populated(64 * MIB);
    group.bench_function("CowBuffer/private page", |b| {
        b.iter(|| private.set(black_box(at), 9))
    });
    group.finish();
}

/// Sequential `read_at` / `write_at` of 64 MiB in 64 KiB pieces, beside `copy_from_slice` on a
/// `Vec<u8>` (memcpy).
///
/// Every buffer on both sides starts on a 4 KiB boundary, as the buffer's pages do. memcpy's
/// speed depends on where source and destination lie relative to each other within 4 KiB (a
/// load that matches an earlier store's low 12 address bits waits for it): on this project's
/// machine, a 64 MiB copy in 64 KiB pieces took 1.86 to 2.50 ms across offsets of the same
/// buffers. Aligning both sides alike compares the copies, not the alignment luck.
fn sequential(c: &mut Criterion) {
    let mut group = c.benchmark_group("buffer_sequential_64MiB");
    group.throughput(Throughput::Bytes(64 * MIB as u64));
    let piece = 64 * 1024;
    let mut buffer = populated(64 * MIB);
    let mut vec_memory = vec![1u8; 64 * MIB + PAGE_SIZE];
    let vec = page_aligned(&mut vec_memory, 64 * MIB);
    let mut out_memory = vec![0u8; piece + PAGE_SIZE];
    let out = page_aligned(&mut out_memory, piece);
    let mut input_memory = vec![0u8; piece + PAGE_SIZE];
    let input = page_aligned(&mut input_memory, piece);
    for (i, byte) in input.iter_mut().enumerate() {
        *byte = i as u8;
    }
    let input = &*input;
    group.bench_function("CowBuffer/read_at", |b| {
        b.iter(|| {
            for at in (0..64 * MIB).step_by(piece) {
                buffer.read_at(at, out);
            }
            black_box(&out);
        })
    });
    group.bench_function("Vec<u8>/read (memcpy)", |b| {
        b.iter(|| {
            for at in (0..64 * MIB).step_by(piece) {
                out.copy_from_slice(&black_box(&*vec)[at..at + piece]);
            }
            black_box(&out);
        })
    });
    group.bench_function("CowBuffer/write_at (private pages)", |b| {
        b.iter(|| {
            for at in (0..64 * MIB).step_by(piece) {
                buffer.write_at(at, input);
            }
        })
    });
    group.bench_function("Vec<u8>/write (memcpy)", |b| {
        b.iter(|| {
            for at in (0..64 * MIB).step_by(piece) {
                black_box(&mut *vec)[at..at + piece].copy_from_slice(input);
            }
        })
    });
    group.finish();
}

/// The `len` bytes of `memory` (at least `len + PAGE_SIZE` long) that start on a page boundary.
fn page_aligned(memory: &mut [u8], len: usize) -> &mut [u8] {
    let start = memory.as_ptr().align_offset(PAGE_SIZE);
    &mut memory[start..start + len]
}

/// Dropping a 64 MiB clone in which every page was written (16,384 private pages).
fn drop_diverged(c: &mut Criterion) {
    let mut group = c.benchmark_group("buffer_drop_diverged_64MiB");
    group.sample_size(20);
    let buffer = populated(64 * MIB);
    let diverged = || {
        let mut fork = buffer.clone();
        for at in (0..64 * MIB).step_by(PAGE_SIZE) {
            fork.set(at, 3);
        }
        fork
    };
    group.bench_function("CowBuffer", |b| {
        b.iter_batched(diverged, drop, BatchSize::PerIteration)
    });
    // The same with the arenas the copies land in advised for huge pages (`set_huge_pages`):
    // freeing arenas beyond the pool's bound then unmaps one huge page each, not 512 pages.
    let before = CowBuffer::set_huge_pages(true);
    group.bench_function("CowBuffer, huge pages", |b| {
        b.iter_batched(diverged, drop, BatchSize::PerIteration)
    });
    CowBuffer::set_huge_pages(before);
    let snap = populated_snap(64 * MIB);
    group.bench_function("SnapBuf", |b| {
        b.iter_batched(
            || {
                let mut fork = snap.clone();
                for at in (0..64 * MIB).step_by(PAGE_SIZE) {
                    fork.write(at, &[3]);
                }
                fork
            },
            drop,
            BatchSize::PerIteration,
        )
    });
    group.bench_function("Vec<u8>", |b| {
        b.iter_batched(|| vec![1u8; 64 * MIB], drop, BatchSize::PerIteration)
    });
    group.finish();
}

criterion_group!(benches, clone, first_write, sequential, drop_diverged);

/// Per-write times of one sweep (one byte into each page).
struct Sweep {
    mean_ns: f64,
    p50_ns: u64,
    p99_ns: u64,
    max_ns: u64,
    first_ns: u64,
    /// Timed writes that took over 50 µs (issue 21's bound on a single write).
    over_50us: u64,
    /// How many writes were timed.
    timed: u64,
}

impl Sweep {
    /// The numbers, as a child process prints them.
    fn line(&self) -> String {
        format!(
            "{} {} {} {} {} {} {}",
            self.mean_ns,
            self.p50_ns,
            self.p99_ns,
            self.max_ns,
            self.first_ns,
            self.over_50us,
            self.timed
        )
    }

    /// The numbers back from [`Sweep::line`].
    fn parse(text: &str) -> Sweep {
        let n: Vec<f64> = text
            .split_whitespace()
            .map(|x| x.parse().expect("a number"))
            .collect();
        assert_eq!(n.len(), 7, "a sweep's seven numbers: {text:?}");
        Sweep {
            mean_ns: n[0],
            p50_ns: n[1] as u64,
            p99_ns: n[2] as u64,
            max_ns: n[3] as u64,
            first_ns: n[4] as u64,
            over_50us: n[5] as u64,
            timed: n[6] as u64,
        }
    }
}

/// Summarizes per-write times; `mean_ns` comes from an untimed pass given by the caller.
fn summarize(mut times: Vec<u64>, mean_ns: f64) -> Sweep {
    let first_ns = times[0];
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    Sweep {
        mean_ns,
        p50_ns: at(0.5),
        p99_ns: at(0.99),
        max_ns: *times.last().unwrap(),
        first_ns,
        over_50us: times.iter().filter(|&&t| t > 50_000).count() as u64,
        timed: times.len() as u64,
    }
}

/// Writes one byte into each of `pages` pages with `write(page)`: the first half untimed (the
/// mean per write), the second half with a timer around each write (the percentiles, the
/// maximum, the writes over 50 µs). Both halves go into memory in the same state.
fn half_sweep(pages: usize, mut write: impl FnMut(usize)) -> Sweep {
    let half = pages / 2;
    // Touched before timing, so that recording a time never faults.
    let mut times = vec![1u64; pages - half];
    let start = Instant::now();
    for page in 0..half {
        write(page);
    }
    let mean_ns = start.elapsed().as_nanos() as f64 / half as f64;
    for (page, time) in (half..pages).zip(times.iter_mut()) {
        let t = Instant::now();
        write(page);
        *time = t.elapsed().as_nanos() as u64;
    }
    summarize(times, mean_ns)
}

/// One line of figures; `kernel`, when given, adds the ratios (this row / the kernel's) of
/// mean, p50, p99 and max.
fn print_sweep(name: &str, s: &Sweep, kernel: Option<&Sweep>) {
    print!(
        "  {name:<46} mean {:>6.0}  p50 {:>5}  p99 {:>6}  max {:>8}  >50µs {:>4}/{:<6}",
        s.mean_ns, s.p50_ns, s.p99_ns, s.max_ns, s.over_50us, s.timed
    );
    match kernel {
        Some(k) => println!(
            "  ratio {:.2} / {:.2} / {:.2} / {:.2}",
            s.mean_ns / k.mean_ns,
            s.p50_ns as f64 / k.p50_ns as f64,
            s.p99_ns as f64 / k.p99_ns as f64,
            s.max_ns as f64 / k.max_ns as f64
        ),
        None => println!(),
    }
}

/// Touches one byte in each 4 KiB of `len` bytes of new anonymous memory and gives it back.
///
/// This project's machines are virtual machines whose host takes back the guest's free memory
/// (virtio-balloon free page reporting, for free blocks of 2 MiB and more, about 2 s after they
/// are freed). The first touch of such memory also faults in the host, several times what the
/// guest's own fault or copy costs: a user's fresh process on such a VM pays it. Touching
/// memory just before a sweep leaves the guest memory that the host still backs, so the sweep
/// measures the guest's own costs, as on a machine without a hypervisor: the report's
/// "prewarmed (bare metal)" rows, and only those, do this.
fn prewarm_guest(len: usize) {
    let memory = map_anonymous(len, libc::MADV_HUGEPAGE);
    // In huge pages where the kernel has them, so that what is freed comes back as whole 2 MiB
    // blocks: what huge-page arenas take, and what the kernel splits for 4 KiB faults.
    for at in (0..len).step_by(4096) {
        // SAFETY: inside the new mapping, which only this function uses.
        unsafe { std::ptr::write_volatile(memory.add(at), 1) };
    }
    // SAFETY: the mapping made above, no longer used.
    unsafe { libc::munmap(memory.cast(), len) };
}

/// A new private anonymous mapping of `len` bytes, advised with `advice`.
fn map_anonymous(len: usize, advice: libc::c_int) -> *mut u8 {
    // SAFETY: a new private anonymous mapping at an address of the kernel's choosing: it
    // aliases nothing. The advice only says how to fault it in (its failure is harmless).
    unsafe {
        let memory = libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        assert_ne!(memory, libc::MAP_FAILED, "mmap");
        libc::madvise(memory, len, advice);
        memory.cast()
    }
}

/// The `madvise` advice for a huge-page policy: what cowkit's arenas get, and what the
/// kernel's side of a row gets for its own memory.
fn advice(huge: bool) -> libc::c_int {
    if huge {
        libc::MADV_HUGEPAGE
    } else {
        libc::MADV_NOHUGEPAGE
    }
}

/// What a child process of the report measures.
#[derive(Clone, Copy, PartialEq)]
enum Work {
    /// 1 byte per page into a fresh clone of a populated `CowBuffer`.
    Clone,
    /// The kernel's copy-on-write: a populated mapping, `fork()`, the grandchild writes 1 byte
    /// per page.
    Fork,
    /// 1 byte per page into `CowBuffer::zeroed(len)`.
    Fill,
    /// 1 byte per 4 KiB into a fresh anonymous mapping advised `MADV_NOHUGEPAGE`: the kernel's
    /// 4 KiB first-touch fault.
    Touch,
    /// The files rows ([`files_report`]), on the report's data file ([`data_file`]):
    /// `CowBuffer::map_file`, timed.
    MapOpen,
    /// `mmap(PROT_READ, MAP_PRIVATE)` of the data file, timed.
    MmapOpen,
    /// 1 byte read per page of the mapped `CowBuffer`, through `get`.
    MapGet,
    /// The same through `pages()` (the first byte of each page the iterator yields).
    MapPages,
    /// The same through `read_at` (1 byte at the start of each page).
    MapReadAt,
    /// 1 byte read per page through a `mmap(PROT_READ, MAP_PRIVATE)` mapping.
    MmapRead,
    /// 1 byte written per page of the mapped `CowBuffer` (`set`): each a first write.
    MapWrite,
    /// 1 byte written per page through a `mmap(PROT_READ | PROT_WRITE, MAP_PRIVATE)` mapping:
    /// the kernel's copy-on-write fault of a page-cache page.
    MmapWrite,
    /// 100 scattered writes to the mapped `CowBuffer`, then `write_changes` into a new file.
    MapSave,
}

impl Work {
    const ALL: [Work; 13] = [
        Work::Clone,
        Work::Fork,
        Work::Fill,
        Work::Touch,
        Work::MapOpen,
        Work::MmapOpen,
        Work::MapGet,
        Work::MapPages,
        Work::MapReadAt,
        Work::MmapRead,
        Work::MapWrite,
        Work::MmapWrite,
        Work::MapSave,
    ];

    fn name(self) -> &'static str {
        match self {
            Work::Clone => "clone",
            Work::Fork => "fork",
            Work::Fill => "fill",
            Work::Touch => "touch",
            Work::MapOpen => "map-open",
            Work::MmapOpen => "mmap-open",
            Work::MapGet => "map-get",
            Work::MapPages => "map-pages",
            Work::MapReadAt => "map-read-at",
            Work::MmapRead => "mmap-read",
            Work::MapWrite => "map-write",
            Work::MmapWrite => "mmap-write",
            Work::MapSave => "map-save",
        }
    }

    /// Whether the work takes new memory, so that its figures depend on whether the host
    /// still backs the guest's free memory (see [`in_child`]); the opens and reads of a
    /// mapped file take none (with the real `map_file`).
    fn takes_memory(self) -> bool {
        !matches!(
            self,
            Work::MapOpen
                | Work::MmapOpen
                | Work::MapGet
                | Work::MapPages
                | Work::MapReadAt
                | Work::MmapRead
                | Work::MapSave
        )
    }
}

/// The environment variable that makes the bench binary run one child sweep (see
/// [`in_child`]) instead of the benches: `<work> <bytes> <prewarm 0|1> <huge 0|1>`.
const CHILD_VAR: &str = "COWKIT_REPORT_CHILD";

/// How long the report waits before a child that must not find memory the guest still holds:
/// free page reporting gives free blocks of 2 MiB and more back to the host in passes 2 s apart,
/// each pass a share of them, so what the previous child freed (up to 2 GiB) takes a few
/// passes. With 4 s, a 64 MiB child with huge pages still found backed blocks in one of three
/// runs (0.12x the kernel instead of 4.6x).
const HOST_RECLAIM: Duration = Duration::from_secs(8);

/// Runs one sweep in a fresh process (the bench binary run again, [`CHILD_VAR`] set): a
/// process that has freed nothing yet, with an empty page pool, as a user's program gets.
/// With `prewarm`, the child first touches and frees twice the sweep's size (the bare-metal
/// case); without, the report first waits [`HOST_RECLAIM`] (for work that
/// [`takes_memory`](Work::takes_memory)) and the child touches nothing beyond its work. `huge`
/// is cowkit's policy (`CowBuffer::set_huge_pages`) and the advice on the kernel's memory in
/// [`Work::Fork`].
fn in_child(work: Work, len: usize, prewarm: bool, huge: bool) -> Sweep {
    Sweep::parse(&child_line(work, len, prewarm, huge))
}

/// [`in_child`]'s child run, its output line as it printed it (a [`Sweep::line`], or the
/// figures of a files row that is not a sweep).
fn child_line(work: Work, len: usize, prewarm: bool, huge: bool) -> String {
    if !prewarm && work.takes_memory() {
        std::thread::sleep(HOST_RECLAIM);
    }
    let spec = format!(
        "{} {len} {} {}",
        work.name(),
        u8::from(prewarm),
        u8::from(huge)
    );
    let out = std::process::Command::new(std::env::current_exe().expect("the bench binary"))
        .env(CHILD_VAR, &spec)
        .env(FILE_VAR, data_file())
        .output()
        .expect("run the bench binary for a child sweep");
    assert!(out.status.success(), "the child sweep {spec} failed");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The child's side of [`in_child`]: prints the sweep's numbers ([`Sweep::line`]), or a files
/// row's ([`file_child`]).
fn run_child(spec: &str) {
    let words: Vec<&str> = spec.split_whitespace().collect();
    let work = *Work::ALL
        .iter()
        .find(|w| w.name() == words[0])
        .expect("a kind of work");
    let len: usize = words[1].parse().expect("a byte count");
    let (prewarm, huge) = (words[2] == "1", words[3] == "1");
    CowBuffer::set_huge_pages(huge);
    let pages = len / PAGE_SIZE;
    let sweep = match work {
        Work::Clone => {
            let source = populated(len);
            if prewarm {
                prewarm_guest(2 * len);
            }
            let mut fork = source.clone();
            let sweep = half_sweep(pages, |page| {
                fork.set(page * PAGE_SIZE, 2);
            });
            black_box(&fork);
            sweep
        }
        Work::Fill => {
            let mut zeroed = CowBuffer::zeroed(len);
            if prewarm {
                prewarm_guest(2 * len);
            }
            let sweep = half_sweep(pages, |page| {
                zeroed.set(page * PAGE_SIZE, 1);
            });
            black_box(&zeroed);
            sweep
        }
        Work::Touch => {
            let memory = map_anonymous(len, libc::MADV_NOHUGEPAGE);
            if prewarm {
                prewarm_guest(2 * len);
            }
            // SAFETY: inside the mapping, which only this process uses.
            half_sweep(len / 4096, |page| unsafe {
                std::ptr::write_volatile(memory.add(page * 4096), 1)
            })
        }
        Work::Fork => kernel_sweep(len, prewarm, huge),
        _ => {
            println!("{}", file_child(work, len, prewarm));
            return;
        }
    };
    println!("{}", sweep.line());
}

/// The environment variable that tells a child the path of the report's data file.
const FILE_VAR: &str = "COWKIT_REPORT_FILE";

/// The files rows' data file: in the report, a path under the temp directory named after its
/// process; in a child, the report's (from [`FILE_VAR`]).
fn data_file() -> PathBuf {
    std::env::var_os(FILE_VAR).map_or_else(
        || std::env::temp_dir().join(format!("cowkit-buffer-report-{}", std::process::id())),
        PathBuf::from,
    )
}

/// The data file mapped into a new `CowBuffer`.
fn map_data_file(file: &File) -> CowBuffer {
    // SAFETY: `map_file`'s contract: the report's data file is written once before the first
    // child and never modified or truncated while a child runs (the report waits for each); it
    // is removed at the end of the report, after the last child ended.
    unsafe { CowBuffer::map_file(file) }.expect("map_file of the report's data file")
}

/// A `MAP_PRIVATE` mapping of the first `len` bytes of `file`, with protection `prot`.
fn mmap_private(file: &File, len: usize, prot: libc::c_int) -> *mut u8 {
    // SAFETY: a new private mapping of the file at an address of the kernel's choosing: it
    // aliases nothing in this process, and the file is not modified while it is mapped (see
    // `map_data_file`).
    let memory = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            prot,
            libc::MAP_PRIVATE,
            file.as_raw_fd(),
            0,
        )
    };
    assert_ne!(memory, libc::MAP_FAILED, "mmap of the report's data file");
    memory.cast()
}

/// A files row's work in a child ([`Work::MapOpen`] and on), on the first `len` bytes of the
/// report's data file; returns the line to print: a [`Sweep::line`] for the sweeps, `ns` for
/// an open (`ns shared private resident_bytes` for `map_file`), `pages ns` for a save.
fn file_child(work: Work, len: usize, prewarm: bool) -> String {
    let file = File::open(data_file()).expect("open the report's data file");
    let pages = len / PAGE_SIZE;
    let mut one = [0u8; 1];
    match work {
        Work::MapOpen => {
            let t = Instant::now();
            let buffer = map_data_file(&file);
            let ns = t.elapsed().as_nanos();
            assert_eq!(buffer.len(), len);
            let stats = buffer.stats();
            format!(
                "{ns} {} {} {}",
                stats.shared, stats.private, stats.resident_bytes
            )
        }
        Work::MmapOpen => {
            let t = Instant::now();
            let memory = mmap_private(&file, len, libc::PROT_READ);
            let ns = t.elapsed().as_nanos();
            // SAFETY: the mapping made above, never used.
            unsafe { libc::munmap(memory.cast(), len) };
            format!("{ns}")
        }
        Work::MapGet => {
            let buffer = map_data_file(&file);
            half_sweep(pages, |page| {
                black_box(buffer.get(page * PAGE_SIZE));
            })
            .line()
        }
        Work::MapPages => {
            let buffer = map_data_file(&file);
            let mut each = buffer.pages();
            half_sweep(pages, |_| {
                black_box(each.next().expect("a page")[0]);
            })
            .line()
        }
        Work::MapReadAt => {
            let buffer = map_data_file(&file);
            half_sweep(pages, |page| {
                black_box(buffer.read_at(page * PAGE_SIZE, &mut one));
            })
            .line()
        }
        Work::MmapRead => {
            let memory = mmap_private(&file, len, libc::PROT_READ);
            // SAFETY: in bounds of the mapping, which stays mapped to the end of the process.
            half_sweep(pages, |page| unsafe {
                black_box(std::ptr::read_volatile(memory.add(page * PAGE_SIZE)));
            })
            .line()
        }
        Work::MapWrite => {
            let mut buffer = map_data_file(&file);
            if prewarm {
                prewarm_guest(2 * len);
            }
            let sweep = half_sweep(pages, |page| {
                buffer.set(page * PAGE_SIZE, 2);
            });
            black_box(&buffer);
            sweep.line()
        }
        Work::MmapWrite => {
            let memory = mmap_private(&file, len, libc::PROT_READ | libc::PROT_WRITE);
            if prewarm {
                prewarm_guest(2 * len);
            }
            // SAFETY: in bounds of the private mapping, which only this process uses; the
            // write lands in its copy of the page, never in the file.
            half_sweep(pages, |page| unsafe {
                std::ptr::write_volatile(memory.add(page * PAGE_SIZE), 2)
            })
            .line()
        }
        Work::MapSave => {
            let base = map_data_file(&file);
            let mut edited = base.clone();
            let mut state = 0x2545_f491_4f6c_dd1d_u64;
            let mut touched = std::collections::BTreeSet::new();
            while touched.len() < 100 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let page = (state >> 33) as usize % pages;
                edited.set(page * PAGE_SIZE + 7, 0xEE);
                touched.insert(page);
            }
            // Not the mapped file (map_file's contract): a new one, removed after.
            let path = data_file().with_extension("saved");
            let out = File::create(&path).expect("create the file to save into");
            let t = Instant::now();
            let written = edited.write_changes(&base, &out).expect("write_changes");
            let ns = t.elapsed().as_nanos();
            assert_eq!(written, 100, "write_changes after 100 scattered writes");
            assert_eq!(
                out.metadata().expect("the saved file's length").len(),
                len as u64
            );
            drop(out);
            std::fs::remove_file(&path).expect("remove the saved file");
            format!("{written} {ns}")
        }
        _ => unreachable!("not a files row"),
    }
}

/// Writes the files rows' data file: `len` bytes, every page non-zero (each a different
/// pattern), synced to disk so that its page cache can be dropped.
fn write_data_file(len: usize) {
    let mut file = File::create(data_file()).expect("create the report's data file");
    let mut chunk: Vec<u8> = (0..MIB).map(|i| (i * 7 + 1) as u8 | 1).collect();
    let mut written = 0;
    while written < len {
        let n = MIB.min(len - written);
        chunk[0] = chunk[0].wrapping_add(2); // each MiB differs
        file.write_all(&chunk[..n])
            .expect("write the report's data file");
        written += n;
    }
    file.sync_all().expect("sync the report's data file");
}

/// Drops the data file's clean pages from the page cache (`POSIX_FADV_DONTNEED`).
fn drop_page_cache(len: usize) {
    let file = File::open(data_file()).expect("open the report's data file");
    // SAFETY: advice on an open file descriptor; it changes no memory of this process.
    let error = unsafe {
        libc::posix_fadvise(
            file.as_raw_fd(),
            0,
            len as libc::off_t,
            libc::POSIX_FADV_DONTNEED,
        )
    };
    assert_eq!(error, 0, "posix_fadvise(DONTNEED)");
}

/// Reads the whole data file once, so that the page cache holds it.
fn warm_page_cache() {
    let mut file = File::open(data_file()).expect("open the report's data file");
    let mut piece = vec![0u8; MIB];
    while file.read(&mut piece).expect("read the report's data file") > 0 {}
}

/// How many of the data file's first `len / PAGE_SIZE` pages the page cache holds (`mincore`
/// of a mapping that is never touched).
fn pages_in_cache(len: usize) -> usize {
    let file = File::open(data_file()).expect("open the report's data file");
    let memory = mmap_private(&file, len, libc::PROT_READ);
    let mut resident = vec![0u8; len / PAGE_SIZE];
    // SAFETY: `memory` is a mapping of `len` bytes; `resident` has one byte per page of it.
    let ok = unsafe { libc::mincore(memory.cast(), len, resident.as_mut_ptr()) };
    // SAFETY: the mapping made above, no longer used.
    unsafe { libc::munmap(memory.cast(), len) };
    assert_eq!(ok, 0, "mincore");
    resident.iter().filter(|&&r| r & 1 != 0).count()
}

/// The files rows: `CowBuffer::map_file` beside the kernel's `MAP_PRIVATE` mapping of the same
/// 1 GiB data file (every page non-zero, written once for the report, removed at its end),
/// each row a fresh process ([`in_child`]), the kernel's row first:
/// - (a) the open, with the file's page cache dropped (`POSIX_FADV_DONTNEED` after a sync;
///   `mincore` counts what is left);
/// - (b) 1 byte read per page (the page cache warm: the file read once first, so that the rows
///   compare the mappings and the table, not the disk), through `get`, `pages()` and `read_at`
///   against a read through the mapping (after one mapping's read, not shown, so that no row
///   is the first to map the cached pages); the timer around each timed read adds ~40 ns to
///   p50;
/// - (c) the first write per page over the whole 1 GiB (`set`) against the kernel's
///   copy-on-write fault of a page-cache page (`PROT_READ | PROT_WRITE, MAP_PRIVATE`), in both
///   memory states of the other rows (no prewarm, after a [`HOST_RECLAIM`] pause; prewarmed);
/// - (d) 100 scattered writes, then `write_changes` into a new empty file (the 100 pages and
///   the length: a sparse file; no fsync): the pages written (must be 100) and the time.
///
/// With the stand-in `map_file` (a `read_file`) the open reads the whole file and the buffer's
/// pages are private copies, so the figures are `read_file`'s.
fn files_report() {
    let started = Instant::now();
    let len = GIB;
    let pages = len / PAGE_SIZE;
    let made = Instant::now();
    write_data_file(len);
    println!(
        "files (map_file): a {} MiB file of non-zero pages under {} (written and synced in {:?}), \
         CowBuffer::map_file beside mmap(MAP_PRIVATE) of it, each row a fresh process, the kernel's first:",
        len / MIB,
        std::env::temp_dir().display(),
        made.elapsed()
    );

    // (a) The open, with nothing of the file in the page cache.
    drop_page_cache(len);
    let cached = pages_in_cache(len);
    let line = child_line(Work::MmapOpen, len, false, false);
    let mmap_ns: f64 = line.trim().parse().expect("ns");
    drop_page_cache(len);
    let line = child_line(Work::MapOpen, len, false, false);
    let n: Vec<f64> = line
        .split_whitespace()
        .map(|x| x.parse().expect("a number"))
        .collect();
    let time = |ns: f64| Duration::from_nanos(ns as u64);
    println!(
        "  open, page cache dropped ({cached} of {pages} pages cached before): mmap(PROT_READ, MAP_PRIVATE) {:?}; \
         CowBuffer::map_file {:?}, ratio {:.1}",
        time(mmap_ns),
        time(n[0]),
        n[0] / mmap_ns
    );
    println!(
        "    the mapped buffer's stats: shared {}, private {}, resident_bytes {}; page cache after its process ended: {} of {pages} pages",
        n[1],
        n[2],
        n[3],
        pages_in_cache(len)
    );

    // (b) 1 byte read per page, the page cache warm.
    warm_page_cache();
    println!(
        "  1 byte read per page, page cache warm ({} of {pages} pages cached), ns per read:",
        pages_in_cache(len)
    );
    // One mapping's read first, not shown: the first process to map the cached pages paid up
    // to 10x the later ones (mean 332 ns against 27-40 ns in one run), and that would fall on
    // whichever row came first.
    let _ = in_child(Work::MmapRead, len, false, false);
    let kernel = in_child(Work::MmapRead, len, false, false);
    print_sweep("kernel, read through MAP_PRIVATE", &kernel, None);
    for (work, name) in [
        (Work::MapGet, "cowkit, get(i)"),
        (Work::MapPages, "cowkit, pages()"),
        (Work::MapReadAt, "cowkit, read_at(i, 1 byte)"),
    ] {
        print_sweep(name, &in_child(work, len, false, false), Some(&kernel));
    }

    // (c) The first write per page.
    println!(
        "  first write per page (1 byte per page over {} MiB), ns per write:",
        len / MIB
    );
    let mut prewarmed_kernel = None;
    for prewarm in [false, true] {
        let state = if prewarm {
            "prewarmed (bare metal)"
        } else {
            "no prewarm"
        };
        let kernel = in_child(Work::MmapWrite, len, prewarm, false);
        let cow = in_child(Work::MapWrite, len, prewarm, false);
        print_sweep(&format!("kernel COW fault, {state}"), &kernel, None);
        print_sweep(&format!("cowkit set(i), {state}"), &cow, Some(&kernel));
        if prewarm {
            prewarmed_kernel = Some(kernel);
        }
    }
    // A warm pool, in this process: a first sweep fills the pool (its bound holds the file),
    // the second is timed, against the kernel's prewarmed row.
    {
        let file = File::open(data_file()).expect("open the report's data file");
        let bound = CowBuffer::set_page_pool_limit(len + 64 * MIB);
        let mut warm = None;
        for _ in 0..2 {
            let mut buffer = map_data_file(&file);
            warm = Some(half_sweep(len / PAGE_SIZE, |page| {
                buffer.set(page * PAGE_SIZE, 2);
            }));
            black_box(&buffer);
        }
        let warm = warm.expect("two sweeps ran");
        print_sweep(
            &format!(
                "cowkit set(i), warm pool ({} MiB bound)",
                (len + 64 * MIB) / MIB
            ),
            &warm,
            prewarmed_kernel.as_ref(),
        );
        CowBuffer::set_page_pool_limit(0);
        CowBuffer::set_page_pool_limit(bound);
    }

    // (d) write_changes after 100 scattered writes.
    let line = child_line(Work::MapSave, len, false, false);
    let n: Vec<f64> = line
        .split_whitespace()
        .map(|x| x.parse().expect("a number"))
        .collect();
    println!(
        "  100 scattered writes, then write_changes into a new file: {} pages written in {:?} (no fsync)",
        n[0],
        Duration::from_nanos(n[1] as u64)
    );
    std::fs::remove_file(data_file()).expect("remove the report's data file");
    println!("files time: {:?}", started.elapsed());
}

/// The kernel's copy-on-write: maps `len` bytes advised as `huge` says, writes every page,
/// prewarms if asked, forks; the child writes one byte per page ([`half_sweep`]) and reports
/// through a pipe.
fn kernel_sweep(len: usize, prewarm: bool, huge: bool) -> Sweep {
    let memory = map_anonymous(len, advice(huge));
    for at in (0..len).step_by(PAGE_SIZE) {
        // SAFETY: inside the mapping; populated: every page mapped and private to this process.
        unsafe { std::ptr::write_volatile(memory.add(at), 1) };
    }
    if prewarm {
        prewarm_guest(2 * len);
    }
    let mut fds = [0; 2];
    // SAFETY: `fds` is a valid array of two ints for pipe(2) to fill.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "pipe");
    // SAFETY: this child process of the report is single-threaded, so the grandchild may
    // allocate; it touches only its own copy of the memory, writes to the pipe and leaves with
    // `_exit` (no destructors, no atexit handlers).
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // SAFETY: in bounds; a volatile write so that each page really is written.
        let sweep = half_sweep(len / PAGE_SIZE, |page| unsafe {
            std::ptr::write_volatile(memory.add(page * PAGE_SIZE), 2)
        });
        let line = sweep.line();
        // SAFETY: writes the line's bytes to the pipe's write end, then leaves.
        unsafe {
            libc::write(fds[1], line.as_ptr().cast(), line.len());
            libc::_exit(0);
        }
    }
    let mut line = [0u8; 256];
    // SAFETY: reads into `line`'s bytes from the pipe's read end; waits for the grandchild.
    let n = unsafe {
        libc::close(fds[1]);
        let n = libc::read(fds[0], line.as_mut_ptr().cast(), line.len());
        libc::close(fds[0]);
        let mut status = 0;
        libc::waitpid(pid, &mut status, 0);
        n
    };
    assert!(n > 0, "the fork child's report");
    Sweep::parse(std::str::from_utf8(&line[..n as usize]).expect("UTF-8"))
}

/// The same sweep over a fresh clone of `source`, in this process: an untimed pass over one
/// clone for the mean, then a timed pass over another. The diverged clones are dropped at the
/// end (their pages go to the pool, up to its bound).
fn cowbuffer_sweep(source: &CowBuffer) -> Sweep {
    let pages = source.len() / PAGE_SIZE;
    let mut fork = source.clone();
    let start = Instant::now();
    for page in 0..pages {
        fork.set(page * PAGE_SIZE, 2);
    }
    let mean_ns = start.elapsed().as_nanos() as f64 / pages as f64;
    drop(fork);
    let mut fork = source.clone();
    let mut times = vec![1u64; pages];
    for (page, time) in times.iter_mut().enumerate() {
        let t = Instant::now();
        fork.set(page * PAGE_SIZE, 2);
        *time = t.elapsed().as_nanos() as u64;
    }
    drop(fork);
    summarize(times, mean_ns)
}

/// "THP on" / "THP off" for a row's label.
fn thp(huge: bool) -> &'static str {
    if huge { "THP on " } else { "THP off" }
}

/// The first write into a shared page whose source is in cache: `clones` clones of `source`
/// made first, then one byte written into the same page of each (timed), beside a hot 4 KiB
/// malloc + copy + free. The two alternate in 9 rounds and each side's median round is
/// returned (ns per write): single rounds moved by up to 2x between runs on this VM. The
/// copies (8 MiB for 2,000 clones) fit the default pool bound, so after the first round they
/// land in pooled pages, not fresh memory.
fn first_write_in_cache(source: &CowBuffer, clones: usize) -> (f64, f64) {
    let at = source.len() / 2 / PAGE_SIZE * PAGE_SIZE + 17;
    let bytes = vec![1u8; PAGE_SIZE];
    let (mut cows, mut mallocs) = (Vec::new(), Vec::new());
    for _ in 0..9 {
        let mut forks: Vec<CowBuffer> = (0..clones).map(|_| source.clone()).collect();
        let t = Instant::now();
        for fork in &mut forks {
            fork.set(at, 2);
        }
        cows.push(t.elapsed().as_nanos() as f64 / clones as f64);
        drop(forks);
        let t = Instant::now();
        for i in 0..clones {
            let mut copy = Vec::with_capacity(PAGE_SIZE);
            copy.extend_from_slice(black_box(&bytes));
            copy[i % PAGE_SIZE] = 2;
            black_box(&copy);
        }
        mallocs.push(t.elapsed().as_nanos() as f64 / clones as f64);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(cows), median(mallocs))
}

fn report() {
    let started = Instant::now();
    println!("\nbuffer report (one run; ratios are what to quote)");
    println!(
        "Each row: ns per write: mean (untimed half of the pages), p50 / p99 / max and the writes over 50 µs \
         (timed other half); ratio = this row / the kernel's row in the same memory state (mean / p50 / p99 / max)."
    );
    println!(
        "Fresh process: the bench binary run again for that sweep alone (an empty page pool). \
         'no prewarm': what a user's process gets (on this VM: memory the host took back, after a {HOST_RECLAIM:?} pause); \
         'prewarmed': twice the sweep's size touched and freed first (the bare-metal case). \
         THP on/off: cowkit's arenas (CowBuffer::set_huge_pages) and the kernel's memory advised alike."
    );
    let default_bound = CowBuffer::set_page_pool_limit(16 * MIB);
    CowBuffer::set_page_pool_limit(default_bound);
    for len in [64 * MIB, GIB] {
        println!(
            "{} MiB: 1 byte per page of a fresh clone (cowkit) / of a fork()ed child (kernel):",
            len / MIB
        );
        let mut prewarmed_kernel = Vec::new();
        for prewarm in [false, true] {
            let state = if prewarm {
                "prewarmed (bare metal)"
            } else {
                "no prewarm"
            };
            for huge in [false, true] {
                let kernel = in_child(Work::Fork, len, prewarm, huge);
                let cow = in_child(Work::Clone, len, prewarm, huge);
                print_sweep(&format!("kernel, {state}, {}", thp(huge)), &kernel, None);
                print_sweep(
                    &format!("cowkit, {state}, {}", thp(huge)),
                    &cow,
                    Some(&kernel),
                );
                if prewarm {
                    prewarmed_kernel.push(kernel);
                }
            }
        }

        // This process: a warm pool, against the kernel's prewarmed rows.
        let source = populated(len);
        let clone_start = Instant::now();
        let fork = black_box(source.clone());
        println!("  CowBuffer::clone: {:?}", clone_start.elapsed());
        drop(fork);
        let bound = 2 * len + 64 * MIB;
        for (huge, kernel) in [false, true].into_iter().zip(&prewarmed_kernel) {
            let previous = CowBuffer::set_huge_pages(huge);
            CowBuffer::set_page_pool_limit(0); // arenas mapped under the other policy go
            CowBuffer::set_page_pool_limit(bound);
            let _ = cowbuffer_sweep(&source); // fills the pool
            let warm = cowbuffer_sweep(&source);
            print_sweep(
                &format!("cowkit, warm pool, {}", thp(huge)),
                &warm,
                Some(kernel),
            );
            CowBuffer::set_huge_pages(previous);
        }
        println!(
            "  (warm pool: pool bound {} MiB, kernel ratio against its prewarmed row)",
            bound / MIB
        );
        CowBuffer::set_page_pool_limit(0);
        CowBuffer::set_page_pool_limit(default_bound);
        let _ = cowbuffer_sweep(&source);
        let repeat = cowbuffer_sweep(&source);
        print_sweep(
            &format!("cowkit, repeat, {} MiB bound", default_bound / MIB),
            &repeat,
            Some(&prewarmed_kernel[0]),
        );

        // The first write after a clone, alone: 64 trials at scattered pages (cold paths).
        let pages = len / PAGE_SIZE;
        let mut firsts: Vec<u64> = (0..64)
            .map(|trial| {
                let mut fork = source.clone();
                let at = (trial * 7919 + 13) % pages * PAGE_SIZE;
                let t = Instant::now();
                fork.set(at, 5);
                t.elapsed().as_nanos() as u64
            })
            .collect();
        firsts.sort_unstable();
        println!(
            "  first write after a clone, 64 trials at scattered pages: p50 {} ns, p90 {} ns, max {} ns",
            firsts[32], firsts[57], firsts[63]
        );

        // What one page adds to `resident_bytes`: its bytes, count and share of its arena's
        // header (two pages and one page both fit one table leaf).
        let resident = |pages: usize| {
            CowBuffer::from(vec![1u8; pages * PAGE_SIZE])
                .stats()
                .resident_bytes
        };
        let per_page = resident(2) - resident(1);
        let stats = source.stats();
        let table = stats.resident_bytes - stats.pages * per_page;
        println!(
            "  table metadata: {:.2} bytes per page ({} pages); each page's frame: {} bytes beyond its {} (count, arena header and slack)",
            table as f64 / stats.pages as f64,
            stats.pages,
            per_page - PAGE_SIZE,
            PAGE_SIZE
        );
        if len == 64 * MIB {
            let (cow, malloc) = first_write_in_cache(&source, 2_000);
            println!(
                "  first write into a shared page, in cache (2,000 clones of 64 MiB, one write each): {cow:.0} ns; \
                 hot 4 KiB malloc + copy + free: {malloc:.0} ns; ratio {:.2} (medians of 9 alternating rounds)",
                cow / malloc
            );
        }
        drop(source);
        CowBuffer::set_page_pool_limit(0);
        CowBuffer::set_page_pool_limit(default_bound);
    }

    println!(
        "1 GiB: 1 byte per page into CowBuffer::zeroed(1 GiB) (cowkit) / per 4 KiB into fresh mmap memory, MADV_NOHUGEPAGE (kernel first touch), fresh processes:"
    );
    for prewarm in [false, true] {
        let state = if prewarm {
            "prewarmed (bare metal)"
        } else {
            "no prewarm"
        };
        let touch = in_child(Work::Touch, GIB, prewarm, false);
        print_sweep(&format!("first touch, {state}"), &touch, None);
        for huge in [false, true] {
            let fill = in_child(Work::Fill, GIB, prewarm, huge);
            print_sweep(
                &format!("zeroed fill, {state}, {}", thp(huge)),
                &fill,
                Some(&touch),
            );
        }
    }

    // The same first write on a one-page buffer, beside the same malloc + copy + free.
    let (cow, malloc) = first_write_in_cache(&CowBuffer::from(vec![1u8; PAGE_SIZE]), 2_000);
    println!(
        "first write into a shared page, in cache, one-page buffer (2,000 clones, one write each): {cow:.0} ns; \
         hot 4 KiB malloc + copy + free: {malloc:.0} ns; ratio {:.2} (medians of 9 alternating rounds)",
        cow / malloc
    );

    // serde keeps holes: an 8 MiB zeroed buffer with one write, through JSON and back.
    let mut sparse = CowBuffer::zeroed(8 * MIB);
    sparse.set(3 * MIB, 7);
    let json = serde_json::to_vec(&sparse).expect("serialize");
    let back: CowBuffer = serde_json::from_slice(&json).expect("deserialize");
    assert!(back == sparse);
    println!(
        "serde_json round trip of 8 MiB zeroed + 1 write: resident {} -> {} bytes, holes {} -> {}",
        sparse.stats().resident_bytes,
        back.stats().resident_bytes,
        sparse.stats().holes,
        back.stats().holes
    );

    let zeroed = CowBuffer::zeroed(GIB);
    println!(
        "1 GiB zeroed: resident_bytes {} (a hole costs nothing); after one write: {}",
        zeroed.stats().resident_bytes,
        {
            let mut one = zeroed.clone();
            one.set(GIB / 2, 1);
            one.stats().resident_bytes
        }
    );
    files_report();
    println!("report time: {:?}", started.elapsed());
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD_VAR) {
        run_child(&spec);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
    if report::wanted("report") {
        report();
    } else if report::wanted("report_files") {
        files_report();
    }
}

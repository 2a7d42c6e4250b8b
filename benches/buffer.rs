//! `CowBuffer` beside its peers, in the same criterion groups so that ratios come from one run:
//! `Vec<u8>` (clone, then write), `snap_buf::SnapBuf` (a tree of ~4 KB leaves under 500-way
//! nodes, O(1) clone) and, in the report after the groups, the kernel's own copy-on-write.
//!
//! The report (not a criterion group) measures what criterion cannot:
//! - the kernel: a populated buffer, `fork()`, the child writes one byte into each page, timing
//!   each write, and sends mean / p50 / p99 / max back through a pipe; `fork()` itself is timed
//!   in the parent;
//! - the same sweep over a freshly cloned 1 GiB `CowBuffer`: the mean without timers, then
//!   p50 / p99 / max and the first write with a timer around each write; once with a warm page
//!   pool, once with an empty pool after `malloc_trim`, and once in a fresh process (the bench
//!   binary run again to do only that sweep: a program that has freed nothing yet, whose
//!   copies all land in memory fresh from the kernel);
//! - table metadata per page and the memory of a 1 GiB `zeroed` buffer.
//!
//! Before each sweep into new memory (the kernel's, the fresh process's, the empty pool's) the
//! process touches and frees twice the sweep's size: see [`prewarm_guest`].
//!
//! It runs when no filter is given or the filter matches `report`.
//!
//! Run: `cargo bench --bench buffer -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
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
    group.bench_function("CowBuffer", |b| {
        b.iter_batched(
            || {
                let mut fork = buffer.clone();
                for at in (0..64 * MIB).step_by(PAGE_SIZE) {
                    fork.set(at, 3);
                }
                fork
            },
            drop,
            BatchSize::PerIteration,
        )
    });
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
    }
}

fn print_sweep(name: &str, s: &Sweep) {
    println!(
        "  {name:<44} mean {:>7.0} ns   p50 {:>6} ns   p99 {:>6} ns   max {:>7} ns   first {:>6} ns",
        s.mean_ns, s.p50_ns, s.p99_ns, s.max_ns, s.first_ns
    );
}

/// Touches one byte in each 4 KiB of `len` bytes of new anonymous memory, gives it back, and
/// returns the mean time per 4 KiB.
///
/// This project's machines are virtual machines whose host takes back the guest's free memory
/// (virtio-balloon free page reporting, for free blocks of 2 MiB and more, about 2 s after they
/// are freed). The first touch of such memory also faults in the host: ~13 µs per 4 KiB seen
/// here, several times what the guest's own fault or copy costs. That cost lands on whichever
/// sweep first runs into such memory, the kernel's or cowkit's, and decided the 1 GiB rows of
/// earlier reports. Touching memory just before a sweep leaves the guest memory the host still
/// backs, so the sweep measures the guest's own costs, as on a machine without a hypervisor.
fn prewarm_guest(len: usize) -> f64 {
    let start = Instant::now();
    // SAFETY: a new private anonymous mapping; only this function uses it, writes one byte
    // per page inside it, and unmaps it.
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
        // In huge pages where the kernel has them, so that what is freed below comes back as
        // whole 2 MiB blocks: what cowkit's arenas take, and what the kernel splits for its
        // own 4 KiB copies.
        libc::madvise(memory, len, libc::MADV_HUGEPAGE);
        for at in (0..len).step_by(4096) {
            std::ptr::write_volatile(memory.cast::<u8>().add(at), 1);
        }
        libc::munmap(memory, len);
    }
    start.elapsed().as_nanos() as f64 / (len / 4096) as f64
}

/// The kernel's copy-on-write: fork a process holding `len` populated bytes; the child writes
/// one byte per page (first an untimed pass over half the pages for the mean, then a timed pass
/// over the other half) and reports through a pipe. Returns the sweep and the fork time.
fn kernel_sweep(len: usize) -> (Sweep, Duration) {
    let mut memory = vec![0u8; len];
    for at in (0..len).step_by(PAGE_SIZE) {
        memory[at] = 1; // populated: every page mapped and private to this process
    }
    prewarm_guest(2 * len);
    let mut fds = [0; 2];
    // SAFETY: `fds` is a valid array of two ints for pipe(2) to fill.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "pipe");
    let start = Instant::now();
    // SAFETY: the child only touches its own copy of `memory`, writes to the pipe and leaves
    // with `_exit` (no destructors, no atexit handlers, no allocator use after fork in a
    // multi-threaded parent beyond what it did before: the child allocates nothing).
    let pid = unsafe { libc::fork() };
    let fork_time = start.elapsed();
    assert!(pid >= 0, "fork failed");
    let pages = len / PAGE_SIZE;
    if pid == 0 {
        let half = pages / 2;
        let untimed = Instant::now();
        for page in 0..half {
            // SAFETY: in bounds; a volatile write so that each page really is written.
            unsafe { std::ptr::write_volatile(memory.as_mut_ptr().add(page * PAGE_SIZE), 2) };
        }
        let mean = untimed.elapsed().as_nanos() as u64 / half as u64;
        let mut report = [0u64; 5];
        let mut hist_max = 0;
        let mut times = [0u32; 1 << 16]; // histogram in 64 ns buckets up to ~4 ms
        let mut first = 0;
        for page in half..pages {
            let t = Instant::now();
            // SAFETY: as above.
            unsafe { std::ptr::write_volatile(memory.as_mut_ptr().add(page * PAGE_SIZE), 2) };
            let ns = t.elapsed().as_nanos() as u64;
            if page == half {
                first = ns;
            }
            hist_max = hist_max.max(ns);
            times[((ns / 64) as usize).min(times.len() - 1)] += 1;
        }
        let quantile = |q: f64| {
            let want = ((pages - half) as f64 * q) as u64;
            let mut seen = 0;
            for (bucket, &n) in times.iter().enumerate() {
                seen += u64::from(n);
                if seen > want {
                    return bucket as u64 * 64 + 32;
                }
            }
            hist_max
        };
        report[0] = mean;
        report[1] = quantile(0.5);
        report[2] = quantile(0.99);
        report[3] = hist_max;
        report[4] = first;
        // SAFETY: writes the 40 bytes of `report` to the pipe's write end, then leaves.
        unsafe {
            libc::write(fds[1], report.as_ptr().cast(), size_of_val(&report));
            libc::_exit(0);
        }
    }
    let mut report = [0u64; 5];
    // SAFETY: reads into `report`'s 40 bytes from the pipe's read end; waits for the child.
    unsafe {
        libc::close(fds[1]);
        let n = libc::read(fds[0], report.as_mut_ptr().cast(), size_of_val(&report));
        assert_eq!(n as usize, size_of_val(&report), "child report");
        libc::close(fds[0]);
        let mut status = 0;
        libc::waitpid(pid, &mut status, 0);
    }
    black_box(&memory);
    (
        Sweep {
            mean_ns: report[0] as f64,
            p50_ns: report[1],
            p99_ns: report[2],
            max_ns: report[3],
            first_ns: report[4],
        },
        fork_time,
    )
}

/// The same sweep over a fresh clone of `source`: an untimed pass over one clone for the mean,
/// then a timed pass over another. The diverged clones are dropped at the end (their pages go
/// to the pool, up to its limit).
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
    // Written once before timing: its first touch (a fresh, maybe huge, page) is not ours.
    let mut times = vec![1u64; pages];
    for (page, time) in times.iter_mut().enumerate() {
        let t = Instant::now();
        fork.set(page * PAGE_SIZE, 2);
        *time = t.elapsed().as_nanos() as u64;
    }
    drop(fork);
    summarize(times, mean_ns)
}

/// The environment variable that makes the bench binary run one fresh-process sweep (see
/// [`fresh_process_sweep`]) instead of the benches.
const FRESH_SWEEP_VAR: &str = "COWKIT_FRESH_SWEEP_BYTES";

/// The sweep in a process that has freed nothing yet: the bench binary runs itself with
/// [`FRESH_SWEEP_VAR`] set, populates a buffer of `len` bytes, and sweeps a clone of it with
/// the page pool off, so that every page the mean pass copies into is fresh memory from the
/// kernel, as a program that never ran a sweep before gets. (Its percentiles come from the
/// second pass, over memory the first pass gave back to the heap.)
///
/// With `thp_off` the child first turns transparent huge pages off for itself
/// (`prctl(PR_SET_THP_DISABLE)`), so its arenas fault in 4 KiB at a time.
fn fresh_process_sweep(len: usize, thp_off: bool) -> Sweep {
    let mut command =
        std::process::Command::new(std::env::current_exe().expect("the bench binary"));
    command.env(FRESH_SWEEP_VAR, len.to_string());
    if thp_off {
        command.env(THP_OFF_VAR, "1");
    }
    let out = command
        .output()
        .expect("run the bench binary for a fresh-process sweep");
    assert!(out.status.success(), "the fresh-process sweep failed");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let n: Vec<f64> = text
        .split_whitespace()
        .map(|x| x.parse().expect("a number"))
        .collect();
    Sweep {
        mean_ns: n[0],
        p50_ns: n[1] as u64,
        p99_ns: n[2] as u64,
        max_ns: n[3] as u64,
        first_ns: n[4] as u64,
    }
}

/// Set (to anything) beside [`FRESH_SWEEP_VAR`]: the child turns THP off first.
const THP_OFF_VAR: &str = "COWKIT_FRESH_SWEEP_THP_OFF";

/// The child's side of [`fresh_process_sweep`]: prints mean, p50, p99, max and first.
fn run_fresh_sweep(len: usize) {
    if std::env::var_os(THP_OFF_VAR).is_some() {
        // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and changes only this
        // process's huge-page policy.
        let done = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
        assert_eq!(done, 0, "prctl(PR_SET_THP_DISABLE)");
    }
    prewarm_guest(3 * len);
    let source = populated(len);
    CowBuffer::set_page_pool_limit(0);
    let s = cowbuffer_sweep(&source);
    println!(
        "{} {} {} {} {}",
        s.mean_ns, s.p50_ns, s.p99_ns, s.max_ns, s.first_ns
    );
}

/// Returns freed heap memory to the kernel, so that the next allocations are fresh pages.
fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; no pointer is involved.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn report() {
    println!("\nbuffer report (one run; ratios are what to quote)");
    for len in [64 * MIB, GIB] {
        let guest = prewarm_guest(2 * len);
        let (kernel, fork_time) = kernel_sweep(len);
        println!("{} MiB:", len / MIB);
        println!("  first touch of new memory, before prewarming: {guest:.0} ns per 4 KiB");
        println!("  fork() of the populated process memory: {fork_time:?}");
        print_sweep("kernel COW (child writes 1 byte per page)", &kernel);

        let source = populated(len);
        let clone_start = Instant::now();
        let fork = black_box(source.clone());
        println!("  CowBuffer::clone: {:?}", clone_start.elapsed());
        drop(fork);

        let fresh = fresh_process_sweep(len, false);
        print_sweep("CowBuffer, fresh process (mean: fresh memory)", &fresh);
        let fresh_4k = fresh_process_sweep(len, true);
        print_sweep("CowBuffer, fresh process, THP off", &fresh_4k);
        let previous = CowBuffer::set_page_pool_limit(0);
        trim_heap();
        prewarm_guest(2 * len);
        let cold = cowbuffer_sweep(&source);
        print_sweep("CowBuffer, empty pool, trimmed heap", &cold);
        CowBuffer::set_page_pool_limit(2 * len + 64 * MIB);
        // Warm the pool: one diverged clone's worth of pages.
        let _ = cowbuffer_sweep(&source);
        let warm = cowbuffer_sweep(&source);
        print_sweep("CowBuffer, warm pool", &warm);
        CowBuffer::set_page_pool_limit(previous);
        println!(
            "  per page, mean: CowBuffer / kernel = {:.3} (warm pool), {:.3} (empty pool), {:.3} (fresh process), {:.3} (fresh, THP off)",
            warm.mean_ns / kernel.mean_ns,
            cold.mean_ns / kernel.mean_ns,
            fresh.mean_ns / kernel.mean_ns,
            fresh_4k.mean_ns / kernel.mean_ns
        );
        println!(
            "  per page, p50: CowBuffer / kernel = {:.3} (warm pool), {:.3} (fresh process), {:.3} (fresh, THP off)",
            warm.p50_ns as f64 / kernel.p50_ns as f64,
            fresh.p50_ns as f64 / kernel.p50_ns as f64,
            fresh_4k.p50_ns as f64 / kernel.p50_ns as f64
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
    }
    // The first write into a shared page whose source is in cache (clone, write one byte,
    // drop; warm pool), beside a hot 4 KiB malloc + copy + free. The two loops alternate in 9
    // rounds and each side's median round is quoted: single rounds of either moved by up to
    // 2x between runs on this VM.
    let previous = CowBuffer::set_page_pool_limit(16 * MIB);
    let source = CowBuffer::from(vec![1u8; PAGE_SIZE]);
    let bytes = vec![1u8; PAGE_SIZE];
    let rounds = 100_000;
    let (mut cows, mut mallocs) = (Vec::new(), Vec::new());
    for _ in 0..9 {
        let t = Instant::now();
        for i in 0..rounds {
            let mut fork = source.clone();
            fork.set(i % PAGE_SIZE, 2);
            black_box(&fork);
        }
        cows.push(t.elapsed().as_nanos() as f64 / rounds as f64);
        let t = Instant::now();
        for i in 0..rounds {
            let mut copy = Vec::with_capacity(PAGE_SIZE);
            copy.extend_from_slice(black_box(&bytes));
            copy[i % PAGE_SIZE] = 2;
            black_box(&copy);
        }
        mallocs.push(t.elapsed().as_nanos() as f64 / rounds as f64);
    }
    CowBuffer::set_page_pool_limit(previous);
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (cow, malloc) = (median(cows), median(mallocs));
    println!(
        "first write into a shared page, source in cache (clone + write + drop): {cow:.0} ns; \
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
}

fn main() {
    if let Ok(len) = std::env::var(FRESH_SWEEP_VAR) {
        run_fresh_sweep(len.parse().expect("a byte count"));
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--test" || a == "--list");
    let filter = args
        .iter()
        .find(|a| !a.starts_with('-') && a.parse::<f64>().is_err());
    if !quick && filter.is_none_or(|f| "report".contains(f.as_str())) {
        report();
    }
}

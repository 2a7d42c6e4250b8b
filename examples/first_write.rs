//! Issue 21, item 3: the first write into a page after a `CowBuffer` clone, isolated.
//!
//! Run: `cargo run --release -p cowkit-examples --example first_write -- MODE [ARGS]`
//!
//! - `incache MIB CLONES ROUNDS`: CLONES clones of a filled MIB MiB buffer, one `set` each at
//!   the same page (the source's path in cache); median over ROUNDS of ns per write, beside a
//!   hot 4 KiB malloc + copy + free, alternating.
//! - `cold MIB TRIALS`: a filled MIB MiB buffer; each trial touches 128 MiB of unrelated memory
//!   (4 KiB pages: evicts the 32 MiB L3 and the TLBs), clones the source and times one `set` at a
//!   scattered page. Trial kinds alternate in one run:
//!   `set` (the first write), `get` (the read walk alone, cold), `get+set` (the `set` timed after
//!   an untimed cold `get` of the same byte: the path's nodes and the source page's line warm),
//!   `set/tlb` (the eviction buffer on 2 MiB pages, after an untimed read of the byte: caches
//!   cold, TLB entries of the path kept), `warm` (a `set` after another clone's first write at
//!   the same page, dropped: everything in cache), `siblings` (as `get+set`, with every node
//!   beside the path read first: the copies' counts in cache; fan-out 16 only), `noevict` (a `set` with nothing touched
//!   between trials, as in the bench's report).
//! - `report MIB TRIALS`: the bench report's row "first write after a clone, 64 trials at
//!   scattered pages" (a freshly built source, nothing touched between trials; TRIALS: 64).
//! - `reads MIB ROUNDS`: `read_at` of the whole buffer and 1,024 random `get`s, median ns.
//! - `count MIB CLONES`: CLONES first writes at one page in `first_writes` (for
//!   `valgrind --tool=callgrind --toggle-collect='*first_writes*'`).

use std::hint::black_box;
use std::time::Instant;

use cowkit::{CowBuffer, PAGE_SIZE};

const MIB: usize = 1 << 20;

/// A buffer of `len` bytes with every page written (no holes).
fn populated(len: usize) -> CowBuffer {
    let mut buffer = CowBuffer::new();
    let chunk: Vec<u8> = (0..MIB).map(|i| (i * 7 + 1) as u8).collect();
    while buffer.len() < len {
        buffer.extend_from_slice(&chunk[..MIB.min(len - buffer.len())]);
    }
    buffer
}

/// One first write into each fork, at `at`.
#[inline(never)]
fn first_writes(forks: &mut [CowBuffer], at: usize) {
    for fork in forks {
        fork.set(at, 2);
    }
}

/// [`first_writes`] under another name: an untimed round that valgrind does not collect.
#[inline(never)]
fn warmup_writes(forks: &mut [CowBuffer], at: usize) {
    for fork in forks {
        fork.set(at, 3);
    }
}

/// A hot 4 KiB malloc + copy + free, `n` times.
#[inline(never)]
fn mallocs(bytes: &[u8], n: usize) {
    for i in 0..n {
        let mut copy = Vec::with_capacity(PAGE_SIZE);
        copy.extend_from_slice(black_box(bytes));
        copy[i % PAGE_SIZE] = 2;
        black_box(&copy);
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn arg(args: &[String], i: usize, default: usize) -> usize {
    args.get(i)
        .map_or(default, |a| a.parse().expect("a number"))
}

/// 128 MiB of memory to touch between trials, on 4 KiB pages or on 2 MiB pages.
struct Evict {
    mem: *mut u8,
    len: usize,
}

impl Evict {
    fn new(huge: bool) -> Evict {
        let len = 128 * MIB;
        // SAFETY: an anonymous private mapping; checked below.
        let mem = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len + 2 * MIB,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert_ne!(mem, libc::MAP_FAILED);
        // 2 MiB aligned, so that THP can back it whole.
        let mem = ((mem as usize + 2 * MIB - 1) & !(2 * MIB - 1)) as *mut u8;
        let advice = if huge {
            libc::MADV_HUGEPAGE
        } else {
            libc::MADV_NOHUGEPAGE
        };
        // SAFETY: within the mapping made above.
        unsafe { libc::madvise(mem.cast(), len, advice) };
        let evict = Evict { mem, len };
        evict.touch();
        evict
    }

    /// Writes one byte per cache line.
    #[inline(never)]
    fn touch(&self) {
        for i in (0..self.len).step_by(64) {
            // SAFETY: within the mapping.
            unsafe { self.mem.add(i).write_volatile(i as u8) };
        }
    }
}

fn pct(sorted: &[u64], p: usize) -> u64 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn incache(len: usize, clones: usize, rounds: usize) {
    let source = populated(len);
    let at = source.len() / 2 / PAGE_SIZE * PAGE_SIZE + 17;
    let bytes = vec![1u8; PAGE_SIZE];
    let (mut cows, mut mals) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let mut forks: Vec<CowBuffer> = (0..clones).map(|_| source.clone()).collect();
        let t = Instant::now();
        first_writes(&mut forks, at);
        cows.push(t.elapsed().as_nanos() as f64 / clones as f64);
        drop(forks);
        let t = Instant::now();
        mallocs(&bytes, clones);
        mals.push(t.elapsed().as_nanos() as f64 / clones as f64);
    }
    let (c, m) = (median(cows), median(mals));
    println!(
        "incache {} MiB: first write {c:.0} ns, malloc+copy+free {m:.0} ns, ratio {:.2} (median of {rounds} rounds of {clones})",
        len / MIB,
        c / m
    );
}

fn cold(len: usize, trials: usize) {
    let source = populated(len);
    let small = Evict::new(false);
    let huge = Evict::new(true);
    let pages = len / PAGE_SIZE;
    // `FW_KINDS=set,get` runs only those kinds (for a profile of one).
    let kinds_env =
        std::env::var("FW_KINDS").unwrap_or_else(|_| "set,get,get+set,set/tlb,warm,noevict".into());
    let kinds: Vec<&str> = kinds_env.split(',').collect();
    let mut times: Vec<Vec<u64>> = vec![Vec::new(); kinds.len()];
    for trial in 0..trials {
        let scattered = (trial * 7919 + 13) % pages * PAGE_SIZE + 5;
        for (k, kind) in kinds.iter().enumerate() {
            // `noevict` takes pages of its own: the other kinds leave their page's path in cache.
            let at = if *kind == "noevict" {
                (trial * 104_729 + 7) % pages * PAGE_SIZE + 5
            } else {
                scattered
            };
            match *kind {
                "set/tlb" => {
                    black_box(source.get(at));
                    huge.touch();
                }
                "warm" => {
                    let mut other = source.clone();
                    other.set(at, 5);
                    drop(other);
                }
                // As in the bench's report: nothing touched between trials (the source's nodes
                // stay wherever building it and the earlier trials left them: mostly in L3).
                "noevict" => {}
                _ => small.touch(),
            }
            let mut fork = source.clone();
            let ns = match *kind {
                "get" => {
                    let t = Instant::now();
                    black_box(fork.get(at));
                    t.elapsed().as_nanos() as u64
                }
                "siblings" => {
                    // The path read, and every node beside it read (so its count's line is in
                    // cache), untimed: what the copy's increments cost when their lines are
                    // near, against `get+set`.
                    black_box(fork.get(at));
                    let page = at / PAGE_SIZE;
                    let mut shift = 4;
                    while 1 << shift < pages {
                        for j in 0..16 {
                            let sibling = page & !(15 << shift) | j << shift;
                            if sibling < pages {
                                black_box(fork.get(sibling * PAGE_SIZE));
                            }
                        }
                        shift += 4;
                    }
                    let t = Instant::now();
                    fork.set(at, 5);
                    t.elapsed().as_nanos() as u64
                }
                "get+set" => {
                    black_box(fork.get(at));
                    let t = Instant::now();
                    fork.set(at, 5);
                    t.elapsed().as_nanos() as u64
                }
                _ => {
                    let t = Instant::now();
                    fork.set(at, 5);
                    t.elapsed().as_nanos() as u64
                }
            };
            times[k].push(ns);
            drop(fork);
        }
    }
    for (kind, mut t) in kinds.iter().zip(times) {
        t.sort_unstable();
        println!(
            "cold {} MiB {kind:8}: p50 {} p90 {} p99 {} max {} ns ({} trials)",
            len / MIB,
            pct(&t, 50),
            pct(&t, 90),
            pct(&t, 99),
            t[t.len() - 1],
            t.len()
        );
    }
}

/// The bench report's row: 64 trials at scattered pages of a freshly built source, nothing
/// touched between them.
fn report(len: usize, trials: usize) {
    let source = populated(len);
    let pages = len / PAGE_SIZE;
    let mut firsts: Vec<u64> = (0..trials)
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
        "report {} MiB: first write after a clone, {trials} trials: p50 {} ns, p90 {} ns, p99 {} ns, max {} ns",
        len / MIB,
        pct(&firsts, 50),
        pct(&firsts, 90),
        pct(&firsts, 99),
        firsts[trials - 1]
    );
}

fn reads(len: usize, rounds: usize) {
    let source = populated(len);
    let mut out = vec![0u8; len];
    let pages = len / PAGE_SIZE;
    let (mut seq, mut rnd) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let t = Instant::now();
        black_box(source.read_at(0, &mut out));
        seq.push(t.elapsed().as_nanos() as f64);
        let t = Instant::now();
        let mut sum = 0u32;
        for i in 0..1024 {
            let at = ((i + round * 1024) * 7919 + 13) % pages * PAGE_SIZE + i % PAGE_SIZE;
            sum += u32::from(source.get(at).unwrap_or(0));
        }
        black_box(sum);
        rnd.push(t.elapsed().as_nanos() as f64);
    }
    println!(
        "reads {} MiB: read_at whole {:.0} µs, 1,024 random gets {:.0} ns (medians of {rounds})",
        len / MIB,
        median(seq) / 1000.0,
        median(rnd)
    );
}

fn count(len: usize, clones: usize) {
    let source = populated(len);
    let at = source.len() / 2 / PAGE_SIZE * PAGE_SIZE + 17;
    let mut forks: Vec<CowBuffer> = (0..clones).map(|_| source.clone()).collect();
    // One untimed round first, so that the pool's frames exist (as in the in-cache rounds).
    warmup_writes(&mut forks, at);
    drop(forks);
    let mut forks: Vec<CowBuffer> = (0..clones).map(|_| source.clone()).collect();
    first_writes(&mut forks, at);
    black_box(&forks);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map_or("incache", String::as_str);
    match mode {
        "incache" => incache(
            arg(&args, 1, 64) * MIB,
            arg(&args, 2, 2_000),
            arg(&args, 3, 9),
        ),
        "cold" => cold(arg(&args, 1, 1024) * MIB, arg(&args, 2, 256)),
        "report" => report(arg(&args, 1, 1024) * MIB, arg(&args, 2, 64)),
        "reads" => reads(arg(&args, 1, 64) * MIB, arg(&args, 2, 9)),
        "count" => count(arg(&args, 1, 64) * MIB, arg(&args, 2, 2_000)),
        _ => panic!("modes: incache, cold, report, reads, count"),
    }
}

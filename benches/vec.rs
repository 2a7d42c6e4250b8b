//! `CowVec<u64>` beside its peers, in the same criterion groups so that ratios come from one
//! run: `Vec<u64>` (a clone is a full copy) and `imbl::Vector<u64>` (an RRB tree: O(1) clone,
//! O(log n) writes). Issue 22's goals are per row; n = 1,000,000 unless a row says otherwise.
//!
//! | group | what one iteration does |
//! |---|---|
//! | `vec_clone` | `clone()` at 1,000, 100,000 and 1,000,000 elements (the clone's drop included) |
//! | `vec_get_random` | 1,024 reads `v[i]` at a precomputed random index sequence |
//! | `vec_sum_iter` | the sum over `iter()` |
//! | `vec_sum_chunks` | the sum over the leaves: `chunks()`; `Vec`: its one slice; imbl: `leaves()` |
//! | `vec_set_beside_snapshot` | `clone()` then `v[i] = x`, with the original alive (a live snapshot); the written copy is dropped outside the timing |
//! | `vec_push_beside_snapshot` | `clone()` then `push(x)`, the same way |
//! | `vec_push_unique` | 1,024 `push`es onto a unique vector of 1,000,000 (truncated back outside the timing) |
//! | `vec_set_unique` | 1,024 in-place writes `v[i] = x` at random indices of a unique vector |
//! | `vec_cell_write` | one element set through a `CowCell<CowVec<u64>>` (`update(\|v\| v[i] = x)`) beside `CowList<u64>::set` (a full copy) and `CowCell<imbl::Vector<u64>>` |
//!
//! After the groups, a memory report (not a criterion group) prints the bytes each kind of
//! vector holds at 1,000,000 elements (built by `collect` and by `push`), and the bytes one
//! write beside a snapshot adds, as a counting global allocator of this binary sees them (live
//! bytes before and after). The counter is one relaxed atomic add per allocation and free, paid
//! alike by every peer in the groups. It sees the global allocator only: memory a type maps
//! itself (as `CowBuffer`'s page arenas are mapped) would not show here. The report runs when no filter is given or the filter
//! matches `memory`, and never with `--test` or `--list`.
//!
//! Run: `cargo bench --bench vec` (about 3 minutes); a quick check that every bench runs:
//! `cargo bench --bench vec -- --test`.

#[path = "report.rs"]
mod report;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use cowkit::{CowCell, CowList, CowVec};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group};

/// The main size: a million `u64`, 8 MB.
const N: usize = 1_000_000;

/// Reads or writes per iteration of the random-index groups.
const BATCH: usize = 1_024;

/// Counts the bytes live in this process's heap, for the memory report.
struct CountingAlloc;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`, which upholds `GlobalAlloc`'s
// contract; the bookkeeping is one atomic add and never allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc_zeroed` is passed on unchanged.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on unchanged.
        unsafe { System.dealloc(ptr, layout) };
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on unchanged.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE_BYTES.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        new
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn live_bytes() -> isize {
    LIVE_BYTES.load(Ordering::Relaxed)
}

/// `len` random indices below `n` from a fixed seed (xorshift64), so runs repeat.
fn random_indices(n: usize, len: usize) -> Vec<usize> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        })
        .collect()
}

fn items(n: usize) -> Vec<u64> {
    (0..n as u64).collect()
}

/// The three peers at `n` elements, built from the same values.
fn peers(n: usize) -> (Vec<u64>, imbl::Vector<u64>, CowVec<u64>) {
    let plain = items(n);
    let imbl: imbl::Vector<u64> = plain.iter().copied().collect();
    let cow = CowVec::from(plain.clone());
    (plain, imbl, cow)
}

/// Warm-up and measurement short enough that the whole bench takes about 3 minutes.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, sample_size: usize) {
    group
        .sample_size(sample_size)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
}

/// Times `make` (whose output is kept) in batches of `batch`, dropping the outputs after each
/// batch's timing: what one write costs, without the drop of the vector it wrote.
fn time_kept<T>(iters: u64, batch: usize, mut make: impl FnMut(u64) -> T) -> Duration {
    let mut kept = Vec::with_capacity(batch);
    let mut total = Duration::ZERO;
    let mut done = 0;
    while done < iters {
        let n = (iters - done).min(batch as u64);
        let start = Instant::now();
        for k in 0..n {
            kept.push(make(done + k));
        }
        total += start.elapsed();
        kept.clear(); // outside the timing
        done += n;
    }
    total
}

fn clone(c: &mut Criterion) {
    let mut group = c.benchmark_group("vec_clone");
    configure(&mut group, 20);
    for n in [1_000, 100_000, N] {
        let (plain, imbl, cow) = peers(n);
        group.bench_function(BenchmarkId::new("Vec<u64>", n), |b| {
            b.iter(|| black_box(&plain).clone())
        });
        group.bench_function(BenchmarkId::new("imbl::Vector<u64>", n), |b| {
            b.iter(|| black_box(&imbl).clone())
        });
        group.bench_function(BenchmarkId::new("CowVec<u64>", n), |b| {
            b.iter(|| black_box(&cow).clone())
        });
    }
    group.finish();
}

fn get_random(c: &mut Criterion) {
    let mut group = c.benchmark_group("vec_get_random");
    configure(&mut group, 30);
    group.throughput(Throughput::Elements(BATCH as u64));
    let (plain, imbl, cow) = peers(N);
    let idx = random_indices(N, BATCH);
    group.bench_function("Vec<u64>", |b| {
        b.iter(|| {
            let v = black_box(&plain);
            idx.iter().map(|&i| v[i]).fold(0u64, u64::wrapping_add)
        })
    });
    group.bench_function("imbl::Vector<u64>", |b| {
        b.iter(|| {
            let v = black_box(&imbl);
            idx.iter().map(|&i| v[i]).fold(0u64, u64::wrapping_add)
        })
    });
    group.bench_function("CowVec<u64>", |b| {
        b.iter(|| {
            let v = black_box(&cow);
            idx.iter().map(|&i| v[i]).fold(0u64, u64::wrapping_add)
        })
    });
    group.finish();
}

fn sum_iter(c: &mut Criterion) {
    let mut group = c.benchmark_group("vec_sum_iter");
    configure(&mut group, 20);
    group.throughput(Throughput::Elements(N as u64));
    let (plain, imbl, cow) = peers(N);
    group.bench_function("Vec<u64>", |b| {
        b.iter(|| {
            black_box(&plain)
                .iter()
                .fold(0u64, |s, &x| s.wrapping_add(x))
        })
    });
    group.bench_function("imbl::Vector<u64>", |b| {
        b.iter(|| {
            black_box(&imbl)
                .iter()
                .fold(0u64, |s, &x| s.wrapping_add(x))
        })
    });
    group.bench_function("CowVec<u64>", |b| {
        b.iter(|| black_box(&cow).iter().fold(0u64, |s, &x| s.wrapping_add(x)))
    });
    group.finish();
}

/// The sum of one slice: the same loop for every peer's leaves.
fn slice_sum(s: &[u64]) -> u64 {
    s.iter().fold(0u64, |s, &x| s.wrapping_add(x))
}

fn sum_chunks(c: &mut Criterion) {
    let mut group = c.benchmark_group("vec_sum_chunks");
    configure(&mut group, 20);
    group.throughput(Throughput::Elements(N as u64));
    let (plain, imbl, cow) = peers(N);
    group.bench_function("Vec<u64> (one slice)", |b| {
        b.iter(|| slice_sum(black_box(&plain)))
    });
    group.bench_function("imbl::Vector<u64> leaves()", |b| {
        b.iter(|| {
            black_box(&imbl)
                .leaves()
                .map(slice_sum)
                .fold(0u64, u64::wrapping_add)
        })
    });
    group.bench_function("CowVec<u64> chunks()", |b| {
        b.iter(|| {
            black_box(&cow)
                .chunks()
                .map(slice_sum)
                .fold(0u64, u64::wrapping_add)
        })
    });
    group.finish();
}

/// `clone()` then one write, the original kept alive as a snapshot; the written copy is
/// dropped outside the timing. `Vec` pays a full copy per write, so it is timed one write per
/// batch (its 8 MB copies are not kept by the hundred).
fn set_beside_snapshot(c: &mut Criterion) {
    let mut group = c.benchmark_group("vec_set_beside_snapshot");
    configure(&mut group, 20);
    let (plain, imbl, cow) = peers(N);
    let idx = random_indices(N, BATCH);
    let at = |k: u64| idx[k as usize % BATCH];
    group.bench_function("Vec<u64>", |b| {
        b.iter_custom(|iters| {
            time_kept(iters, 1, |k| {
                let mut fork = black_box(&plain).clone();
                fork[at(k)] = k;
                fork
            })
        })
    });
    group.bench_function("imbl::Vector<u64>", |b| {
        b.iter_custom(|iters| {
            time_kept(iters, 64, |k| {
                let mut fork = black_box(&imbl).clone();
                fork.set(at(k), k);
                fork
            })
        })
    });
    group.bench_function("CowVec<u64>", |b| {
        b.iter_custom(|iters| {
            time_kept(iters, 64, |k| {
                let mut fork = black_box(&cow).clone();
                fork[at(k)] = k;
                fork
            })
        })
    });
    group.finish();
}

/// `clone()` then one `push`, the original kept alive, as above.
fn push_beside_snapshot(c: &mut Criterion) {
    let mut group = c.benchmark_group("vec_push_beside_snapshot");
    configure(&mut group, 20);
    let (plain, imbl, cow) = peers(N);
    group.bench_function("Vec<u64>", |b| {
        b.iter_custom(|iters| {
            time_kept(iters, 1, |k| {
                let mut fork = black_box(&plain).clone();
                fork.push(k);
                fork
            })
        })
    });
    group.bench_function("imbl::Vector<u64>", |b| {
        b.iter_custom(|iters| {
            time_kept(iters, 64, |k| {
                let mut fork = black_box(&imbl).clone();
                fork.push_back(k);
                fork
            })
        })
    });
    group.bench_function("CowVec<u64>", |b| {
        b.iter_custom(|iters| {
            time_kept(iters, 64, |k| {
                let mut fork = black_box(&cow).clone();
                fork.push(k);
                fork
            })
        })
    });
    group.finish();
}

/// Times 1,024 pushes onto `v` per iteration, then cuts it back to `N` outside the timing.
fn time_pushes<V>(
    iters: u64,
    v: &mut V,
    push: impl Fn(&mut V, u64),
    cut: impl Fn(&mut V),
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let start = Instant::now();
        for k in 0..BATCH as u64 {
            push(black_box(&mut *v), k);
        }
        total += start.elapsed();
        cut(v);
    }
    total
}

fn push_unique(c: &mut Criterion) {
    let mut group = c.benchmark_group("vec_push_unique");
    configure(&mut group, 30);
    group.throughput(Throughput::Elements(BATCH as u64));
    let (mut plain, mut imbl, mut cow) = peers(N);
    group.bench_function("Vec<u64>", |b| {
        b.iter_custom(|iters| time_pushes(iters, &mut plain, |v, x| v.push(x), |v| v.truncate(N)))
    });
    group.bench_function("imbl::Vector<u64>", |b| {
        b.iter_custom(|iters| {
            time_pushes(iters, &mut imbl, |v, x| v.push_back(x), |v| v.truncate(N))
        })
    });
    group.bench_function("CowVec<u64>", |b| {
        b.iter_custom(|iters| time_pushes(iters, &mut cow, |v, x| v.push(x), |v| v.truncate(N)))
    });
    group.finish();
}

fn set_unique(c: &mut Criterion) {
    let mut group = c.benchmark_group("vec_set_unique");
    configure(&mut group, 30);
    group.throughput(Throughput::Elements(BATCH as u64));
    let (mut plain, mut imbl, mut cow) = peers(N);
    let idx = random_indices(N, BATCH);
    group.bench_function("Vec<u64>", |b| {
        b.iter(|| {
            let v = black_box(&mut plain);
            for &i in &idx {
                v[i] = i as u64;
            }
        })
    });
    group.bench_function("imbl::Vector<u64>", |b| {
        b.iter(|| {
            let v = black_box(&mut imbl);
            for &i in &idx {
                v.set(i, i as u64);
            }
        })
    });
    group.bench_function("CowVec<u64>", |b| {
        b.iter(|| {
            let v = black_box(&mut cow);
            for &i in &idx {
                v[i] = i as u64;
            }
        })
    });
    group.finish();
}

/// One element set through a snapshot cell at 1,000,000: `CowCell<CowVec>` copies one path,
/// `CowList::set` the whole `Vec`, `CowCell<imbl::Vector>` one imbl path. No reader holds the
/// replaced version, so each write also frees it (inside the timing, as a user's write would).
fn cell_write(c: &mut Criterion) {
    let mut group = c.benchmark_group("vec_cell_write");
    configure(&mut group, 20);
    let (plain, imbl, cow) = peers(N);
    let idx = random_indices(N, BATCH);
    let list = CowList::from(plain);
    let imbl_cell = CowCell::new(imbl);
    let cow_cell = CowCell::new(cow);
    let mut k = 0usize;
    group.bench_function("CowList<u64> set", |b| {
        b.iter(|| {
            k = k.wrapping_add(1);
            list.set(idx[k % BATCH], k as u64)
        })
    });
    group.bench_function("CowCell<imbl::Vector<u64>> update set", |b| {
        b.iter(|| {
            k = k.wrapping_add(1);
            imbl_cell.update(|v| v.set(idx[k % BATCH], k as u64))
        })
    });
    group.bench_function("CowCell<CowVec<u64>> update v[i] = x", |b| {
        b.iter(|| {
            k = k.wrapping_add(1);
            cow_cell.update(|v| v[idx[k % BATCH]] = k as u64)
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    clone,
    get_random,
    sum_iter,
    sum_chunks,
    set_beside_snapshot,
    push_beside_snapshot,
    push_unique,
    set_unique,
    cell_write
);

/// The live heap bytes `make`'s result holds (the bytes made minus freed while making it,
/// with the result alive), and the result.
fn held<T>(make: impl FnOnce() -> T) -> (isize, T) {
    let before = live_bytes();
    let value = black_box(make());
    (live_bytes() - before, value)
}

fn memory_report() {
    println!("\nvec memory report: live heap bytes of a vector of {N} u64 (one run)");
    let exact = (N * size_of::<u64>()) as f64;
    let row = |name: &str, bytes: isize| {
        println!(
            "  {name:<40} {bytes:>11} bytes  {:>6.3} x the 8 MB of elements",
            bytes as f64 / exact
        );
    };
    {
        let (bytes, _v) = held(|| items(N));
        row("Vec<u64> (collect: exact capacity)", bytes);
    }
    {
        let (bytes, _v) = held(|| {
            let mut v = Vec::new();
            for x in 0..N as u64 {
                v.push(x);
            }
            v
        });
        row("Vec<u64> (push: doubled capacity)", bytes);
    }
    {
        let (bytes, _v) = held(|| (0..N as u64).collect::<imbl::Vector<u64>>());
        row("imbl::Vector<u64> (collect)", bytes);
    }
    {
        let (bytes, _v) = held(|| {
            let mut v = imbl::Vector::new();
            for x in 0..N as u64 {
                v.push_back(x);
            }
            v
        });
        row("imbl::Vector<u64> (push_back)", bytes);
    }
    {
        let (bytes, _v) = held(|| (0..N as u64).collect::<CowVec<u64>>());
        row("CowVec<u64> (collect)", bytes);
    }
    {
        let (bytes, _v) = held(|| CowVec::from(items(N)));
        row("CowVec<u64> (From<Vec>)", bytes);
    }
    {
        let (bytes, _v) = held(|| {
            let mut v = CowVec::new();
            for x in 0..N as u64 {
                v.push(x);
            }
            v
        });
        row("CowVec<u64> (push)", bytes);
    }

    println!(
        "  bytes one write beside a live snapshot adds (clone, then v[{}] = 1):",
        N / 2
    );
    let (plain, imbl, cow) = peers(N);
    let (bytes, _fork) = held(|| {
        let mut fork = plain.clone();
        fork[N / 2] = 1;
        fork
    });
    println!("    {:<38} {bytes:>11} bytes", "Vec<u64>");
    let (bytes, _fork) = held(|| {
        let mut fork = imbl.clone();
        fork.set(N / 2, 1);
        fork
    });
    println!("    {:<38} {bytes:>11} bytes", "imbl::Vector<u64>");
    let (bytes, _fork) = held(|| {
        let mut fork = cow.clone();
        fork[N / 2] = 1;
        fork
    });
    println!("    {:<38} {bytes:>11} bytes", "CowVec<u64>");
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if report::wanted("memory") {
        memory_report();
    }
}

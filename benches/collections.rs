//! The snapshot collections beside their peers, in the same criterion groups so that ratios come
//! from one run:
//!
//! - cowkit's collections on both publication strategies: `CowList` (arc-swap) and
//!   `seize::CowList` (seize), and the same for maps;
//! - lists: a hand-made `ArcSwap<Vec<T>>` + `Mutex` (clone, push, store: what users write
//!   today), `parking_lot::RwLock<Vec<T>>`, `std::sync::RwLock<Vec<T>>`,
//!   `ArcSwap<imbl::Vector<T>>`, and a plain `&Vec<T>` held by the caller;
//! - maps: `RwLock<HashMap>`, `dashmap::DashMap`, a hand-made `ArcSwap<HashMap>` + `Mutex`.
//!
//! After the criterion groups, a latency report (not a criterion group) measures the time of
//! each batch of 64 reads while one writer thread runs, for cowkit and the `RwLock`s, and
//! prints p50 / p99 / p99.99 / max. It runs when no filter is given or the filter matches
//! `latency`. Then a write-scaling report prints the cost of one write with 0 to 1,024 idle
//! threads that once read a cell (arc-swap pays its readers' debts by walking one node per such
//! thread); it runs when no filter is given or the filter matches `scaling`.
//!
//! Run: `cargo bench --bench collections -- --warm-up-time 1 --measurement-time 3`.

#[path = "report.rs"]
mod report;

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use cowkit::seize::{CowList as SeizeList, CowMap as SeizeMap};
use cowkit::{CowList, CowMap};
use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group};

/// Elements of the read benches (a power of two, so that an index is one mask away).
const READ_LEN: usize = 1_024;

/// What users write today: readers load the `ArcSwap`, writers take the mutex, clone the
/// `Vec`, change it and store it.
struct HandMade<T> {
    current: ArcSwap<T>,
    writer: parking_lot::Mutex<()>,
}

impl<T: Clone> HandMade<T> {
    fn new(value: T) -> Self {
        HandMade {
            current: ArcSwap::from_pointee(value),
            writer: parking_lot::Mutex::new(()),
        }
    }

    fn update(&self, change: impl FnOnce(&mut T)) {
        let _writer = self.writer.lock();
        let mut next = T::clone(&self.current.load());
        change(&mut next);
        self.current.store(Arc::new(next));
    }
}

fn items(n: usize) -> Vec<u64> {
    (0..n as u64).collect()
}

/// A cheap index sequence that the optimizer cannot predict, within `0..READ_LEN`.
struct Indices(usize);

impl Indices {
    #[inline]
    fn next(&mut self) -> usize {
        self.0 = (self.0 + 7919) & (READ_LEN - 1);
        black_box(self.0)
    }
}

/// Times `read(i)` over the index sequence, with the loop and its index local to the timed
/// code (`iter_custom`): the index then stays in a register for every reader alike, where a
/// closure given to `b.iter` keeps it in memory whenever the read has a call on a cold path
/// (a cache reload), which measured the harness rather than the read.
fn read_loop(b: &mut criterion::Bencher, mut read: impl FnMut(usize) -> u64) {
    b.iter_custom(|iters| {
        let mut ix = Indices(0);
        let start = Instant::now();
        for _ in 0..iters {
            black_box(read(ix.next()));
        }
        start.elapsed()
    })
}

fn list_read(c: &mut Criterion) {
    let mut group = c.benchmark_group("list_read");
    let vec = items(READ_LEN);
    let cow = CowList::from(vec.clone());
    let hand = HandMade::new(vec.clone());
    let pl = parking_lot::RwLock::new(vec.clone());
    let std_lock = std::sync::RwLock::new(vec.clone());
    let imbl = ArcSwap::from_pointee(vec.iter().copied().collect::<imbl::Vector<u64>>());

    group.bench_function("plain &Vec", |b| {
        let vec = black_box(&vec);
        read_loop(b, |i| vec[i])
    });
    group.bench_function("CowList load()[i]", |b| read_loop(b, |i| cow.load()[i]));
    group.bench_function("CowList reader.load()[i]", |b| {
        let mut reader = cow.reader();
        read_loop(b, |i| reader.load()[i])
    });
    group.bench_function("CowList owned_reader.load()[i]", |b| {
        let mut reader = Arc::new(cow.clone()).owned_reader();
        read_loop(b, |i| reader.load()[i])
    });
    group.bench_function("CowList get(i)", |b| read_loop(b, |i| cow.get(i).unwrap()));
    let seize = SeizeList::from(vec.clone());
    group.bench_function("seize::CowList load()[i]", |b| {
        read_loop(b, |i| seize.load()[i])
    });
    group.bench_function("seize::CowList reader.load()[i]", |b| {
        let mut reader = seize.reader();
        read_loop(b, |i| reader.load()[i])
    });
    group.bench_function("seize::CowList get(i)", |b| {
        read_loop(b, |i| seize.get(i).unwrap())
    });
    group.bench_function("hand-made ArcSwap<Vec> load()[i]", |b| {
        read_loop(b, |i| hand.current.load()[i])
    });
    group.bench_function("parking_lot RwLock<Vec> read()[i]", |b| {
        read_loop(b, |i| pl.read()[i])
    });
    group.bench_function("std RwLock<Vec> read()[i]", |b| {
        read_loop(b, |i| std_lock.read().unwrap()[i])
    });
    group.bench_function("ArcSwap<imbl::Vector> load()[i]", |b| {
        read_loop(b, |i| imbl.load()[i])
    });
    group.finish();
}

/// Append one element to a list of `n`. Each iteration starts from a fresh list (built
/// outside the timing); the free of the replaced version is inside it, for everyone.
fn list_push(c: &mut Criterion) {
    let mut group = c.benchmark_group("list_push");
    for n in [10usize, 1_000, 100_000] {
        let size = if n >= 100_000 {
            BatchSize::LargeInput
        } else {
            BatchSize::SmallInput
        };
        let base = items(n);
        group.bench_with_input(BenchmarkId::new("CowList push", n), &n, |b, _| {
            b.iter_batched_ref(|| CowList::from(base.clone()), |l| l.push(7), size)
        });
        group.bench_with_input(BenchmarkId::new("seize::CowList push", n), &n, |b, _| {
            b.iter_batched_ref(|| SeizeList::from(base.clone()), |l| l.push(7), size)
        });
        group.bench_with_input(
            BenchmarkId::new("hand-made ArcSwap<Vec> clone+push", n),
            &n,
            |b, _| {
                b.iter_batched_ref(
                    || HandMade::new(base.clone()),
                    |l| l.update(|v| v.push(7)),
                    size,
                )
            },
        );
        group.bench_with_input(
            BenchmarkId::new("ArcSwap<imbl::Vector> push_back", n),
            &n,
            |b, _| {
                b.iter_batched_ref(
                    || HandMade::new(base.iter().copied().collect::<imbl::Vector<u64>>()),
                    |l| l.update(|v| v.push_back(7)),
                    size,
                )
            },
        );
        group.bench_with_input(
            BenchmarkId::new("parking_lot RwLock<Vec> push (in place)", n),
            &n,
            |b, _| {
                b.iter_batched_ref(
                    || parking_lot::RwLock::new(base.clone()),
                    |l| l.write().push(7),
                    size,
                )
            },
        );
    }
    group.finish();
}

/// 100 appends to a list of 1,000: one `update` (one copy) against 100 `push` calls.
fn list_batch(c: &mut Criterion) {
    let mut group = c.benchmark_group("list_batch_100");
    let base = items(1_000);
    group.bench_function("CowList update (100 pushes, one copy)", |b| {
        b.iter_batched_ref(
            || CowList::from(base.clone()),
            |l| {
                l.update(|v| {
                    for i in 0..100 {
                        v.push(i)
                    }
                })
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("CowList 100 x push", |b| {
        b.iter_batched_ref(
            || CowList::from(base.clone()),
            |l| {
                for i in 0..100 {
                    l.push(i)
                }
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// Runs `write` in a loop on another thread until the returned guard is dropped, with at
/// least `pause` between the starts of two writes (spinning: a sleep is far coarser).
struct Writer {
    stop: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<u64>>,
}

impl Writer {
    fn start(pause: Duration, mut write: impl FnMut(u64) + Send + 'static) -> Writer {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let mut n = 0;
            while !flag.load(Ordering::Relaxed) {
                let start = Instant::now();
                write(n);
                n += 1;
                while start.elapsed() < pause {
                    std::hint::spin_loop();
                }
            }
            n
        });
        Writer {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

/// Reader throughput alone, with one writer thread replacing an element every 100 µs or every
/// 10 µs, and with one writing back to back (each write of the lists here takes about a
/// microsecond).
fn list_read_with_writer(c: &mut Criterion) {
    let mut group = c.benchmark_group("list_read_with_writer");
    let cow = Arc::new(CowList::from(items(READ_LEN)));
    let pl = Arc::new(parking_lot::RwLock::new(items(READ_LEN)));
    let std_lock = Arc::new(std::sync::RwLock::new(items(READ_LEN)));

    let modes = [
        ("alone", None),
        ("writer every 100 µs", Some(Duration::from_micros(100))),
        ("writer every 10 µs", Some(Duration::from_micros(10))),
        ("writer back to back", Some(Duration::ZERO)),
    ];
    for (tag, pause) in modes {
        let writing = pause.is_some();
        let pause = pause.unwrap_or_default();
        let _writer = writing.then(|| {
            let cow = Arc::clone(&cow);
            Writer::start(pause, move |n| {
                let _ = cow.set(n as usize % READ_LEN, n);
            })
        });
        group.bench_function(format!("CowList load()[i], {tag}"), |b| {
            let mut ix = Indices(0);
            b.iter(|| cow.load()[ix.next()])
        });
        group.bench_function(format!("CowList reader.load()[i], {tag}"), |b| {
            let mut ix = Indices(0);
            let mut reader = cow.reader();
            b.iter(|| reader.load()[ix.next()])
        });
        drop(_writer);
        let _writer = writing.then(|| {
            let pl = Arc::clone(&pl);
            Writer::start(pause, move |n| pl.write()[n as usize % READ_LEN] = n)
        });
        group.bench_function(format!("parking_lot RwLock read()[i], {tag}"), |b| {
            let mut ix = Indices(0);
            b.iter(|| pl.read()[ix.next()])
        });
        drop(_writer);
        let _writer = writing.then(|| {
            let std_lock = Arc::clone(&std_lock);
            Writer::start(pause, move |n| {
                std_lock.write().unwrap()[n as usize % READ_LEN] = n
            })
        });
        group.bench_function(format!("std RwLock read()[i], {tag}"), |b| {
            let mut ix = Indices(0);
            b.iter(|| std_lock.read().unwrap()[ix.next()])
        });
    }
    group.finish();
}

fn map_read(c: &mut Criterion) {
    let mut group = c.benchmark_group("map_get");
    let map: HashMap<u64, u64> = (0..READ_LEN as u64).map(|k| (k, k)).collect();
    let cow = CowMap::from(map.clone());
    let hand = HandMade::new(map.clone());
    let lock = parking_lot::RwLock::new(map.clone());
    let dash: dashmap::DashMap<u64, u64> = map.clone().into_iter().collect();

    group.bench_function("CowMap get", |b| {
        let mut ix = Indices(0);
        b.iter(|| cow.get(&(ix.next() as u64)))
    });
    group.bench_function("CowMap reader.load().get", |b| {
        let mut ix = Indices(0);
        let mut reader = cow.reader();
        b.iter(|| reader.load().get(&(ix.next() as u64)).copied())
    });
    let seize = SeizeMap::from(map.clone());
    group.bench_function("seize::CowMap get", |b| {
        let mut ix = Indices(0);
        b.iter(|| seize.get(&(ix.next() as u64)))
    });
    group.bench_function("hand-made ArcSwap<HashMap> load().get", |b| {
        let mut ix = Indices(0);
        b.iter(|| hand.current.load().get(&(ix.next() as u64)).copied())
    });
    group.bench_function("parking_lot RwLock<HashMap> read().get", |b| {
        let mut ix = Indices(0);
        b.iter(|| lock.read().get(&(ix.next() as u64)).copied())
    });
    group.bench_function("DashMap get", |b| {
        let mut ix = Indices(0);
        b.iter(|| dash.get(&(ix.next() as u64)).map(|r| *r))
    });
    group.finish();
}

fn map_insert(c: &mut Criterion) {
    let mut group = c.benchmark_group("map_insert");
    let map: HashMap<u64, u64> = (0..READ_LEN as u64).map(|k| (k, k)).collect();
    group.bench_function("CowMap insert", |b| {
        b.iter_batched_ref(
            || CowMap::from(map.clone()),
            |m| m.insert(5, 5),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("hand-made ArcSwap<HashMap> clone+insert", |b| {
        b.iter_batched_ref(
            || HandMade::new(map.clone()),
            |m| {
                m.update(|m| {
                    m.insert(5, 5);
                })
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("parking_lot RwLock<HashMap> insert (in place)", |b| {
        b.iter_batched_ref(
            || parking_lot::RwLock::new(map.clone()),
            |m| m.write().insert(5, 5),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("DashMap insert (in place)", |b| {
        b.iter_batched_ref(
            || {
                map.clone()
                    .into_iter()
                    .collect::<dashmap::DashMap<u64, u64>>()
            },
            |m| m.insert(5, 5),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// Times every batch of 64 reads for `duration` while `_writer` runs; returns the sorted
/// batch times in nanoseconds.
fn batch_latencies(duration: Duration, mut read: impl FnMut(usize) -> u64) -> Vec<u64> {
    let mut times = Vec::with_capacity(1 << 20);
    let mut ix = Indices(0);
    let end = Instant::now() + duration;
    while Instant::now() < end {
        let start = Instant::now();
        let mut sum = 0u64;
        for _ in 0..64 {
            sum = sum.wrapping_add(read(ix.next()));
        }
        black_box(sum);
        times.push(start.elapsed().as_nanos() as u64);
    }
    times.sort_unstable();
    times
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Read latency per 64-read batch with one writer writing back to back: cowkit against the
/// `RwLock`s.
fn latency_report() {
    let seconds = std::env::var("COWKIT_LATENCY_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let duration = Duration::from_secs_f64(seconds);
    println!(
        "\nread latency per batch of 64 reads, one writer thread writing back to back ({seconds} s each)"
    );
    println!(
        "{:<34} {:>10} {:>8} {:>8} {:>10} {:>10} {:>12}",
        "reader", "batches", "p50 ns", "p99 ns", "p99.99 ns", "max ns", "writes"
    );

    let report = |name: &str, times: Vec<u64>, writes: u64| {
        println!(
            "{:<34} {:>10} {:>8} {:>8} {:>10} {:>10} {:>12}",
            name,
            times.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            percentile(&times, 0.9999),
            times[times.len() - 1],
            writes
        );
    };
    let finish = |mut w: Writer| {
        w.thread.take().map(|t| {
            w.stop.store(true, Ordering::Relaxed);
            t.join().unwrap()
        })
    };

    let cow = Arc::new(CowList::from(items(READ_LEN)));
    let writer = {
        let cow = Arc::clone(&cow);
        Writer::start(Duration::ZERO, move |n| {
            let _ = cow.set(n as usize % READ_LEN, n);
        })
    };
    let times = batch_latencies(duration, |i| cow.load()[i]);
    report("CowList load()[i]", times, finish(writer).unwrap_or(0));

    let writer = {
        let cow = Arc::clone(&cow);
        Writer::start(Duration::ZERO, move |n| {
            let _ = cow.set(n as usize % READ_LEN, n);
        })
    };
    let mut reader = cow.reader();
    let times = batch_latencies(duration, |i| reader.load()[i]);
    drop(reader);
    report(
        "CowList reader.load()[i]",
        times,
        finish(writer).unwrap_or(0),
    );

    let pl = Arc::new(parking_lot::RwLock::new(items(READ_LEN)));
    let writer = {
        let pl = Arc::clone(&pl);
        Writer::start(Duration::ZERO, move |n| {
            pl.write()[n as usize % READ_LEN] = n
        })
    };
    let times = batch_latencies(duration, |i| pl.read()[i]);
    report(
        "parking_lot RwLock read()[i]",
        times,
        finish(writer).unwrap_or(0),
    );

    let std_lock = Arc::new(std::sync::RwLock::new(items(READ_LEN)));
    let writer = {
        let std_lock = Arc::clone(&std_lock);
        Writer::start(Duration::ZERO, move |n| {
            std_lock.write().unwrap()[n as usize % READ_LEN] = n
        })
    };
    let times = batch_latencies(duration, |i| std_lock.read().unwrap()[i]);
    report("std RwLock read()[i]", times, finish(writer).unwrap_or(0));
}

/// Threads that each loaded the measured lists once (so that each thread is known to whatever
/// each list publishes through: arc-swap's slot node for the thread, which every arc-swap
/// write in the process walks, and a thread slot in the seize list's own collector, which only
/// that list's writes check) and now sleep until dropped.
struct IdleReaders {
    release: Arc<std::sync::Barrier>,
    threads: Vec<thread::JoinHandle<()>>,
}

impl IdleReaders {
    fn start(n: usize, touch: &Arc<Measured>) -> IdleReaders {
        let release = Arc::new(std::sync::Barrier::new(n + 1));
        let loaded = Arc::new(std::sync::Barrier::new(n + 1));
        let threads = (0..n)
            .map(|_| {
                let (release, loaded, touch) =
                    (Arc::clone(&release), Arc::clone(&loaded), Arc::clone(touch));
                thread::Builder::new()
                    .stack_size(64 * 1024)
                    .spawn(move || {
                        black_box(touch.0.load()[0]);
                        black_box(touch.1.current.load()[0]);
                        black_box(touch.2.load()[0]);
                        drop(touch);
                        loaded.wait();
                        release.wait();
                    })
                    .expect("spawn an idle reader")
            })
            .collect();
        loaded.wait();
        IdleReaders { release, threads }
    }
}

impl Drop for IdleReaders {
    fn drop(&mut self) {
        self.release.wait();
        for t in self.threads.drain(..) {
            t.join().unwrap();
        }
    }
}

/// The lists whose writes the scaling report measures: the cowkit list, the hand-made
/// `ArcSwap<Vec>` and the seize list.
type Measured = (CowList<u64>, HandMade<Vec<u64>>, SeizeList<u64>);

/// Mean time of `op` over `rounds` calls, after `rounds / 10` warm-up calls.
fn mean_ns(rounds: u32, mut op: impl FnMut(u64)) -> f64 {
    for i in 0..rounds / 10 {
        op(u64::from(i));
    }
    let start = Instant::now();
    for i in 0..rounds {
        op(u64::from(i));
    }
    start.elapsed().as_nanos() as f64 / f64::from(rounds)
}

/// The cost of one write as threads accumulate: a `CowList` of 1,000 `u64` gets one `push`
/// and one `remove` while N other threads are alive, each having loaded that very list once
/// and now asleep, beside a `Mutex<Arc<Vec>>` clone-and-swap (one copy per write) and the
/// hand-made `ArcSwap<Vec>`. Thread counts rise, so each row has exactly N idle readers'
/// slot nodes (arc-swap keeps and reuses the nodes of threads that have ended).
fn write_scaling_report() {
    let rounds: u32 = std::env::var("COWKIT_SCALING_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    println!(
        "\none write (push + remove on a list of 1,000 u64) with N idle threads that loaded once"
    );
    println!(
        "{:>8} {:>14} {:>20} {:>26} {:>26}",
        "threads",
        "CowList ns",
        "seize::CowList ns",
        "Mutex<Arc<Vec>> swap ns",
        "hand-made ArcSwap<Vec> ns"
    );
    for n in [0, 8, 64, 256, 1024] {
        let lists: Arc<Measured> = Arc::new((
            CowList::from(items(1_000)),
            HandMade::new(items(1_000)),
            SeizeList::from(items(1_000)),
        ));
        let idle = IdleReaders::start(n, &lists);
        let list = &lists.0;
        let cow = mean_ns(rounds, |i| {
            list.push(i);
            black_box(list.remove(0));
        });
        let list = &lists.2;
        let seize = mean_ns(rounds, |i| {
            list.push(i);
            black_box(list.remove(0));
        });
        let locked = parking_lot::Mutex::new(Arc::new(items(1_000)));
        let mutex = mean_ns(rounds, |i| {
            let mut guard = locked.lock();
            let mut next = Vec::with_capacity(guard.len() + 1);
            next.extend_from_slice(&guard);
            next.push(i);
            *guard = Arc::new(next);
            let mut next = Vec::with_capacity(guard.len() - 1);
            next.extend_from_slice(&guard[1..]);
            *guard = Arc::new(next);
        });
        let hand = &lists.1;
        let swap = mean_ns(rounds, |i| {
            hand.update(|v| v.push(i));
            hand.update(|v| {
                v.remove(0);
            });
        });
        println!("{n:>8} {cow:>14.0} {seize:>20.0} {mutex:>26.0} {swap:>26.0}");
        drop(idle);
    }
}

criterion_group!(
    benches,
    list_read,
    list_push,
    list_batch,
    list_read_with_writer,
    map_read,
    map_insert
);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if report::wanted("latency") {
        latency_report();
    }
    if report::wanted("scaling") {
        write_scaling_report();
    }
}

//! `Shared<T>` side by side with `std::sync::Arc<T>` and `triomphe::Arc<T>`.
//!
//! Each group holds the three peers, so ratios come from one run:
//! - `clone_drop`: clone a handle and drop the clone (one increment, one decrement);
//! - `make_mut_unique`: `make_mut` on the only handle (the uniqueness check, no copy);
//! - `make_mut_shared`: clone, then `make_mut` on the clone (a copy of a 64-byte value).
//!
//! Run: `cargo bench --bench shared`.

use std::hint::black_box;
use std::sync::Arc;

use cowkit::Shared;
use criterion::{Criterion, criterion_group, criterion_main};

/// A value big enough that a copy is a real copy, small enough to stay in cache.
type Payload = [u64; 8];

fn clone_drop(c: &mut Criterion) {
    let mut group = c.benchmark_group("clone_drop");
    let shared = Shared::new([7u64; 8]);
    group.bench_function("cowkit::Shared", |b| {
        b.iter(|| drop(black_box(Shared::clone(black_box(&shared)))))
    });
    let arc = Arc::new([7u64; 8]);
    group.bench_function("std::Arc", |b| {
        b.iter(|| drop(black_box(Arc::clone(black_box(&arc)))))
    });
    let tri = triomphe::Arc::new([7u64; 8]);
    group.bench_function("triomphe::Arc", |b| {
        b.iter(|| drop(black_box(triomphe::Arc::clone(black_box(&tri)))))
    });
    group.finish();
}

fn make_mut_unique(c: &mut Criterion) {
    let mut group = c.benchmark_group("make_mut_unique");
    let mut shared: Shared<Payload> = Shared::new([7; 8]);
    group.bench_function("cowkit::Shared", |b| {
        b.iter(|| Shared::make_mut(black_box(&mut shared))[0] += 1)
    });
    let mut arc: Arc<Payload> = Arc::new([7; 8]);
    group.bench_function("std::Arc", |b| {
        b.iter(|| Arc::make_mut(black_box(&mut arc))[0] += 1)
    });
    let mut tri: triomphe::Arc<Payload> = triomphe::Arc::new([7; 8]);
    group.bench_function("triomphe::Arc", |b| {
        b.iter(|| triomphe::Arc::make_mut(black_box(&mut tri))[0] += 1)
    });
    group.finish();
}

fn make_mut_shared(c: &mut Criterion) {
    let mut group = c.benchmark_group("make_mut_shared");
    let shared: Shared<Payload> = Shared::new([7; 8]);
    group.bench_function("cowkit::Shared", |b| {
        b.iter(|| {
            let mut copy = Shared::clone(black_box(&shared));
            Shared::make_mut(&mut copy)[0] += 1;
            copy
        })
    });
    let arc: Arc<Payload> = Arc::new([7; 8]);
    group.bench_function("std::Arc", |b| {
        b.iter(|| {
            let mut copy = Arc::clone(black_box(&arc));
            Arc::make_mut(&mut copy)[0] += 1;
            copy
        })
    });
    let tri: triomphe::Arc<Payload> = triomphe::Arc::new([7; 8]);
    group.bench_function("triomphe::Arc", |b| {
        b.iter(|| {
            let mut copy = triomphe::Arc::clone(black_box(&tri));
            triomphe::Arc::make_mut(&mut copy)[0] += 1;
            copy
        })
    });
    group.finish();
}

criterion_group!(benches, clone_drop, make_mut_unique, make_mut_shared);
criterion_main!(benches);

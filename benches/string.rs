//! `CowString` side by side with its peers, each group in one run so that ratios are fair.
//!
//! Peers: `String`, `Arc<str>`, `ecow::EcoString`, `cowstr::CowStr`, `arcstr::ArcStr`,
//! `hipstr::HipStr`, `smol_str::SmolStr`, `compact_str::CompactString`. Immutable peers
//! (`Arc<str>` for appends, `ArcStr`, `SmolStr`) sit out the groups that write; `Arc<str>`
//! writes a range through `Arc::make_mut`.
//!
//! Run: `cargo bench --bench string`.

use std::hash::BuildHasher;
use std::hint::black_box;
use std::sync::Arc;

use arcstr::ArcStr;
use compact_str::CompactString;
use cowkit::CowString;
use cowstr::CowStr;
use criterion::{Criterion, criterion_group, criterion_main};
use ecow::EcoString;
use hipstr::HipStr;
use smol_str::SmolStr;

/// A deterministic ASCII text of `len` bytes.
fn text(len: usize) -> String {
    (0..len)
        .map(|i| (b'a' + (i * 7 % 26) as u8) as char)
        .collect()
}

/// Runs `body!(Type, name)` for every peer that can be built from `&str` and cloned.
macro_rules! every_peer {
    ($body:ident) => {
        $body!(CowString, "cowkit::CowString");
        $body!(String, "String");
        $body!(Arc<str>, "Arc<str>");
        $body!(EcoString, "ecow::EcoString");
        $body!(CowStr, "cowstr::CowStr");
        $body!(ArcStr, "arcstr::ArcStr");
        $body!(HipStr<'static>, "hipstr::HipStr");
        $body!(SmolStr, "smol_str::SmolStr");
        $body!(CompactString, "compact_str::CompactString");
    };
}

/// Runs `body!(Type, name)` for every peer with `push_str`.
macro_rules! appending_peers {
    ($body:ident) => {
        $body!(CowString, "cowkit::CowString");
        $body!(String, "String");
        $body!(EcoString, "ecow::EcoString");
        $body!(CowStr, "cowstr::CowStr");
        $body!(HipStr<'static>, "hipstr::HipStr");
        $body!(CompactString, "compact_str::CompactString");
    };
}

fn clone(c: &mut Criterion) {
    for len in [10, 1000] {
        let source = text(len);
        let mut group = c.benchmark_group(format!("clone_{len}B"));
        macro_rules! bench {
            ($ty:ty, $name:expr) => {
                let value: $ty = <$ty>::from(source.as_str());
                group.bench_function($name, |b| b.iter(|| black_box(value.clone())));
            };
        }
        every_peer!(bench);
        group.finish();
    }
}

fn build_1mib(c: &mut Criterion) {
    const TOTAL: usize = 1 << 20;
    for piece_len in [1, 16] {
        let piece = text(piece_len);
        let mut group = c.benchmark_group(format!("build_1MiB_by_{piece_len}B"));
        group.sample_size(20);
        macro_rules! bench {
            ($ty:ty, $name:expr) => {
                group.bench_function($name, |b| {
                    b.iter(|| {
                        let mut s = <$ty>::default();
                        for _ in 0..TOTAL / piece_len {
                            s.push_str(black_box(piece.as_str()));
                        }
                        s
                    })
                });
            };
        }
        appending_peers!(bench);
        group.finish();
    }
}

fn clone_then_push(c: &mut Criterion) {
    let source = text(1000);
    let mut group = c.benchmark_group("clone_then_100_pushes_1000B");
    macro_rules! bench {
        ($ty:ty, $name:expr) => {
            let value: $ty = <$ty>::from(source.as_str());
            group.bench_function($name, |b| {
                b.iter(|| {
                    let mut s = value.clone();
                    for _ in 0..100 {
                        s.push_str(black_box("x"));
                    }
                    s
                })
            });
        };
    }
    appending_peers!(bench);
    group.finish();
}

fn clone_then_uppercase(c: &mut Criterion) {
    let source = text(1000);
    let mut group = c.benchmark_group("clone_then_uppercase_100..200_1000B");
    let value = CowString::from(source.as_str());
    group.bench_function("cowkit::CowString", |b| {
        b.iter(|| {
            let mut s = value.clone();
            s[100..200].make_ascii_uppercase();
            s
        })
    });
    let value = source.clone();
    group.bench_function("String", |b| {
        b.iter(|| {
            let mut s = value.clone();
            s[100..200].make_ascii_uppercase();
            s
        })
    });
    let value: Arc<str> = Arc::from(source.as_str());
    group.bench_function("Arc<str>", |b| {
        b.iter(|| {
            let mut s = Arc::clone(&value);
            Arc::make_mut(&mut s)[100..200].make_ascii_uppercase();
            s
        })
    });
    let value = EcoString::from(source.as_str());
    group.bench_function("ecow::EcoString", |b| {
        b.iter(|| {
            let mut s = value.clone();
            s.make_mut()[100..200].make_ascii_uppercase();
            s
        })
    });
    let value = CowStr::from(source.as_str());
    group.bench_function("cowstr::CowStr", |b| {
        b.iter(|| {
            let mut s = value.clone();
            s.as_mut_str()[100..200].make_ascii_uppercase();
            s
        })
    });
    let value = HipStr::from(source.as_str());
    group.bench_function("hipstr::HipStr", |b| {
        b.iter(|| {
            let mut s = value.clone();
            s.to_mut_str()[100..200].make_ascii_uppercase();
            s
        })
    });
    let value = CompactString::from(source.as_str());
    group.bench_function("compact_str::CompactString", |b| {
        b.iter(|| {
            let mut s = value.clone();
            s.as_mut_str()[100..200].make_ascii_uppercase();
            s
        })
    });
    group.finish();
}

fn eq_clones(c: &mut Criterion) {
    let source = text(1000);
    let mut group = c.benchmark_group("eq_two_clones_1000B");
    macro_rules! bench {
        ($ty:ty, $name:expr) => {
            let a: $ty = <$ty>::from(source.as_str());
            let b2 = a.clone();
            group.bench_function($name, |b| b.iter(|| black_box(&a) == black_box(&b2)));
        };
    }
    every_peer!(bench);
    group.finish();
}

fn hash(c: &mut Criterion) {
    let state = std::collections::hash_map::RandomState::new();
    for len in [10, 1000] {
        let source = text(len);
        let mut group = c.benchmark_group(format!("hash_{len}B"));
        macro_rules! bench {
            ($ty:ty, $name:expr) => {
                let value: $ty = <$ty>::from(source.as_str());
                group.bench_function($name, |b| b.iter(|| state.hash_one(black_box(&value))));
            };
        }
        every_peer!(bench);
        group.finish();
    }
}

criterion_group!(
    benches,
    clone,
    build_1mib,
    clone_then_push,
    clone_then_uppercase,
    eq_clones,
    hash
);
criterion_main!(benches);

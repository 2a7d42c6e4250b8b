//! `CowString` side by side with its peers, each group in one run so that ratios are fair.
//!
//! Peers: `String`, `Arc<str>`, `ecow::EcoString`, `cowstr::CowStr`, `arcstr::ArcStr`,
//! `hipstr::HipStr`, `smol_str::SmolStr`, `compact_str::CompactString`. Immutable peers
//! (`Arc<str>` for appends, `ArcStr`, `SmolStr`) sit out the groups that write; `Arc<str>`
//! writes a range through `Arc::make_mut`.
//!
//! Beside the micro-benches of single calls (the ones code written for `String` makes every
//! day: `push(char)`, `collect`, `From<&str>`, `write!`, not only `push_str`), two workloads
//! where a copy-on-write string should win, with their goals:
//!
//! - `workload_lexer`: tokens of a 64 KiB text (words with non-ASCII letters, identifiers,
//!   numbers) built by `push(char)`, each interned into a `HashMap` symbol table and kept in a
//!   token list (one clone per token). Goal: CowString ≤ 0.8× `String`, the fastest of the
//!   peers.
//! - `workload_config`: 200 `key = value` lines parsed into a `HashMap<T, T>` (keys and values
//!   made from `&str`), then 8 per-request copies of the map, each looked up by 25 keys. Goal:
//!   CowString ≤ 0.6× `String` (a copy of the map copies no text), the fastest of the peers.
//!
//! Run: `cargo bench --bench string`.

use std::collections::HashMap;
use std::fmt::Write as _;
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

/// Runs `body!(Type, name)` for the peers that append a `char` (the growable ones a user
/// would take instead of `String`).
macro_rules! char_peers {
    ($body:ident) => {
        $body!(CowString, "cowkit::CowString");
        $body!(String, "String");
        $body!(EcoString, "ecow::EcoString");
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

fn clone_then_push_char(c: &mut Criterion) {
    let source = text(1000);
    for (ch, label) in [('y', "ascii"), ('é', "2_byte")] {
        let mut group = c.benchmark_group(format!("clone_then_100_push_char_{label}_1000B"));
        macro_rules! bench {
            ($ty:ty, $name:expr) => {
                let value: $ty = <$ty>::from(source.as_str());
                group.bench_function($name, |b| {
                    b.iter(|| {
                        let mut s = value.clone();
                        for _ in 0..100 {
                            s.push(black_box(ch));
                        }
                        s
                    })
                });
            };
        }
        char_peers!(bench);
        group.finish();
    }
}

fn build_short_by_push_char(c: &mut Criterion) {
    const WORDS: &str = "naïve café größe";
    let mut group = c.benchmark_group("build_20B_by_push_char");
    macro_rules! bench {
        ($ty:ty, $name:expr) => {
            group.bench_function($name, |b| {
                b.iter(|| {
                    let mut s = <$ty>::default();
                    for ch in black_box(WORDS).chars() {
                        s.push(ch);
                    }
                    s
                })
            });
        };
    }
    char_peers!(bench);
    group.finish();
}

fn collect_chars(c: &mut Criterion) {
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz";
    let mut group = c.benchmark_group("collect_26_chars");
    macro_rules! bench {
        ($ty:ty, $name:expr) => {
            group.bench_function($name, |b| {
                b.iter(|| black_box(LETTERS).chars().collect::<$ty>())
            });
        };
    }
    char_peers!(bench);
    group.finish();
}

fn from_str(c: &mut Criterion) {
    for len in [10, 16, 100] {
        let source = text(len);
        let mut group = c.benchmark_group(format!("from_str_{len}B"));
        macro_rules! bench {
            ($ty:ty, $name:expr) => {
                group.bench_function($name, |b| {
                    b.iter(|| <$ty>::from(black_box(source.as_str())))
                });
            };
        }
        every_peer!(bench);
        group.finish();
    }
}

fn write_fmt(c: &mut Criterion) {
    let mut group = c.benchmark_group("write_fmt_short");
    macro_rules! bench {
        ($ty:ty, $name:expr) => {
            group.bench_function($name, |b| {
                b.iter(|| {
                    let mut s = <$ty>::default();
                    write!(s, "{}:{}", black_box("key"), black_box(42)).unwrap();
                    s
                })
            });
        };
    }
    char_peers!(bench);
    group.finish();
}

/// A deterministic text of about `len` bytes of words, as source code or prose has them:
/// English and accented words, identifiers with underscores and digits, numbers, punctuation.
fn words(len: usize) -> String {
    const WORDS: [&str; 16] = [
        "let",
        "naïve",
        "café",
        "größe",
        "résumé",
        "value",
        "self",
        "for",
        "config_value_2",
        "parse_identifier_name",
        "x1",
        "42",
        "3",
        "über",
        "déjà",
        "return",
    ];
    const SEPARATORS: [&str; 6] = [" ", " ", ", ", "(", ");\n", " = "];
    let mut out = String::with_capacity(len + 32);
    let mut state = 0x2545_f491_u32;
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        out.push_str(WORDS[(state % 16) as usize]);
        out.push_str(SEPARATORS[((state >> 8) % 6) as usize]);
    }
    out
}

fn workload_lexer(c: &mut Criterion) {
    let source = words(64 << 10);
    let mut group = c.benchmark_group("workload_lexer_64KiB");
    group.sample_size(30);
    // The code a user writes for `String`, with only the type changed.
    macro_rules! bench {
        ($ty:ty, $name:expr) => {
            group.bench_function($name, |b| {
                b.iter(|| {
                    let mut symbols: HashMap<$ty, u32> = HashMap::new();
                    let mut tokens: Vec<$ty> = Vec::new();
                    let mut token = <$ty>::default();
                    for ch in source.chars() {
                        if ch.is_alphanumeric() || ch == '_' {
                            token.push(ch);
                        } else if !token.is_empty() {
                            let next = symbols.len() as u32;
                            symbols.entry(token.clone()).or_insert(next);
                            tokens.push(std::mem::take(&mut token));
                        }
                    }
                    (symbols.len(), tokens)
                })
            });
        };
    }
    char_peers!(bench);
    // `Arc<str>` cannot append: the token is built in a `String` and frozen once.
    group.bench_function("Arc<str>", |b| {
        b.iter(|| {
            let mut symbols: HashMap<Arc<str>, u32> = HashMap::new();
            let mut tokens: Vec<Arc<str>> = Vec::new();
            let mut token = String::new();
            for ch in source.chars() {
                if ch.is_alphanumeric() || ch == '_' {
                    token.push(ch);
                } else if !token.is_empty() {
                    let frozen: Arc<str> = Arc::from(token.as_str());
                    token.clear();
                    let next = symbols.len() as u32;
                    symbols.entry(Arc::clone(&frozen)).or_insert(next);
                    tokens.push(frozen);
                }
            }
            (symbols.len(), tokens)
        })
    });
    group.finish();
}

/// 200 `key = value` lines: dotted keys of 8 to 30 bytes, values of 2 to 60.
fn config_text() -> String {
    let mut out = String::new();
    for i in 0..200 {
        let section = ["server", "db", "cache", "log", "auth_provider"][i % 5];
        let value = match i % 4 {
            0 => format!("{}", i * 37),
            1 => format!("host-{i}.example.org"),
            2 => "true".to_string(),
            _ => format!("/var/lib/service/data/shard_{i}/segment_{}.bin", i * 7),
        };
        writeln!(out, "{section}.setting_{i} = {value}").unwrap();
    }
    out
}

fn workload_config(c: &mut Criterion) {
    let source = config_text();
    let lookups: Vec<String> = (0..25)
        .map(|i| {
            let i = i * 8;
            let section = ["server", "db", "cache", "log", "auth_provider"][i % 5];
            format!("{section}.setting_{i}")
        })
        .collect();
    let mut group = c.benchmark_group("workload_config_200_keys");
    macro_rules! bench {
        ($ty:ty, $name:expr) => {
            group.bench_function($name, |b| {
                b.iter(|| {
                    let mut config: HashMap<$ty, $ty> = HashMap::new();
                    for line in source.lines() {
                        if let Some((key, value)) = line.split_once(" = ") {
                            config.insert(<$ty>::from(key), <$ty>::from(value));
                        }
                    }
                    let mut found = 0;
                    for _ in 0..8 {
                        let request = config.clone();
                        for key in &lookups {
                            found += request.get(key.as_str()).map_or(0, |v| v.len());
                        }
                    }
                    found
                })
            });
        };
    }
    char_peers!(bench);
    bench!(Arc<str>, "Arc<str>");
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
    clone_then_push_char,
    build_short_by_push_char,
    collect_chars,
    from_str,
    write_fmt,
    clone_then_uppercase,
    eq_clones,
    hash,
    workload_lexer,
    workload_config
);
criterion_main!(benches);

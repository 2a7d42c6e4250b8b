//! Copy-on-write data structures: share until someone writes.
//!
//! Every type in cowkit shares memory when cloned and copies only what a writer touches, the way
//! Linux `fork()` shares a parent's pages until one side writes, the way Java's
//! `CopyOnWriteArrayList` lets readers walk a snapshot while a writer copies and swaps, and the
//! way old C++ and PHP strings shared one buffer through a reference count.
//!
//! All of it stands on one reference-counting core, [`Shared<T>`]: an atomically counted
//! pointer with no weak count, whose [`Shared::make_mut`] copies the value only when another
//! handle still shares it. [`CowString`] uses the same count and rules for its heap block;
//! [`CowBuffer`]'s page-table nodes are `Shared` allocations, and its pages use the same count
//! and rules, kept side by side in the header of the 2 MiB arena they are carved from.
//! [`CowVec<T>`] stands on the same page table, with chunks of elements where the buffer has
//! pages of bytes.
//!
//! ```
//! use cowkit::{CowString, Shared};
//!
//! let config = Shared::new(vec!["a", "b"]);
//! let mut mine = config.clone(); // O(1): one atomic increment, no copy
//! Shared::make_mut(&mut mine).push("c"); // shared, so this copies once, then writes
//! Shared::make_mut(&mut mine).push("d"); // unique now: writes in place
//! assert_eq!(*config, ["a", "b"]);
//! assert_eq!(*mine, ["a", "b", "c", "d"]);
//!
//! let name = CowString::from("a name longer than fifteen bytes");
//! let mut upper = name.clone(); // O(1): shares the heap block
//! upper[0..6].make_ascii_uppercase(); // unshares (one copy), then writes in place
//! assert_eq!(upper, "A NAME longer than fifteen bytes");
//! assert_eq!(name, "a name longer than fifteen bytes");
//! ```
//!
//! The snapshot collections give many threads lock-free reads of one consistent version while
//! writers copy, change and swap in the next one, as Java's `CopyOnWriteArrayList` does:
//!
//! ```
//! use std::sync::Arc;
//! use std::thread;
//! use cowkit::CowList;
//!
//! let routes = Arc::new(CowList::from(vec!["/", "/about"]));
//! let walking = routes.snapshot(); // a version that never changes under us
//! let writer = {
//!     let routes = Arc::clone(&routes);
//!     thread::spawn(move || routes.push("/blog")) // copies once, swaps, never blocks readers
//! };
//! for route in walking.iter() {
//!     assert!(route.starts_with('/'));
//! }
//! writer.join().unwrap();
//! assert_eq!(walking.len(), 2);
//! assert_eq!(routes.len(), 3);
//! ```
//!
//! # Types and their costs
//!
//! | type | clone | read | first write after a clone | later writes | memory |
//! |---|---|---|---|---|---|
//! | [`Shared<T>`] | O(1): one relaxed atomic increment | one pointer hop | O(size of `T`): one `T::clone` + one allocation | O(1) check (one acquire load), then in place | one allocation: a `usize` count + `T`; a handle is one pointer |
//! | [`CowString`] | O(1): 16 bytes copied, + one atomic increment for a heap text | one branch on the tag, no copy | O(n): one copy into a block with room to grow (exact size for in-place edits) | in place; appends amortized O(1) per byte | 16-byte handle; ≤ 16 bytes inline, no allocation; `from_static`: a pointer to the static text, no count; else one block: count + capacity + bytes |
//! | [`CowCell<T>`] | O(1): a new cell sharing the current version | lock-free [`load`](CowCell::load): no lock, no count change (arc-swap's per-thread slots; one count on `cowkit::seize`); a cached [`Reader`] or [`OwnedReader`]: one relaxed load and a compare | every write: lock, one `T::clone`, one allocation, one atomic swap; the replaced version is freed after unlocking | the same | the current version, + each older version while a reader holds it |
//! | [`CowList<T>`], [`CowSet<T>`] | O(1), as `CowCell` | as `CowCell`, then a slice index or an O(n) scan | each write: O(n), one copy into an exact-size `Vec` (no copy at all when nothing changes, e.g. `push_if_absent` of a present value); a batch in one `update`: one copy | the same | one `Vec` per live version |
//! | [`CowMap<K, V, S>`] | O(1), as `CowCell` | as `CowCell`, then a hash lookup | each write: O(n), one `HashMap::clone` (none when nothing changes); a batch in one `update`: one clone | the same | one `HashMap` per live version |
//! | [`CowBuffer`] | O(1) at any size: one atomic increment on the page table's root | one table walk per 16 pages (5 hops for 1 GiB), then a copy out; holes read as zeros | per page written: one 4 KiB page copy + the table path (each copied node takes a count on its 16 children) | in place | each page held + 16 bytes in its arena + ~10 bytes of table per page; never-written pages (holes) take nothing; pages of a file from [`map_file`](CowBuffer::map_file) not yet written: their table only (the page cache holds them) |
//! | [`CowVec<T>`] | O(1) at any length: two atomic increments (the table's root, the last chunk) | `v[i]`: a table walk (4 hops for a million `u64`); iteration: one walk per chunk of ~4 KiB, then slice reads | per chunk written: one chunk copy (`T::clone` of up to 4 KiB of elements) + its table path (16 count increments per node) | in place; `push`/`pop` amortized O(1) | the elements + ~4% (chunk nodes and table); a `Vec` of chunks, not one allocation |
//!
//! A byte buffer in [`PAGE_SIZE`] pages shares them the way the kernel shares a process's
//! memory after `fork()`, without a fault or a syscall:
//!
//! ```
//! use cowkit::{CowBuffer, PAGE_SIZE};
//!
//! let mut image = CowBuffer::from(vec![0xAB; 256 * PAGE_SIZE]); // 1 MiB
//! let snapshot = image.clone(); // O(1)
//! image.write_at(10 * PAGE_SIZE + 5, b"patch"); // copies one page
//! assert_eq!(image.changed_pages(&snapshot), [10]); // dirty-page tracking
//! assert_eq!(image.stats().shared, 255);
//! assert_eq!(snapshot.get(10 * PAGE_SIZE + 5), Some(0xAB));
//! ```
//!
//! # When to use which
//!
//! - [`Shared<T>`] instead of `Arc<T>` when you never need weak references and want
//!   copy-on-write: uniqueness is one atomic load, and it plugs straight into `arc-swap`
//!   (it implements `arc_swap::RefCnt`).
//! - [`CowString`] instead of `String` when strings are cloned more often than written (names,
//!   keys, tokens, config values): clones cost nothing, short strings never allocate, and it
//!   still edits like a `String`. Instead of `Arc<str>` when you sometimes need to write.
//! - [`CowList`], [`CowSet`], [`CowMap`] (or [`CowCell`] around your own type) for data that
//!   many threads read and few write: listener lists, routing tables, configuration, feature
//!   flags. Readers never block and never see a half-made update.
//!   - Instead of `RwLock<Vec<T>>` / `RwLock<HashMap>` when reads dominate: a read takes no
//!     lock, so a writer never stalls readers (nor readers a writer), and iteration runs over a
//!     snapshot without holding anything.
//!   - Instead of a hand-made `ArcSwap<Vec<T>>` + `Mutex`: the same read path, with the write
//!     protocol written and tested once (no lost update, no poisoning, re-entry detected,
//!     old versions freed outside the lock, exact-size copies).
//!   - Not instead of `dashmap` or a `Mutex` when writes are frequent or the data is large:
//!     every write copies the whole collection (O(n)). A sharded map (`dashmap`) writes in
//!     place; a persistent structure (`imbl`) copies O(log n) per write, at a higher cost per
//!     read. For a large list, `CowCell<CowVec<T>>` copies one chunk per write.
//!
//! # Thread safety
//!
//! [`Shared<T>`] is `Send` and `Sync` exactly when `T` is `Send + Sync` (the same bounds as
//! `Arc<T>`); [`CowString`] and [`CowBuffer`] are `Send + Sync` (clones of one buffer are
//! written on different threads independently), and so is [`CowVec<T>`] when `T` is `Send +
//! Sync`; the snapshot collections are `Send + Sync` when
//! their elements are `Send + Sync`, and every one of their methods takes `&self`, so they are
//! shared as an `Arc<CowList<T>>` or a `static`. Writers of one collection take turns on a
//! mutex; a write from inside a write to the same collection panics instead of deadlocking. Both follow `Arc`'s count rules: relaxed
//! increments, release decrements with an acquire fence before the last handle frees, an
//! acquire load for the uniqueness check, and an abort (not a panic) past `isize::MAX` handles.
//! These orderings are model-checked with loom.
//!
//! cowkit needs atomic read-modify-write operations on pointer-sized integers (`fetch_add`,
//! `fetch_sub`), as `Arc` does: `no_std` targets without them (such as `thumbv6m-none-eabi`)
//! are not supported.
//!
//! # Features
//!
//! - `std` (default): the standard library, `arc-swap` and `parking_lot`; needed by the
//!   snapshot collections, `CowBuffer`'s page arenas and pool and its `std::io` cursor
//!   ([`BufferCursor`]). Without it (`default-features = false`) the core, the string,
//!   `CowVec` and `CowBuffer` need only `alloc` (each page is then an allocation of its own, and there is
//!   no cursor). On Linux the arenas are mapped through `libc`.
//! - `serde` (off by default): `Serialize` / `Deserialize` for every type, through its value
//!   (`CowString` as a string).
//! - `arbitrary` (off by default): `arbitrary::Arbitrary` for every type, for `cargo fuzz`
//!   targets (see below).
//! - `proptest` (off by default): `proptest::arbitrary::Arbitrary` for every type, so that
//!   `any::<CowList<u8>>()` works in property tests.
//! - `seize` (off by default): adds `cowkit::seize`, the collections on a `seize` collector
//!   instead of `arc-swap`; see "Publication strategies" below. It changes no other type.
//! - `loom` (off by default, **outside semver**: it follows loom's releases): lets a build with
//!   `--cfg loom` model-check cowkit's synchronization (see below). Without `--cfg loom` it
//!   changes nothing.
//!
//! # Publication strategies
//!
//! The snapshot collections publish each new version through a swap cell, chosen by a type:
//! every collection is a generic type ([`GenericCowList<T, P>`](list::GenericCowList), …)
//! whose last parameter is a [`Publish`] strategy, and the names you write fix it.
//! [`CowList<T>`] (and `CowCell`, `CowSet`, `CowMap`) publish through `arc-swap`
//! ([`ArcSwapStrategy`]); with the `seize` feature, `cowkit::seize::CowList<T>` (and the
//! others) publish through a `seize::Collector` of each cell's own. The feature only adds that
//! module: `cowkit::CowList` is the arc-swap list in every crate of a build, whichever crate
//! enables `seize`, so one dependency's choice never changes when another's old versions are
//! freed.
//!
//! ```
//! # #[cfg(feature = "seize")] {
//! let everyday = cowkit::CowList::from(vec![1, 2]); // arc-swap
//! let many_threads = cowkit::seize::CowList::from(vec![1, 2]); // seize
//! everyday.push(3);
//! many_threads.push(3);
//! assert_eq!(everyday.to_vec(), many_threads.to_vec());
//! # }
//! ```
//!
//! arc-swap's reads are lock-free and take no count. Its one cost that grows with the process:
//! every write walks one node per thread that has *ever* loaded through `arc-swap`, parked
//! threads included. seize checks the other threads once per batch of replaced versions,
//! skipping inactive ones, so a write costs the same with a thousand idle threads as with none.
//! What differs, the API being the same (figures: the collections bench's write-scaling
//! report and the README's table, `cargo bench --bench collections`):
//!
//! | | arc-swap (`cowkit::CowList`) | seize (`cowkit::seize::CowList`) |
//! |---|---|---|
//! | a write with many idle threads that once read | grows with their number | flat |
//! | `load()` ([`Snapshot`]) | no count taken (a per-thread slot) | one count taken and released |
//! | `len`, `get`, `contains`, `get_with` | as `load()` | under a guard, no count |
//! | when a replaced version is freed | when its last reader lets go | later: once its batch of 16 replaced versions (per writing thread) is reclaimed, by a later write or the cell's drop |
//! | where its `Drop` runs | the writer's thread after the writers' lock, or the last reader's | a writer's thread after the writers' lock, or the cell's drop |
//! | memory per cell | one `ArcSwap` (8 bytes) | a collector: about 8 KiB of per-thread tables, touched by the first use on each thread |
//!
//! So seize suits a few long-lived collections read by many threads (a routing table, a
//! config) in a process with a large thread pool; arc-swap suits everything else, including
//! many small or short-lived collections and code that counts on a replaced version being
//! freed at once (as a test of `Drop` might). Code generic over `P: Publish` works with both.
//!
//! Both strategies work in a thread-local's destructor, also after the thread's other
//! thread-locals are gone (seize then takes a guard that owns a thread slot of its own).
//!
//! # `fork()`
//!
//! As with any lock, a `fork()` while another thread holds one of cowkit's locks (a writers'
//! lock of a collection, or the buffer's page-pool lock) leaves that lock held forever in the
//! child, whose next write to that collection (or next refill of its page cache) then hangs.
//! In a child of a multi-threaded process, call only async-signal-safe functions before
//! `exec`, as POSIX asks; a process that forks before starting threads is not affected.
//!
//! # Testing code that uses cowkit
//!
//! **Loom.** Under `--cfg loom`, cowkit's atomics, the writers' lock and the snapshot swap cell
//! become loom's types, so `loom::model` explores every interleaving of your threads *through*
//! cowkit's collections: its reference counts, its writers' lock, its publication of each new
//! version (arc-swap and seize, which have no loom support, are both replaced by a lock-based
//! stand-in with the same guarantees). A check-then-act race in your code (`if !list.contains(&x) {
//! list.push(x) }` on two threads) is found; correct code is not flagged. Enable the feature
//! for loom builds only, and run your loom tests as usual:
//!
//! ```toml
//! [target.'cfg(loom)'.dev-dependencies]
//! cowkit = { version = "0.1", features = ["loom"] }
//! loom = "0.7"
//! ```
//!
//! ```sh
//! RUSTFLAGS="--cfg loom" cargo test --release --test my_loom_tests
//! ```
//!
//! A `--cfg loom` build without the feature stops with a message saying so. In loom builds the
//! buffer's page pool is off (each page is an allocation of its own), and every cowkit value
//! must be made inside `loom::model` (as any loom type). The repository's `tests/downstream` crate is such a user, checked in CI.
//!
//! **Fuzzing.** With the `arbitrary` feature every type implements `arbitrary::Arbitrary`, so
//! a struct of cowkit types derives it: collections of arbitrary elements (a [`CowSet`] without
//! duplicates), strings both inline and on the heap, and [`CowBuffer`]s of several pages with
//! holes, dense pages and a short last page ([`CowVec`]: what `Vec<T>` makes). Nothing in cowkit changes under `cfg(fuzzing)`:
//! [`PAGE_SIZE`] is 4096 in your fuzz build as in production.
//!
//! **Property tests.** With the `proptest` feature, `any::<T>()` works for every cowkit type.
#![no_std]
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]
// Feature badges on docs.rs: `doc_cfg` shows each item's `cfg` (since Rust 1.92 it includes
// what `doc_auto_cfg` did).
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

pub mod buffer;
#[cfg(feature = "std")]
pub mod cell;
mod config;
#[cfg(feature = "std")]
pub mod list;
#[cfg(feature = "std")]
pub mod map;
mod range;
#[cfg(feature = "seize")]
pub mod seize;
mod shared;
pub mod string;
mod sync;
mod table;
pub mod vec;

#[cfg(feature = "serde")]
mod serde;

#[cfg(feature = "arbitrary")]
mod arbitrary;

#[cfg(feature = "proptest")]
mod proptest;

#[cfg(doctest)]
mod compile_fail;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests;

#[cfg(feature = "std")]
pub use crate::buffer::BufferCursor;
pub use crate::buffer::{CowBuffer, PAGE_SIZE, PageStats};
#[cfg(feature = "std")]
pub use crate::cell::publish::{ArcSwapStrategy, Publish};
#[cfg(feature = "std")]
pub use crate::cell::{CowCell, OwnedReader, Reader, Snapshot};
#[cfg(feature = "std")]
pub use crate::list::CowList;
#[cfg(feature = "std")]
pub use crate::list::set::CowSet;
#[cfg(feature = "std")]
pub use crate::map::CowMap;
pub use crate::shared::Shared;
pub use crate::string::{CowString, ToCowString};
pub use crate::vec::CowVec;

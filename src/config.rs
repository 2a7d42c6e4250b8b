//! Every tunable of cowkit in one place, each with the reason for its value.
//!
//! Tests may shrink some of them (`--cfg cowkit_small_pages`) to reach deep structures with
//! little data; each such variant sits beside the production value.
// Some builds leave out the code that uses a tunable (the page pool without `std`, under loom
// and with `--cfg cowkit_unpooled`), so a tunable unused in one build is not an error here.
#![allow(dead_code)]

/// The size of one page in bytes: the unit of sharing and copying.
///
/// 4 KiB, the page size of the kernel's own copy-on-write on x86-64 and most ARM64 systems, so
/// that costs and statistics compare one to one with `fork()`: a first write after a clone
/// copies this many bytes, a hole saves this many. (cowkit's own test and fuzz builds with
/// `--cfg cowkit_small_pages` use 64-byte pages, so that they reach deep tables with little
/// data; no other cfg changes it, so a user's fuzz build has 4096 as production does.)
#[cfg(not(cowkit_small_pages))]
pub const PAGE_SIZE: usize = 4096;
/// The size of one page in bytes (64 in this test build; 4096 in normal builds).
#[cfg(cowkit_small_pages)]
pub const PAGE_SIZE: usize = 64;

/// log2 of the fan-out of the page table (`src/table/`) under `CowBuffer` and `CowVec`: 16
/// children per branch (and 16 pages per buffer leaf).
///
/// Copying a node on the first write after a clone takes a count on each of its children. A
/// branch's children are nodes, each its own allocation, so each count is a likely cache miss
/// (a buffer leaf's children are pages, whose counts sit side by side in their arenas). A wide
/// node makes that first write slow; a narrow one makes the table tall (more hops per access,
/// more nodes). 16 keeps the first write after cloning 1 GiB short, reads at 5 hops for 1 GiB
/// (4 for a `CowVec` of a million `u64`), and the buffer's table at ~10 bytes per page. Chosen
/// by measurement: the fan-outs tried and their figures are in the README (`cargo bench
/// --bench buffer`, "first write after a clone").
#[cfg(not(cowkit_small_pages))]
pub(crate) const TABLE_FAN_SHIFT: u32 = 4;
/// 4 children per node with `--cfg cowkit_small_pages`, so that tests reach tall tables with
/// few pages.
#[cfg(cowkit_small_pages)]
pub(crate) const TABLE_FAN_SHIFT: u32 = 2;

/// The address space of one page arena, in pages: 512, so 2 MiB with 4 KiB pages, the size of
/// a transparent huge page on x86-64 (and on ARM64 with 4 KiB base pages), so that an arena can
/// be one huge page when [`ARENA_HUGE_PAGES`] (or `CowBuffer::set_huge_pages`) asks for it. An
/// arena is aligned to its size, so this is a power of two; its frames are the pages that fit
/// beside their header (510).
/// Builds with `--cfg cowkit_small_pages` keep 512 (arenas of 32 KiB), so that an arena still
/// holds hundreds of frames, as in production. Only the pooled build has multi-frame arenas.
pub(crate) const ARENA_PAGES: usize = 512;

const _: () = assert!(ARENA_PAGES.is_power_of_two());

/// Whether new arenas are advised for transparent huge pages on Linux: `false`, so each arena
/// is advised against them (`MADV_NOHUGEPAGE`) and the kernel faults it in 4 KiB at a time, on
/// each page's first touch. `CowBuffer::set_huge_pages` changes it at run time, for arenas
/// mapped afterwards. Other platforms (and `--cfg cowkit_portable_arenas`) give no advice.
///
/// With huge pages, the write that first touches an arena makes the kernel zero 2 MiB inside
/// that one write: 0.1-0.4 ms where the guest holds the memory, 4-20 ms on a virtual machine
/// whose host takes free memory back (free page reporting gives it every free block of 2 MiB
/// and more, so the host faults in 512 small pages for that write). Issue 21 asks that no
/// single write zero 2 MiB, which only 4 KiB faults give. Measured by `cargo bench --bench
/// buffer -- report` on this project's 2-core VM (1 byte per page of a fresh 1 GiB clone in a
/// fresh process, as a ratio of the mean to the kernel's `fork()` copy-on-write in the same run
/// and memory state; the ranges span six runs of the report and a helper's earlier runs):
///
/// | memory state | huge pages | 4 KiB faults |
/// |---|---|---|
/// | not prewarmed (a user's process on such a VM) | 3.2-6.6x | 0.3-1.4x |
/// | prewarmed (the bare-metal case) | 0.14-0.25x | 0.8-1.6x |
///
/// The default takes the bounded single write and the figure that holds on a VM; a program on
/// bare metal that fills large buffers and can take one 2 MiB stall per arena may turn huge
/// pages on (`CowBuffer::set_huge_pages(true)`). The README has every row.
pub(crate) const ARENA_HUGE_PAGES: bool = false;

/// The bytes of elements one `CowVec` chunk (a leaf of its table) holds at most: 4 KiB, so
/// 512 `u64`s. The chunk is the unit a write copies beside a live snapshot and the slice
/// `chunks()` hands out: a large chunk makes iteration a long run of plain slice reads (and the
/// table small: one walk per chunk); a small one makes the first write after a clone cheap.
/// The element count is the largest power of two whose elements fit (at least 1); a chunk of
/// zero-sized elements holds up to `2^(usize::BITS - 1)`. (`--cfg cowkit_small_pages`: 64
/// bytes, so that tests reach tall tables with few elements.)
///
/// Chosen by measurement (`cargo bench --bench vec`, a million `u64`, one run per size on this
/// project's 2-core VM, 2026-12-06; mean ns):
///
/// | chunk | set beside a snapshot | push beside a snapshot | `CowCell<CowVec>` write | sum over `chunks()` (`Vec`: 81 µs) | 1,024 random gets (`Vec`: 650 ns) |
/// |---|---|---|---|---|---|
/// | 2 KiB | 339 | 100 | 496 | 116 µs | 5,266 |
/// | 4 KiB | 406 | 99 | 436 | 116 µs | 4,796 |
/// | 8 KiB | 522 | 225 | 642 | 107 µs | 5,214 |
/// | 16 KiB | 884 | 210 | 919 | 109 µs | 4,384 |
///
/// Past 4 KiB the writes beside a snapshot grow with the copy while reads gain little (a
/// million `u64` need four table levels from 2 KiB to 8 KiB chunks); below it the table grows
/// and pushes beside a snapshot gain nothing.
#[cfg(not(cowkit_small_pages))]
pub(crate) const VEC_CHUNK_BYTES: usize = 4096;
/// 64 bytes of elements per `CowVec` chunk with `--cfg cowkit_small_pages`.
#[cfg(cowkit_small_pages)]
pub(crate) const VEC_CHUNK_BYTES: usize = 4096;

/// Versions a seize cell gives up before seize checks the other threads for them (seize's own
/// default). Each writing thread keeps up to this many replaced versions alive until its batch
/// is reclaimed: the write-scaling report's trade of memory for the walk over the threads.
#[cfg(feature = "seize")]
pub(crate) const SEIZE_BATCH: usize = 16;

/// The page pool's default bound on free frames kept in idle arenas: 4,096 pages (16 MiB with
/// 4 KiB pages: 8 idle arenas). Enough to absorb the churn of a typical working set of
/// diverged clones without holding much memory hostage (`CowBuffer::set_page_pool_limit`).
#[cfg(feature = "std")]
pub(crate) const PAGE_POOL_LIMIT: usize = 4096;

/// Free frames each thread keeps for itself (128 KiB with 4 KiB pages): a thread that copies
/// and drops pages in a loop then takes no lock per page.
#[cfg(feature = "std")]
pub(crate) const PAGE_CACHE_FRAMES: usize = 32;

/// Frames moved between a thread's cache and the pool at a time: half the cache, so that a
/// thread alternating takes and frees at the boundary does not lock on every page.
#[cfg(feature = "std")]
pub(crate) const PAGE_CACHE_BATCH: usize = PAGE_CACHE_FRAMES / 2;

/// The smallest heap block of a `CowString`, in bytes of text: a text that outgrows the 16
/// inline bytes gets room for 32, so that the appends that usually follow (a word, a few
/// chars) take no second allocation. Past it, a block grows to twice what it outgrew.
pub(crate) const STRING_MIN_HEAP_CAPACITY: usize = 32;

/// The most bytes `CowBuffer::read_file` asks the OS for in one read, and `write_changes` in
/// one write of adjacent changed pages: 1 MiB. Large enough that the system call per piece is
/// small beside copying the bytes (a 1 GiB file is 1,024 reads, not 262,144), small enough that
/// the scratch buffer stays in the L2 cache of most machines while its pages are checked for
/// zeros and copied. A multiple of `PAGE_SIZE` in every build (both page sizes divide it).
#[cfg(feature = "std")]
pub(crate) const FILE_IO_CHUNK: usize = 1 << 20;

#[cfg(feature = "std")]
const _: () = assert!(FILE_IO_CHUNK % PAGE_SIZE == 0);

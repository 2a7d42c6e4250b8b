//! `CowBuffer`'s page pool and leaks. The pool is process-wide state, so this file holds one
//! test, which then runs alone in its process (each file under `tests/` is its own binary) and
//! can read exact figures from `page_pool_bytes`.
// Not in the `--cfg cowkit_unpooled` sanitizer builds, which have no pool.
#![cfg(all(feature = "std", not(cowkit_unpooled)))]

mod support;

use std::io::Write;

use cowkit::{BufferCursor, CowBuffer, PAGE_SIZE};
use support::assert_no_leak;

const P: usize = PAGE_SIZE;

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// Pages go back to their arenas and arenas to the OS; pool pages never show old bytes; table
/// nodes (allocations, counted per thread by `support`'s allocator) are all freed.
#[test]
fn pool_reuses_pages_returns_arenas_and_nothing_leaks() {
    assert_eq!(CowBuffer::page_pool_bytes(), 0, "no buffer was made yet");
    // A bound of 0 keeps no idle arena: each goes back to the OS once its last page is freed.
    // So after everything is dropped the pool holds nothing, unless a page was never given
    // back (its arena would stay, with every other frame of it free).
    let previous = CowBuffer::set_page_pool_limit(0);
    assert_no_leak(|| {
        let base = CowBuffer::from(pattern(40 * P, 1));
        let mut fork = base.clone();
        fork.write_at(3 * P, &pattern(5 * P, 2));
        fork.fill(0..P, 0);
        let mut far = fork.clone();
        far.write_at(1 << 28, b"far");
        far.truncate(P + 1);
        assert!(
            CowBuffer::page_pool_bytes() > 0,
            "a live arena's free frames"
        );
        drop((base, fork, far));
        let mut cursor = BufferCursor::new(CowBuffer::new());
        cursor.write_all(&pattern(3 * P, 4)).unwrap();
        // The page-moving and page-copying methods.
        let mut a = CowBuffer::from(pattern(5 * P, 1));
        let b = a.split_off(2 * P);
        let mut c = a.clone().split_off(P + 1);
        c.copy_within(0..10, 5);
        c.page_mut(0).unwrap()[0] = 1;
        let d: CowBuffer = b.bytes().collect();
        drop((a, b, c, d));
    });
    // Pages freed on another thread go back too (outside `assert_no_leak`, which counts this
    // thread's allocations: spawning allocates here and frees there).
    let mut mine = CowBuffer::from(pattern(4 * P, 3));
    let theirs = mine.clone();
    mine.set(0, 9);
    std::thread::spawn(move || drop(theirs)).join().unwrap();
    drop(mine);
    assert_eq!(CowBuffer::page_pool_bytes(), 0, "a page was not given back");

    // With room for idle arenas, freed pages stay for reuse.
    CowBuffer::set_page_pool_limit(64 << 20);
    drop(CowBuffer::from(pattern(10 * P, 1)));
    let kept = CowBuffer::page_pool_bytes();
    assert!(kept >= 10 * P);
    // Pages taken from the pool hold old bytes: they must never show.
    let fresh = CowBuffer::zeroed(10 * P);
    let mut fresh_written = fresh.clone();
    fresh_written.set(3, 1);
    assert_eq!(fresh_written.pages().next().unwrap()[4..], [0; P][4..]);
    let mut short = CowBuffer::new();
    short.write_at(5, b"x");
    assert_eq!(short.to_vec(), b"\0\0\0\0\0x");
    short.resize(P);
    assert!(short.pages().next().unwrap()[6..].iter().all(|&x| x == 0));
    assert_eq!(
        CowBuffer::page_pool_bytes(),
        kept - 2 * P,
        "reused, not new"
    );
    drop((fresh_written, short));

    // A thread keeps a few free pages for itself (no lock per page); they go back to the pool
    // when it ends, so its arena can become idle below.
    std::thread::spawn(|| {
        let mut mine = CowBuffer::from(pattern(40 * P, 5));
        let snapshot = mine.clone();
        mine.fill(0..40 * P, 7); // copies all 40 pages
        drop((mine, snapshot));
    })
    .join()
    .unwrap();

    // Lowering the bound gives back the idle arenas above it.
    CowBuffer::set_page_pool_limit(P);
    assert_eq!(CowBuffer::page_pool_bytes(), 0);

    // The huge-page switch: off by default; it applies to arenas mapped afterwards, which
    // hold and copy bytes the same way. (With a bound of 0, each arena goes back to the OS as
    // soon as it is idle, so the buffers below map arenas of their own.)
    CowBuffer::set_page_pool_limit(0);
    assert!(!CowBuffer::set_huge_pages(true), "off by default");
    let huge = CowBuffer::from(pattern(600 * P, 6)); // more than one arena
    let mut huge_fork = huge.clone();
    huge_fork.fill(P..599 * P, 8);
    assert_eq!(huge.to_vec(), pattern(600 * P, 6));
    assert!(huge_fork.bytes().skip(P).take(598 * P).all(|x| x == 8));
    assert!(huge_flags(&huge).is_none_or(|huge| huge));
    drop((huge, huge_fork));
    assert_eq!(CowBuffer::page_pool_bytes(), 0);
    assert!(CowBuffer::set_huge_pages(false));
    let small = CowBuffer::from(pattern(600 * P, 7));
    assert_eq!(small.to_vec(), pattern(600 * P, 7));
    assert!(huge_flags(&small).is_none_or(|huge| !huge));
    drop(small);
    assert_eq!(CowBuffer::page_pool_bytes(), 0);
    CowBuffer::set_page_pool_limit(previous);
}

/// How the kernel was told to fault in the mapping that holds the buffer's first page:
/// `Some(true)` for `MADV_HUGEPAGE` (`hg` in `/proc/self/smaps`' `VmFlags`), `Some(false)` for
/// `MADV_NOHUGEPAGE` (`nh`); `None` where arenas are not `mmap`ed (other OSes, the portable
/// build), where it is not checked.
fn huge_flags(buffer: &CowBuffer) -> Option<bool> {
    if !cfg!(all(target_os = "linux", not(cowkit_portable_arenas))) {
        return None;
    }
    let at = buffer.pages().next()?.as_ptr() as usize;
    let smaps = std::fs::read_to_string("/proc/self/smaps").expect("/proc/self/smaps");
    let mut inside = false;
    for line in smaps.lines() {
        let first = line.split_whitespace().next().unwrap_or("");
        if let Some((start, end)) = first.split_once('-')
            && let (Ok(start), Ok(end)) = (
                usize::from_str_radix(start, 16),
                usize::from_str_radix(end, 16),
            )
        {
            inside = (start..end).contains(&at);
        } else if inside && let Some(flags) = line.strip_prefix("VmFlags:") {
            let flags: Vec<&str> = flags.split_whitespace().collect();
            return match (flags.contains(&"hg"), flags.contains(&"nh")) {
                (true, false) => Some(true),
                (false, true) => Some(false),
                _ => panic!("the arena's mapping has no huge-page advice: {flags:?}"),
            };
        }
    }
    panic!("no mapping holds the buffer's first page")
}

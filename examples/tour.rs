//! A short tour of cowkit: each type sharing on clone and copying only on write, with live
//! figures (counts, copies made, time taken) measured as it runs.
//!
//! Run: `cargo run --release -p cowkit-examples --example tour` (`-p` builds the tour alone:
//! without it, the workspace's default members unify cowkit's features with the benches' serde).

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Instant;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use cowkit::{
    CowBuffer, CowCell, CowList, CowMap, CowString, CowVec, PAGE_SIZE, Shared, cow_format,
};

/// How many times a `Table` has been deep-copied: the figure copy-on-write keeps low.
static COPIES: AtomicUsize = AtomicUsize::new(0);

/// A routing table of one megabyte, standing in for any value that is costly to copy.
struct Table {
    routes: Vec<u64>,
}

impl Clone for Table {
    fn clone(&self) -> Self {
        COPIES.fetch_add(1, Ordering::Relaxed);
        Table {
            routes: self.routes.clone(),
        }
    }
}

fn copies() -> usize {
    COPIES.load(Ordering::Relaxed)
}

fn main() {
    println!("cowkit tour: share until someone writes\n");
    shared_tour();
    string_tour();
    collections_tour();
    buffer_tour();
    vec_tour();
}

fn shared_tour() {
    println!("== Shared<T>: the refcounting core ==");
    let table = Shared::new(Table {
        routes: (0..131_072).collect(), // 131,072 × 8 bytes = 1 MiB
    });
    let bytes = table.routes.len() * size_of::<u64>();
    println!("a table of {} KiB in one Shared handle", bytes / 1024);

    // Readers: each clone is one atomic increment, however big the value.
    let readers: Vec<Shared<Table>> = (0..8).map(|_| Shared::clone(&table)).collect();
    println!(
        "8 readers cloned it: count = {}, copies made = {}",
        Shared::strong_count(&table),
        copies()
    );
    const ROUNDS: u32 = 1_000_000;
    let start = Instant::now();
    for _ in 0..ROUNDS {
        drop(black_box(Shared::clone(black_box(&table))));
    }
    let per_clone = start.elapsed() / ROUNDS;
    let start = Instant::now();
    drop(black_box(table.routes.clone()));
    let deep_copy = start.elapsed();
    println!("clone + drop of a handle: {per_clone:?}; a deep copy of the 1 MiB: {deep_copy:?}");

    // Threads read the same bytes with no copy and no lock.
    let sums: Vec<u64> = thread::scope(|s| {
        let handles: Vec<_> = readers
            .iter()
            .take(4)
            .map(|r| {
                let r = Shared::clone(r);
                s.spawn(move || r.routes.iter().sum::<u64>())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    println!(
        "4 threads summed it in parallel (all got {}); copies made = {}",
        sums[0],
        copies()
    );

    // A writer: the first write copies once, because 8 readers still share the old table.
    let mut mine = Shared::clone(&table);
    Shared::make_mut(&mut mine).routes[0] = 999;
    println!(
        "a writer changed route 0: copies made = {}, writer's count = {}, readers' count = {}",
        copies(),
        Shared::strong_count(&mine),
        Shared::strong_count(&table)
    );
    println!(
        "readers still see route 0 = {}, the writer sees {}",
        readers[0].routes[0], mine.routes[0]
    );

    // Later writes find the handle unique and write in place.
    for i in 1..1000 {
        Shared::make_mut(&mut mine).routes[i] = 999;
    }
    println!(
        "999 more writes through the same handle: copies made = {} (still one)",
        copies()
    );

    // Readers let go; the original becomes unique, and a write there copies nothing either.
    drop(readers);
    let mut table = table;
    Shared::make_mut(&mut table).routes[0] = 1;
    println!(
        "readers dropped: original count = {}, a write there made copies = {}",
        Shared::strong_count(&table),
        copies()
    );
    println!();
}

fn string_tour() {
    println!("== CowString: 16 bytes, 16 inline, shared until written ==");
    println!(
        "size_of::<CowString>() = {}, size_of::<Option<CowString>>() = {}",
        size_of::<CowString>(),
        size_of::<Option<CowString>>()
    );
    let short = cow_format!("user-{}", 42);
    println!("{short:?}: inline = {} (no allocation)", short.is_inline());
    let sixteen = CowString::from("sixteen bytes...");
    println!(
        "{sixteen:?}: {} bytes, inline = {} (the 16th byte shares the tag's place)",
        sixteen.len(),
        sixteen.is_inline()
    );
    const MOTD: CowString = CowString::from_static("a `const` CowString: no allocation, no count");
    let motd = MOTD;
    println!(
        "from_static: static = {}, inline = {}, count = {} (none is kept)",
        motd.is_static(),
        motd.is_inline(),
        motd.strong_count()
    );

    let mut page = CowString::new();
    for i in 0..100 {
        page.push_str(&format!("<li>item {i}</li>"));
    }
    println!(
        "a {}-byte page: inline = {}, handles sharing it = {}",
        page.len(),
        page.is_inline(),
        page.strong_count()
    );

    let copies: Vec<CowString> = (0..5).map(|_| page.clone()).collect();
    println!(
        "5 clones: handles sharing it = {}, all at one address = {}",
        page.strong_count(),
        copies.iter().all(|c| c.as_ptr() == page.as_ptr())
    );

    let mut edited = page.clone();
    let before = edited.as_ptr();
    edited[4..8].make_ascii_uppercase(); // `&mut s[range]`: unshares once
    println!(
        "`edited[4..8].make_ascii_uppercase()`: copied = {}, now {:?}…; the original still {:?}…",
        edited.as_ptr() != before,
        &edited[..12],
        &page[..12]
    );
    let block = edited.as_ptr();
    edited.push_str("<li>one more</li>");
    edited.truncate(40);
    println!(
        "then a push and a truncate on the now-private text: copied again = {}",
        edited.as_ptr() != block
    );
    drop(copies);
    println!(
        "clones dropped: the page is shared by {} handle(s) again",
        page.strong_count()
    );
    println!();
}

fn collections_tour() {
    println!("\n== CowList / CowMap: lock-free snapshot reads, copy-and-swap writes ==");
    // Every version of the list is 10,000 copies of one number: a reader that ever saw two
    // different numbers in one snapshot would have seen half of an update.
    const LEN: usize = 10_000;
    const WRITES: u64 = 300;
    let list = Arc::new(CowList::from(vec![0u64; LEN]));
    let first = list.snapshot();
    let done = Arc::new(AtomicBool::new(false));

    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (list, done) = (Arc::clone(&list), Arc::clone(&done));
            thread::spawn(move || {
                let (mut reads, mut torn, mut versions, mut last) = (0u64, 0u64, 0u64, u64::MAX);
                let start = Instant::now();
                while !done.load(Ordering::Relaxed) {
                    let snap = list.load();
                    let (lo, hi) = (snap[0], snap[LEN - 1]);
                    if snap.iter().any(|&x| x != lo) || lo != hi {
                        torn += 1;
                    }
                    if lo != last {
                        versions += 1;
                        last = lo;
                    }
                    reads += 1;
                }
                (reads, torn, versions, start.elapsed())
            })
        })
        .collect();

    let start = Instant::now();
    for v in 1..=WRITES {
        list.update(|items| items.iter_mut().for_each(|x| *x = v)); // one copy per update
        thread::sleep(std::time::Duration::from_micros(200));
    }
    let write_time = start.elapsed();
    done.store(true, Ordering::Relaxed);
    for (i, r) in readers.into_iter().enumerate() {
        let (reads, torn, versions, time) = r.join().unwrap();
        println!(
            "reader {i}: {reads} whole-list scans of {LEN} elements in {time:.2?}, {versions} versions seen, {torn} torn"
        );
    }
    println!(
        "writer: {WRITES} updates of all {LEN} elements (one copy each) in {write_time:.2?}, sleeping 200 µs between them"
    );
    println!(
        "a snapshot taken before the writes still reads {} (now {})",
        first[0],
        list.load()[0]
    );
    let before = list.snapshot();
    list.clear();
    list.extend([1, 2, 3]);
    let v = list.snapshot();
    let added = list.push_if_absent(2);
    println!(
        "push_if_absent(2) on {:?}: added = {added}, new version published = {}",
        *v,
        !Shared::ptr_eq(&v, &list.snapshot())
    );
    println!(
        "an index write past the end hands the value back: set(10, 99) = {:?}",
        list.set(10, 99)
    );
    drop(before);

    let config: CowMap<&str, &str> = CowMap::new();
    config.update(|m| {
        m.insert("mode", "fast");
        m.insert("region", "eu"); // both land in one version
    });
    let seen = config.load();
    config.insert("mode", "safe");
    println!(
        "CowMap: a reader's view says mode = {}, the map now says mode = {}",
        seen["mode"],
        config.get("mode").unwrap()
    );

    // A cached reader that owns its Arc: it lives in a struct or moves to a thread, and costs
    // one pointer compare per load while nothing changes.
    let routes = Arc::new(CowMap::from([("/", 80u16)]));
    let mut reader = routes.owned_reader();
    let before = reader.load() as *const _;
    let same = std::ptr::eq(before, reader.load());
    routes.insert("/admin", 8080);
    let keys = thread::spawn(move || reader.load().len()).join().unwrap();
    println!(
        "owned_reader: no write, same version = {same}; after an insert, another thread's load sees {keys} routes"
    );
    let built = routes.get_or_insert_with("/health", || 204);
    let unchanged = routes.snapshot();
    let removed = routes.remove_if("/", |port| *port == 443);
    println!(
        "get_or_insert_with(\"/health\") = {built}; remove_if(\"/\", port == 443) = {removed:?}, nothing published = {}",
        Shared::ptr_eq(&unchanged, &routes.snapshot())
    );
    let mut names: Vec<&str> = routes.keys().collect(); // clones of one version's keys
    names.sort();
    println!("for (k, v) in &map / keys(): {names:?}");
    // The same list on seize: `use cowkit::seize::CowList` is the only change. Its writes cost
    // the same however many threads have ever read; replaced versions are freed in batches.
    let flags = cowkit::seize::CowList::from(vec!["beta"]);
    flags.push("dark-mode");
    println!(
        "publication: cowkit::CowList on arc-swap (the default), cowkit::seize::CowList on seize: {:?}",
        flags.to_vec()
    );
}

fn buffer_tour() {
    println!("\n== CowBuffer: fork() for bytes, one 4 KiB page at a time ==");
    const MIB: usize = 1 << 20;
    // A 256 MiB "memory image": 64 MiB written, the rest holes.
    let mut image = CowBuffer::zeroed(256 * MIB);
    let block: Vec<u8> = (0..MIB).map(|i| (i % 251) as u8).collect();
    for mib in 0..64 {
        image.write_at(mib * MIB, &block);
    }
    let s = image.stats();
    println!(
        "image: {} MiB long, {} pages: {} written, {} holes; {:.1} MiB resident",
        image.len() / MIB,
        s.pages,
        s.private,
        s.holes,
        s.resident_bytes as f64 / MIB as f64
    );

    // Fork it several times (each fork from the last), writing a little into each fork.
    let mut forks = vec![image.clone()];
    let start = Instant::now();
    for generation in 1..=5 {
        let mut fork = forks.last().unwrap().clone();
        for k in 0..100 {
            let at = (generation * 7919 + k * 104_729) * 64 % (64 * MIB);
            fork.write_at(at, format!("gen {generation} edit {k}").as_bytes());
        }
        forks.push(fork);
    }
    let elapsed = start.elapsed();
    for (generation, fork) in forks.iter().enumerate().skip(1) {
        let s = fork.stats();
        let changed = fork.changed_pages(&forks[generation - 1]).len();
        println!(
            "fork {generation}: {} private pages, {} shared, {} holes; {changed} pages differ from fork {}",
            s.private,
            s.shared,
            s.holes,
            generation - 1
        );
    }
    // Memory: each generation's changed pages are new pages; everything else is the image's.
    let new_pages: usize = (1..forks.len())
        .map(|g| forks[g].changed_pages(&forks[g - 1]).len())
        .sum();
    let held = image.stats().private + image.stats().shared + new_pages;
    println!(
        "(a fork's edits count as shared while the next fork, made from it, still holds them)"
    );
    println!(
        "6 buffers of 256 MiB hold {held} distinct pages (~{} MiB) where deep copies would take {} MiB; 5 forks + 500 writes took {elapsed:?}",
        held * PAGE_SIZE / MIB,
        forks.len() * image.len() / MIB
    );
    assert_eq!(forks[0], image, "the original never saw a fork's write");
    assert_ne!(forks[5], image);

    // Cut the image in two at a page boundary: the pages move, nothing is copied.
    let mut head = image.clone();
    let start = Instant::now();
    let tail = head.split_off(32 * MIB);
    let elapsed = start.elapsed();
    println!(
        "split_off at 32 MiB: head {} MiB, tail {} MiB with {} pages shared with the image, {} private, in {elapsed:?}",
        head.len() / MIB,
        tail.len() / MIB,
        tail.stats().shared,
        tail.stats().private
    );
    assert_eq!(
        tail.stats().private,
        0,
        "page-aligned: the tail shares the image's pages"
    );

    // Memory going back: pages come from 2 MiB arenas; freed ones wait in them for reuse.
    drop((forks, head, tail));
    let before = CowBuffer::page_pool_bytes();
    let mut diverged = image.clone();
    let start = Instant::now();
    diverged.fill(0..16 * MIB, 7); // 4,096 pages copied into free frames
    let elapsed = start.elapsed();
    println!(
        "free pages waiting in arenas: {:.1} MiB; a clone that rewrites 16 MiB took {elapsed:?} ({:.0} ns per page) and left {:.1} MiB free",
        before as f64 / MIB as f64,
        elapsed.as_nanos() as f64 / (16 * MIB / PAGE_SIZE) as f64,
        CowBuffer::page_pool_bytes() as f64 / MIB as f64
    );

    // Files: map one lazily (the file's own pages until written), edit, save the changes.
    let path = std::env::temp_dir().join(format!("cowkit-tour-{}.img", std::process::id()));
    let mut part = image.clone();
    part.truncate(64 * MIB);
    std::fs::write(&path, Vec::from(part)).expect("write the tour's file");
    let start = Instant::now();
    // SAFETY: the tour's own file, which nothing changes while the buffers below live.
    let opened = unsafe { CowBuffer::map_file(&std::fs::File::open(&path).expect("open")) }
        .expect("map the tour's file");
    let elapsed = start.elapsed();
    let mut edited = opened.clone();
    edited.write_at(100 * PAGE_SIZE, b"edited");
    let s = edited.stats();
    println!(
        "map_file of {} MiB: {elapsed:?}; after one write: {} private page, {} still the file's (shared), {} KiB held",
        opened.len() / MIB,
        s.private,
        s.shared,
        s.resident_bytes / 1024
    );
    let saved = path.with_extension("saved");
    std::fs::copy(&path, &saved).expect("copy the tour's file");
    let out = std::fs::File::options()
        .write(true)
        .open(&saved)
        .expect("open the copy");
    let written = edited.write_changes(&opened, &out).expect("save");
    println!("write_changes into a copy: {written} page written");
    assert_eq!(written, 1);
    drop((opened, edited));
    let _ = (std::fs::remove_file(&path), std::fs::remove_file(&saved));
}

fn vec_tour() {
    println!("\n== CowVec<T>: the page table for elements ==");
    const N: u64 = 1_000_000;
    let history: CowVec<u64> = (0..N).collect();
    // A snapshot per edit: each clone is O(1), each edit copies one chunk (512 u64s).
    let mut versions = vec![history.clone()];
    let start = Instant::now();
    for k in 0..100u64 {
        let mut next = versions.last().unwrap().clone();
        next[(k * 7919) as usize % N as usize] = k;
        next.push(k);
        versions.push(next);
    }
    let elapsed = start.elapsed();
    let last = versions.last().unwrap();
    println!(
        "101 versions of a million u64 in {elapsed:?}: the last has {} elements, sums to {}; the first still sums to {}",
        last.len(),
        last.chunks().map(|c| c.iter().sum::<u64>()).sum::<u64>(),
        versions[0].iter().sum::<u64>()
    );
    assert_eq!(versions[0], history);
    assert_eq!(last.len(), N as usize + 100);

    // The large copy-on-write list: readers hold whole snapshots while a writer changes one
    // element per write, at the cost of one chunk, not a copy of the list.
    let cell = CowCell::new(history);
    let reader = cell.load();
    let start = Instant::now();
    for k in 0..1_000 {
        cell.update(|v| v[k * 997] = 0);
    }
    println!(
        "1,000 writes through CowCell<CowVec<u64>> of a million took {:?}; a reader's snapshot still has v[997] = {}",
        start.elapsed(),
        reader[997]
    );
    assert_eq!(reader[997], 997);
    assert_eq!(cell.load()[997], 0);
}

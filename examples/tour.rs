//! A short tour of cowkit: each type sharing on clone and copying only on write, with live
//! figures (counts, copies made, time taken) measured as it runs.
//!
//! Run: `cargo run --release --example tour`.

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Instant;

use cowkit::{CowString, Shared, cow_format};

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
    println!("== CowString: 16 bytes, 15 inline, shared until written ==");
    println!(
        "size_of::<CowString>() = {}, size_of::<Option<CowString>>() = {}",
        size_of::<CowString>(),
        size_of::<Option<CowString>>()
    );
    let short = cow_format!("user-{}", 42);
    println!("{short:?}: inline = {} (no allocation)", short.is_inline());

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

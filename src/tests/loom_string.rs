//! Loom models of `CowString`'s heap block: clones dropped and written on two threads. The
//! block's count is `Shared`'s `RefCount`, so loom explores every interleaving of its
//! increments, decrements and uniqueness checks, and each interleaving checks that no handle
//! sees another's write. (The text bytes are plain memory, not loom cells: the byte-level
//! races are left to the AddressSanitizer and stress runs.)
//!
//! Run: `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom`.

use loom::thread;

use crate::CowString;

const TEXT: &str = "a heap text: longer than fifteen bytes";

#[test]
fn loom_string_clones_written_and_dropped_on_two_threads() {
    loom::model(|| {
        let mut a = CowString::from(TEXT);
        let b = a.clone();
        let t = thread::spawn(move || {
            let mut b = b;
            assert_eq!(b, TEXT);
            b.push('!'); // shared or not: must never write into a's view
            assert_eq!(b.len(), TEXT.len() + 1);
            assert!(b.starts_with(TEXT) && b.ends_with('!'));
        });
        a.make_ascii_uppercase();
        assert_eq!(a, TEXT.to_ascii_uppercase().as_str());
        t.join().unwrap();
        assert!(a.is_unique(), "b's handle is gone");
    });
}

#[test]
fn loom_string_reader_drops_while_owner_writes_in_place() {
    loom::model(|| {
        let mut a = CowString::from(TEXT);
        let reader = a.clone();
        let t = thread::spawn(move || {
            assert_eq!(reader.as_str(), TEXT); // a read, then the drop (Release)
        });
        // When the reader is gone this writes in place: its read must happen before.
        a.truncate(6);
        a.push_str("XYZ");
        assert_eq!(a, "a heapXYZ");
        t.join().unwrap();
    });
}

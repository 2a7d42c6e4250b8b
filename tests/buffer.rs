//! Public-API tests of `CowBuffer`: the API against `Vec<u8>`, holes, growth across table
//! heights, isolation between clones, bad input and the cursor (`tests/buffer_pool.rs`: the page pool and
//! leaks).
//! (`tests/model.rs` runs the random-operation model; `--cfg cowkit_small_pages` shrinks pages
//! to 64 bytes so that the same tests reach deep tables.)
#![cfg(feature = "std")]

mod support;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::thread;

use cowkit::{BufferCursor, CowBuffer, PAGE_SIZE, PageStats};
use support::panic_message;

const P: usize = PAGE_SIZE;

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn hash(buffer: &CowBuffer) -> u64 {
    let mut h = DefaultHasher::new();
    buffer.hash(&mut h);
    h.finish()
}

#[test]
fn api_matches_vec() {
    let mut b = CowBuffer::new();
    let mut v: Vec<u8> = Vec::new();
    assert!(b.is_empty() && b.pages().next().is_none());

    b.extend_from_slice(&pattern(3 * P + 5, 1));
    v.extend_from_slice(&pattern(3 * P + 5, 1));
    assert_eq!(b, v);

    b.write_at(P - 2, b"abcd"); // across a page boundary
    v[P - 2..P + 2].copy_from_slice(b"abcd");
    assert_eq!(b, v);

    b.write_at(v.len() + 2 * P + 1, b"far"); // a gap of zeros (holes)
    v.resize(v.len() + 2 * P + 1, 0);
    v.extend_from_slice(b"far");
    assert_eq!(b, v);
    assert_eq!(b.len(), v.len());

    assert_eq!(b.set(7, 0xFF), Some(v[7]));
    v[7] = 0xFF;
    assert_eq!(b.get(7), Some(0xFF));

    b.fill(10..2 * P + 3, 0x5A);
    v[10..2 * P + 3].fill(0x5A);
    assert_eq!(b, v);

    let mut out = vec![0; 3 * P];
    assert_eq!(b.read_at(P / 2, &mut out), 3 * P);
    assert_eq!(out, v[P / 2..P / 2 + 3 * P]);
    assert_eq!(b.read_at(v.len() - 3, &mut out), 3);
    assert_eq!(out[..3], v[v.len() - 3..]);

    b.truncate(P + 1);
    v.truncate(P + 1);
    assert_eq!(b, v);
    b.resize(3 * P); // grows with zeros: the cut-off bytes must not come back
    v.resize(3 * P, 0);
    assert_eq!(b.to_vec(), v);

    let pages: Vec<&[u8]> = b.pages().collect();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages.concat(), v);

    b.clear();
    assert!(b.is_empty());
    assert_eq!(b.stats(), PageStats::default());
}

#[test]
fn conversions_and_traits() {
    let data = pattern(2 * P + 100, 9);
    let a = CowBuffer::from(data.clone());
    let b = CowBuffer::from(&data[..]);
    assert_eq!(a, b);
    assert_eq!(a, data);
    assert_eq!(a, &data[..]);
    assert_eq!(hash(&a), hash(&b));
    assert_ne!(a, CowBuffer::from(&data[..data.len() - 1]));
    assert_eq!(CowBuffer::default(), CowBuffer::new());

    // Equal bytes, different pages: holes against written zeros.
    let holes = CowBuffer::zeroed(3 * P);
    let mut zeros = CowBuffer::new();
    zeros.write_at(0, &[0u8; 3 * P]);
    assert_eq!(holes, zeros);
    assert_eq!(hash(&holes), hash(&zeros));
    assert_eq!(holes.stats().holes, 3);
    assert_eq!(zeros.stats().holes, 0);

    // A differing byte in the last page, past which the other page holds data.
    let mut c = a.clone();
    c.set(a.len() - 1, 0);
    assert_ne!(a, c);

    let debug = format!("{:?}", CowBuffer::zeroed(1 << 30));
    assert!(debug.len() < 200, "Debug is a summary: {debug}");
    assert!(debug.contains("len: 1073741824"));
}

#[test]
fn holes_take_no_memory() {
    let gib = 1usize << 30;
    let mut b = CowBuffer::zeroed(gib);
    let stats = b.stats();
    assert_eq!(stats.pages, gib / P);
    assert_eq!(stats.holes, gib / P);
    assert_eq!(stats.resident_bytes, 0);
    assert!(b.pages().take(3).all(|page| page.iter().all(|&x| x == 0)));

    b.set(gib / 2, 1);
    let stats = b.stats();
    assert_eq!((stats.private, stats.shared), (1, 0));
    assert!(
        stats.resident_bytes >= P && stats.resident_bytes < P + 2048,
        "{stats:?}"
    );

    // Writing zeros over whole pages gives them back.
    b.fill(gib / 2 - P..gib / 2 + 2 * P, 0);
    assert_eq!(b.stats().resident_bytes, 0);
    assert_eq!(b.get(gib / 2), Some(0));

    // A huge sparse buffer: one page near isize::MAX.
    let mut far = CowBuffer::new();
    let end = isize::MAX as usize;
    far.write_at(end - 1, &[7]);
    assert_eq!(far.len(), end);
    assert_eq!(far.get(end - 1), Some(7));
    assert_eq!(far.get(end - 2), Some(0));
    assert!(far.stats().resident_bytes < P + 4096);
    far.truncate(10);
    assert_eq!(far.stats().resident_bytes, 0);
}

/// Lengths that need tables 1 to 5 levels high (4 KiB pages) or more (small pages), written
/// and read back at each height, then cut back down.
#[test]
fn growth_across_heights() {
    let mut b = CowBuffer::new();
    let mut marks = Vec::new();
    for step in 1..=6u32 {
        let at = 16usize.pow(step) * P - 3; // straddles the end of a level-`step` span
        b.write_at(at, &[step as u8 + 1, 0xAB, 0xCD, 0xEF]);
        marks.push((at, step as u8 + 1));
        for &(m, v) in &marks {
            assert_eq!(
                b.get(m),
                Some(v),
                "mark at {m} after growing to {}",
                b.len()
            );
        }
    }
    let held = b.stats();
    assert_eq!(
        held.private, 12,
        "each 4-byte mark straddles two pages: {held:?}"
    );

    let snapshot = b.clone();
    while let Some((m, v)) = marks.pop() {
        b.truncate(m);
        assert_eq!(b.len(), m);
        for &(n, w) in &marks {
            assert_eq!(b.get(n), Some(w));
        }
        assert_eq!(
            snapshot.get(m),
            Some(v),
            "truncating a clone leaves the snapshot"
        );
    }
    assert_eq!(b.len(), 16 * P - 3);
    assert_eq!(
        b.stats().private,
        1,
        "the page under the first mark's first byte"
    );
    let s = snapshot.stats();
    assert_eq!(
        (s.pages, s.private, s.resident_bytes),
        (held.pages, 12, held.resident_bytes)
    );
}

#[test]
fn clones_are_isolated_and_share_until_written() {
    let base = CowBuffer::from(pattern(8 * P, 3));
    let mut child = base.clone();
    let mut grandchild = child.clone();
    assert_eq!(base.stats().shared, 8);

    child.write_at(P + 5, b"child");
    grandchild.write_at(6 * P, b"grandchild");
    let mut great = grandchild.clone();
    great.fill(0..P, 0xEE);

    assert_eq!(base, pattern(8 * P, 3));
    assert_eq!(child.read_at(P + 5, &mut [0; 5]), 5);
    assert_eq!(base.get(P + 5), Some(pattern(8 * P, 3)[P + 5]));
    assert_eq!(grandchild.get(P + 5), base.get(P + 5));
    assert_eq!(great.get(6 * P), Some(b'g'));
    assert_eq!(grandchild.get(0), base.get(0));
    assert_eq!(great.get(0), Some(0xEE));

    assert_eq!(child.changed_pages(&base), [1]);
    assert_eq!(grandchild.changed_pages(&base), [6]);
    assert_eq!(great.changed_pages(&base), [0, 6]);
    assert_eq!(great.changed_pages(&grandchild), [0]);
    assert!(great.changed_pages(&great.clone()).is_empty());

    let s = child.stats();
    assert_eq!((s.private, s.shared, s.holes), (1, 7, 0));

    // Against a shorter and a longer base.
    let mut longer = base.clone();
    longer.extend_from_slice(&[1; 10]);
    assert_eq!(longer.changed_pages(&base), [8]);
    assert!(base.changed_pages(&longer).is_empty());
}

#[test]
fn threads_write_their_own_clones() {
    let base = CowBuffer::from(pattern(64 * P, 0));
    let handles: Vec<_> = (0..4u8)
        .map(|t| {
            let mut mine = base.clone();
            thread::spawn(move || {
                for page in 0..64 {
                    mine.set(page * P + usize::from(t), t + 100);
                }
                mine
            })
        })
        .collect();
    for (t, handle) in handles.into_iter().enumerate() {
        let mine = handle.join().unwrap();
        for page in 0..64 {
            assert_eq!(mine.get(page * P + t), Some(t as u8 + 100));
        }
        assert_eq!(mine.stats().private, 64);
    }
    assert_eq!(base, pattern(64 * P, 0));
    assert_eq!(base.stats().private, 64, "the clones are gone");
}

#[test]
fn bad_input_gets_the_documented_result() {
    let mut b = CowBuffer::from(pattern(100, 0));
    let mut out = [0u8; 4];
    for offset in [100, 101, 100 + P, usize::MAX / 2, usize::MAX] {
        assert_eq!(b.read_at(offset, &mut out), 0);
        assert_eq!(b.get(offset), None);
        assert_eq!(b.set(offset, 1), None);
    }
    assert_eq!(b.len(), 100, "set never grows");
    b.write_at(usize::MAX, &[]); // nothing to write: no growth, no panic
    assert_eq!(b.len(), 100);

    let max = isize::MAX as usize;
    let overflow = |f: &dyn Fn(&mut CowBuffer)| {
        let mut b = CowBuffer::from(pattern(100, 0));
        let message = panic_message(|| f(&mut b));
        assert_eq!(message.as_deref(), Some("capacity overflow"));
        assert_eq!(b, pattern(100, 0), "a refused write changes nothing");
    };
    overflow(&|b| b.write_at(usize::MAX, &[1]));
    overflow(&|b| b.write_at(max, &[1]));
    overflow(&|b| b.write_at(max - 1, &[1, 2]));
    overflow(&|b| b.resize(max + 1));
    overflow(&|b| *b = CowBuffer::zeroed(usize::MAX));

    let message = panic_message(|| b.clone().fill(50..101, 1));
    assert_eq!(
        message.as_deref(),
        Some("range end index 101 out of range for slice of length 100")
    );
    #[allow(clippy::reversed_empty_ranges)]
    let message = panic_message(|| b.clone().fill(60..50, 1));
    assert_eq!(
        message.as_deref(),
        Some("slice index starts at 60 but ends at 50")
    );
    // Vec's messages for the same calls.
    let v = pattern(100, 0);
    assert!(panic_message(|| v.clone()[50..101].fill(1)).is_some());
    b.fill(100..100, 1); // empty, at the end: fine
}

#[test]
fn cursor_reads_writes_and_seeks_like_io_cursor() -> io::Result<()> {
    let mut buffer = CowBuffer::new();
    let mut ours = BufferCursor::new(&mut buffer);
    let mut std_cursor = io::Cursor::new(Vec::new());
    let text = pattern(2 * P + 7, 5);
    for cursor in [&mut ours as &mut dyn Write, &mut std_cursor] {
        cursor.write_all(&text)?;
    }
    assert_eq!(
        ours.seek(SeekFrom::End(-10))?,
        std_cursor.seek(SeekFrom::End(-10))?
    );
    assert_eq!(
        ours.seek(SeekFrom::Current(P as i64 + 3))?,
        std_cursor.seek(SeekFrom::Current(P as i64 + 3))?
    );
    ours.write_all(b"past the end")?;
    std_cursor.write_all(b"past the end")?;
    assert_eq!(*ours.get_ref(), std_cursor.get_ref());

    for pos in [SeekFrom::Current(-(1 << 40)), SeekFrom::End(i64::MIN)] {
        let err = ours.seek(pos).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
    ours.seek(SeekFrom::Start(u64::MAX))?;
    let mut out = [0u8; 8];
    assert_eq!(ours.read(&mut out)?, 0);
    assert!(ours.fill_buf()?.is_empty());
    let err = ours.write(b"x").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    ours.set_position(isize::MAX as u64);
    assert_eq!(
        ours.write(b"x").unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
    assert_eq!(ours.write(b"")?, 0);
    let _ = ours; // the cursor borrows `buffer` until here
    assert_eq!(
        buffer,
        std_cursor.get_ref().clone(),
        "failed writes wrote nothing"
    );

    // Reads through Read and BufRead, from an O(1) clone.
    let mut reader = BufferCursor::new(buffer.clone());
    reader.seek(SeekFrom::Start(P as u64 - 2))?;
    assert_eq!(
        reader.fill_buf()?.len(),
        2,
        "fill_buf stops at the page's end"
    );
    reader.consume(2);
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest)?;
    assert_eq!(rest, std_cursor.get_ref()[P..]);

    let lines = BufferCursor::new(CowBuffer::from(&b"a\nbb\n\nccc"[..])).lines();
    let lines: Vec<String> = lines.collect::<io::Result<_>>()?;
    assert_eq!(lines, ["a", "bb", "", "ccc"]);
    Ok(())
}

#[cfg(feature = "serde")]
#[test]
fn serde_keeps_holes_and_streams() {
    // Written exactly as `Vec<u8>` writes itself.
    let mut b = CowBuffer::zeroed(8 * P);
    b.set(3 * P + 1, 9);
    let json = serde_json::to_string(&b).unwrap();
    assert_eq!(json, serde_json::to_string(&b.to_vec()).unwrap());
    // Read back: the all-zero pages are holes again, from a sequence and from bytes.
    let back: CowBuffer = serde_json::from_str(&json).unwrap();
    assert_eq!(back, b);
    assert_eq!((back.stats().holes, back.stats().private), (7, 1));
    let bytes = b.to_vec();
    let deserializer = serde::de::value::BytesDeserializer::<serde::de::value::Error>::new(&bytes);
    let back: CowBuffer = serde::Deserialize::deserialize(deserializer).unwrap();
    assert_eq!(back, b);
    assert_eq!((back.stats().holes, back.stats().private), (7, 1));

    // Serializing streams page by page: a terabyte of holes is never gathered into one
    // allocation; the writer's error after a few bytes ends it at once.
    struct Full(usize);
    impl io::Write for Full {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            if self.0 < data.len() {
                return Err(io::Error::other("full"));
            }
            self.0 -= data.len();
            Ok(data.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let huge = CowBuffer::zeroed(1 << 40);
    let error = serde_json::to_writer(io::BufWriter::with_capacity(16, Full(1000)), &huge);
    assert!(error.unwrap_err().is_io());
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trip_as_bytes() {
    let mut b = CowBuffer::zeroed(P + 3);
    b.write_at(P - 1, b"xyz");
    let json = serde_json::to_string(&b).unwrap();
    let back: CowBuffer = serde_json::from_str(&json).unwrap();
    assert_eq!(back, b);
    // A sequence claiming a huge length is read as it arrives, never allocated up front.
    let short: Result<CowBuffer, _> = serde_json::from_str("[1, 2, 3]");
    assert_eq!(short.unwrap(), [1u8, 2, 3][..]);
    assert!(serde_json::from_str::<CowBuffer>("[1, 256]").is_err());
}

#[test]
fn vec_conversions_and_collecting() {
    let data = pattern(3 * P + 7, 4);
    let b = CowBuffer::from(data.clone());
    assert_eq!(Vec::from(b.clone()), data);
    let collected: CowBuffer = data.iter().copied().collect();
    assert_eq!(collected, data);
    assert!(b.bytes().eq(data.iter().copied()));
    assert_eq!(b.bytes().len(), data.len());
    assert_eq!(
        b.bytes().skip(P - 1).take(3).collect::<Vec<_>>(),
        data[P - 1..P + 2]
    );
    assert_eq!(
        b.bytes().map(u64::from).sum::<u64>(),
        data.iter().map(|&x| u64::from(x)).sum::<u64>()
    );
    let mut rest = b.bytes();
    rest.nth(4);
    assert_eq!(
        format!("{rest:?}"),
        format!("Bytes {{ remaining: {} }}", data.len() - 5)
    );

    // Extend from any starting length, by value and by reference; zero pages stay holes.
    let mut e = CowBuffer::from(&data[..10]);
    let mut v = data[..10].to_vec();
    e.extend(data[10..P + 1].iter());
    e.extend(vec![0u8; 2 * P]);
    e.extend([1u8, 2, 3]);
    v.extend_from_slice(&data[10..P + 1]);
    v.extend(vec![0u8; 2 * P]);
    v.extend([1u8, 2, 3]);
    assert_eq!(e, v);
    assert_eq!(e.stats().holes, 1, "page 2 of the appended zeros is a hole");

    // From<&[u8]> leaves all-zero pages as holes; write_at still writes them.
    let mut sparse = vec![0u8; 4 * P];
    sparse[2 * P] = 1;
    assert_eq!(CowBuffer::from(&sparse[..]).stats().holes, 3);
    let mut written = CowBuffer::new();
    written.write_at(0, &sparse);
    assert_eq!(written.stats().holes, 0);

    // A panicking iterator keeps what was appended before it.
    let mut partial = CowBuffer::new();
    let message = panic_message(|| {
        partial.extend((0..2 * P + 5).map(|i| if i == 2 * P + 3 { panic!("boom") } else { 1u8 }))
    });
    assert_eq!(message.as_deref(), Some("boom"));
    assert!(partial.len() >= 2 * P && partial.bytes().all(|x| x == 1));
}

#[test]
fn ptr_eq_page_and_page_mut() {
    let mut a = CowBuffer::from(pattern(3 * P + 2, 1));
    let b = a.clone();
    assert!(a.ptr_eq(&b) && b.ptr_eq(&a));
    assert!(
        CowBuffer::zeroed(5).ptr_eq(&CowBuffer::zeroed(5)),
        "all holes: the same zero bytes"
    );
    assert!(!CowBuffer::zeroed(5).ptr_eq(&CowBuffer::zeroed(6)));
    assert!(
        !a.ptr_eq(&CowBuffer::from(pattern(3 * P + 2, 1))),
        "equal bytes, other pages"
    );

    assert_eq!(a.page(1), Some(&pattern(3 * P + 2, 1)[P..2 * P]));
    assert_eq!(a.page(3).map(<[u8]>::len), Some(2));
    assert_eq!(a.page(4), None);
    assert_eq!(a.page(usize::MAX), None);
    assert_eq!(CowBuffer::zeroed(P).page(0), Some(&[0u8; P][..]));

    // page_mut copies one page, cut at the end of the buffer.
    let last = a.page_mut(3).unwrap();
    assert_eq!(last.len(), 2);
    last.copy_from_slice(b"ok");
    assert!(!a.ptr_eq(&b));
    assert_eq!(a.changed_pages(&b), [3]);
    assert_eq!(a.stats().private, 1);
    assert!(a.page_mut(4).is_none() && a.page_mut(usize::MAX).is_none());
    let mut holes = CowBuffer::zeroed(2 * P);
    holes.page_mut(1).unwrap()[0] = 1;
    assert_eq!((holes.stats().holes, holes.stats().private), (1, 1));
    // Growing after a page_mut write into the last page reads zeros past the old end.
    a.resize(3 * P + 10);
    assert_eq!(a.page(3).unwrap(), b"ok\0\0\0\0\0\0\0\0");
}

#[test]
fn copy_within_matches_slices() {
    let len = 5 * P + 3;
    let cases = [
        (0, 2 * P, P + 1),
        (P + 1, 2 * P, 0),
        (P - 2, 3 * P, P + 5),
        (10, 3 * P + 5, 12),
        (0, len, 0),
        (len, len, 0),
        (7, 7, 3 * P),
    ];
    for (start, end, dest) in cases {
        let mut b = CowBuffer::from(pattern(len, 2));
        let snapshot = b.clone();
        let mut v = pattern(len, 2);
        b.copy_within(start..end, dest);
        v.copy_within(start..end, dest);
        assert_eq!(b, v, "copy_within({start}..{end}, {dest})");
        assert_eq!(snapshot, pattern(len, 2), "the clone is untouched");
    }
    let mut b = CowBuffer::from(pattern(20, 0));
    b.copy_within(.., 0);
    b.copy_within(15.., 0);
    let mut v = pattern(20, 0);
    v.copy_within(15.., 0);
    assert_eq!(b, v);
}

/// Every panic of `copy_within` and `fill` carries the message the slice method gives for the
/// same arguments on this toolchain.
#[test]
fn range_panics_match_std() {
    use std::ops::Bound::{self, Excluded, Included, Unbounded};
    let len = 10;
    let max = usize::MAX;
    let ends = [0, 3, 9, 10, 11, max];
    let mut bounds: Vec<(Bound<usize>, Bound<usize>)> = Vec::new();
    for &s in &ends {
        for &e in &ends {
            bounds.push((Included(s), Excluded(e)));
            bounds.push((Excluded(s), Included(e)));
            bounds.push((Excluded(s), Excluded(e)));
            bounds.push((Included(s), Included(e)));
            bounds.push((Unbounded, Included(e)));
        }
        bounds.push((Excluded(s), Unbounded));
        bounds.push((Included(s), Unbounded));
    }
    let mut panics = 0;
    for range in bounds {
        for dest in [0, 5, 10, 11] {
            let want = panic_message(|| pattern(len, 0).copy_within(range, dest));
            let got = panic_message(|| CowBuffer::from(pattern(len, 0)).copy_within(range, dest));
            assert_eq!(got, want, "copy_within({range:?}, {dest})");
            panics += usize::from(want.is_some());
        }
        if let (Included(s), Excluded(e)) = range {
            let want = panic_message(|| pattern(len, 0)[s..e].fill(1));
            let got = panic_message(|| CowBuffer::from(pattern(len, 0)).fill(s..e, 1));
            assert_eq!(got, want, "fill({s}..{e})");
        }
    }
    assert!(panics > 100, "the grid reaches every panic ({panics})");
    let message = panic_message(|| drop(CowBuffer::from(pattern(3, 0)).split_off(4)));
    let want = panic_message(|| drop(pattern(3, 0).split_off(4)));
    assert_eq!(message, want);
}

#[test]
fn split_off_moves_pages() {
    for at in [0, 1, P - 1, P, 2 * P, 3 * P + 1, 4 * P, 4 * P + 5] {
        let data = pattern(4 * P + 5, 3);
        let mut a = CowBuffer::from(data.clone());
        let before = a.clone();
        let b = a.split_off(at);
        assert_eq!(a, data[..at], "head at {at}");
        assert_eq!(b, data[at..], "tail at {at}");
        assert_eq!(before, data, "the clone is untouched");
        let moved = b.stats().pages;
        if at % P == 0 {
            // The same pages: still shared with the clone taken before.
            assert_eq!(b.stats().shared, moved, "aligned split at {at} shares");
        } else {
            assert_eq!(b.stats().private, moved, "unaligned split at {at} copies");
        }
    }
    // Holes move as holes, and a split of a huge sparse buffer costs only what it holds.
    let mut huge = CowBuffer::zeroed(1 << 40);
    huge.set((1 << 39) + 5, 7);
    let tail = huge.split_off(1 << 39);
    assert_eq!(tail.len(), 1 << 39);
    assert_eq!(tail.get(5), Some(7));
    assert_eq!((tail.stats().private, huge.stats().resident_bytes), (1, 0));
}

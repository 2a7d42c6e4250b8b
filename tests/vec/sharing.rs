//! Structural sharing: chunks shared by pointer after a write, a split or an append.

use super::*;

#[test]
fn a_write_beside_a_snapshot_copies_one_chunk() {
    let a = CowVec::from(counting(LARGE));
    for i in [0, LARGE / 2, LARGE - 1] {
        let mut b = a.clone();
        b[i] = 1;
        let (pa, pb) = (chunk_ptrs(&a), chunk_ptrs(&b));
        assert_eq!(pa.len(), pb.len());
        let differ = pa.iter().zip(&pb).filter(|(x, y)| x != y).count();
        assert_eq!(differ, 1, "a write at {i} copied {differ} chunks");
        // A second write to the same chunk copies nothing more.
        let before = chunk_ptrs(&b);
        b[i] = 2;
        assert_eq!(chunk_ptrs(&b), before);
    }
    let mut b = a.clone();
    b.push(5);
    let (pa, pb) = (chunk_ptrs(&a), chunk_ptrs(&b));
    let same = pa.iter().zip(&pb).filter(|(x, y)| x == y).count();
    assert!(
        same >= pa.len() - 1,
        "a push beside a snapshot copied {} chunks",
        pa.len() - same
    );
}

#[test]
fn split_off_and_append_at_boundaries_share_whole_chunks() {
    let a = CowVec::from(counting(LARGE));
    let cuts = chunk_boundaries(&a);
    let pa = chunk_ptrs(&a);
    let at = cuts[cuts.len() / 2];
    let k = cuts.len() / 2 + 1; // chunks in the head
    let mut head = a.clone();
    let tail = head.split_off(at);
    assert_eq!(chunk_ptrs(&head), pa[..k], "split_off copied head chunks");
    assert_eq!(chunk_ptrs(&tail), pa[k..], "split_off copied tail chunks");
    let mut joined = head.clone();
    let mut rest = tail.clone();
    joined.append(&mut rest);
    let pj = chunk_ptrs(&joined);
    let shared = pj.iter().filter(|c| pa.contains(c)).count();
    assert_eq!(shared, pa.len(), "append at a boundary copied chunks");
    // Off a boundary, the head still shares every chunk before the one cut (the tail may
    // be re-chunked: no assertion on it).
    let mut head = a.clone();
    let _tail = head.split_off(at + 1);
    assert_eq!(
        chunk_ptrs(&head)[..k],
        pa[..k],
        "split_off copied whole head chunks"
    );
}

#[test]
fn eq_skips_shared_chunks() {
    static EQS: AtomicUsize = AtomicUsize::new(0);
    #[derive(Clone, Debug)]
    struct Counted(u64);
    impl PartialEq for Counted {
        fn eq(&self, other: &Self) -> bool {
            EQS.fetch_add(1, Ordering::Relaxed);
            self.0 == other.0
        }
    }
    let a: CowVec<Counted> = (0..LARGE as u64).map(Counted).collect();
    let mut b = a.clone();
    EQS.store(0, Ordering::Relaxed);
    assert!(a == b);
    assert_eq!(
        EQS.load(Ordering::Relaxed),
        0,
        "clones compared element by element"
    );
    b[LARGE / 2] = Counted(LARGE as u64 / 2);
    EQS.store(0, Ordering::Relaxed);
    assert!(a == b);
    let chunk = a.chunks().map(<[Counted]>::len).max().unwrap();
    assert!(
        EQS.load(Ordering::Relaxed) <= chunk,
        "== compared {} elements, more than one chunk ({chunk})",
        EQS.load(Ordering::Relaxed)
    );
}

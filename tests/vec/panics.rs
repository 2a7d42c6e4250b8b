//! Panic safety: a `Clone` or `Drop` of `T` that panics part way through a chunk copy.

use super::*;

// ---------------------------------------------------------------------------------------------
// Panic safety: a `Clone` or `Drop` of `T` that panics part way through a chunk copy

/// Counts of live [`Probe`]s and the instructions for the next panic. Nothing here allocates,
/// so that the counting allocator sees only the vector's own memory.
pub(crate) struct Tally {
    /// Probes made minus probes dropped.
    alive: AtomicIsize,
    /// The next id.
    next: AtomicU64,
    /// Drops of a probe already dropped (its canary says so).
    double_drops: AtomicUsize,
    /// Clones made.
    clones: AtomicUsize,
    /// When non-zero, the clone that brings this to zero panics.
    clone_countdown: AtomicUsize,
    /// The id of the probe whose `Drop` panics (once); `NO_ID` for none.
    drop_panic_id: AtomicU64,
}

const NO_ID: u64 = u64::MAX;
/// A live probe's canary; a dropped one's is overwritten with [`DEAD`].
const ALIVE: u64 = 0xA11E_A11E_A11E_A11E;
const DEAD: u64 = 0xDEAD_DEAD_DEAD_DEAD;

impl Default for Tally {
    fn default() -> Self {
        Tally {
            alive: AtomicIsize::new(0),
            next: AtomicU64::new(0),
            double_drops: AtomicUsize::new(0),
            clones: AtomicUsize::new(0),
            clone_countdown: AtomicUsize::new(0),
            drop_panic_id: AtomicU64::new(NO_ID),
        }
    }
}

impl Tally {
    pub(crate) fn probe(&self, value: u32) -> Probe<'_> {
        self.alive.fetch_add(1, Ordering::Relaxed);
        Probe {
            id: self.next.fetch_add(1, Ordering::Relaxed),
            value,
            canary: ALIVE,
            tally: self,
        }
    }

    pub(crate) fn alive(&self) -> usize {
        let alive = self.alive.load(Ordering::Relaxed);
        assert!(alive >= 0, "more drops than probes: {alive}");
        alive as usize
    }

    fn clones(&self) -> usize {
        self.clones.load(Ordering::Relaxed)
    }

    /// The `k`-th clone from now panics (k ≥ 1).
    fn arm_clone_panic(&self, k: usize) {
        self.clone_countdown.store(k, Ordering::Relaxed);
    }

    fn disarm(&self) {
        self.clone_countdown.store(0, Ordering::Relaxed);
        self.drop_panic_id.store(NO_ID, Ordering::Relaxed);
    }

    fn arm_drop_panic(&self, id: u64) {
        self.drop_panic_id.store(id, Ordering::Relaxed);
    }

    #[track_caller]
    pub(crate) fn assert_all_dropped_once(&self) {
        assert_eq!(self.double_drops.load(Ordering::Relaxed), 0, "double drops");
        assert_eq!(self.alive(), 0, "probes leaked");
    }
}

/// An element that counts itself in a [`Tally`]; its clone and drop panic when told to (with
/// `resume_unwind`: no panic hook runs, so nothing allocates or prints mid-test).
pub(crate) struct Probe<'t> {
    id: u64,
    pub(crate) value: u32,
    /// [`ALIVE`] until dropped.
    canary: u64,
    tally: &'t Tally,
}

impl Debug for Probe<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Probe({}#{})", self.value, self.id)
    }
}

impl PartialEq for Probe<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Clone for Probe<'_> {
    fn clone(&self) -> Self {
        assert_eq!(self.canary, ALIVE, "a clone of a dropped probe");
        let t = self.tally;
        let countdown = t.clone_countdown.load(Ordering::Relaxed);
        if countdown > 0 {
            t.clone_countdown.store(countdown - 1, Ordering::Relaxed);
            if countdown == 1 {
                resume_unwind(Box::new("Probe::clone panicked"));
            }
        }
        t.clones.fetch_add(1, Ordering::Relaxed);
        t.probe(self.value)
    }
}

impl Drop for Probe<'_> {
    fn drop(&mut self) {
        let t = self.tally;
        if self.canary != ALIVE {
            t.double_drops.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.canary = DEAD;
        t.alive.fetch_sub(1, Ordering::Relaxed);
        if t.drop_panic_id.load(Ordering::Relaxed) == self.id {
            t.drop_panic_id.store(NO_ID, Ordering::Relaxed);
            resume_unwind(Box::new("Probe::drop panicked"));
        }
    }
}

fn values(v: &CowVec<Probe<'_>>) -> Vec<u32> {
    v.iter().map(|p| p.value).collect()
}

/// Asserts the chunks of `v` are consistent with its iterator and length.
#[track_caller]
fn assert_valid(v: &CowVec<Probe<'_>>) {
    let by_iter = values(v);
    assert_eq!(by_iter.len(), v.len());
    let by_chunks: Vec<u32> = v.chunks().flatten().map(|p| p.value).collect();
    assert_eq!(by_chunks, by_iter);
    assert!(v.chunks().all(|c| !c.is_empty()));
    assert!(
        v.iter()
            .rev()
            .map(|p| p.value)
            .eq(by_iter.iter().rev().copied())
    );
}

/// What a write interrupted by a panicking clone may leave.
enum After {
    /// The vector's value before the write.
    Unchanged,
    /// A prefix of the old value, at least this long (a truncation may drop whole chunks
    /// before it copies the chunk it cuts).
    PrefixOfAtLeast(usize),
    /// A subsequence of the old value without any element that `keep` would keep removed.
    RetainedPart(fn(u32) -> bool),
}

/// For the `k`-th clone of each `k` the write makes (all of the first 48, then a spread up to
/// the last): runs `write` on a fork of `base` with that clone panicking; then checks that the
/// fork is valid and holds what `after` allows, that `base` is untouched, that nothing the
/// failed write made is alive once the fork drops, and that the same write then succeeds.
fn clone_panics_anywhere<'t>(
    tally: &'t Tally,
    base: &CowVec<Probe<'t>>,
    after: After,
    write: impl Fn(&mut CowVec<Probe<'t>>),
) {
    let old = values(base);
    // How many clones the write makes when nothing panics.
    let start = tally.clones();
    let mut fork = base.clone();
    write(&mut fork);
    let want_after = values(&fork);
    drop(fork);
    let total = tally.clones() - start;
    assert_eq!(tally.alive(), base.len());
    let mut ks: BTreeSet<usize> = (1..=total.min(48)).collect();
    ks.extend((1..=16).map(|j| total * j / 16).filter(|&k| k > 0));
    for k in ks {
        let mut fork = base.clone();
        tally.arm_clone_panic(k);
        let result = catch_unwind(AssertUnwindSafe(|| write(&mut fork)));
        tally.disarm();
        assert!(result.is_err(), "clone {k} of {total} did not panic");
        drop(result);
        assert_valid(&fork);
        let now = values(&fork);
        match after {
            After::Unchanged => assert_eq!(now, old, "changed by a write that failed at clone {k}"),
            After::PrefixOfAtLeast(min) => {
                assert!(now.len() >= min && now[..] == old[..now.len()], "clone {k}")
            }
            After::RetainedPart(keep) => {
                let mut rest = now.iter().peekable();
                for x in &old {
                    if rest.peek() == Some(&x) {
                        rest.next();
                    } else {
                        assert!(!keep(*x), "retain lost a kept element at clone {k}");
                    }
                }
                assert!(
                    rest.next().is_none(),
                    "retain made up elements at clone {k}"
                );
            }
        }
        assert_eq!(values(base), old, "the shared base changed (clone {k})");
        drop(fork);
        assert_eq!(
            tally.alive(),
            base.len(),
            "a failed write at clone {k} leaked"
        );
        assert_eq!(tally.double_drops.load(Ordering::Relaxed), 0);
    }
    // The same write, unarmed, on a fork, still does what it should.
    let mut fork = base.clone();
    write(&mut fork);
    assert_eq!(values(&fork), want_after);
}

/// Base vectors of several chunks of probes; the panicking clone lands at every position of
/// the chunk copies each write makes.
#[test]
fn a_panicking_clone_during_a_chunk_copy_leaks_nothing_and_changes_nothing() {
    let tally = Tally::default();
    assert_no_leak(|| {
        let n = 1500u32;
        let base: CowVec<Probe<'_>> = (0..n).map(|i| tally.probe(i)).collect();
        let t = &tally;
        let mid = n as usize / 2;
        for i in [0, 1, mid, n as usize - 1] {
            clone_panics_anywhere(t, &base, After::Unchanged, |v| v[i].value = 9_999);
            clone_panics_anywhere(t, &base, After::Unchanged, |v| {
                v.get_mut(i).unwrap().value = 9_999
            });
        }
        clone_panics_anywhere(t, &base, After::Unchanged, |v| v.push(t.probe(1)));
        clone_panics_anywhere(t, &base, After::Unchanged, |v| drop(v.pop()));
        for i in [0, mid, n as usize] {
            clone_panics_anywhere(t, &base, After::Unchanged, |v| v.insert(i, t.probe(2)));
        }
        for i in [0, mid, n as usize - 1] {
            clone_panics_anywhere(t, &base, After::Unchanged, |v| drop(v.remove(i)));
        }
        clone_panics_anywhere(t, &base, After::Unchanged, |v| v.swap(1, n as usize - 2));
        // Every element rewritten to its own value: the vector keeps its value either way.
        clone_panics_anywhere(t, &base, After::Unchanged, |v| {
            for p in v.iter_mut() {
                p.value += 0;
            }
        });
        for at in [1, mid + 1, n as usize - 1] {
            clone_panics_anywhere(t, &base, After::Unchanged, |v| drop(v.split_off(at)));
            clone_panics_anywhere(t, &base, After::PrefixOfAtLeast(at), |v| v.truncate(at));
        }
        fn keep(x: u32) -> bool {
            x % 3 != 0
        }
        clone_panics_anywhere(t, &base, After::RetainedPart(keep), |v| {
            v.retain(|p| keep(p.value))
        });
        drop(base);
    });
    tally.assert_all_dropped_once();
}

/// Writes that read a shared vector into new storage (`to_vec`, `From<&[T]>`, `Vec::from` and
/// `into_iter` of a shared vector, `Extend` and `append` from a shared source) with a clone
/// panicking part way: nothing leaks, and both sides stay whole.
#[test]
fn a_panicking_clone_while_copying_out_leaks_nothing() {
    let tally = Tally::default();
    assert_no_leak(|| {
        let base: CowVec<Probe<'_>> = (0..1200).map(|i| tally.probe(i)).collect();
        let old = values(&base);
        let plain: Vec<Probe<'_>> = base.iter().cloned().collect();
        for k in [1, 2, 300, 1199] {
            let attempts: [&dyn Fn(); 5] = [
                &|| drop(base.to_vec()),
                &|| drop(CowVec::from(&plain[..])),
                &|| drop(Vec::from(base.clone())),
                &|| {
                    let mut it = base.clone().into_iter();
                    while it.next().is_some() {}
                },
                &|| {
                    let mut fork = base.clone();
                    fork.extend(plain.iter().cloned());
                },
            ];
            for attempt in attempts {
                tally.arm_clone_panic(k);
                let result = catch_unwind(AssertUnwindSafe(attempt));
                tally.disarm();
                drop(result);
                assert_eq!(values(&base), old);
                assert_valid(&base);
                assert_eq!(tally.alive(), 2 * 1200, "copies left alive (clone {k})");
            }
            // `append` moves elements, cloning only where `other` shares them: whatever it
            // did, nothing is lost or duplicated between the two.
            let mut head = base.clone();
            let mut tail = base.clone();
            tally.arm_clone_panic(k);
            let result = catch_unwind(AssertUnwindSafe(|| head.append(&mut tail)));
            tally.disarm();
            drop(result);
            assert_valid(&head);
            assert_valid(&tail);
            let mut joined = values(&head);
            joined.extend(values(&tail));
            let mut want = old.clone();
            want.extend(&old);
            assert_eq!(
                joined, want,
                "append lost or duplicated elements (clone {k})"
            );
            drop((head, tail));
            assert_eq!(tally.alive(), 2 * 1200);
        }
        drop((base, plain));
    });
    tally.assert_all_dropped_once();
}

/// The last handle's drop, with one element's `Drop` panicking (at the start, end, and on
/// both sides of a chunk boundary): every other element is still dropped, once, and every
/// allocation freed.
#[test]
fn a_panicking_drop_while_dropping_the_vector_drops_the_rest() {
    let tally = Tally::default();
    assert_no_leak(|| {
        let probe_base: CowVec<Probe<'_>> = (0..2000).map(|i| tally.probe(i)).collect();
        let cuts = chunk_boundaries(&probe_base);
        drop(probe_base);
        let mut positions = vec![0, 1, 1999];
        for &cut in cuts.iter().take(3) {
            positions.extend([cut - 1, cut]);
        }
        for at in positions {
            let v: CowVec<Probe<'_>> = (0..2000).map(|i| tally.probe(i)).collect();
            tally.arm_drop_panic(v[at].id);
            assert!(catch_unwind(AssertUnwindSafe(move || drop(v))).is_err());
            tally.disarm();
            assert_eq!(
                tally.alive(),
                0,
                "elements left alive after a panic at {at}"
            );
            assert_eq!(tally.double_drops.load(Ordering::Relaxed), 0);
        }
    });
    tally.assert_all_dropped_once();
}

/// Writes that drop elements (`truncate`, `clear`, `retain`, dropping a diverged clone, a part
/// consumed `into_iter`) with one element's `Drop` panicking: the vector is valid, holds a prefix
/// (or for `retain` a subsequence) of its old value, and everything is dropped exactly once.
#[test]
fn a_panicking_drop_during_a_write_leaves_a_valid_vector() {
    let tally = Tally::default();
    assert_no_leak(|| {
        let make = || -> CowVec<Probe<'_>> { (0..1500).map(|i| tally.probe(i)).collect() };
        let old: Vec<u32> = (0..1500).collect();
        for (cut, victim) in [(100, 1000), (700, 701), (0, 1499), (1499, 1499)] {
            // truncate and clear on a unique vector.
            let mut v = make();
            tally.arm_drop_panic(v[victim].id);
            let result = catch_unwind(AssertUnwindSafe(|| v.truncate(cut)));
            tally.disarm();
            assert!(result.is_err(), "the victim's drop did not run");
            drop(result);
            assert_valid(&v);
            let now = values(&v);
            assert!(now.len() >= cut && now[..] == old[..now.len()]);
            assert!(now.len() <= victim, "the victim is still in the vector");
            assert_eq!(
                tally.alive(),
                now.len(),
                "truncate at {cut} leaked or kept probes"
            );
            v.push(tally.probe(5)); // still usable
            drop(v);
            assert_eq!(tally.alive(), 0);

            let mut v = make();
            tally.arm_drop_panic(v[victim].id);
            assert!(catch_unwind(AssertUnwindSafe(|| v.clear())).is_err());
            tally.disarm();
            assert_valid(&v);
            assert_eq!(tally.alive(), v.len());
            drop(v);

            // retain removing the victim.
            let mut v = make();
            tally.arm_drop_panic(v[victim].id);
            let _ = catch_unwind(AssertUnwindSafe(|| v.retain(|p| p.value % 2 == 1)));
            tally.disarm();
            assert_valid(&v);
            let now = values(&v);
            let mut rest = now.iter().peekable();
            for x in &old {
                if rest.peek() == Some(&x) {
                    rest.next();
                } else {
                    assert!(x % 2 == 0, "retain lost a kept element");
                }
            }
            assert!(rest.next().is_none(), "retain made up elements");
            assert_eq!(tally.alive(), now.len());
            drop(v);

            // A diverged fork: dropping the original drops only what it alone holds.
            let a = make();
            let mut b = a.clone();
            b[cut.min(1499)].value = 77;
            tally.arm_drop_panic(a[cut.min(1499)].id);
            assert!(catch_unwind(AssertUnwindSafe(move || drop(a))).is_err());
            tally.disarm();
            assert_eq!(tally.alive(), b.len(), "a's own elements not all dropped");
            assert_valid(&b);
            drop(b);

            // A part-consumed owned iterator (the first element taken out).
            let v = make();
            tally.arm_drop_panic(v[victim.max(1)].id);
            let mut it = v.into_iter();
            let first = it.next();
            assert!(catch_unwind(AssertUnwindSafe(move || drop(it))).is_err());
            tally.disarm();
            assert_eq!(tally.alive(), 1, "only the element taken out is left");
            drop(first);
        }
    });
    tally.assert_all_dropped_once();
}

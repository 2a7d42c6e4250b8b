//! The operation model of `Shared<T>`, shared by the proptest (`tests/model.rs`) and the fuzz
//! target (`fuzz/fuzz_targets/shared_ops.rs`).
//!
//! A [`SharedModel`] keeps a set of handles and, beside them, a model of which handles point at
//! one allocation and what each allocation holds. After every [`SharedOp`], [`SharedModel::check`]
//! asserts that each handle shows its allocation's model value (so a write through one handle
//! never shows through another), that every count equals the number of handles the model says
//! share it, and that `ptr_eq` agrees with the model's sharing.

use std::collections::HashMap;

use cowkit::Shared;

/// At most this many handles are kept, so that random ops hit shared handles often.
const MAX_HANDLES: usize = 12;

/// One operation; indices wrap around the live handles.
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum SharedOp {
    /// A new handle to a new allocation holding `[byte]`.
    New(u8),
    /// Clone handle `i`.
    Clone(u8),
    /// Drop handle `i`.
    Drop(u8),
    /// `make_mut(i).push(byte)`: copies when shared, in place when unique.
    MakeMutPush(u8, u8),
    /// `get_mut(i)`: `Some` exactly when unique; then push `byte`.
    GetMutPush(u8, u8),
    /// `try_unwrap(i)`: `Ok` exactly when unique; the value goes into a new handle.
    TryUnwrap(u8),
    /// `unwrap_or_clone(i)`: the value goes into a new handle.
    UnwrapOrClone(u8),
    /// `from_raw(into_raw(i))`: the same handle back.
    RawRoundTrip(u8),
}

/// Handles under test and the model of what they share.
#[derive(Default)]
pub struct SharedModel {
    handles: Vec<Shared<Vec<u8>>>,
    /// `ids[i]` names the allocation `handles[i]` points at, in the model.
    ids: Vec<usize>,
    /// The model value of each live allocation.
    values: HashMap<usize, Vec<u8>>,
    next_id: usize,
}

impl SharedModel {
    /// No handles yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn sharers(&self, id: usize) -> usize {
        self.ids.iter().filter(|&&other| other == id).count()
    }

    fn add(&mut self, handle: Shared<Vec<u8>>, value: Vec<u8>) {
        let id = self.next_id;
        self.next_id += 1;
        self.handles.push(handle);
        self.ids.push(id);
        self.values.insert(id, value);
    }

    fn remove(&mut self, i: usize) -> (Shared<Vec<u8>>, usize) {
        let handle = self.handles.swap_remove(i);
        let id = self.ids.swap_remove(i);
        if self.sharers(id) == 0 {
            self.values.remove(&id);
        }
        (handle, id)
    }

    /// Applies `op` to the handles and to the model.
    pub fn apply(&mut self, op: &SharedOp) {
        if let SharedOp::New(byte) = *op {
            if self.handles.len() < MAX_HANDLES {
                self.add(Shared::new(vec![byte]), vec![byte]);
            }
            return;
        }
        if self.handles.is_empty() {
            return;
        }
        let len = self.handles.len();
        let at = |i: u8| usize::from(i) % len;
        match *op {
            SharedOp::New(_) => unreachable!("handled above"),
            SharedOp::Clone(i) => {
                if len < MAX_HANDLES {
                    let i = at(i);
                    self.handles.push(Shared::clone(&self.handles[i]));
                    self.ids.push(self.ids[i]);
                }
            }
            SharedOp::Drop(i) => {
                let (handle, _) = self.remove(at(i));
                drop(handle);
            }
            SharedOp::MakeMutPush(i, byte) => {
                let i = at(i);
                let id = self.ids[i];
                let before = Shared::as_ptr(&self.handles[i]);
                Shared::make_mut(&mut self.handles[i]).push(byte);
                let moved = Shared::as_ptr(&self.handles[i]) != before;
                if self.sharers(id) > 1 {
                    assert!(moved, "make_mut on a shared handle must copy");
                    let mut value = self.values[&id].clone();
                    value.push(byte);
                    let new_id = self.next_id;
                    self.next_id += 1;
                    self.ids[i] = new_id;
                    self.values.insert(new_id, value);
                } else {
                    assert!(!moved, "make_mut on a unique handle must not copy");
                    self.values.get_mut(&id).unwrap().push(byte);
                }
            }
            SharedOp::GetMutPush(i, byte) => {
                let i = at(i);
                let id = self.ids[i];
                let unique = self.sharers(id) == 1;
                match Shared::get_mut(&mut self.handles[i]) {
                    Some(value) => {
                        assert!(unique, "get_mut gave access to a shared value");
                        value.push(byte);
                        self.values.get_mut(&id).unwrap().push(byte);
                    }
                    None => assert!(!unique, "get_mut refused a unique handle"),
                }
            }
            SharedOp::TryUnwrap(i) => {
                let (handle, id) = self.remove(at(i));
                let unique = self.sharers(id) == 0;
                match Shared::try_unwrap(handle) {
                    Ok(value) => {
                        assert!(unique, "try_unwrap took a shared value");
                        self.add(Shared::new(value.clone()), value);
                    }
                    Err(handle) => {
                        assert!(!unique, "try_unwrap refused a unique handle");
                        self.handles.push(handle);
                        self.ids.push(id);
                    }
                }
            }
            SharedOp::UnwrapOrClone(i) => {
                let i = at(i);
                let id = self.ids[i];
                let expected = self.values[&id].clone();
                let (handle, _) = self.remove(i);
                let value = Shared::unwrap_or_clone(handle);
                assert_eq!(value, expected);
                self.add(Shared::new(value), expected);
            }
            SharedOp::RawRoundTrip(i) => {
                let i = at(i);
                let ptr = Shared::into_raw(self.handles.swap_remove(i));
                // SAFETY: `ptr` came from `into_raw` just above and is turned back once.
                let handle = unsafe { Shared::from_raw(ptr) };
                assert_eq!(Shared::as_ptr(&handle), ptr);
                self.handles.push(handle);
                let id = self.ids.swap_remove(i);
                self.ids.push(id);
            }
        }
    }

    /// Asserts that the handles agree with the model.
    pub fn check(&self) {
        assert_eq!(self.handles.len(), self.ids.len());
        for (i, handle) in self.handles.iter().enumerate() {
            let id = self.ids[i];
            assert_eq!(**handle, self.values[&id], "handle {i} shows another value");
            assert_eq!(
                Shared::strong_count(handle),
                self.sharers(id),
                "handle {i}'s count"
            );
            for (j, other) in self.handles.iter().enumerate() {
                assert_eq!(
                    Shared::ptr_eq(handle, other),
                    id == self.ids[j],
                    "ptr_eq({i}, {j})"
                );
            }
        }
        let live: std::collections::HashSet<_> = self.ids.iter().collect();
        assert_eq!(
            live.len(),
            self.values.len(),
            "the model keeps a dead allocation"
        );
    }
}

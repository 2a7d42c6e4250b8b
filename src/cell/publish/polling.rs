//! The cached reader of the strategies whose loads return owned handles (seize, the loom
//! stand-in): it keeps the version it last loaded and reloads when the cell's pointer differs.
#![deny(unsafe_code)]

use core::ops::Deref;

use crate::shared::Shared;

/// A cell that can show its current pointer without protecting it.
pub trait Peek<T> {
    /// The published pointer, to compare with a handle already held; never dereferenced.
    fn current_ptr(&self) -> *const T;

    /// The current version as an owned handle (one count increment).
    fn load_counted(&self) -> Shared<T>;
}

/// A reader's private cache of one cell's current version, for hot read loops.
///
/// The kept version is alive (it holds a count), so its address cannot be reused by a newer
/// version while it is kept: an equal pointer is the same version.
pub struct PollingReader<T, S> {
    source: S,
    cached: Shared<T>,
}

impl<T, C: Peek<T>, S: Deref<Target = C>> PollingReader<T, S> {
    /// A reader of the cell `source` leads to, starting at its current version.
    pub(crate) fn new(source: S) -> Self {
        PollingReader {
            cached: source.load_counted(),
            source,
        }
    }

    /// The current version, reloaded only if it changed since the last call. The version it
    /// replaces is dropped here, outside any lock.
    #[inline]
    pub(crate) fn load(&mut self) -> &Shared<T> {
        if self.source.current_ptr() != Shared::as_ptr(&self.cached) {
            self.cached = self.source.load_counted();
        }
        &self.cached
    }
}

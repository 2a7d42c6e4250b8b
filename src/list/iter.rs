//! [`Iter`], the iterator of `CowList` and `CowSet` over one version, and their by-value
//! conversions (`IntoIterator`, `From<…> for Vec<T>`).
#![deny(unsafe_code)]

use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

use super::GenericCowList;
use super::set::GenericCowSet;
use crate::cell::publish::Publish;
use crate::shared::Shared;

/// An iterator over clones of the elements of one version of a [`CowList`](super::CowList) or [`CowSet`](super::CowSet), from
/// [`CowList::iter`](super::CowList::iter), [`CowSet::iter`](super::CowSet::iter) or `for x in &list`.
///
/// It owns that version (a [`Shared`] count), so writes made meanwhile neither show nor
/// disturb it, and clones each element when it is reached.
pub struct Iter<T> {
    snapshot: Shared<Vec<T>>,
    /// The indices still to yield.
    range: Range<usize>,
}

impl<T> Iter<T> {
    /// An iterator over every element of `snapshot`, which it keeps.
    pub(super) fn new(snapshot: Shared<Vec<T>>) -> Self {
        Iter {
            range: 0..snapshot.len(),
            snapshot,
        }
    }
}

impl<T: Clone> Iterator for Iter<T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        self.range.next().map(|i| self.snapshot[i].clone())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }

    fn nth(&mut self, n: usize) -> Option<T> {
        self.range.nth(n).map(|i| self.snapshot[i].clone())
    }
}

impl<T: Clone> DoubleEndedIterator for Iter<T> {
    fn next_back(&mut self) -> Option<T> {
        self.range.next_back().map(|i| self.snapshot[i].clone())
    }
}

impl<T: Clone> ExactSizeIterator for Iter<T> {}

impl<T: Clone> core::iter::FusedIterator for Iter<T> {}

impl<T> Clone for Iter<T> {
    fn clone(&self) -> Self {
        Iter {
            snapshot: Shared::clone(&self.snapshot),
            range: self.range.clone(),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Iter<T> {
    /// The elements still to come.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Iter")
            .field(&&self.snapshot[self.range.clone()])
            .finish()
    }
}

impl<T: Clone, P: Publish> IntoIterator for &GenericCowList<T, P> {
    type Item = T;
    type IntoIter = Iter<T>;

    fn into_iter(self) -> Iter<T> {
        self.iter()
    }
}

impl<T: Clone, P: Publish> IntoIterator for &GenericCowSet<T, P> {
    type Item = T;
    type IntoIter = Iter<T>;

    fn into_iter(self) -> Iter<T> {
        self.iter()
    }
}

impl<T: Clone, P: Publish> IntoIterator for GenericCowList<T, P> {
    type Item = T;
    type IntoIter = alloc::vec::IntoIter<T>;

    /// The elements, taken out of the list (moved when no snapshot shares them, else cloned).
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<T: Clone, P: Publish> IntoIterator for GenericCowSet<T, P> {
    type Item = T;
    type IntoIter = alloc::vec::IntoIter<T>;

    /// The elements, in insertion order, taken out of the set (moved when no snapshot shares
    /// them, else cloned).
    fn into_iter(self) -> Self::IntoIter {
        self.list.into_vec().into_iter()
    }
}

impl<T: Clone, P: Publish> From<GenericCowList<T, P>> for Vec<T> {
    /// The elements, taken out of the list: [`CowList::into_vec`](super::CowList::into_vec).
    fn from(list: GenericCowList<T, P>) -> Vec<T> {
        list.into_vec()
    }
}

impl<T: Clone, P: Publish> From<GenericCowSet<T, P>> for Vec<T> {
    /// The elements in insertion order, taken out of the set (moved when no snapshot shares
    /// them, else cloned).
    fn from(set: GenericCowSet<T, P>) -> Vec<T> {
        set.list.into_vec()
    }
}

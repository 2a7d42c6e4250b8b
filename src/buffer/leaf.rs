//! The buffer's leaf of the page table (`crate::table`): `FAN` page slots, each a handle to a
//! frame of the page arenas (counted in its arena's header) or to a page of a mapped file
//! (`page/`), or `None` for a hole. And
//! the buffer's questions to its table, in pages: which page is at an index, which pages differ
//! between two tables, how many pages are private or shared.

#![deny(unsafe_code)]

use core::ops::{ControlFlow, Range};

use super::PageStats;
use super::page::{self, PageRef};
use crate::config::TABLE_FAN_SHIFT;
use crate::shared::Shared;
use crate::table::{self, Leaf, Node, Table};

/// Pages per leaf: as many as a branch has children, so that a leaf node is the size of a
/// branch.
const PAGES: usize = 1 << TABLE_FAN_SHIFT;

/// The page table of a buffer.
pub(crate) type PageTable = Table<Pages>;

/// One leaf: `PAGES` page slots, `None` for a hole.
pub(crate) struct Pages([Option<PageRef>; PAGES]);

impl Leaf for Pages {
    type Item = Option<PageRef>;
    const SHIFT: u32 = TABLE_FAN_SHIFT;

    fn empty() -> Self {
        Pages([const { None }; PAGES])
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    #[inline]
    fn items(&self) -> &[Option<PageRef>] {
        &self.0
    }

    #[inline]
    fn items_mut(&mut self) -> &mut [Option<PageRef>] {
        &mut self.0
    }

    /// Makes the slots holes; their pages go back to the pool in one batch.
    fn clear(&mut self, slots: Range<usize>) {
        page::release(self.0[slots].iter_mut().filter_map(Option::take));
    }
}

impl Clone for Pages {
    /// Takes one count on each page, after prefetching the counts (they sit side by side in
    /// the arenas' headers for pages taken in order, so this touches two or three lines).
    fn clone(&self) -> Self {
        self.0.iter().flatten().for_each(PageRef::prefetch);
        Pages(self.0.clone())
    }
}

impl Drop for Pages {
    /// Hands the pages of a dropped leaf to the pool in one batch (one lock per leaf), after
    /// prefetching their counts (each is read to see whether the page is free).
    fn drop(&mut self) {
        self.0.iter().flatten().for_each(PageRef::prefetch);
        page::release(self.0.iter_mut().filter_map(Option::take));
    }
}

impl Table<Pages> {
    /// The page at index `page_no`, or `None` for a hole.
    #[inline]
    pub(crate) fn page(&self, page_no: usize) -> Option<&PageRef> {
        self.item(page_no)?.as_ref()
    }

    /// The slot of page `page_no`, writable: [`Table::items_mut`] for one page.
    #[inline]
    pub(crate) fn slot_mut(&mut self, page_no: usize) -> &mut Option<PageRef> {
        &mut self.items_mut(page_no..page_no + 1)[0]
    }

    /// Counts pages and nodes for [`PageStats`]; `pages` is the buffer's page count.
    pub(crate) fn stats(&self, pages: usize) -> PageStats {
        let mut stats = PageStats {
            pages,
            holes: 0,
            private: 0,
            shared: 0,
            resident_bytes: 0,
        };
        self.census(&mut |leaf, shared| {
            stats.resident_bytes += Shared::<Node<Pages>>::ALLOCATION_SIZE;
            for page in leaf.into_iter().flat_map(|leaf| leaf.0.iter().flatten()) {
                // A file page is the OS's page cache, not the buffer's memory.
                if !PageRef::is_file(page) {
                    stats.resident_bytes += PageRef::ALLOCATION_SIZE;
                }
                if shared || PageRef::is_shared(page) {
                    stats.shared += 1;
                } else {
                    stats.private += 1;
                }
            }
        });
        stats.holes = pages - stats.private - stats.shared;
        stats
    }
}

/// Calls `visit(page_no, page_in_a, page_in_b)`, in ascending page order, for every page index
/// in `pages` where `a` and `b` do not hold the very same page (a hole in both counts as the
/// same): [`table::diff`] in pages. Against an empty table this visits the pages `a` holds in
/// `pages`: the walk behind `changed_pages`, `==` and moving pages out (`split_off`).
pub(crate) fn diff(
    a: &PageTable,
    b: &PageTable,
    pages: Range<usize>,
    visit: &mut impl FnMut(usize, Option<&PageRef>, Option<&PageRef>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    table::diff(a, b, pages.clone(), &mut |first, la, lb| {
        for slot in 0..PAGES {
            let pa = la.and_then(|l| l.leaf().0[slot].as_ref());
            let pb = lb.and_then(|l| l.leaf().0[slot].as_ref());
            let same = match (pa, pb) {
                (None, None) => true,
                (Some(x), Some(y)) => PageRef::ptr_eq(x, y),
                _ => false,
            };
            if !same && pages.contains(&(first + slot)) {
                visit(first + slot, pa, pb)?;
            }
        }
        ControlFlow::Continue(())
    })
}

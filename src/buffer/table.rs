//! The page table: a radix tree of [`Shared`] nodes whose leaves hold page handles (frames of
//! the page arenas, counted in their arena's header: `page.rs`).
//!
//! Every access to pages goes through the walks written here, once: [`Table::page`] and
//! [`Reader`] (reads), [`Table::slots_mut`] and [`Table::slot_mut`] (writes: copy-on-write
//! along one path), [`Table::punch`] (holes and truncation), [`Table::stats`] (one depth-first
//! pass) and [`diff`] (two tables side by side, skipping subtrees they share).
//!
//! A node at level 1 is a leaf: `FAN` page slots. A node at level `l > 1` is a branch: `FAN`
//! slots of level `l - 1` nodes. A node at level `l` covers `FAN^l` pages. `None` anywhere is
//! a hole: every page under it reads as zeros and costs no memory.
//!
//! The fan-out is this module's alone: callers name pages by their index, and [`slot`] is the
//! one place where a page index becomes the slot that leads to it at some level.

#![deny(unsafe_code)]

use core::ops::{ControlFlow, Range};

use super::PageStats;
use super::page::{self, PageRef};
use crate::config::PAGE_TABLE_FAN_SHIFT;
use crate::shared::Shared;

/// log2 of the fan-out: `config::PAGE_TABLE_FAN_SHIFT`, with the reason for its value.
const FAN_SHIFT: u32 = PAGE_TABLE_FAN_SHIFT;

/// Children per node.
const FAN: usize = 1 << FAN_SHIFT;

const _: () = assert!(FAN >= 2);

/// One node of the table.
///
/// Cloning a node (which `Shared::make_mut` does on the first write after a buffer was cloned)
/// clones its `FAN` child handles: one count increment per present child.
pub(crate) enum Node {
    /// Level 1: page slots.
    Leaf([Option<PageRef>; FAN]),
    /// Levels above 1: child node slots.
    Branch([Option<Shared<Node>>; FAN]),
}

/// The page slots of one leaf.
type Leaf = [Option<PageRef>; FAN];

impl Node {
    /// A node with no children, of the kind that belongs at `level`.
    fn empty(level: u32) -> Self {
        if level == 1 {
            Node::Leaf([const { None }; FAN])
        } else {
            Node::Branch([const { None }; FAN])
        }
    }

    /// `true` when every slot is a hole.
    fn is_empty(&self) -> bool {
        match self {
            Node::Leaf(pages) => pages.iter().all(Option::is_none),
            Node::Branch(children) => children.iter().all(Option::is_none),
        }
    }

    /// The child node in `slot` of a branch (`None` for a hole, or for a leaf).
    fn child(&self, slot: usize) -> Option<&Shared<Node>> {
        match self {
            Node::Branch(children) => children[slot].as_ref(),
            Node::Leaf(_) => None,
        }
    }
}

impl Clone for Node {
    /// Takes one count on each child. The children's counts sit in separate allocations, so
    /// each is likely a cache miss: all of them are prefetched first, so that the misses
    /// overlap instead of each waiting behind the previous locked increment (measured: the
    /// first write after cloning 1 GiB, README).
    fn clone(&self) -> Self {
        match self {
            Node::Leaf(pages) => {
                pages.iter().flatten().for_each(PageRef::prefetch);
                Node::Leaf(pages.clone())
            }
            Node::Branch(children) => {
                children.iter().flatten().for_each(Shared::prefetch);
                Node::Branch(children.clone())
            }
        }
    }
}

impl Drop for Node {
    /// Hands the pages of a dropped leaf to the pool in one batch (one lock per leaf), after
    /// prefetching their counts (each is read to see whether the page is free).
    fn drop(&mut self) {
        if let Node::Leaf(pages) = self {
            pages.iter().flatten().for_each(PageRef::prefetch);
            page::release(pages.iter_mut().filter_map(Option::take));
        }
    }
}

/// How many pages a node at `level` covers: `FAN^level`, saturating at `usize::MAX`.
pub(crate) fn span(level: u32) -> usize {
    1usize.checked_shl(FAN_SHIFT * level).unwrap_or(usize::MAX)
}

/// The lowest height whose root covers `pages` pages (at least 1).
pub(crate) fn height_for(pages: usize) -> u32 {
    let mut height = 1;
    while span(height) < pages {
        height += 1;
    }
    height
}

/// The slot that leads to page `page_no` in a node at `level` (≥ 1): in a leaf (level 1), the
/// page's own slot; in a branch, the child whose span holds the page.
#[inline]
fn slot(page_no: usize, level: u32) -> usize {
    (page_no >> (FAN_SHIFT * (level - 1))) & (FAN - 1)
}

/// The slots, in the leaf that holds page `pages.start`, of the pages from `pages.start` up to
/// `pages.end` or the end of that leaf, whichever comes first. `pages` is not empty.
#[inline]
fn leaf_slots(pages: &Range<usize>) -> Range<usize> {
    debug_assert!(pages.start < pages.end, "a lookup names at least one page");
    let first = slot(pages.start, 1);
    first..first + (FAN - first).min(pages.end - pages.start)
}

/// A radix tree of pages.
pub(crate) struct Table {
    /// The top node, at level `height`; `None` when every page is a hole.
    root: Option<Shared<Node>>,
    /// Levels of nodes, ≥ 1. Invariant: `height == height_for(pages)` for the buffer's page
    /// count, and no slot holds anything at or past that page count.
    height: u32,
}

impl Table {
    /// A table of holes.
    pub(crate) const fn new() -> Self {
        Table {
            root: None,
            height: 1,
        }
    }

    /// Another table sharing every node: one count increment on the root.
    pub(crate) fn share(&self) -> Self {
        Table {
            root: self.root.clone(),
            height: self.height,
        }
    }

    /// Adds levels on top until the root covers `pages` pages. The old root (if any) becomes
    /// slot 0 of the new one, so every page keeps its index.
    pub(crate) fn grow(&mut self, pages: usize) {
        while span(self.height) < pages {
            self.height += 1;
            if let Some(root) = self.root.take() {
                let mut top = Node::empty(self.height);
                if let Node::Branch(children) = &mut top {
                    children[0] = Some(root);
                }
                self.root = Some(Shared::new(top));
            }
        }
    }

    /// Removes levels from the top while a lower root covers `pages` pages. The caller has
    /// already punched every page at or past `pages`, so only slot 0 can be occupied.
    pub(crate) fn shrink(&mut self, pages: usize) {
        let height = height_for(pages);
        while self.height > height {
            self.height -= 1;
            self.root = self
                .root
                .take()
                .and_then(|mut root| match Shared::get_mut(&mut root) {
                    Some(Node::Branch(children)) => children[0].take(),
                    _ => root.child(0).cloned(),
                });
        }
    }

    /// The page at index `page_no`, or `None` for a hole.
    #[inline]
    pub(crate) fn page(&self, page_no: usize) -> Option<&PageRef> {
        self.leaf(page_no)?[slot(page_no, 1)].as_ref()
    }

    /// The slot of page `page_no`, writable: [`slots_mut`](Self::slots_mut) for one page.
    #[inline]
    pub(crate) fn slot_mut(&mut self, page_no: usize) -> &mut Option<PageRef> {
        &mut self.slots_mut(page_no..page_no + 1)[0]
    }

    /// The slots of the pages from `pages.start` (not empty, within the root's span) up to
    /// `pages.end` or the end of the leaf that holds `pages.start`, whichever comes first, in
    /// one walk: `slots[i]` is page `pages.start + i`. Writable: every node on the path that
    /// another table shares is copied first (one count increment per child of each copied
    /// node); missing nodes are created. The pages themselves are left as they are.
    #[inline]
    pub(crate) fn slots_mut(&mut self, pages: Range<usize>) -> &mut [Option<PageRef>] {
        let slots = leaf_slots(&pages);
        &mut self.leaf_mut(pages.start)[slots]
    }

    /// A reader of this table's pages in ascending order, one walk per leaf.
    pub(crate) fn reader(&self) -> Reader<'_> {
        Reader {
            table: self,
            leaf_no: usize::MAX,
            leaf: None,
        }
    }

    /// The page slots of the leaf that holds page `page_no`, or `None` when they are all
    /// holes.
    #[inline]
    fn leaf(&self, page_no: usize) -> Option<&Leaf> {
        let mut node = self.root.as_deref()?;
        let mut level = self.height;
        loop {
            match node {
                Node::Leaf(pages) => {
                    debug_assert_eq!(level, 1, "leaves live at level 1");
                    return Some(pages);
                }
                Node::Branch(children) => {
                    node = children[slot(page_no, level)].as_deref()?;
                    level -= 1;
                }
            }
        }
    }

    /// The page slots of the leaf that holds page `page_no`, writable: every node on the path
    /// that another table shares is copied first (one count increment per child of each copied
    /// node); missing nodes are created. The page must lie within the root's span.
    #[inline]
    fn leaf_mut(&mut self, page_no: usize) -> &mut Leaf {
        let mut level = self.height;
        let mut place = &mut self.root;
        loop {
            let node = place.get_or_insert_with(|| Shared::new(Node::empty(level)));
            match Shared::make_mut(node) {
                Node::Leaf(pages) => {
                    debug_assert_eq!(level, 1, "leaves live at level 1");
                    return pages;
                }
                Node::Branch(children) => {
                    place = &mut children[slot(page_no, level)];
                    level -= 1;
                }
            }
        }
    }

    /// Makes every page in `pages` a hole, and drops nodes left with nothing under them.
    /// Nodes wholly inside the range are dropped without being visited.
    pub(crate) fn punch(&mut self, pages: Range<usize>) {
        if !pages.is_empty() {
            punch(&mut self.root, self.height, 0, &pages);
        }
    }

    /// `true` when both tables have the same root node, or both have none (every page a
    /// hole): then they hold the very same pages.
    pub(crate) fn same_root(&self, other: &Table) -> bool {
        match (&self.root, &other.root) {
            (Some(a), Some(b)) => Shared::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
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
        if let Some(root) = &self.root {
            count(root, false, &mut stats);
        }
        stats.holes = pages - stats.private - stats.shared;
        stats
    }
}

/// A walk over one table kept between lookups, from [`Table::reader`]: lookups of pages in one
/// leaf after another cost one walk per leaf, not one per page.
#[derive(Clone)]
pub(crate) struct Reader<'a> {
    /// The table read.
    table: &'a Table,
    /// The number of the leaf `leaf` is, counted in leaves from page 0 (`usize::MAX` before the
    /// first lookup).
    leaf_no: usize,
    /// The slots of leaf `leaf_no`, or `None` when they are all holes.
    leaf: Option<&'a Leaf>,
}

impl<'a> Reader<'a> {
    /// The slots of the pages from `pages.start` (not empty) up to `pages.end` or the end of the
    /// leaf that holds `pages.start`, whichever comes first: `slots[i]` is page
    /// `pages.start + i`. `None` when that whole leaf is holes. Walks only when `pages.start`
    /// lies in another leaf than the last lookup's.
    #[inline]
    pub(crate) fn slots(&mut self, pages: Range<usize>) -> Option<&'a [Option<PageRef>]> {
        let leaf_no = pages.start >> FAN_SHIFT;
        if leaf_no != self.leaf_no {
            self.leaf_no = leaf_no;
            self.leaf = self.table.leaf(pages.start);
        }
        Some(&self.leaf?[leaf_slots(&pages)])
    }
}

/// [`Table::punch`] below one slot holding a node at `level` whose first page is `first`.
fn punch(slot: &mut Option<Shared<Node>>, level: u32, first: usize, pages: &Range<usize>) {
    let Some(node) = slot else { return };
    let last = first.saturating_add(span(level));
    if pages.end <= first || last <= pages.start {
        return;
    }
    if pages.start <= first && last <= pages.end {
        // The whole subtree goes; its unique pages return to the pool as its leaves drop.
        *slot = None;
        return;
    }
    let node = Shared::make_mut(node);
    let child_span = span(level - 1);
    // Slots overlapping the range (the range is not empty and overlaps this node).
    let lo = pages.start.saturating_sub(first) / child_span;
    let hi = ((pages.end - first - 1) / child_span).min(FAN - 1);
    match node {
        Node::Leaf(slots) => page::release(slots[lo..=hi].iter_mut().filter_map(Option::take)),
        Node::Branch(children) => {
            for (i, child) in children.iter_mut().enumerate().take(hi + 1).skip(lo) {
                punch(child, level - 1, first + i * child_span, pages);
            }
        }
    }
    if node.is_empty() {
        *slot = None;
    }
}

/// [`Table::stats`] below one node; `shared_above` says a node on its path has other holders.
fn count(node: &Shared<Node>, shared_above: bool, stats: &mut PageStats) {
    let shared = shared_above || Shared::strong_count(node) > 1;
    stats.resident_bytes += Shared::<Node>::ALLOCATION_SIZE;
    match &**node {
        Node::Leaf(pages) => {
            for page in pages.iter().flatten() {
                stats.resident_bytes += PageRef::ALLOCATION_SIZE;
                if shared || PageRef::strong_count(page) > 1 {
                    stats.shared += 1;
                } else {
                    stats.private += 1;
                }
            }
        }
        Node::Branch(children) => {
            for child in children.iter().flatten() {
                count(child, shared, stats);
            }
        }
    }
}

/// Calls `visit(page_no, page_in_a, page_in_b)`, in ascending page order, for every page
/// index in `pages` where `a` and `b` do not hold the very same page (a hole in both counts
/// as the same). Subtrees the two share, holes in both and subtrees outside `pages` are
/// skipped without being entered. Stops when `visit` breaks.
///
/// Against an empty table this visits the pages `a` holds in `pages`: the walk behind
/// `changed_pages`, `==` and moving pages out (`split_off`).
pub(crate) fn diff(
    a: &Table,
    b: &Table,
    pages: Range<usize>,
    visit: &mut impl FnMut(usize, Option<&PageRef>, Option<&PageRef>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    diff_nodes(
        a.root.as_ref(),
        a.height,
        b.root.as_ref(),
        b.height,
        0,
        &pages,
        visit,
    )
}

/// [`diff`] below two nodes that start at page `first`, at levels `la` and `lb`. When the
/// levels differ, the lower node lines up with slot 0 of the higher one (as after `grow`).
fn diff_nodes(
    a: Option<&Shared<Node>>,
    la: u32,
    b: Option<&Shared<Node>>,
    lb: u32,
    first: usize,
    pages: &Range<usize>,
    visit: &mut impl FnMut(usize, Option<&PageRef>, Option<&PageRef>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let level = la.max(lb);
    let last = first.saturating_add(span(level));
    match (a, b) {
        (None, None) => return ControlFlow::Continue(()),
        (Some(x), Some(y)) if la == lb && Shared::ptr_eq(x, y) => return ControlFlow::Continue(()),
        _ if last <= pages.start || pages.end <= first => return ControlFlow::Continue(()),
        _ => {}
    }
    if level == 1 {
        for slot in 0..FAN {
            let pa = a.and_then(|n| leaf_slot(n, slot));
            let pb = b.and_then(|n| leaf_slot(n, slot));
            let same = match (pa, pb) {
                (None, None) => true,
                (Some(x), Some(y)) => PageRef::ptr_eq(x, y),
                _ => false,
            };
            if !same && pages.contains(&(first + slot)) {
                visit(first + slot, pa, pb)?;
            }
        }
        return ControlFlow::Continue(());
    }
    let child_span = span(level - 1);
    for slot in 0..FAN {
        // The taller side steps down one level; the shorter stays whole in slot 0.
        let (ca, na) = if la == level {
            (a.and_then(|n| n.child(slot)), la - 1)
        } else {
            (a.filter(|_| slot == 0), la)
        };
        let (cb, nb) = if lb == level {
            (b.and_then(|n| n.child(slot)), lb - 1)
        } else {
            (b.filter(|_| slot == 0), lb)
        };
        diff_nodes(ca, na, cb, nb, first + slot * child_span, pages, visit)?;
    }
    ControlFlow::Continue(())
}

/// The page in `slot` of a leaf (`None` for a hole, or for a branch).
fn leaf_slot(node: &Node, slot: usize) -> Option<&PageRef> {
    match node {
        Node::Leaf(pages) => pages[slot].as_ref(),
        Node::Branch(_) => None,
    }
}

//! The page table: a radix tree of [`Shared`] nodes, generic over what its leaves hold. The
//! buffer's leaves hold page handles (`buffer/leaf.rs`); the vector's hold a chunk of elements
//! (`vec/chunk.rs`). Both get the same walks, written here once:
//!
//! - reads: [`Table::leaf`], [`Table::item`], [`Reader`] (a walk kept between lookups);
//! - writes: [`Table::leaf_mut`], [`Table::items_mut`] and [`Table::place_mut`], which copy
//!   every node on the path that another table shares (copy-on-write along one path);
//! - [`Table::punch`] (holes and truncation), [`Table::census`] (one depth-first pass for
//!   statistics), [`Table::leaves_mut`] (every leaf, writable) and [`diff`] (two tables side by
//!   side, skipping the subtrees they share).
//!
//! The table indexes *items*: the buffer's pages, the vector's elements. A leaf covers
//! `2^L::SHIFT` items. A node at level 1 is a leaf; a node at level `l > 1` is a branch of `FAN`
//! slots of level `l - 1` nodes, and covers `2^(L::SHIFT + FAN_SHIFT * (l - 1))` items. `None`
//! anywhere is a hole: the buffer reads its pages as zeros; the vector has none below its
//! length.
//!
//! The fan-out is this module's alone: callers name items by their index, and [`slot_in_leaf`]
//! and [`branch_slot`] are the only places where an item index becomes a slot.

#![deny(unsafe_code)]

use alloc::vec::Vec;
use core::ops::{ControlFlow, Range};

use crate::config::TABLE_FAN_SHIFT;
use crate::shared::Shared;

/// log2 of the fan-out: `config::TABLE_FAN_SHIFT`, with the reason for its value.
const FAN_SHIFT: u32 = TABLE_FAN_SHIFT;

/// Children per branch.
const FAN: usize = 1 << FAN_SHIFT;

const _: () = assert!(FAN >= 2);

/// What a leaf of the table holds: `2^SHIFT` items, addressed from slot 0.
pub(crate) trait Leaf {
    /// One item: a page slot for the buffer, an element for the vector.
    type Item;
    /// log2 of the items one leaf covers.
    const SHIFT: u32;
    /// A leaf holding nothing.
    fn empty() -> Self;
    /// `true` when the leaf holds nothing: the table then drops it.
    fn is_empty(&self) -> bool;
    /// The items held, from slot 0 (a leaf may hold fewer than it covers).
    fn items(&self) -> &[Self::Item];
    /// The items held, writable.
    fn items_mut(&mut self) -> &mut [Self::Item];
    /// Empties the slots in `slots` (within the leaf's span; holes for the buffer, the end of a
    /// chunk for the vector).
    fn clear(&mut self, slots: Range<usize>);
}

/// A leaf's handle: its node, shared between tables like any other node. Always a
/// [`Node::Leaf`].
pub(crate) type LeafRef<L> = Shared<Node<L>>;

/// One node of the table.
pub(crate) enum Node<L> {
    /// Level 1.
    Leaf(L),
    /// Levels above 1: child node slots.
    Branch([Option<Shared<Node<L>>>; FAN]),
}

impl<L: Leaf> Node<L> {
    /// A node with no children, of the kind that belongs at `level`.
    pub(crate) fn empty(level: u32) -> Self {
        if level == 1 {
            Node::Leaf(L::empty())
        } else {
            Node::Branch([const { None }; FAN])
        }
    }

    /// `true` when the node holds nothing.
    fn is_empty(&self) -> bool {
        match self {
            Node::Leaf(leaf) => leaf.is_empty(),
            Node::Branch(children) => children.iter().all(Option::is_none),
        }
    }

    /// The leaf of a level 1 node.
    #[inline]
    pub(crate) fn leaf(&self) -> &L {
        match self {
            Node::Leaf(leaf) => leaf,
            Node::Branch(_) => unreachable!("a branch where a leaf belongs"),
        }
    }

    /// The leaf of a level 1 node, by value.
    pub(crate) fn into_leaf(self) -> L {
        match self {
            Node::Leaf(leaf) => leaf,
            Node::Branch(_) => unreachable!("a branch where a leaf belongs"),
        }
    }

    /// The leaf of a level 1 node, writable.
    #[inline]
    pub(crate) fn leaf_mut(&mut self) -> &mut L {
        match self {
            Node::Leaf(leaf) => leaf,
            Node::Branch(_) => unreachable!("a branch where a leaf belongs"),
        }
    }

    /// The child node in `slot` of a branch (`None` for a hole, or for a leaf).
    fn child(&self, slot: usize) -> Option<&Shared<Node<L>>> {
        match self {
            Node::Branch(children) => children[slot].as_ref(),
            Node::Leaf(_) => None,
        }
    }
}

impl<L: Clone> Clone for Node<L> {
    /// A leaf copies as its kind says (the buffer takes a count on each page; the vector
    /// clones its elements). A branch takes one count on each child. The children's counts sit
    /// in separate allocations, so each is likely a cache miss: all of them are prefetched
    /// first, so that the misses overlap instead of each waiting behind the previous locked
    /// increment (measured: the first write after cloning 1 GiB, README).
    fn clone(&self) -> Self {
        match self {
            Node::Leaf(leaf) => Node::Leaf(leaf.clone()),
            Node::Branch(children) => {
                children.iter().flatten().for_each(Shared::prefetch);
                Node::Branch(children.clone())
            }
        }
    }
}

/// How many items a node at `level` covers, saturating at `usize::MAX`.
#[inline]
pub(crate) fn span<L: Leaf>(level: u32) -> usize {
    1usize
        .checked_shl(L::SHIFT + FAN_SHIFT * (level - 1))
        .unwrap_or(usize::MAX)
}

/// The lowest height whose root covers `items` items (at least 1).
pub(crate) fn height_for<L: Leaf>(items: usize) -> u32 {
    let mut height = 1;
    while span::<L>(height) < items {
        height += 1;
    }
    height
}

/// The slot of item `item` in its leaf.
#[inline]
fn slot_in_leaf<L: Leaf>(item: usize) -> usize {
    item & (span::<L>(1) - 1)
}

/// The slot of a branch that leads to item `item`, where the branch's children each cover
/// `2^shift` items.
#[inline]
fn branch_slot(item: usize, shift: u32) -> usize {
    // `shift < usize::BITS` in any table: a branch exists only where its children cover fewer
    // items than a `usize` counts, so the shift wraps nothing.
    debug_assert!(shift < usize::BITS);
    item.wrapping_shr(shift) & (FAN - 1)
}

/// The slots, in the leaf that holds item `items.start`, of the items from `items.start` up to
/// `items.end` or the end of that leaf, whichever comes first. `items` is not empty.
#[inline]
fn leaf_slots<L: Leaf>(items: &Range<usize>) -> Range<usize> {
    debug_assert!(items.start < items.end, "a lookup names at least one item");
    let first = slot_in_leaf::<L>(items.start);
    first..first + (span::<L>(1) - first).min(items.end - items.start)
}

/// A radix tree of leaves.
pub(crate) struct Table<L> {
    /// The top node, at level `height`; `None` when the table holds nothing.
    root: Option<Shared<Node<L>>>,
    /// Levels of nodes, ≥ 1. Invariant (kept by the owner through `grow` and `shrink`):
    /// `height == height_for(items)` for the owner's item count, and no slot holds anything
    /// at or past that count.
    height: u32,
}

impl<L: Leaf> Table<L> {
    /// A table holding nothing.
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

    /// Adds levels on top until the root covers `items` items. The old root (if any) becomes
    /// slot 0 of the new one, so every item keeps its index.
    pub(crate) fn grow(&mut self, items: usize) {
        while span::<L>(self.height) < items {
            self.height += 1;
            if let Some(root) = self.root.take() {
                let mut children = [const { None }; FAN];
                children[0] = Some(root);
                self.root = Some(Shared::new(Node::Branch(children)));
            }
        }
    }

    /// Removes levels from the top while a lower root covers `items` items. The caller has
    /// already punched every item at or past `items`, so only slot 0 can be occupied.
    pub(crate) fn shrink(&mut self, items: usize) {
        let height = height_for::<L>(items);
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

    /// The leaf that holds item `item`, or `None` when there is none.
    #[inline]
    pub(crate) fn leaf(&self, item: usize) -> Option<&L> {
        self.path(item).1
    }

    /// The one read walk, from the root to the leaf that holds item `item`: that leaf (`None`
    /// when missing) and the level 2 branch above it (`None` when the table is a single leaf
    /// or that branch is missing). At each branch the slot is the item's bits at `shift`; the
    /// kind of each node is the loop's test (a branch never sits at level 1).
    #[inline]
    fn path(&self, item: usize) -> (Option<&Node<L>>, Option<&L>) {
        let Some(mut node) = self.root.as_deref() else {
            return (None, None);
        };
        let mut parent = None;
        let mut shift = L::SHIFT + FAN_SHIFT * (self.height - 1);
        loop {
            match node {
                Node::Leaf(leaf) => return (parent, Some(leaf)),
                Node::Branch(children) => {
                    shift -= FAN_SHIFT;
                    match children[branch_slot(item, shift)].as_deref() {
                        Some(child) => {
                            parent = Some(node);
                            node = child;
                        }
                        // A missing child: `node` is the level 2 branch when its children
                        // are leaves.
                        None => return ((shift == L::SHIFT).then_some(node), None),
                    }
                }
            }
        }
    }

    /// The item at index `item`, or `None` when its leaf is missing or holds fewer items.
    #[inline]
    pub(crate) fn item(&self, item: usize) -> Option<&L::Item> {
        self.leaf(item)?.items().get(slot_in_leaf::<L>(item))
    }

    /// A reader of this table's leaves in any order, which walks again only when the leaf
    /// looked up changes.
    pub(crate) fn reader(&self) -> Reader<'_, L> {
        Reader {
            table: self,
            leaf_no: usize::MAX,
            leaf: None,
            parent_no: usize::MAX,
            parent: None,
        }
    }

    /// `true` when both tables have the same root node, or both have none: then they hold the
    /// very same leaves.
    pub(crate) fn same_root(&self, other: &Table<L>) -> bool {
        match (&self.root, &other.root) {
            (Some(a), Some(b)) => Shared::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    /// Hands over every leaf in item order, consuming the table: `Ok(leaf)` for a leaf this
    /// table held alone (moved out), `Err(&leaf)` for one it shared with another table.
    pub(crate) fn into_leaves(self, visit: &mut impl FnMut(Result<L, &L>)) {
        fn shared<L>(node: &Node<L>, visit: &mut impl FnMut(Result<L, &L>)) {
            match node {
                Node::Leaf(leaf) => visit(Err(leaf)),
                Node::Branch(children) => children.iter().flatten().for_each(|c| shared(c, visit)),
            }
        }
        fn owned<L>(node: Shared<Node<L>>, visit: &mut impl FnMut(Result<L, &L>)) {
            match Shared::try_unwrap(node) {
                Ok(Node::Leaf(leaf)) => visit(Ok(leaf)),
                Ok(Node::Branch(children)) => {
                    children.into_iter().flatten().for_each(|c| owned(c, visit))
                }
                Err(node) => shared(&node, visit),
            }
        }
        if let Some(root) = self.root {
            owned(root, visit);
        }
    }

    /// Calls `visit(node, shared)` for every node, depth first, in item order: `node` is
    /// `Some(leaf)` for a leaf and `None` for a branch; `shared` says that the node, or a node
    /// on its path, has other holders. For statistics (`CowBuffer::stats`).
    pub(crate) fn census(&self, visit: &mut impl FnMut(Option<&L>, bool)) {
        if let Some(root) = &self.root {
            census(root, false, visit);
        }
    }
}

impl<L: Leaf + Clone> Table<L> {
    /// The place (the slot in its parent, or the root) of the leaf that holds item `item`,
    /// writable: every node on the path that another table shares is copied first, missing
    /// branches are created. The leaf itself is left as it is (`None` when missing); the item
    /// must lie within the root's span.
    #[inline]
    pub(crate) fn place_mut(&mut self, item: usize) -> &mut Option<LeafRef<L>> {
        self.path_mut(item, false)
    }

    /// The leaf that holds item `item`, writable: the path is copied where shared (as in
    /// [`place_mut`](Self::place_mut)) and so is the leaf; a missing leaf is created empty.
    #[inline]
    pub(crate) fn leaf_mut(&mut self, item: usize) -> &mut L {
        let node = self
            .path_mut(item, true)
            .get_or_insert_with(|| Shared::new(Node::empty(1)));
        Shared::make_mut(node).leaf_mut()
    }

    /// The one write walk, behind [`place_mut`](Self::place_mut) and
    /// [`leaf_mut`](Self::leaf_mut): down through the nodes this table holds alone, and at the
    /// first shared one, [`copy_path`] copies the rest of the path (and the leaf, with
    /// `with_leaf`) in one go; the walk then goes on through the copies.
    #[inline]
    fn path_mut(&mut self, item: usize, with_leaf: bool) -> &mut Option<LeafRef<L>> {
        let mut level = self.height;
        let mut shift = L::SHIFT + FAN_SHIFT * (self.height - 1);
        let mut place = &mut self.root;
        while level > 1 {
            shift -= FAN_SHIFT;
            let node = place.get_or_insert_with(|| Shared::new(Node::empty(level)));
            // A shared node: the path copied from here down, and this table's handle on the
            // old node dropped (the copy's one decrement).
            let copy = |old: &Shared<Node<L>>| copy_path(old, level, item, with_leaf);
            let Node::Branch(children) = Shared::make_mut_with(node, copy) else {
                unreachable!("a leaf above level 1")
            };
            place = &mut children[branch_slot(item, shift)];
            level -= 1;
        }
        place
    }

    /// [`items`](Self::items), writable: the path and the leaf are copied where shared, and a
    /// missing leaf is created.
    #[inline]
    pub(crate) fn items_mut(&mut self, items: Range<usize>) -> &mut [L::Item] {
        let slots = leaf_slots::<L>(&items);
        let leaf = self.leaf_mut(items.start).items_mut();
        let len = leaf.len();
        &mut leaf[slots.start.min(len)..slots.end.min(len)]
    }

    /// Empties every item in `items`, and drops nodes left with nothing under them. Nodes
    /// wholly inside the range are detached without being visited and handed to `removed`
    /// (which drops them, or keeps them to drop once its owner is consistent again: the
    /// vector's elements run user code when dropped); leaves cut in part are cleared in place.
    pub(crate) fn punch(&mut self, items: Range<usize>, removed: &mut impl FnMut(Shared<Node<L>>)) {
        if !items.is_empty() {
            punch(&mut self.root, self.height, 0, &items, removed);
        }
    }

    /// Every leaf, writable, in item order: shared nodes and leaves are copied first.
    pub(crate) fn leaves_mut<'a>(&'a mut self, out: &mut Vec<&'a mut L>) {
        fn walk<'a, L: Leaf + Clone>(node: &'a mut Shared<Node<L>>, out: &mut Vec<&'a mut L>) {
            match Shared::make_mut(node) {
                Node::Leaf(leaf) => out.push(leaf),
                Node::Branch(children) => children.iter_mut().flatten().for_each(|c| walk(c, out)),
            }
        }
        if let Some(root) = &mut self.root {
            walk(root, out);
        }
    }
}

/// A walk over one table kept between lookups, from [`Table::reader`]: it keeps the last leaf
/// and the last branch above the leaves, so that lookups in one leaf after another cost one
/// walk per `FAN` leaves, not one per item.
pub(crate) struct Reader<'a, L> {
    /// The table read.
    table: &'a Table<L>,
    /// The number of the leaf `leaf` is, counted in leaves from item 0 (`usize::MAX` before
    /// the first lookup).
    leaf_no: usize,
    /// Leaf `leaf_no`, or `None` when it is missing.
    leaf: Option<&'a L>,
    /// The number of the level 2 branch `parent` is, counted in such branches from item 0
    /// (`usize::MAX` before the first lookup).
    parent_no: usize,
    /// Branch `parent_no`, or `None` when it is missing (or the table has no level 2).
    parent: Option<&'a Node<L>>,
}

impl<L> Clone for Reader<'_, L> {
    fn clone(&self) -> Self {
        Reader { ..*self }
    }
}

impl<'a, L: Leaf> Reader<'a, L> {
    /// [`Table::leaf`], walking only when `item` lies in another leaf than the last lookup's,
    /// and from the root only when under another level 2 branch.
    #[inline]
    pub(crate) fn leaf(&mut self, item: usize) -> Option<&'a L> {
        let leaf_no = item >> L::SHIFT;
        if leaf_no != self.leaf_no {
            self.leaf_no = leaf_no;
            self.leaf = self.find(item);
        }
        self.leaf
    }

    /// The leaf that holds `item`, through the kept level 2 branch when it is the right one,
    /// else by [`Table::path`] (which also gives the branch to keep).
    fn find(&mut self, item: usize) -> Option<&'a L> {
        let parent_no = item.checked_shr(L::SHIFT + FAN_SHIFT).unwrap_or(0);
        if parent_no == self.parent_no
            && let Some(Node::Branch(children)) = self.parent
        {
            return children[branch_slot(item, L::SHIFT)]
                .as_deref()
                .map(Node::leaf);
        }
        let (parent, leaf) = self.table.path(item);
        self.parent_no = parent_no;
        self.parent = parent;
        leaf
    }

    /// The items from `items.start` (not empty) up to `items.end` or the end of the leaf that
    /// holds `items.start`, whichever comes first, and as far as that leaf holds items:
    /// `slice[i]` is item `items.start + i`; `None` when that leaf is missing.
    #[inline]
    pub(crate) fn items(&mut self, items: Range<usize>) -> Option<&'a [L::Item]> {
        let slots = leaf_slots::<L>(&items);
        let leaf = self.leaf(items.start)?.items();
        Some(&leaf[slots.start.min(leaf.len())..slots.end.min(leaf.len())])
    }
}

/// A copy of the branch `node` at `level` and of the path below it to item `item` (down to the
/// leaf with `with_leaf`, else to the leaf's parent, whose slot takes a count on the leaf): the
/// first write's path copy after a clone, fused. Each copied branch takes a count on each child
/// off the path; its child on the path is that child's copy, so the path's old nodes gain no
/// count and lose none (the copy a node-by-node `make_mut` would make, without an increment
/// and a decrement per level). The caller drops its handle on `node`, the one decrement.
///
/// The counts off the path are prefetched on the way down, so that their cache misses overlap
/// the walk's instead of waiting, level after level, behind each copy's increments. Nothing
/// is allocated or counted until the leaf (whose clone may panic: `CowVec`'s elements) has
/// been cloned, so a panic leaves the table as it was.
fn copy_path<L: Leaf + Clone>(
    node: &Shared<Node<L>>,
    level: u32,
    item: usize,
    with_leaf: bool,
) -> Shared<Node<L>> {
    let children = match &**node {
        Node::Leaf(leaf) => return Shared::new(Node::Leaf(leaf.clone())),
        Node::Branch(children) => children,
    };
    let slot = branch_slot(item, L::SHIFT + FAN_SHIFT * (level - 2));
    children.iter().flatten().for_each(Shared::prefetch);
    let mut below = match &children[slot] {
        Some(child) if level > 2 || with_leaf => Some(copy_path(child, level - 1, item, with_leaf)),
        child => child.clone(),
    };
    Shared::new(Node::Branch(core::array::from_fn(|i| {
        if i == slot {
            below.take()
        } else {
            children[i].clone()
        }
    })))
}

/// [`Table::punch`] below one slot holding a node at `level` whose first item is `first`.
fn punch<L: Leaf + Clone>(
    slot: &mut Option<Shared<Node<L>>>,
    level: u32,
    first: usize,
    items: &Range<usize>,
    removed: &mut impl FnMut(Shared<Node<L>>),
) {
    let Some(node) = slot else { return };
    let last = first.saturating_add(span::<L>(level));
    if items.end <= first || last <= items.start {
        return;
    }
    if items.start <= first && last <= items.end {
        // The whole subtree goes (the buffer's unique pages return to the pool as its leaves
        // drop).
        if let Some(node) = slot.take() {
            removed(node);
        }
        return;
    }
    let node = Shared::make_mut(node);
    match node {
        Node::Leaf(leaf) => {
            let lo = items.start.saturating_sub(first);
            let hi = (items.end - first).min(span::<L>(1));
            leaf.clear(lo..hi);
        }
        Node::Branch(children) => {
            let child_span = span::<L>(level - 1);
            // Slots overlapping the range (the range is not empty and overlaps this node).
            let lo = items.start.saturating_sub(first) / child_span;
            let hi = ((items.end - first - 1) / child_span).min(FAN - 1);
            for (i, child) in children.iter_mut().enumerate().take(hi + 1).skip(lo) {
                punch(child, level - 1, first + i * child_span, items, removed);
            }
        }
    }
    if node.is_empty() {
        *slot = None;
    }
}

/// [`Table::census`] below one node; `shared_above` says a node on its path has other holders.
fn census<L: Leaf>(
    node: &Shared<Node<L>>,
    shared_above: bool,
    visit: &mut impl FnMut(Option<&L>, bool),
) {
    let shared = shared_above || Shared::strong_count(node) > 1;
    match &**node {
        Node::Leaf(leaf) => visit(Some(leaf), shared),
        Node::Branch(children) => {
            visit(None, shared);
            for child in children.iter().flatten() {
                census(child, shared, visit);
            }
        }
    }
}

/// Calls `visit(first, leaf_in_a, leaf_in_b)`, in ascending order, for every leaf position
/// overlapping `items` where `a` and `b` do not hold the very same leaf node (missing in both
/// counts as the same); `first` is the index of the leaf's first item. Subtrees the two share,
/// missing in both, or outside `items` are skipped without being entered. Stops when `visit`
/// breaks.
///
/// Against an empty table this visits the leaves `a` holds in `items`: the walk behind
/// `changed_pages`, `==` and moving leaves out (`split_off`).
pub(crate) fn diff<L: Leaf>(
    a: &Table<L>,
    b: &Table<L>,
    items: Range<usize>,
    visit: &mut impl FnMut(usize, Option<&LeafRef<L>>, Option<&LeafRef<L>>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    diff_nodes(
        a.root.as_ref(),
        a.height,
        b.root.as_ref(),
        b.height,
        0,
        &items,
        visit,
    )
}

/// [`diff`] below two nodes that start at item `first`, at levels `la` and `lb`. When the
/// levels differ, the lower node lines up with slot 0 of the higher one (as after `grow`).
fn diff_nodes<L: Leaf>(
    a: Option<&Shared<Node<L>>>,
    la: u32,
    b: Option<&Shared<Node<L>>>,
    lb: u32,
    first: usize,
    items: &Range<usize>,
    visit: &mut impl FnMut(usize, Option<&LeafRef<L>>, Option<&LeafRef<L>>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let level = la.max(lb);
    let last = first.saturating_add(span::<L>(level));
    match (a, b) {
        (None, None) => return ControlFlow::Continue(()),
        (Some(x), Some(y)) if la == lb && Shared::ptr_eq(x, y) => return ControlFlow::Continue(()),
        _ if last <= items.start || items.end <= first => return ControlFlow::Continue(()),
        _ => {}
    }
    if level == 1 {
        return visit(first, a, b);
    }
    let child_span = span::<L>(level - 1);
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
        diff_nodes(ca, na, cb, nb, first + slot * child_span, items, visit)?;
    }
    ControlFlow::Continue(())
}

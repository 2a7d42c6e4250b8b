//! The snapshot collections on the seize publication strategy: `use cowkit::seize::CowList;`
//! instead of `use cowkit::CowList;` is all a user writes.
//!
//! Each type here is the crate root's type of the same name with [`SeizeStrategy`] as its
//! strategy parameter: the same methods, guarantees and costs, but versions are published
//! through a `seize::Collector` of each cell's own instead of arc-swap. A write then costs the
//! same however many threads have ever read (arc-swap walks one node per such thread on every
//! write), and a replaced version is freed later: once its batch of up to 16 retirements per
//! writing thread is reclaimed, by a later write or the cell's drop. See the crate docs'
//! "Publication strategies".
//!
//! This module exists only with the `seize` feature, and enabling the feature changes nothing
//! else: `cowkit::CowList` stays the arc-swap list in every crate of the build.
//!
//! ```
//! use cowkit::seize::CowList;
//!
//! let routes = CowList::from(vec!["/", "/about"]);
//! routes.push("/blog");
//! assert_eq!(routes.len(), 3);
//! ```

use std::collections::hash_map::RandomState;

use crate::cell::Snapshot as GenericSnapshot;
pub use crate::cell::publish::SeizeStrategy;
use crate::cell::{GenericCowCell, OwnedReader as GenericOwnedReader, Reader as GenericReader};
use crate::list::GenericCowList;
use crate::list::set::GenericCowSet;
use crate::map::GenericCowMap;

/// [`cowkit::CowCell`](crate::CowCell) on seize.
pub type CowCell<T> = GenericCowCell<T, SeizeStrategy>;
/// [`cowkit::CowList`](crate::CowList) on seize.
pub type CowList<T> = GenericCowList<T, SeizeStrategy>;
/// [`cowkit::CowSet`](crate::CowSet) on seize.
pub type CowSet<T> = GenericCowSet<T, SeizeStrategy>;
/// [`cowkit::CowMap`](crate::CowMap) on seize.
pub type CowMap<K, V, S = RandomState> = GenericCowMap<K, V, S, SeizeStrategy>;
/// [`cowkit::Snapshot`](crate::Snapshot) of a seize collection.
pub type Snapshot<T> = GenericSnapshot<T, SeizeStrategy>;
/// [`cowkit::Reader`](crate::Reader) of a seize collection.
pub type Reader<'a, T> = GenericReader<'a, T, SeizeStrategy>;
/// [`cowkit::OwnedReader`](crate::OwnedReader) of a seize collection.
pub type OwnedReader<T> = GenericOwnedReader<T, SeizeStrategy>;

//! Compile-fail doctests that pin thread-safety and must-use behaviour. Not public API.
//!
//! `CowString` is `Send + Sync`; `Shared<T>` is `Send + Sync` exactly when `T` is
//! `Send + Sync`. These compile:
//!
//! ```
//! fn send_sync<S: Send + Sync>() {}
//! send_sync::<cowkit::CowString>();
//! send_sync::<cowkit::Shared<u8>>();
//! send_sync::<cowkit::Shared<std::sync::Mutex<u8>>>();
//! ```
//!
//! `CowBuffer` and its cursor are `Send + Sync`:
//!
//! ```
//! fn send_sync<S: Send + Sync>() {}
//! send_sync::<cowkit::CowBuffer>();
//! send_sync::<cowkit::BufferCursor<cowkit::CowBuffer>>();
//! send_sync::<cowkit::PageStats>();
//! ```
//!
//! A cursor over a shared borrow of a buffer reads, but cannot write:
//!
//! ```compile_fail
//! use std::io::Write;
//! let b = cowkit::CowBuffer::new();
//! cowkit::BufferCursor::new(&b).write_all(b"x").unwrap();
//! ```
//!
//! A `Cell` is `Send` but not `Sync`, so sharing it across threads must not compile:
//!
//! ```compile_fail
//! fn send<S: Send>() {}
//! send::<cowkit::Shared<std::cell::Cell<u8>>>();
//! ```
//!
//! ```compile_fail
//! fn sync<S: Sync>() {}
//! sync::<cowkit::Shared<std::cell::Cell<u8>>>();
//! ```
//!
//! An `Rc` is neither `Send` nor `Sync`:
//!
//! ```compile_fail
//! fn send<S: Send>() {}
//! send::<cowkit::Shared<std::rc::Rc<u8>>>();
//! ```
//!
//! ```compile_fail
//! fn sync<S: Sync>() {}
//! sync::<cowkit::Shared<std::rc::Rc<u8>>>();
//! ```
//!
//! A `MutexGuard` is `Sync` but not `Send`; a `Shared` of it must be neither:
//!
//! ```compile_fail
//! fn send<S: Send>() {}
//! send::<cowkit::Shared<std::sync::MutexGuard<'static, u8>>>();
//! ```
//!
//! Dropping the pointer from `into_raw` leaks, so ignoring it is an error under `deny(unused_must_use)`:
//!
//! ```compile_fail
//! #![deny(unused_must_use)]
//! cowkit::Shared::into_raw(cowkit::Shared::new(1));
//! ```
//!
//! The snapshot collections share their values across threads, so they are `Send + Sync`
//! when the elements are, and not otherwise:
//!
//! ```
//! fn send_sync<S: Send + Sync>() {}
//! send_sync::<cowkit::CowCell<String>>();
//! send_sync::<cowkit::CowList<u8>>();
//! send_sync::<cowkit::CowSet<u8>>();
//! send_sync::<cowkit::CowMap<String, u8>>();
//! send_sync::<cowkit::Snapshot<Vec<u8>>>();
//! ```
//!
//! ```compile_fail
//! fn sync<S: Sync>() {}
//! sync::<cowkit::CowCell<std::cell::Cell<u8>>>();
//! ```
//!
//! ```compile_fail
//! fn send<S: Send>() {}
//! send::<cowkit::CowList<std::rc::Rc<u8>>>();
//! ```
//!
//! ```compile_fail
//! fn sync<S: Sync>() {}
//! sync::<cowkit::CowMap<u8, std::cell::Cell<u8>>>();
//! ```

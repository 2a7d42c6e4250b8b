//! File pages: a file mapped read-only for `CowBuffer::map_file`, whose pages a buffer's table
//! holds as file page handles ([`PageRef::file_page`]) until they are written, and
//! [`Mapped`], the one count that keeps the mapping alive.
//!
//! The mapping is counted as a whole, not page by page: every buffer whose table may hold its
//! pages holds a [`Mapped`] on it (a clone, and a buffer split off, take one), so mapping a
//! 1 GiB file costs its table and no count per page, and copying a table node of file pages
//! touches no count. The mapping is unmapped when the last buffer that may hold its pages is
//! dropped, after its table (a file page handle never reads its mapping when dropped).
//!
//! Only on Linux (the libc crate is a dependency there alone); elsewhere, and with
//! `--cfg cowkit_portable_arenas` (so that CI runs the other path), `map_file` reads the
//! file instead and [`Mapping`] has no values.

use crate::shared::Shared;

/// What keeps a buffer's file pages mapped: a count on the mapping they lie in, or nothing
/// when the buffer holds no file page. A buffer's table holds file pages of this mapping only.
#[derive(Clone, Default)]
pub(crate) struct Mapped(
    #[cfg_attr(
        not(all(feature = "std", target_os = "linux", not(cowkit_portable_arenas))),
        allow(dead_code, reason = "held for its drop; no file is mapped here")
    )]
    Option<Shared<Mapping>>,
);

impl Mapped {
    /// No mapping: a buffer that holds no file page.
    pub(crate) const NONE: Mapped = Mapped(None);
}

#[cfg(not(all(feature = "std", target_os = "linux", not(cowkit_portable_arenas))))]
/// No file is mapped on this platform.
pub(crate) enum Mapping {}

#[cfg(all(feature = "std", target_os = "linux", not(cowkit_portable_arenas)))]
pub(crate) use self::linux::Mapping;

#[cfg(all(feature = "std", target_os = "linux", not(cowkit_portable_arenas)))]
mod linux {
    use core::ptr::NonNull;
    use std::fs::{File, Metadata};
    use std::io;
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::MetadataExt;

    use super::super::{Page, PageRef};
    use super::Mapped;
    use crate::config::PAGE_SIZE;
    use crate::shared::Shared;

    // A page of a mapping must lie within the OS pages mapped: cowkit's pages divide the
    // smallest OS page (4 KiB).
    const _: () = assert!(PAGE_SIZE <= 4096 && 4096 % PAGE_SIZE == 0);

    /// A whole file mapped read-only (`PROT_READ`, `MAP_SHARED`: the pages are the page
    /// cache's own), unmapped when dropped.
    pub(crate) struct Mapping {
        /// The mapping's first byte.
        base: NonNull<u8>,
        /// Its length in bytes: the file's length when mapped (the OS maps whole OS pages;
        /// the bytes past the end of the file in the last one read as zeros).
        len: usize,
        /// The file's device and inode, to tell it again (`Mapped::maps`).
        id: (u64, u64),
    }

    // SAFETY: the mapping is read-only memory that no one writes through it (it is mapped
    // `PROT_READ`; `map_file`'s caller promised that the file does not change meanwhile) and
    // that is unmapped once, by the last owner of the `Shared` around it; so it may be
    // referenced from, and dropped on, any thread, as `Box<[u8]>` may.
    unsafe impl Send for Mapping {}
    // SAFETY: as for `Send`: `&Mapping` gives reads of immutable bytes only.
    unsafe impl Sync for Mapping {}

    impl Mapping {
        /// Maps the first `len` bytes of `file`, whose metadata is `meta`, read-only; `len` is
        /// not zero.
        pub(crate) fn map(file: &File, len: usize, meta: &Metadata) -> io::Result<Mapping> {
            debug_assert!(len > 0);
            // SAFETY: a new read-only shared mapping of an open file at an address of the
            // kernel's choosing: it aliases no memory of this process, and the call fails
            // (`MAP_FAILED`, reported below) rather than map part of it.
            let raw = unsafe {
                libc::mmap(
                    core::ptr::null_mut(),
                    len,
                    libc::PROT_READ,
                    libc::MAP_SHARED,
                    file.as_raw_fd(),
                    0,
                )
            };
            if raw == libc::MAP_FAILED {
                return Err(io::Error::last_os_error());
            }
            Ok(Mapping {
                base: NonNull::new(raw.cast()).expect("cowkit: mmap does not return null"),
                len,
                id: (meta.dev(), meta.ino()),
            })
        }

        /// The mapping's pages in order, as file page handles, with the count that keeps
        /// them valid.
        ///
        /// # Safety
        ///
        /// The handles must not outlive the returned [`Mapped`] (or a clone of it): the
        /// caller keeps it beside the table that holds them. The file must not change while
        /// the mapping lives (`map_file`'s contract).
        pub(crate) unsafe fn pages(self) -> (Mapped, impl Iterator<Item = PageRef>) {
            let (base, pages) = (self.base, self.len.div_ceil(PAGE_SIZE));
            let handles = (0..pages).map(move |page_no| {
                // SAFETY: page `page_no` lies in the mapping: `page_no * PAGE_SIZE < len`, and
                // its last byte lies in the mapping's last OS page, which the OS maps whole
                // (`PAGE_SIZE` divides 4 KiB, the smallest OS page, and so every OS page size:
                // checked above), reading zeros past the end of the file. The pointer keeps the
                // mapping's provenance; it is aligned to `PAGE_SIZE` because the mapping is
                // aligned to an OS page. It stays mapped while the `Mapped` lives, which the
                // caller keeps at least as long as the handles.
                unsafe { PageRef::file_page(base.byte_add(page_no * PAGE_SIZE).cast::<Page>()) }
            });
            (Mapped(Some(Shared::new(self))), handles)
        }
    }

    impl Drop for Mapping {
        fn drop(&mut self) {
            // SAFETY: the mapping is this value's own (made in `map`), and no page handle into
            // it is left: every handle lives no longer than a `Mapped` count on this value
            // (`pages`' contract), and this is the last one going. Should `munmap` fail, the
            // mapping stays, unused: there is nothing better to do in `drop`.
            unsafe { libc::munmap(self.base.as_ptr().cast(), self.len) };
        }
    }

    impl Mapped {
        /// `true` when the pages held are those of `file` (the same device and inode).
        pub(crate) fn maps(&self, file: &File) -> io::Result<bool> {
            let Some(mapping) = &self.0 else {
                return Ok(false);
            };
            let meta = file.metadata()?;
            Ok(mapping.id == (meta.dev(), meta.ino()))
        }
    }
}

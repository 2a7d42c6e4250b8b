//! A user's fuzz target: `#[derive(Arbitrary)]` on a struct with one field of each cowkit
//! type, which cowkit's `arbitrary` feature makes possible. Each input is checked against a std
//! model of the same value, then each value is cloned and written to show that clones stay
//! independent. It also pins that `cfg(fuzzing)`, which cargo-fuzz sets for every crate of
//! the build, leaves cowkit's page size as in production.
//!
//! Run (from tests/downstream): `cargo +nightly fuzz run each_type`.

#![no_main]

use std::collections::HashMap;

use arbitrary::Arbitrary;
use cowkit::{CowBuffer, CowCell, CowList, CowMap, CowSet, CowString, CowVec, PAGE_SIZE, Shared};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Everything {
    shared: Shared<Vec<u8>>,
    string: CowString,
    cell: CowCell<u16>,
    list: CowList<u8>,
    set: CowSet<u8>,
    map: CowMap<u8, u16>,
    buffer: CowBuffer,
    vec: CowVec<u16>,
}

fuzz_target!(|input: Everything| {
    assert_eq!(
        PAGE_SIZE, 4096,
        "cfg(fuzzing) must not change cowkit's page size"
    );
    let Everything {
        shared,
        string,
        cell,
        list,
        set,
        map,
        buffer,
        vec,
    } = input;

    let mut written = shared.clone();
    Shared::make_mut(&mut written).push(1);
    assert_eq!(written.len(), shared.len() + 1);

    let text = string.to_string();
    let mut copy = string.clone();
    copy.push('!');
    assert_eq!(
        (string.as_str(), copy.len()),
        (text.as_str(), text.len() + 1)
    );
    assert_eq!(string.is_inline(), text.len() <= CowString::INLINE_CAPACITY);

    let before = *cell.load();
    cell.update(|n| *n = n.wrapping_add(1));
    assert_eq!(*cell.load(), before.wrapping_add(1));

    let items = list.to_vec();
    list.push(0);
    assert_eq!(list.len(), items.len() + 1);

    let members = set.to_vec();
    for (i, x) in members.iter().enumerate() {
        assert!(!members[..i].contains(x), "a CowSet holds {x} twice");
    }

    let entries: HashMap<u8, u16> = map.to_hash_map().into_iter().collect();
    assert_eq!(entries.len(), map.len());

    let bytes = buffer.to_vec();
    let stats = buffer.stats();
    assert_eq!(bytes.len(), buffer.len());
    assert_eq!(stats.pages, buffer.len().div_ceil(PAGE_SIZE));
    let mut fork = buffer.clone();
    if !bytes.is_empty() {
        let at = bytes.len() / 2;
        fork.set(at, bytes[at] ^ 0xFF);
        assert_eq!(fork.changed_pages(&buffer), [at / PAGE_SIZE]);
    }
    assert_eq!(buffer.to_vec(), bytes);

    let elements = vec.to_vec();
    assert_eq!(vec, elements);
    let mut fork = vec.clone();
    fork.push(7);
    if let Some(first) = fork.get_mut(0) {
        *first = first.wrapping_add(1);
    }
    assert_eq!(vec.to_vec(), elements, "a write to a clone showed through");
    assert_eq!(fork.len(), elements.len() + 1);
});

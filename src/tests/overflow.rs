//! Counting past `isize::MAX` handles aborts the process instead of wrapping the count.

use std::process::Command;

use crate::Shared;

/// Set in the child process, which is the one expected to abort.
const CHILD: &str = "COWKIT_OVERFLOW_CHILD";

#[test]
fn clone_past_max_refcount_aborts() {
    if std::env::var_os(CHILD).is_some() {
        let s = Shared::new(1u8);
        Shared::set_count_for_test(&s, isize::MAX as usize + 1);
        let _second = Shared::clone(&s); // must abort here
        // Reaching this line means no abort: exit cleanly so the parent's check fails.
        std::process::exit(0);
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "tests::overflow::clone_past_max_refcount_aborts"])
        .args(["--test-threads=1", "--nocapture"])
        .env(CHILD, "1")
        .output()
        .unwrap();
    assert!(!out.status.success(), "the child did not abort: {out:?}");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(out.status.signal(), Some(6), "expected SIGABRT: {out:?}");
    }
}

#[test]
fn clone_at_max_refcount_does_not_abort() {
    // The bound is "more than isize::MAX": a count of exactly isize::MAX may still grow by one.
    let s = Shared::new(1u8);
    Shared::set_count_for_test(&s, isize::MAX as usize);
    let second = Shared::clone(&s);
    assert_eq!(Shared::strong_count(&second), isize::MAX as usize + 1);
    // Put the count back to the two real handles so both drops run normally.
    Shared::set_count_for_test(&s, 2);
    drop(second);
    assert_eq!(Shared::strong_count(&s), 1);
}

//! Expected panics, kept quiet: a model runs an op on the cowkit type and on the std type and
//! checks that both panic or neither, without printing the panics it expects. Included by each
//! model that needs it (the fuzz targets include one model file each).

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `f` and reports whether it panicked, without printing the panic.
pub fn panics(f: impl FnOnce()) -> bool {
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.is_err()
}

thread_local! {
    /// Set while a panic is expected, so the hook stays quiet about it.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs (once) a panic hook that stays quiet for expected panics and passes the others on
/// to the hook before it (under cargo-fuzz, libfuzzer's, which aborts).
pub fn quiet_expected_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
}

//! The stream transform under libFuzzer: whatever the bytes, no panic, every document
//! comes out in order (untouched ones byte for byte), every changed one parses, is the
//! input plus the wiring and keeps every input line but the options variable's value
//! (the untouched bytes of an edited document survive), a second run changes nothing,
//! and worker threads write exactly what one thread writes.
//!
//! The first byte of the input picks one of the configs in `invariants::fuzz_settings`;
//! the rest is the stream. Run it with `scripts/fuzz.sh [seconds]`.

#![no_main]

#[path = "../../tests/common/uninject.rs"]
mod uninject;

#[path = "../../tests/common/invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;
use pinpoint_inject::config::Settings;
use std::sync::LazyLock;

static SETTINGS: LazyLock<Vec<Settings>> = LazyLock::new(invariants::fuzz_settings);

fuzz_target!(|data: &[u8]| {
    let Some((pick, stream)) = data.split_first() else {
        return;
    };
    let settings = &SETTINGS[usize::from(*pick) % SETTINGS.len()];
    invariants::check_stream(stream, settings);
});

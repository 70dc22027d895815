//! Forged and stale markers under libFuzzer: whatever `pinpoint-inject.dev/injected`
//! annotation is put on every pod template of a stream, a run removes nothing the tool
//! did not add, and every invariant of the `stream` target holds (`tests/common/forged.rs`).
//!
//! The first byte picks one of the configs in `forged::marker_settings`; the bytes up to
//! the first newline are the marker, the rest the stream. Run it with
//! `scripts/fuzz.sh [seconds] markers`.

#![no_main]

#[path = "../../tests/common/uninject.rs"]
mod uninject;

#[path = "../../tests/common/invariants.rs"]
mod invariants;

#[path = "../../tests/common/forged.rs"]
mod forged;

use libfuzzer_sys::fuzz_target;
use pinpoint_inject::config::Settings;
use std::sync::LazyLock;

static SETTINGS: LazyLock<Vec<Settings>> = LazyLock::new(forged::marker_settings);

fuzz_target!(|data: &[u8]| {
    forged::check_marker_input(data, &SETTINGS);
});

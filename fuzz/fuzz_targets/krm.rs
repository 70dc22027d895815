//! KRM mode under libFuzzer: whatever the bytes, no panic, the output is one valid
//! ResourceList whose error results say the run failed, every item the input held comes
//! out (untouched, or with only the wiring added), and a second run changes no item.
//!
//! The first byte of the input picks one of the configs in `invariants::fuzz_configs`
//! (the fallback config, as `--config` gives it); the rest is the ResourceList. Run it
//! with `scripts/fuzz.sh [seconds] krm`.

#![no_main]

#[path = "../../tests/common/uninject.rs"]
mod uninject;

#[path = "../../tests/common/invariants.rs"]
mod invariants;

#[path = "../../tests/common/krm_invariants.rs"]
mod krm_invariants;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::LazyLock;

static CONFIGS: LazyLock<Vec<Value>> = LazyLock::new(invariants::fuzz_configs);

fuzz_target!(|data: &[u8]| {
    let Some((pick, list)) = data.split_first() else {
        return;
    };
    krm_invariants::check_krm(list, &CONFIGS[usize::from(*pick) % CONFIGS.len()]);
});

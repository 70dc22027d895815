#!/usr/bin/env bash
# Fuzz the stream transform (fuzz/fuzz_targets/stream.rs) with cargo-fuzz and libFuzzer.
#
#   scripts/fuzz.sh [SECONDS]        default 600; FUZZ_JOBS=N runs N processes in parallel
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz passes nightly-only flags
# (-Zsanitizer=address); on a stable toolchain RUSTC_BOOTSTRAP=1 unlocks them, which is
# what this script does unless FUZZ_TOOLCHAIN names another toolchain (e.g. nightly).
#
# The corpus grows in fuzz/corpus/stream (git-ignored) from the seeds in
# fuzz/seeds/stream. A crash or a broken invariant stops the run and leaves the input in
# fuzz/artifacts/stream/ (git-ignored): minimise it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz tmin stream fuzz/artifacts/stream/<file>
# then copy it to fuzz/regressions/stream/<what-it-guards>, where `cargo test --test
# properties` replays it (fuzz_seeds_and_regressions_hold_the_invariants).
set -euo pipefail

seconds="${1:-600}"
jobs="${FUZZ_JOBS:-1}"
cd "$(dirname "$0")/.."

if ! command -v cargo-fuzz >/dev/null; then
    echo "fuzz.sh: cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
    exit 1
fi
toolchain=()
if [[ -n "${FUZZ_TOOLCHAIN:-}" ]]; then
    toolchain=("+${FUZZ_TOOLCHAIN}")
else
    export RUSTC_BOOTSTRAP=1
fi

root="$PWD"
mkdir -p fuzz/corpus/stream
parallel=()
if (( jobs > 1 )); then
    parallel=(-jobs="$jobs" -workers="$jobs")
fi
# libFuzzer writes fuzz-N.log files to the working directory when it runs several jobs:
# run from the (git-ignored) corpus directory.
cd fuzz/corpus
cargo "${toolchain[@]}" fuzz run --fuzz-dir "$root/fuzz" stream \
    "$root/fuzz/corpus/stream" "$root/fuzz/seeds/stream" -- \
    -max_total_time="$seconds" \
    -dict="$root/fuzz/stream.dict" \
    -max_len=16384 \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -print_final_stats=1 \
    "${parallel[@]}"

#!/usr/bin/env bash
# Fuzz with cargo-fuzz and libFuzzer: the stream transform (fuzz/fuzz_targets/stream.rs),
# KRM mode (fuzz/fuzz_targets/krm.rs) or forged and stale markers
# (fuzz/fuzz_targets/markers.rs).
#
#   scripts/fuzz.sh [SECONDS] [TARGET]   default 600 and stream (or krm, markers);
#                                        FUZZ_JOBS=N runs N processes in parallel
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz passes nightly-only flags
# (-Zsanitizer=address); on a stable toolchain RUSTC_BOOTSTRAP=1 unlocks them, which is
# what this script does unless FUZZ_TOOLCHAIN names another toolchain (e.g. nightly).
#
# The corpus grows in fuzz/corpus/TARGET (git-ignored) from the seeds in
# fuzz/seeds/TARGET. A crash or a broken invariant stops the run and leaves the input in
# fuzz/artifacts/TARGET/ (git-ignored): minimise it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz tmin TARGET fuzz/artifacts/TARGET/<file>
# then copy it to fuzz/regressions/TARGET/<what-it-guards>, where `cargo test --test
# properties` replays it (fuzz_seeds_and_regressions_hold_the_invariants,
# krm_fuzz_seeds_and_regressions_hold_the_invariants and
# marker_fuzz_seeds_and_regressions_remove_nothing_foreign).
# LeakSanitizer is off: it reports the thread-local storage std registers for the
# stream's worker threads (__cxa_thread_atexit_impl) as a leak, a false positive.
set -euo pipefail

seconds="${1:-600}"
target="${2:-stream}"
jobs="${FUZZ_JOBS:-1}"
case "$target" in
    stream|krm|markers) ;;
    *) echo "fuzz.sh: no fuzz target $target (stream, krm or markers)" >&2; exit 2 ;;
esac
# The KRM target reads the same YAML as the stream one: the stream's dictionary.
dict="$target"
[[ "$target" == krm ]] && dict=stream
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
mkdir -p "fuzz/corpus/$target"
parallel=()
if (( jobs > 1 )); then
    parallel=(-jobs="$jobs" -workers="$jobs")
fi
# libFuzzer writes fuzz-N.log files to the working directory when it runs several jobs:
# run from the (git-ignored) corpus directory.
cd fuzz/corpus
cargo "${toolchain[@]}" fuzz run --fuzz-dir "$root/fuzz" "$target" \
    "$root/fuzz/corpus/$target" "$root/fuzz/seeds/$target" -- \
    -max_total_time="$seconds" \
    -dict="$root/fuzz/$dict.dict" \
    -max_len=16384 \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -detect_leaks=0 \
    -print_final_stats=1 \
    "${parallel[@]}"

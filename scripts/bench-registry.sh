#!/usr/bin/env bash
# Benchmark the registry reader (src/registry/, through examples/fetch-images, release
# build): start go-containerregistry's registry on loopback (`crane registry serve`),
# push N distinct images to N repositories with crane, then time reading all their
# configs: cold (every manifest and config fetched), again with the digest cache
# (`--cache`: a tag costs its manifest request only), and on one connection at a time
# (`--concurrency 1`). Target (issue 17): 200 images under 5 s. See BENCHMARKS.md.
#
#   scripts/bench-registry.sh               # 200 images, 3 runs of each
#   scripts/bench-registry.sh --images 50   # another count
#   scripts/bench-registry.sh --runs 5      # more runs (the median is printed)
#
# Needs: cargo, crane (installed by scripts/install-tools.sh, which this runs).
# Everything it starts is stopped when it exits; scratch files go to target/bench-registry/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/target/bench-registry"
IMAGES=200
RUNS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --images) IMAGES="$2"; shift ;;
    --runs) RUNS="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-registry: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
log() { printf 'bench-registry: %s\n' "$*" >&2; }

eval "$(bash "$ROOT/scripts/install-tools.sh" 2>/dev/null)"
command -v crane >/dev/null || { log "crane is missing after install-tools.sh"; exit 1; }
log "building examples/fetch-images (release)"
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --example fetch-images
FETCH="$ROOT/target/release/examples/fetch-images"

rm -rf "$OUT"
mkdir -p "$OUT/layer/app" "$OUT/docker"
echo '{}' > "$OUT/docker/config.json"
export DOCKER_CONFIG="$OUT/docker"

crane registry serve --address 127.0.0.1:0 2>"$OUT/registry.log" &
REGISTRY_PID=$!
trap 'kill "$REGISTRY_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q 'serving on port' "$OUT/registry.log" && break
  sleep 0.1
done
PORT="$(sed -n 's/.*serving on port //p' "$OUT/registry.log")"
[ -n "$PORT" ] || { log "the registry did not start:"; cat "$OUT/registry.log" >&2; exit 1; }
REG="127.0.0.1:$PORT"
log "registry at $REG"

# One layer, then one image per repository, each with its own env (so its own digest).
echo 'not really a jar' > "$OUT/layer/app/app.jar"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$OUT/layer" -cf "$OUT/layer.tar" .
crane append --oci-empty-base -f "$OUT/layer.tar" -t "$REG/bench/base:1" >/dev/null 2>&1
start=$(date +%s.%N)
seq -w "$IMAGES" | xargs -P 4 -I {} crane mutate "$REG/bench/base:1" -t "$REG/bench/app-{}:1" \
  --set-platform linux/amd64 -e JAVA_VERSION=jdk-17.0.13+11 -e APP_INDEX={} \
  --entrypoint java,-jar,/app/app.jar -u 1000 >/dev/null 2>&1
log "pushed $IMAGES images in $(echo "$(date +%s.%N) - $start" | bc) s"
seq -w "$IMAGES" | sed "s|^|$REG/bench/app-|; s|$|:1|" > "$OUT/images.txt"

# The median of RUNS timings of one command line; each run's own numbers on stderr.
median_of() {  # LABEL ARGS...
  local label="$1"; shift
  local times=()
  for _ in $(seq "$RUNS"); do
    "$FETCH" "$@" < "$OUT/images.txt" > "$OUT/out.jsonl" 2> "$OUT/err.txt" || {
      log "$label failed:"; cat "$OUT/err.txt" >&2; tail -3 "$OUT/out.jsonl" >&2; exit 1; }
    [ "$(wc -l < "$OUT/out.jsonl")" = "$IMAGES" ] || { log "$label: not $IMAGES results"; exit 1; }
    times+=("$(sed -n 's/.* failed, \([0-9.]*\) s .*/\1/p' "$OUT/err.txt")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" -v n="$IMAGES" '
    { t[NR] = $1 } END { m = t[int((NR + 1) / 2)];
      printf "| %s | %d | %.3f | %.1f |\n", label, n, m, n / m }'
}

echo "| run | images | median s | images/s |"
echo "|---|---|---|---|"
median_of "cold, concurrency 8" --concurrency 8
median_of "cold, concurrency 1" --concurrency 1
"$FETCH" --cache "$OUT/cache" < "$OUT/images.txt" > /dev/null 2>&1
median_of "cached (manifest only), concurrency 8" --concurrency 8 --cache "$OUT/cache"

# The subcommand itself, end to end: a render naming every image (one Deployment each),
# read, fetched and written as an ImageFacts file.
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
awk '{ printf "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-%d}\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: \"%s\"}]\n", NR, $0 }' \
  "$OUT/images.txt" > "$OUT/render.yaml"
times=()
for _ in $(seq "$RUNS"); do
  start=$(date +%s.%N)
  "$ROOT/target/release/pinpoint-inject" images --strict --output "$OUT/facts.yaml" < "$OUT/render.yaml" 2> "$OUT/err.txt" \
    || { log "pinpoint-inject images failed:"; cat "$OUT/err.txt" >&2; exit 1; }
  times+=("$(echo "$(date +%s.%N) - $start" | bc)")
  [ "$(grep -c '^- image:' "$OUT/facts.yaml")" = "$IMAGES" ] || { log "not $IMAGES entries"; exit 1; }
done
printf '%s\n' "${times[@]}" | sort -n | awk -v n="$IMAGES" '
  { t[NR] = $1 } END { m = t[int((NR + 1) / 2)];
    printf "| pinpoint-inject images (render in, facts file out) | %d | %.3f | %.1f |\n", n, m, n / m }'

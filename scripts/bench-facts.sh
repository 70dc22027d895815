#!/usr/bin/env bash
# Benchmark what image facts cost a run (release build): the n-service stream and
# ResourceList of scripts/bench-gen.awk (default n = 1000, every Deployment wired), run
# without facts and with a facts file of 2n entries (one per service image, each a
# Tomcat image as the config expects, started by catalina.sh, whose CATALINA_OPTS is
# kept in front, plus n images the render does not use). Wall time by hyperfine (median), peak RSS by GNU time.
# Target (issue 17): a 2,000-entry facts file adds under 10% to the 1,000-service run.
#
#   scripts/bench-facts.sh               # n = 1000, 10 runs each
#   scripts/bench-facts.sh --n 200       # another size
#
# Needs: cargo, awk, hyperfine (scripts/install-tools.sh --bench), /usr/bin/time.
# Inputs go to target/bench-facts/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/target/bench-facts"
CONFIG="$ROOT/examples/seed-tomcat/pinpoint.yaml"
N=1000
RUNS=10
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N="$2"; shift ;;
    --runs) RUNS="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-facts: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
log() { printf 'bench-facts: %s\n' "$*" >&2; }

command -v hyperfine >/dev/null 2>&1 || bash "$ROOT/scripts/install-tools.sh" --bench >/dev/null
export PATH="$ROOT/.tools/bin:$PATH"
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
BIN="$ROOT/target/release/pinpoint-inject"
mkdir -p "$OUT"
awk -v mode=stream -v n="$N" -f "$ROOT/scripts/bench-gen.awk" > "$OUT/stream.yaml"
awk -v mode=krm -v n="$N" -v config="$CONFIG" -f "$ROOT/scripts/bench-gen.awk" > "$OUT/list.yaml"
# The service images, as the generator writes them, and as many unused ones.
grep -o 'image: "registry.example.com/shop/[^"]*"' "$OUT/stream.yaml" | sed 's/image: "//; s/"$//' | sort -u > "$OUT/images.txt"
awk -v n="$N" '{ print } END { for (i = 1; i <= n; i++) printf "registry.example.com/other/unused-%05d:1\n", i }' "$OUT/images.txt" > "$OUT/all-images.txt"
{
  printf 'apiVersion: pinpoint-inject.dev/v1alpha1\nkind: ImageFacts\nmetadata:\n  name: image-facts\nimages:\n'
  awk '{ printf "- image: %s\n  digest: sha256:%064d\n  platform: linux/amd64\n  config:\n    User: \"1000\"\n    Env: [\"PATH=/usr/local/tomcat/bin:/opt/java/openjdk/bin:/usr/bin\", \"JAVA_HOME=/opt/java/openjdk\", \"JAVA_VERSION=jdk-17.0.13+11\", \"CATALINA_HOME=/usr/local/tomcat\", \"CATALINA_OPTS=-XX:MaxRAMPercentage=75 -Duser.timezone=UTC\"]\n    Cmd: [catalina.sh, run]\n    WorkingDir: /usr/local/tomcat\n", $0, NR }' "$OUT/all-images.txt"
} > "$OUT/facts.yaml"
log "$(wc -l < "$OUT/images.txt") service images, $(wc -l < "$OUT/all-images.txt") facts entries ($(wc -c < "$OUT/facts.yaml") bytes)"

hyperfine --style basic --warmup 2 --min-runs "$RUNS" --export-csv "$OUT/h.csv" \
  -n stream "$BIN --config $CONFIG < $OUT/stream.yaml > /dev/null 2>&1" \
  -n stream-facts "$BIN --config $CONFIG --image-facts $OUT/facts.yaml < $OUT/stream.yaml > /dev/null 2>&1" \
  -n stream-1-thread "PINPOINT_INJECT_THREADS=1 $BIN --config $CONFIG < $OUT/stream.yaml > /dev/null 2>&1" \
  -n stream-1-thread-facts "PINPOINT_INJECT_THREADS=1 $BIN --config $CONFIG --image-facts $OUT/facts.yaml < $OUT/stream.yaml > /dev/null 2>&1" \
  -n krm "$BIN < $OUT/list.yaml > /dev/null 2>&1" \
  -n krm-facts "$BIN --image-facts $OUT/facts.yaml < $OUT/list.yaml > /dev/null 2>&1" >&2
median() { awk -F, -v want="$1" '$1 == want { printf "%.1f", $4 * 1000 }' "$OUT/h.csv"; }
rss() { /usr/bin/time -f '%M' sh -c "$1" 2>&1 >/dev/null | tail -1; }
printf '| run | without facts | with %s facts | added |\n|---|---:|---:|---:|\n' "$(wc -l < "$OUT/all-images.txt")"
for pair in "stream:stream-facts" "stream-1-thread:stream-1-thread-facts" "krm:krm-facts"; do
  a="${pair%%:*}"; b="${pair##*:}"
  ma="$(median "$a")"; mb="$(median "$b")"
  printf '| %s, median | %s ms | %s ms | %s%% |\n' "$a" "$ma" "$mb" "$(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%+.1f", (b - a) / a * 100 }')"
done
printf '| stream, peak RSS | %s KiB | %s KiB | |\n' \
  "$(rss "$BIN --config $CONFIG < $OUT/stream.yaml")" \
  "$(rss "$BIN --config $CONFIG --image-facts $OUT/facts.yaml < $OUT/stream.yaml")"

#!/usr/bin/env bash
# Benchmark pinpoint-inject (release build) side by side with the release before
# format-preserving edits (--baseline, built from that commit into its own target dir),
# a parse-and-emit floor with our YAML library, rapidyaml's parse-and-emit (C++, PyPI
# `rapidyaml` in a venv: the practical limit), kubectl kustomize with the equivalent
# patch, and cat, on generated Helm-style streams and ResourceLists. See BENCHMARKS.md.
#
#   scripts/bench.sh                   # sizes 10, 1000, 5000 and 20000 services, the small
#                                      # chart, and the worst cases (about 8 minutes after
#                                      # the release builds)
#   scripts/bench.sh --quick           # sizes 10 and 1000 and the worst cases, fewer runs
#   scripts/bench.sh --sizes "10 100"  # other sizes (a size is n services = 3n documents)
#   scripts/bench.sh --worst "env:80000 list:5000"  # other worst cases ("" for none)
#   scripts/bench.sh --append ...      # keep the earlier rows of target/bench/results.tsv
#                                      # (to add sizes or worst cases to a run's table)
#   scripts/bench.sh --report-only     # print the table of target/bench/results.tsv again
#   scripts/bench.sh --kustomize-max N # time kustomize up to n = N (default 1000; at
#                                      # n = 5000 it takes about 20 minutes)
#   scripts/bench.sh --baseline REV    # the release to compare with (default 3d58889,
#                                      # the last commit that re-emitted changed documents)
#
# Each size runs in stream mode (`--config`, one `---` document at a time; also on one
# thread, PINPOINT_INJECT_THREADS=1) and in KRM mode (one ResourceList with a
# functionConfig). For every input: wall time (hyperfine median, shell start-up
# subtracted), throughput, and peak RSS (GNU `/usr/bin/time`, one run). Past n = 5000
# only ours and cat run (the release, the floor and rapidyaml take minutes and GiBs).
# kubectl kustomize is timed once per size (its time grows much faster than n).
# The worst cases (scripts/bench-worst.awk: 30,000 env entries, under the default 1.5 MiB
# per-document cap, and 80,000, over it; a 1.4 MB and a 17.8 MB one-line flow collection,
# 70,000 args in a block list, 100,000 keys without values on one line,
# 20,000 Java containers, 40,000 annotations, a List of 5,000 Deployments, a 15 MB
# workload, streams of 160,000 small block Pods, 160,000 one-line flow Pods, 120,000 one-line
# JSON Pods and 78,000 plain Deployments, 14 MB of JSON laid out by kubectl and 15 MB on one line) run in both
# modes, ours only, against the targets: under 2 s below 20 MB of input, and peak RSS at
# most 3 times the input.
# Inputs and results go to target/bench/ (git-ignored); the table is printed on stdout
# and written to target/bench/results.md.
#
# Needs: cargo, awk, hyperfine (installed with scripts/install-tools.sh --bench),
# /usr/bin/time (Debian package `time`, installed with apt-get when missing),
# kubectl (optional: without it the kustomize column is skipped).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/target/bench"
RESULTS="$OUT/results.tsv"   # label, tool, median s, stddev s, input bytes, peak RSS KiB
CONFIG="$ROOT/examples/seed-tomcat/pinpoint.yaml"
SIZES="10 1000 5000 20000"
WORST="env:30000 env:80000 flow-args:125000 block-args:70000 flow-empty:100000 flow-data:1000000 containers:20000 annotations:40000 list:5000 workload:15000000 crlf:20000 laughs:400 twice:2000000 small:160000 small-flow:160000 json-docs:120000 deployments:78000 json:6000 json-line:19000 flow-lines:74000 tagged:22700 results:160000"
SMALL=6            # services in the small chart: 18 documents
RUNS=5             # minimum hyperfine runs per command
KUSTOMIZE_MAX=1000
BASELINE=3d58889
APPEND=0
REPORT_ONLY=0

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) SIZES="10 1000"; RUNS=3 ;;
    --sizes) SIZES="$2"; shift ;;
    --worst) WORST="$2"; shift ;;
    --append) APPEND=1 ;;
    --report-only) REPORT_ONLY=1 ;;
    --kustomize-max) KUSTOMIZE_MAX="$2"; shift ;;
    --baseline) BASELINE="$2"; shift ;;
    -h|--help) sed -n '2,37p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: ERROR: %s\n' "$*" >&2; exit 1; }

# --- report -----------------------------------------------------------------------
# The table and the targets, from $OUT/results.tsv.
report() {
  awk -F'\t' -v small="n=$SMALL" -v kzmax="$KUSTOMIZE_MAX" '
    function ms(s) { return s < 1 ? sprintf("%.1f ms", s * 1000) : s < 60 ? sprintf("%.2f s", s) : sprintf("%.0f s (%.1f min)", s, s / 60) }
    function size(b) { return b < 1e6 ? sprintf("%.0f kB", b / 1e3) : sprintf("%.1f MB", b / 1e6) }
    function mbps(b, s) { return s <= 0 ? "n/a" : sprintf(b / 1e6 / s < 1 ? "%.2f" : "%.1f", b / 1e6 / s) }
    function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f", a / b) : "n/a" }
    function check(ok) { return ok ? "met" : "MISSED" }
    # t[k] without creating it (a reference to a missing key would add a row).
    function tm(k) { return (k in t) ? t[k] : 0 }
    {
      key = $1 SUBSEP $2; t[key] = $3; sd[key] = $4; bytes[$1] = $5; rss[key] = $6
      if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
    }
    END {
      print "| input | size | tool | wall (median ± σ) | MB/s | peak RSS | release ÷ ours | ours ÷ rapidyaml | ours ÷ floor | kustomize ÷ ours |"
      print "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
      for (i = 1; i <= n; i++) {
        label = order[i]
        kz = label; sub(/ krm$/, " stream", kz)   # kustomize ran once per size, on the stream
        split("ours ours-1-thread release floor rapidyaml kustomize cat", tools, " ")
        for (j = 1; j <= 7; j++) {
          key = label SUBSEP tools[j]
          if (!(key in t)) continue
          r0 = r3 = r1 = r2 = ""
          if (tools[j] == "ours") {
            r0 = ratio(tm(label SUBSEP "release"), t[key])
            r3 = ratio(t[key], tm(label SUBSEP "rapidyaml"))
            r1 = ratio(t[key], tm(label SUBSEP "floor"))
            if ((kz SUBSEP "kustomize") in t) r2 = ratio(t[kz SUBSEP "kustomize"], t[key])
          }
          printf "| %s | %s | %s | %s%s | %s | %.1f MiB | %s | %s | %s | %s |\n", label, size(bytes[label]), tools[j],
            ms(t[key]), (sd[key] > 0 ? sprintf(" ± %s", ms(sd[key])) : ""),
            mbps(bytes[label], t[key]), rss[key] / 1024, r0, r3, r1, r2
        }
      }
      print ""
      print "Targets:"
      s = small " stream" SUBSEP "ours"
      if (s in t) printf "- small chart (%s stream, %d documents) end to end < 5 ms: %s (%s)\n", small, 3 * substr(small, 3), ms(t[s]), check(t[s] < 0.005)
      for (i = 1; i <= n; i++) {
        label = order[i]
        if (label !~ /^n=1000 /) continue
        o = tm(label SUBSEP "ours"); r = tm(label SUBSEP "release")
        if (label ~ /stream$/) printf "- %s at least 3x the release: %sx (%s); on one thread %sx\n", label, ratio(r, o), check(o > 0 && r / o >= 3), ratio(r, tm(label SUBSEP "ours-1-thread"))
        else printf "- %s: %sx the release\n", label, ratio(r, o)
        if (label ~ /krm$/) printf "- %s peak RSS at most 3x the ResourceList (%s): %.1f MiB (%s)\n", label, size(bytes[label]), rss[label SUBSEP "ours"] / 1024, check(rss[label SUBSEP "ours"] * 1024 <= 3 * bytes[label])
        kz = "n=1000 stream" SUBSEP "kustomize"
        if (kz in t) printf "- %s at least 50x faster than kustomize: %sx (%s)\n", label, ratio(t[kz], o), check(t[kz] / o >= 50)
      }
      m = "n=5000 stream" SUBSEP "ours"
      if (m in rss) printf "- n=5000 stream peak RSS < 32 MB: %.1f MiB (%s)\n", rss[m] / 1024, check(rss[m] * 1024 < 32e6)
      for (i = 1; i <= n; i++) {
        label = order[i]
        if (label !~ /^n=(1000|5000|20000) / && label !~ /^worst /) continue
        for (j = 1; j <= 2; j++) {
          tool = (j == 1 ? "ours" : "ours-1-thread"); key = label SUBSEP tool
          if (!(key in t)) continue
          fast = bytes[label] >= 20e6 || t[key] < 2
          small = rss[key] * 1024 <= 3 * bytes[label]
          printf "- %s (%s), %s: %s (%s), peak RSS %.1f MiB = %.2fx the input (%s)\n", label, tool, size(bytes[label]),
            ms(t[key]), (bytes[label] >= 20e6 ? "20 MB or more" : check(fast)), rss[key] / 1024, rss[key] * 1024 / bytes[label], check(small)
        }
      }
      printf "- kubectl kustomize timed once per size, up to n=%s (--kustomize-max)\n", kzmax
    }' "$RESULTS" | tee "$OUT/results.md"
}
if [ "$REPORT_ONLY" = 1 ]; then report; exit 0; fi


# --- tools ------------------------------------------------------------------------
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else return 1
  fi
}
if ! command -v hyperfine >/dev/null 2>&1; then
  log "hyperfine missing: running scripts/install-tools.sh --bench"
  "$ROOT/scripts/install-tools.sh" --bench >/dev/null
fi
if [ ! -x /usr/bin/time ]; then
  log "/usr/bin/time missing: installing the Debian package time"
  { as_root apt-get install -y -q --no-install-recommends time >/dev/null 2>&1 ||
    { as_root apt-get update -q >/dev/null 2>&1 &&
      as_root apt-get install -y -q --no-install-recommends time >/dev/null 2>&1; }; } ||
    die "apt-get install time failed (needs root or passwordless sudo)"
fi
command -v hyperfine >/dev/null 2>&1 || die "hyperfine not found"
KUBECTL=1
command -v kubectl >/dev/null 2>&1 || { KUBECTL=0; log "kubectl not found: no kustomize column"; }

# --- build ------------------------------------------------------------------------
log "building (release)"
(cd "$ROOT" && cargo build --release --quiet --bin pinpoint-inject)
BIN="$ROOT/target/release/pinpoint-inject"
FLOOR="$(cd "$ROOT" && cargo bench --quiet --bench floor --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*\/floor-[^"]*\)".*/\1/p' | tail -n 1)"
[ -x "$FLOOR" ] || die "could not build the floor benchmark (cargo bench --bench floor --no-run)"
# The baseline release, from its own commit, in its own target dir (built once per commit).
BASE_SRC="$OUT/baseline-src" BASE_TARGET="$OUT/baseline-target"
BASE_REV="$(cd "$ROOT" && git rev-parse --verify "$BASELINE^{commit}")" || die "no commit $BASELINE"
if [ "$(cat "$BASE_SRC/.rev" 2>/dev/null)" != "$BASE_REV" ]; then
  rm -rf "$BASE_SRC"; mkdir -p "$BASE_SRC"
  (cd "$ROOT" && git archive "$BASE_REV") | tar -x -C "$BASE_SRC"
  echo "$BASE_REV" > "$BASE_SRC/.rev"
fi
log "building the baseline release ${BASE_REV:0:7} (release)"
(cd "$BASE_SRC" && CARGO_TARGET_DIR="$BASE_TARGET" cargo build --release --quiet --bin pinpoint-inject)
RELEASE="$BASE_TARGET/release/pinpoint-inject"
# rapidyaml in a venv of its own (PyPI).
VENV="$OUT/venv"
if ! "$VENV/bin/python" -c 'import ryml' 2>/dev/null; then
  log "installing rapidyaml into $VENV"
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q rapidyaml || die "pip install rapidyaml failed"
fi
RYML="$VENV/bin/python $ROOT/benches/ryml_floor.py"

# --- inputs -----------------------------------------------------------------------
mkdir -p "$OUT/inputs"
gen() { # mode n file
  { [ "$3" -nt "$ROOT/scripts/bench-gen.awk" ] && [ "$3" -nt "$CONFIG" ]; } || awk -v mode="$1" -v n="$2" -v config="$CONFIG" -f "$ROOT/scripts/bench-gen.awk" > "$3"
}
# A kustomization with one JSON patch that targets every Deployment and adds what
# pinpoint-inject adds with examples/seed-tomcat/pinpoint.yaml (container `app`).
kustomization() { # n dir
  mkdir -p "$2"
  gen stream "$1" "$2/resources.yaml"
  cat > "$2/kustomization.yaml" <<'EOF'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- resources.yaml
patches:
- path: patch.yaml
  target:
    kind: Deployment
EOF
  cat > "$2/patch.yaml" <<'EOF'
- op: add
  path: /spec/template/metadata/annotations/pinpoint-inject.dev~1injected
  value: containers=app;volume=pp-agent;initContainer=init-pinpoint
- op: add
  path: /spec/template/spec/volumes/-
  value: {name: pp-agent, emptyDir: {}}
- op: add
  path: /spec/template/spec/containers/0/env/-
  value: {name: PINPOINT_POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
- op: add
  path: /spec/template/spec/containers/0/env/-
  value:
    name: PINPOINT_AGENT_OPTS
    value: -javaagent:/var/init/pinpoint/pinpoint-bootstrap.jar -Dpinpoint.applicationName=dev-tomcat-zffw -Dpinpoint.agentId=$(PINPOINT_POD_IP) -Dpinpoint.profiler.profiles.active=release -Dprofiler.transport.grpc.collector.ip=pinpoint-collector.pinpoint.svc
- op: add
  path: /spec/template/spec/containers/0/env/-
  value: {name: CATALINA_OPTS, value: $(PINPOINT_AGENT_OPTS)}
- op: add
  path: /spec/template/spec/containers/0/volumeMounts/-
  value: {name: pp-agent, mountPath: /var/init/pinpoint}
- op: add
  path: /spec/template/spec/initContainers
  value:
  - name: init-pinpoint
    command: [cp, -R, /var/lib/pp_agent/., /var/init/pinpoint/]
    image: harbor.59iedu.com/fjhb/pp_agent:2.5.4
    imagePullPolicy: IfNotPresent
    resources:
      limits: {cpu: 500m, memory: 128Mi}
      requests: {cpu: 10m, memory: 32Mi}
    volumeMounts:
    - {mountPath: /var/init/pinpoint, name: pp-agent}
EOF
}

# --- measuring --------------------------------------------------------------------
[ "$APPEND" = 1 ] || : > "$RESULTS"

# Peak RSS in KiB of one run of a shell command line.
peak_rss() {
  /usr/bin/time -f '%M' -o "$OUT/rss.txt" sh -c "$1" >/dev/null 2>&1 || true
  tail -n 1 "$OUT/rss.txt"
}

# hyperfine over named commands; appends one line per command to $RESULTS.
measure() { # label bytes name cmd [name cmd ...]
  local label="$1" bytes="$2"; shift 2
  local args=() names=() cmds=()
  while [ $# -gt 0 ]; do
    names+=("$1"); cmds+=("$2"); args+=(-n "$1" "$2"); shift 2
  done
  # (A worst case may be refused on purpose, exit 1: its time still counts.)
  hyperfine --style basic --output=pipe --warmup 1 --min-runs "$RUNS" ${IGNORE_FAILURE:+--ignore-failure} --export-csv "$OUT/h.csv" "${args[@]}" >&2
  local k
  for k in "${!names[@]}"; do
    # hyperfine's CSV: command,mean,stddev,median,user,system,min,max
    local stats
    stats="$(awk -F, -v want="${names[$k]}" '$1 == want { printf "%s\t%s", $4, $3 }' "$OUT/h.csv")"
    printf '%s\t%s\t%s\t%s\t%s\n' "$label" "${names[$k]}" "$stats" "$bytes" "$(peak_rss "${cmds[$k]}")" >> "$RESULTS"
  done
}

# kubectl kustomize, timed once with /usr/bin/time (wall and peak RSS in one run).
measure_kustomize() { # label bytes dir
  /usr/bin/time -f '%e %M' -o "$OUT/kz.txt" kubectl kustomize "$3" > "$OUT/kustomize-out.yaml" 2>"$OUT/kustomize-err.txt" ||
    die "kubectl kustomize $3 failed: $(cat "$OUT/kustomize-err.txt")"
  local want got
  want="$(grep -c '^kind: Deployment' "$3/resources.yaml")"
  got="$(grep -c 'name: init-pinpoint' "$OUT/kustomize-out.yaml")"
  [ "$want" = "$got" ] || die "kustomize patched $got of $want Deployments"
  read -r secs rss < <(tail -n 1 "$OUT/kz.txt")
  printf '%s\tkustomize\t%s\t0\t%s\t%s\n' "$1" "$secs" "$2" "$rss" >> "$RESULTS"
}

bench_size() { # n label
  local n="$1" label="$2"
  local stream="$OUT/inputs/stream-$n.yaml" krm="$OUT/inputs/krm-$n.yaml" kdir="$OUT/inputs/kustomize-$n"
  gen stream "$n" "$stream"
  gen krm "$n" "$krm"
  local sb kb
  sb="$(wc -c < "$stream")"; kb="$(wc -c < "$krm")"
  log "$label: stream $((3 * n)) documents, $sb bytes; ResourceList $kb bytes"
  # Every Deployment must be injected, in both modes.
  local injected
  injected="$("$BIN" --config "$CONFIG" < "$stream" 2>/dev/null | grep -c 'name: init-pinpoint')"
  [ "$injected" = "$n" ] || die "stream $n: $injected of $n Deployments injected"
  injected="$("$BIN" < "$krm" 2>/dev/null | grep -c 'name: init-pinpoint')"
  [ "$injected" = "$n" ] || die "ResourceList $n: $injected of $n Deployments injected"
  if [ "$n" -le 5000 ]; then
    measure "$label stream" "$sb" \
      ours "$BIN --config $CONFIG < $stream" \
      ours-1-thread "PINPOINT_INJECT_THREADS=1 $BIN --config $CONFIG < $stream" \
      release "$RELEASE --config $CONFIG < $stream" \
      floor "$FLOOR < $stream" \
      rapidyaml "$RYML < $stream" \
      cat "cat $stream"
    measure "$label krm" "$kb" \
      ours "$BIN < $krm" \
      release "$RELEASE < $krm" \
      floor "$FLOOR < $krm" \
      rapidyaml "$RYML < $krm" \
      cat "cat $krm"
  else
    measure "$label stream" "$sb" \
      ours "$BIN --config $CONFIG < $stream" \
      ours-1-thread "PINPOINT_INJECT_THREADS=1 $BIN --config $CONFIG < $stream" \
      cat "cat $stream"
    measure "$label krm" "$kb" ours "$BIN < $krm" cat "cat $krm"
  fi
  if [ "$KUBECTL" = 1 ] && [ "$n" -le "$KUSTOMIZE_MAX" ]; then
    kustomization "$n" "$kdir"
    log "$label: kubectl kustomize (one run)"
    measure_kustomize "$label stream" "$sb" "$kdir"
  fi
}

# A worst case (scripts/bench-worst.awk) in both modes, ours only.
bench_worst() { # kind n
  local kind="$1" n="$2" label="worst $1 n=$2"
  local stream="$OUT/inputs/worst-$kind-$n.yaml" krm="$OUT/inputs/worst-$kind-$n-krm.yaml"
  for f in "$stream:stream" "$krm:krm"; do
    { [ "${f%%:*}" -nt "$ROOT/scripts/bench-worst.awk" ] && [ "${f%%:*}" -nt "$CONFIG" ]; } ||
      awk -v kind="$kind" -v n="$n" -v mode="${f##*:}" -v config="$CONFIG" -f "$ROOT/scripts/bench-worst.awk" > "${f%%:*}"
  done
  local sb kb
  sb="$(wc -c < "$stream")"; kb="$(wc -c < "$krm")"
  log "$label: stream $sb bytes, ResourceList $kb bytes"
  IGNORE_FAILURE=1 measure "$label stream" "$sb" \
    ours "$BIN --config $CONFIG < $stream" \
    ours-1-thread "PINPOINT_INJECT_THREADS=1 $BIN --config $CONFIG < $stream"
  # (A JSON ResourceList has no functionConfig: the config comes with --config.)
  local with=""
  case "$kind" in json*) with="--config $CONFIG" ;; esac
  IGNORE_FAILURE=1 measure "$label krm" "$kb" ours "$BIN $with < $krm" \
    ours-1-thread "PINPOINT_INJECT_THREADS=1 $BIN $with < $krm"
}

log "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in ${SIZES:+$SMALL} $SIZES; do bench_size "$n" "n=$n"; done
for w in $WORST; do bench_worst "${w%%:*}" "${w##*:}"; done

report
log "inputs and results in $OUT"

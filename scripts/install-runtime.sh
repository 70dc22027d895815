#!/usr/bin/env bash
# Install what tests/runtime.rs runs pinpoint-inject's output on, into <repo>/.tools/runtime:
#
#   agent-<v>/rootfs/pinpoint-agent/   the real Pinpoint agent, com.navercorp.pinpoint:
#                                      pinpoint-agent:<v>:tar.gz from Maven Central, laid out
#                                      as the official agent image lays it out
#   tomcat-<v>/                        Apache Tomcat, org.apache.tomcat:tomcat:<v>:tar.gz
#   venv/                              Python with grpcio (PyPI), for the collector stand-in
#   versions.env                       what was installed (sourced by nothing; read by the test)
#
# Only Maven Central (through Maven's own client, `mvn dependency:copy`) and PyPI (pip) are
# used. Idempotent (a second run only checks what is there), no prompts, no stdin, fine as
# root in CI; concurrent runs serialise on a lock. Prints the pinned versions on stderr.
#
#   scripts/install-runtime.sh           # install or check
#   scripts/install-runtime.sh --force   # reinstall everything
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNTIME="$ROOT/.tools/runtime"
DOWNLOADS="$RUNTIME/downloads"

# --- pinned versions ----------------------------------------------------------------
# Maven Central's maven-metadata.xml for com.navercorp.pinpoint:pinpoint-agent lists 3.0.1
# alone (checked 2026-12-02); 2.5.4 and every other 2.5.x tar.gz is not served there, so
# there is no 2.5.x run.
PINPOINT_AGENT_VERSION="3.0.1"
PINPOINT_AGENT_SHA256="d869d7841e83e607e07c2c54936ee0f5c42d39fec57195831549c41adf226a49"
TOMCAT_VERSION="10.1.59"
TOMCAT_SHA256="15e435e8ecafd30e500dec7cd30fc289aed4cd8743db14d55024896be77d9241"
GRPCIO_VERSION="1.85.1"
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-runtime: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
log() { printf 'install-runtime: %s\n' "$*" >&2; }
die() { printf 'install-runtime: ERROR: %s\n' "$*" >&2; exit 1; }

exec </dev/null
mkdir -p "$DOWNLOADS"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$RUNTIME/.lock"
  flock 9
fi
TMP="$(mktemp -d "${TMPDIR:-/tmp}/install-runtime.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

command -v mvn >/dev/null 2>&1 || die "mvn (Maven) is needed: apt-get install maven"
command -v java >/dev/null 2>&1 || die "java (a JDK 17) is needed: apt-get install openjdk-17-jdk-headless"
command -v javac >/dev/null 2>&1 || die "javac (a JDK 17) is needed: apt-get install openjdk-17-jdk-headless"

# Download G:A:V:tar.gz with Maven into $DOWNLOADS (kept: a second run only checks it).
maven_tarball() {  # coordinates, file name, sha256
  local coordinates="$1" file="$2" sha="$3"
  if [ "$FORCE" = 1 ] || [ ! -f "$DOWNLOADS/$file" ]; then
    log "mvn dependency:copy $coordinates"
    mvn -B -q -ntp "$DEPENDENCY_PLUGIN:copy" \
      -Dartifact="$coordinates" -DoutputDirectory="$TMP/mvn" -Dmdep.overWriteReleases=true \
      >"$TMP/mvn.log" 2>&1 || { cat "$TMP/mvn.log" >&2; die "Maven could not fetch $coordinates"; }
    mv -f "$TMP/mvn/$file" "$DOWNLOADS/$file"
  fi
  local got
  got="$(sha256sum "$DOWNLOADS/$file" | cut -d' ' -f1)"
  [ "$got" = "$sha" ] || { rm -f "$DOWNLOADS/$file"; die "sha256 of $file is $got, expected $sha"; }
}

# --- 1. the agent, as the official image lays it out ----------------------------------
# pinpoint-apm/pinpoint-docker, pinpoint-agent/Dockerfile: the release tarball is unpacked
# with `tar -xf … --strip 1 -C /pinpoint-agent` as root (so the files keep the tarball's
# owner, 1001:127, and modes 0644/0755), on alpine, with `VOLUME ["/pinpoint-agent"]`.
AGENT_DIR="$RUNTIME/agent-$PINPOINT_AGENT_VERSION"
install_agent() {
  local file="pinpoint-agent-$PINPOINT_AGENT_VERSION.tar.gz"
  if [ "$FORCE" = 0 ] && [ -f "$AGENT_DIR/.complete" ]; then
    log "pinpoint-agent $PINPOINT_AGENT_VERSION already laid out in $AGENT_DIR"
    return
  fi
  maven_tarball "com.navercorp.pinpoint:pinpoint-agent:$PINPOINT_AGENT_VERSION:tar.gz" "$file" \
    "$PINPOINT_AGENT_SHA256"
  rm -rf "$AGENT_DIR"
  mkdir -p "$AGENT_DIR/rootfs/pinpoint-agent"
  local owner=--no-same-owner
  if [ "$(id -u)" = 0 ]; then owner=--same-owner; fi
  tar -xzf "$DOWNLOADS/$file" "$owner" --strip-components 1 -C "$AGENT_DIR/rootfs/pinpoint-agent"
  chmod o+x "$AGENT_DIR/rootfs/pinpoint-agent"
  [ -f "$AGENT_DIR/rootfs/pinpoint-agent/pinpoint-bootstrap.jar" ] ||
    die "$file has no pinpoint-bootstrap.jar at its top level"
  touch "$AGENT_DIR/.complete"
}

# --- 2. Tomcat ---------------------------------------------------------------------------
TOMCAT_DIR="$RUNTIME/tomcat-$TOMCAT_VERSION"
install_tomcat() {
  local file="tomcat-$TOMCAT_VERSION.tar.gz"
  if [ "$FORCE" = 0 ] && [ -f "$TOMCAT_DIR/.complete" ]; then
    log "tomcat $TOMCAT_VERSION already unpacked in $TOMCAT_DIR"
    return
  fi
  maven_tarball "org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz" "$file" "$TOMCAT_SHA256"
  rm -rf "$TOMCAT_DIR"
  mkdir -p "$TOMCAT_DIR"
  tar -xzf "$DOWNLOADS/$file" --no-same-owner --strip-components 1 -C "$TOMCAT_DIR"
  [ -x "$TOMCAT_DIR/bin/catalina.sh" ] || die "$file has no bin/catalina.sh"
  touch "$TOMCAT_DIR/.complete"
}

# --- 3. grpcio for the collector stand-in ------------------------------------------------
VENV="$RUNTIME/venv"
grpcio_version() {
  [ -x "$VENV/bin/python" ] || return 0
  "$VENV/bin/python" -c 'import grpc; print(grpc.__version__)' 2>/dev/null || true
}
install_grpcio() {
  if [ "$FORCE" = 0 ] && [ "$(grpcio_version)" = "$GRPCIO_VERSION" ]; then
    log "grpcio $GRPCIO_VERSION already installed in $VENV"
    return
  fi
  log "installing grpcio==$GRPCIO_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV" || die "python3 -m venv failed (apt-get install python3-venv)"
  "$VENV/bin/python" -m pip install -q "grpcio==$GRPCIO_VERSION" || die "pip install grpcio failed"
  [ "$(grpcio_version)" = "$GRPCIO_VERSION" ] || die "grpcio version check failed"
}

install_agent
install_tomcat
install_grpcio

JAVA_HOME_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
JAVA_VERSION="$(java -version 2>&1 | head -n1)"
cat >"$RUNTIME/versions.env.tmp" <<EOF
PINPOINT_AGENT_VERSION=$PINPOINT_AGENT_VERSION
PINPOINT_AGENT_ROOTFS=$AGENT_DIR/rootfs
TOMCAT_VERSION=$TOMCAT_VERSION
CATALINA_HOME=$TOMCAT_DIR
JAVA_HOME=$JAVA_HOME_DIR
PYTHON=$VENV/bin/python
GRPCIO_VERSION=$GRPCIO_VERSION
EOF
mv -f "$RUNTIME/versions.env.tmp" "$RUNTIME/versions.env"

log "summary:"
{
  printf '  pinpoint-agent %s (com.navercorp.pinpoint:pinpoint-agent:%s:tar.gz)\n' \
    "$(cat "$AGENT_DIR/rootfs/pinpoint-agent/VERSION")" "$PINPOINT_AGENT_VERSION"
  printf '  tomcat         %s (org.apache.tomcat:tomcat:%s:tar.gz)\n' \
    "$(sh "$TOMCAT_DIR/bin/version.sh" 2>/dev/null | sed -n 's/^Server number: *//p')" "$TOMCAT_VERSION"
  printf '  java           %s (%s)\n' "$JAVA_VERSION" "$JAVA_HOME_DIR"
  printf '  grpcio         %s (%s)\n' "$(grpcio_version)" "$VENV"
} >&2

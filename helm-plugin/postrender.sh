#!/bin/sh
# The Helm 4 plugin's command: rendered manifests on stdin, the --post-renderer-args as
# arguments, the post-rendered manifests on stdout. Helm 4 does not show this
# process's stderr, so failures are told apart by exit status (see README.md).
if [ -n "${HELM_PLUGIN_DIR:-}" ] && [ -x "$HELM_PLUGIN_DIR/bin/pinpoint-inject" ]; then
  exec "$HELM_PLUGIN_DIR/bin/pinpoint-inject" "$@"
fi
if command -v pinpoint-inject >/dev/null 2>&1; then
  exec pinpoint-inject "$@"
fi
echo "pinpoint-inject helm plugin: pinpoint-inject is neither in ${HELM_PLUGIN_DIR:-<plugin dir>}/bin nor on PATH" >&2
exit 127

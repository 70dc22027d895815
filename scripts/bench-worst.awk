# Worst-case inputs for scripts/bench.sh: the shapes that once cost quadratic time or
# memory far past the input's size (issue 18), at sizes where that showed.
#
#   awk -v kind=env -v n=80000 -f scripts/bench-worst.awk                 # a stream
#   awk -v kind=env -v n=80000 -v mode=krm -v config=cfg.yaml -f scripts/bench-worst.awk
#
# kind:
#   env          one Deployment whose container has n env entries
#   flow-args    one Deployment whose args are one flow list of n items on one line
#   flow-data    a ConfigMap whose data is one flow mapping of n entries on one line,
#                then a Deployment
#   containers   one Deployment with n Java containers
#   annotations  one Deployment whose pod template has n annotations
#   list         one v1 List of n Deployments
#   workload     one Deployment of about n bytes (one long annotation)
# mode=krm writes the same resources as the items of one ResourceList whose
# functionConfig is the file `config` (its comment lines dropped).

function add(line) { doc = doc line "\n" }

# Write the document collected by add() and start a new one.
function flush(    lines, k, m) {
  if (mode == "krm") {
    m = split(doc, lines, "\n")
    for (k = 1; k < m; k++) printf "%s%s\n", (k == 1 ? "- " : "  "), lines[k]
  } else {
    printf "---\n%s", doc
  }
  doc = ""
}

# `s` repeated to `n` characters (by doubling).
function repeat(s, n) {
  while (length(s) < n) s = s s
  return substr(s, 1, n)
}

# The head of a Deployment named `name`, up to its containers list; `blob` bytes in one
# annotation of its own, `annotations` in its pod template.
function deployment(name, annotations, blob,    i) {
  add("apiVersion: apps/v1")
  add("kind: Deployment")
  add("metadata:")
  add("  name: " name)
  if (blob > 0) { add("  annotations:"); add("    blob: " repeat("x", blob)) }
  add("spec:")
  add("  selector:")
  add("    matchLabels: {app: " name "}")
  add("  template:")
  add("    metadata:")
  add("      labels: {app: " name "}")
  if (annotations > 0) {
    add("      annotations:")
    for (i = 0; i < annotations; i++) add("        note-" i ": value " i)
  }
  add("    spec:")
  add("      containers:")
}

function app() {
  add("      - name: app")
  add("        image: eclipse-temurin:21-jre")
}

BEGIN {
  if (mode != "krm") mode = "stream"
  if (mode == "krm") printf "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"
  if (kind == "env") {
    deployment("big", 0, 0); app(); add("        env:")
    for (i = 0; i < n; i++) { add("        - name: VAR_" i); add("          value: value-" i) }
    flush()
  } else if (kind == "flow-args") {
    deployment("big", 0, 0); app()
    line = "        args: ["
    for (i = 0; i < n; i++) line = line (i ? ", " : "") "arg-" i
    add(line "]"); flush()
  } else if (kind == "flow-data") {
    line = "data: {"
    for (i = 0; i < n; i++) line = line (i ? ", " : "") "k" i ": v" i
    add("apiVersion: v1"); add("kind: ConfigMap"); add("metadata: {name: flat}"); add(line "}")
    flush()
    deployment("big", 0, 0); app(); flush()
  } else if (kind == "containers") {
    deployment("big", 0, 0)
    for (i = 0; i < n; i++) { add("      - name: c" i); add("        image: eclipse-temurin:21-jre") }
    flush()
  } else if (kind == "annotations") {
    deployment("big", n, 0); app(); flush()
  } else if (kind == "list") {
    add("apiVersion: v1"); add("kind: List"); add("items:")
    list = doc; doc = ""
    for (i = 0; i < n; i++) {
      deployment("d" i, 0, 0); app()
      m = split(doc, lines, "\n")
      for (k = 1; k < m; k++) list = list (k == 1 ? "- " : "  ") lines[k] "\n"
      doc = ""
    }
    doc = list; flush()
  } else if (kind == "workload") {
    deployment("big", 0, n); app(); flush()
  } else {
    print "bench-worst.awk: unknown kind " kind > "/dev/stderr"; exit 2
  }
  if (mode == "krm") {
    printf "functionConfig:\n"
    while ((getline line < config) > 0) if (line !~ /^#/) printf "  %s\n", line
  }
}

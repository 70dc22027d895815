# Worst-case inputs for scripts/bench.sh: the shapes that once cost quadratic time or
# memory far past the input's size (issue 18), at sizes where that showed.
#
#   awk -v kind=env -v n=80000 -f scripts/bench-worst.awk                 # a stream
#   awk -v kind=env -v n=80000 -v mode=krm -v config=cfg.yaml -f scripts/bench-worst.awk
#
# kind:
#   env          one Deployment whose container has n env entries
#   flow-args    one Deployment whose args are one flow list of n items on one line
#   block-args   one Deployment whose args are a block list of n items
#   flow-empty   one Deployment whose pod template's annotations are one flow mapping of
#                n keys without values, on one line
#   flow-data    a ConfigMap whose data is one flow mapping of n entries on one line,
#                then a Deployment
#   containers   one Deployment with n Java containers
#   annotations  one Deployment whose pod template has n annotations
#   list         one v1 List of n Deployments
#   workload     one Deployment of about n bytes (one long annotation)
#   crlf         n Deployments, every line ending in \r\n (the list too, in krm mode)
#   laughs       n small Deployments, each with aliases that expand a million times
#   twice        a ConfigMap whose data writes one key n times, then a Deployment
#   flow-lines   n Deployments whose selector labels are a flow mapping on two lines
#   tagged       n plain Deployments, the first one's name tagged `!!str`
#   results      10 Deployments, and (krm) n earlier results in the ResourceList
#   small        n small Pods in block style (9 lines each, one Java container)
#   small-flow   n small Pods, each one flow mapping on one line
#   json-docs    n small Pods, each a JSON object on one line (`jq -c` between `---`s)
#   deployments  n plain Deployments (about 230 bytes each)
#   json         n Deployments and n Services written as JSON, laid out as `kubectl get
#                -o json` prints them: a v1 List (a stream), or a ResourceList with no
#                functionConfig (krm: run it with --config)
#   json-line    the same on one line
# mode=krm writes the same resources as the items of one ResourceList whose
# functionConfig is the file `config` (its comment lines dropped).

# Print one line of the current document: the first after its `---` (a stream) or as
# a new item (`- `, a ResourceList), the rest indented under it. Nothing is kept (awk
# copies a string it appends to: building a large document would be quadratic).
function add(line) {
  if (mode == "krm") printf "%s%s%s%s", (first ? "- " : "  "), inner, line, eol
  else printf "%s%s%s%s", (first ? "---" eol : ""), inner, line, eol
  first = 0
  if (inner_first) { inner = list_indent "  "; inner_first = 0 }
}

# Start the next document.
function flush() { first = 1 }

# The prefix of the current line inside a List item (`- ` on its first line).
function item() { inner = list_indent "- "; inner_first = 1 }

# `s` repeated to `n` characters (by doubling).
function repeat(s, n) {
  while (length(s) < n) s = s s
  return substr(s, 1, n)
}

# The head of a Deployment named `name`, up to its containers list; `blob` bytes in one
# annotation of its own, `annotations` in its pod template.
function deployment(name, annotations, blob, flowkeys,    i) {
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
  if (flowkeys > 0) {
    # One line, printed piece by piece.
    printf "%s      annotations: {", (mode == "krm" ? "  " : "")
    for (i = 0; i < flowkeys; i++) printf "%sk%d: ", (i ? ", " : ""), i
    printf "}\n"
  }
  add("    spec:")
  add("      containers:")
}

function app() {
  add("      - name: app")
  add("        image: eclipse-temurin:21-jre")
}

# One line of a JSON item, written as kubectl lays it out: on its own line under `pad`;
# or (`oneline`) its leading spaces dropped and no line break, so that the whole list is
# one line.
function j(s) {
  if (oneline) { sub(/^ +/, "", s); printf "%s", s }
  else printf "%s%s\n", pad, s
}

# The Deployment and the Service of `svc-i`, as JSON items (`last`: no `,` after them).
function json_pair(i, last,    name) {
  name = "\"svc-" i "\""
  j("{"); j("    \"apiVersion\": \"apps/v1\","); j("    \"kind\": \"Deployment\",")
  j("    \"metadata\": {"); j("        \"name\": " name ","); j("        \"namespace\": \"shop\",")
  j("        \"labels\": {"); j("            \"app.kubernetes.io/name\": " name ",")
  j("            \"app.kubernetes.io/managed-by\": \"Helm\""); j("        }"); j("    },")
  j("    \"spec\": {"); j("        \"replicas\": 2,"); j("        \"selector\": {")
  j("            \"matchLabels\": {"); j("                \"app.kubernetes.io/name\": " name)
  j("            }"); j("        },"); j("        \"template\": {"); j("            \"metadata\": {")
  j("                \"labels\": {"); j("                    \"app.kubernetes.io/name\": " name)
  j("                }"); j("            },"); j("            \"spec\": {"); j("                \"containers\": [")
  j("                    {"); j("                        \"name\": \"app\",")
  j("                        \"image\": \"eclipse-temurin:21-jre\",")
  j("                        \"env\": ["); j("                            {")
  j("                                \"name\": \"JAVA_OPTS\","); j("                                \"value\": \"-Xmx512m\"")
  j("                            }"); j("                        ],"); j("                        \"ports\": [")
  j("                            {"); j("                                \"containerPort\": 8080,")
  j("                                \"protocol\": \"TCP\""); j("                            }")
  j("                        ],"); j("                        \"resources\": {")
  j("                            \"limits\": {"); j("                                \"memory\": \"1Gi\"")
  j("                            }"); j("                        }"); j("                    }"); j("                ]")
  j("            }"); j("        }"); j("    }"); j("},")
  j("{"); j("    \"apiVersion\": \"v1\","); j("    \"kind\": \"Service\","); j("    \"metadata\": {")
  j("        \"name\": " name ","); j("        \"namespace\": \"shop\""); j("    },"); j("    \"spec\": {")
  j("        \"selector\": {"); j("            \"app.kubernetes.io/name\": " name); j("        },")
  j("        \"ports\": ["); j("            {"); j("                \"port\": 80,")
  j("                \"targetPort\": 8080"); j("            }"); j("        ]"); j("    }")
  j("}" (last ? "" : ","))
}

BEGIN {
  if (mode != "krm") mode = "stream"
  if (kind == "json" || kind == "json-line") {
    # kubectl's order: apiVersion, items, kind, metadata.
    oneline = (kind == "json-line")
    j("{"); j("    \"apiVersion\": \"" (mode == "krm" ? "config.kubernetes.io/v1" : "v1") "\",")
    j("    \"items\": [")
    pad = "        "; for (i = 0; i < n; i++) json_pair(i, i == n - 1); pad = ""
    j("    ],"); j("    \"kind\": \"" (mode == "krm" ? "ResourceList" : "List") "\",")
    j("    \"metadata\": {"); j("        \"resourceVersion\": \"\""); j("    }"); j("}")
    if (oneline) printf "\n"
    exit
  }
  eol = (kind == "crlf" ? "\r\n" : "\n")
  if (mode == "krm") printf "apiVersion: config.kubernetes.io/v1%skind: ResourceList%sitems:%s", eol, eol, eol
  first = 1
  if (kind == "env") {
    deployment("big", 0, 0); app(); add("        env:")
    for (i = 0; i < n; i++) { add("        - name: V" i); add("          value: x" i) }
  } else if (kind == "flow-args") {
    # The long line is printed piece by piece, like every other.
    deployment("big", 0, 0); app()
    printf "%s        args: [", (mode == "krm" ? "  " : "")
    for (i = 0; i < n; i++) printf "%sarg-%d", (i ? ", " : ""), i
    printf "]\n"
  } else if (kind == "block-args") {
    deployment("big", 0, 0); app(); add("        args:")
    for (i = 0; i < n; i++) add("        - arg-" i)
  } else if (kind == "flow-empty") {
    deployment("big", 0, 0, n); app()
  } else if (kind == "flow-data") {
    add("apiVersion: v1"); add("kind: ConfigMap"); add("metadata: {name: flat}")
    printf "%sdata: {", (mode == "krm" ? "  " : "")
    for (i = 0; i < n; i++) printf "%sk%d: v%d", (i ? ", " : ""), i, i
    printf "}\n"
    flush(); deployment("big", 0, 0); app()
  } else if (kind == "containers") {
    deployment("big", 0, 0)
    for (i = 0; i < n; i++) { add("      - name: c" i); add("        image: eclipse-temurin:21-jre") }
  } else if (kind == "annotations") {
    deployment("big", n, 0); app()
  } else if (kind == "list") {
    add("apiVersion: v1"); add("kind: List"); add("items:")
    for (i = 0; i < n; i++) { item(); deployment("d" i, 0, 0); app() }
  } else if (kind == "workload") {
    deployment("big", 0, n); app()
  } else if (kind == "small") {
    for (i = 0; i < n; i++) {
      flush(); add("apiVersion: v1"); add("kind: Pod"); add("metadata:"); add("  name: p" i)
      add("spec:"); add("  containers:"); add("  - name: app"); add("    image: eclipse-temurin:21-jre")
    }
  } else if (kind == "small-flow") {
    for (i = 0; i < n; i++) {
      flush()
      add("{apiVersion: v1, kind: Pod, metadata: {name: p" i "}, spec: {containers: [{name: app, image: eclipse-temurin:21-jre}]}}")
    }
  } else if (kind == "json-docs") {
    for (i = 0; i < n; i++) {
      flush()
      add("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p" i "\"}, \"spec\": {\"containers\": [{\"name\": \"app\", \"image\": \"eclipse-temurin:21-jre\"}]}}")
    }
  } else if (kind == "crlf" || kind == "deployments") {
    for (i = 0; i < n; i++) { flush(); deployment("d" i, 0, 0); app() }
  } else if (kind == "laughs") {
    for (i = 0; i < n; i++) {
      flush(); deployment("d" i, 0, 0); app()
      add("        x-lol:")
      add("          l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]")
      for (l = 1; l < 7; l++) {
        refs = "*l" (l - 1); for (k = 1; k < 10; k++) refs = refs ", *l" (l - 1)
        add("          l" l ": &l" l " [" refs "]")
      }
    }
  } else if (kind == "flow-lines") {
    # The selector's labels a flow mapping on two lines (the fast path reads it since
    # 2026-12-07; the full parser read every such document before).
    for (i = 0; i < n; i++) {
      flush()
      add("apiVersion: apps/v1"); add("kind: Deployment"); add("metadata:"); add("  name: d" i)
      add("spec:"); add("  selector:"); add("    matchLabels: {app: d" i ",")
      add("      tier: web}"); add("  template:"); add("    metadata:")
      add("      labels: {app: d" i ", tier: web}"); add("    spec:"); add("      containers:")
      app()
    }
  } else if (kind == "tagged") {
    # n plain Deployments, the first one's name tagged `!!str` (a ResourceList with it
    # was read whole before 2026-12-07).
    for (i = 0; i < n; i++) {
      flush(); deployment(i ? "d" i : "!!str d0", 0, 0); app()
    }
  } else if (kind == "results") {
    # 10 plain Deployments, and in krm mode n earlier results after the items.
    for (i = 0; i < 10; i++) { flush(); deployment("d" i, 0, 0); app() }
    if (mode == "krm") {
      printf "results:%s", eol
      for (i = 0; i < n; i++) {
        printf "- message: earlier result %d%s  severity: info%s", i, eol, eol
        printf "  resourceRef:%s    apiVersion: apps/v1%s", eol, eol
        printf "    kind: Deployment%s    name: d%d%s", eol, i % 10, eol
      }
    }
  } else if (kind == "twice") {
    add("apiVersion: v1"); add("kind: ConfigMap"); add("metadata:"); add("  name: twice"); add("data:")
    for (i = 0; i < n; i++) add("  k: v" i)
    flush(); deployment("big", 0, 0); app()
  } else {
    print "bench-worst.awk: unknown kind " kind > "/dev/stderr"; exit 2
  }
  if (mode == "krm") {
    printf "functionConfig:%s", eol
    while ((getline line < config) > 0) if (line !~ /^#/) printf "  %s%s", line, eol
  }
}

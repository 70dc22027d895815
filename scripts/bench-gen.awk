# Benchmark inputs for scripts/bench.sh: n Java services as a Helm chart renders them,
# each a ConfigMap, a Service and a Deployment (about 4.3 kB together, so n = 5000 is
# about 21 MB).
#
#   awk -v mode=stream -v n=1000 -f scripts/bench-gen.awk          # `---` + `# Source:`
#   awk -v mode=krm -v n=1000 -v config=cfg.yaml -f scripts/bench-gen.awk
#
# mode=krm writes the same resources as one ResourceList whose functionConfig is the
# file `config` (its comment lines dropped).

function add(line) { doc = doc line "\n" }

# Write the document collected by add() and start a new one.
function flush(source,    lines, k, m) {
  if (mode == "stream") {
    printf "---\n# Source: shop/templates/%s\n%s", source, doc
  } else {
    m = split(doc, lines, "\n")
    for (k = 1; k < m; k++) printf "%s%s\n", (k == 1 ? "- " : "  "), lines[k]
  }
  doc = ""
}

function metadata(name) {
  add("metadata:")
  add("  name: " name)
  add("  namespace: shop")
  add("  labels:")
  add("    app.kubernetes.io/name: " svc)
  add("    app.kubernetes.io/instance: shop")
  add("    app.kubernetes.io/version: \"" version "\"")
  add("    app.kubernetes.io/managed-by: Helm")
  add("    helm.sh/chart: shop-0.3.1")
}

function configmap() {
  add("apiVersion: v1")
  add("kind: ConfigMap")
  metadata(svc "-config")
  add("data:")
  add("  application.properties: |")
  add("    spring.application.name=" svc)
  add("    server.port=8080")
  add("    server.shutdown=graceful")
  add("    management.server.port=8081")
  add("    management.endpoints.web.exposure.include=health,info,prometheus")
  add("    management.endpoint.health.probes.enabled=true")
  add("    spring.datasource.url=jdbc:postgresql://postgres.shop.svc:5432/" svc)
  add("    spring.datasource.username=" svc)
  add("    spring.kafka.bootstrap-servers=kafka-0.kafka.shop.svc:9092,kafka-1.kafka.shop.svc:9092")
  add("    spring.kafka.consumer.group-id=" svc)
  add("    spring.redis.host=redis-master.shop.svc")
  add("    spring.redis.port=6379")
  add("    logging.level.root=INFO")
  add("    logging.level.com.example.shop=DEBUG")
  add("  log4j2-level: INFO")
  flush("configmap.yaml")
}

function service() {
  add("apiVersion: v1")
  add("kind: Service")
  metadata(svc)
  add("spec:")
  add("  type: ClusterIP")
  add("  ports:")
  add("    - port: 80")
  add("      targetPort: http")
  add("      protocol: TCP")
  add("      name: http")
  add("    - port: 8081")
  add("      targetPort: management")
  add("      protocol: TCP")
  add("      name: management")
  add("  selector:")
  add("    app.kubernetes.io/name: " svc)
  add("    app.kubernetes.io/instance: shop")
  flush("service.yaml")
}

function deployment(    checksum, j) {
  checksum = ""
  for (j = 0; j < 8; j++) checksum = checksum sprintf("%08x", (i * 2654435761 + j * 40503) % 4294967296)
  add("apiVersion: apps/v1")
  add("kind: Deployment")
  metadata(svc)
  add("spec:")
  add("  replicas: " (i % 3 + 1))
  add("  revisionHistoryLimit: 5")
  add("  selector:")
  add("    matchLabels:")
  add("      app.kubernetes.io/name: " svc)
  add("      app.kubernetes.io/instance: shop")
  add("  strategy:")
  add("    type: RollingUpdate")
  add("    rollingUpdate:")
  add("      maxSurge: 25%")
  add("      maxUnavailable: 0")
  add("  template:")
  add("    metadata:")
  add("      labels:")
  add("        app.kubernetes.io/name: " svc)
  add("        app.kubernetes.io/instance: shop")
  add("      annotations:")
  add("        checksum/config: " checksum)
  add("        prometheus.io/scrape: \"true\"")
  add("        prometheus.io/port: \"8081\"")
  add("    spec:")
  add("      serviceAccountName: " svc)
  add("      securityContext:")
  add("        runAsNonRoot: true")
  add("        runAsUser: 1000")
  add("        fsGroup: 1000")
  add("      containers:")
  add("        - name: app")
  add("          image: \"registry.example.com/shop/" svc ":" version "\"")
  add("          imagePullPolicy: IfNotPresent")
  add("          ports:")
  add("            - name: http")
  add("              containerPort: 8080")
  add("              protocol: TCP")
  add("            - name: management")
  add("              containerPort: 8081")
  add("              protocol: TCP")
  add("          env:")
  add("            - name: JAVA_OPTS")
  add("              value: \"-Xms512m -Xmx1024m -XX:+UseG1GC -XX:MaxGCPauseMillis=200 -XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8 -Duser.timezone=UTC\"")
  add("            - name: SPRING_PROFILES_ACTIVE")
  add("              value: prod")
  add("            - name: DB_PASSWORD")
  add("              valueFrom:")
  add("                secretKeyRef:")
  add("                  name: " svc "-db")
  add("                  key: password")
  add("          livenessProbe:")
  add("            httpGet:")
  add("              path: /actuator/health/liveness")
  add("              port: management")
  add("            initialDelaySeconds: 60")
  add("            periodSeconds: 10")
  add("            timeoutSeconds: 3")
  add("            failureThreshold: 3")
  add("          readinessProbe:")
  add("            httpGet:")
  add("              path: /actuator/health/readiness")
  add("              port: management")
  add("            initialDelaySeconds: 30")
  add("            periodSeconds: 5")
  add("          resources:")
  add("            limits:")
  add("              cpu: \"2\"")
  add("              memory: 1536Mi")
  add("            requests:")
  add("              cpu: 500m")
  add("              memory: 1Gi")
  add("          volumeMounts:")
  add("            - name: config")
  add("              mountPath: /app/config")
  add("              readOnly: true")
  add("            - name: tmp")
  add("              mountPath: /tmp")
  add("      volumes:")
  add("        - name: config")
  add("          configMap:")
  add("            name: " svc "-config")
  add("        - name: tmp")
  add("          emptyDir: {}")
  flush("deployment.yaml")
}

BEGIN {
  if (mode != "stream" && mode != "krm") { print "bench-gen.awk: mode must be stream or krm" > "/dev/stderr"; exit 2 }
  if (mode == "krm") printf "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"
  for (i = 1; i <= n; i++) {
    svc = sprintf("svc-%05d", i)
    version = "1.4." (i % 10)
    configmap()
    service()
    deployment()
  }
  if (mode == "krm") {
    printf "functionConfig:\n"
    while ((getline line < config) > 0) if (line !~ /^#/) printf "  %s\n", line
  }
}

# syntax=docker/dockerfile:1
# pinpoint-inject as a KRM function image (kustomize / kpt `container:` functions):
#   docker build -t ghcr.io/pinpoint-inject/pinpoint-inject:0.1.0 .
# A static binary in an empty image, run as nobody (65534), like kpt and kustomize run
# functions (`--network none --user nobody`). `--target argocd-cmp` builds the Argo CD
# plugin sidecar image instead (examples/argocd/).
# tests/image.rs builds the same binary from the same files (the COPY lines below, as
# .dockerignore lets them through) with the same flags, and runs it alone, as nobody,
# in an empty chroot with no network.

ARG RUST_VERSION=1.95
ARG ARGOCD_VERSION=v3.0.0

FROM docker.io/library/rust:${RUST_VERSION}-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
# Cargo.toml declares the benchmark: cargo refuses a manifest whose targets are missing.
COPY benches ./benches
# glibc with crt-static: no dynamic loader and no shared libraries at run time.
ENV RUSTFLAGS='-C target-feature=+crt-static'
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    target="$(uname -m)-unknown-linux-gnu" \
 && cargo build --release --locked --target "$target" \
 && cp "target/$target/release/pinpoint-inject" /pinpoint-inject

# Argo CD Config Management Plugin sidecar: Argo CD's image has bash, helm and git.
FROM quay.io/argoproj/argocd:${ARGOCD_VERSION} AS argocd-cmp
COPY --from=build /pinpoint-inject /usr/local/bin/pinpoint-inject
USER 999

FROM scratch
LABEL org.opencontainers.image.title="pinpoint-inject" \
      org.opencontainers.image.description="Wire the Pinpoint APM Java agent into Kubernetes workloads (KRM function, Helm post-renderer)"
COPY --from=build /pinpoint-inject /pinpoint-inject
USER 65534:65534
ENTRYPOINT ["/pinpoint-inject"]

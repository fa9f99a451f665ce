# Skiff: the README's two commands.
#   make run   installs what a fresh Debian 12 machine lacks, builds, builds the
#              demo images into the data dir's inbox and starts skiffd.
#   make test  installs the same, builds and runs every test (privileged ones
#              included: run as root, as CI does).

SHELL := /bin/bash
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
DATA_DIR ?= /var/lib/skiff
# The node's network (bridge, pod veths, nftables table) lives in this
# namespace, created if missing. `make run NODE_NETNS=` programs the
# machine's own network instead, as a node on bare metal does.
NODE_NETNS ?= skiff-node
CONFIG ?= release
# Static Swift runtime: a container start pays the dynamic loader once per
# `skiff runtime run`, so linking the stdlib and Foundation statically cuts
# ~4 ms off every start (measured: 11.6 -> 7.6 ms for `skiff version`).
RELEASE_FLAGS := -c $(CONFIG) --static-swift-stdlib

# Debian packages the build, the runtime and the tests need.
APT_PACKAGES := libseccomp-dev libcap-dev libmnl-dev libnftables-dev libnftnl-dev libnetfilter-conntrack-dev libarchive-dev libsqlite3-dev \
	nftables iptables iproute2 busybox-static curl gcc libc6-dev python3 tar gzip coreutils
# Only the benchmarks compare against these.
BENCH_PACKAGES := crun runc hyperfine iperf3 gnuplot-nox

.PHONY: all deps bench-deps build run test images bench bench-full bench-apiserver bench-dataplane bench-pod-start bench-scale clean

all: build

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

bench-deps: deps
	@missing=""; for p in $(BENCH_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build $(RELEASE_FLAGS)

images: deps
	bash scripts/build-demo-images $(DATA_DIR)/images

run: build images
	@if [ -n "$(NODE_NETNS)" ] && ! ip netns list | grep -qw "$(NODE_NETNS)"; then ip netns add $(NODE_NETNS); fi
	exec $$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skiffd --data-dir $(DATA_DIR) $(if $(NODE_NETNS),--node-netns $(NODE_NETNS))

# Two runs: every suite in parallel, then the walkthrough alone (two nodes of
# 100 pods each would otherwise starve the timing-sensitive suites of the
# machine's two cores).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip WalkthroughTests
	$(SWIFT) test --skip-build --filter WalkthroughTests

bench: bench-deps
	$(SWIFT) build $(RELEASE_FLAGS)
	SKIFF=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skiff bash scripts/bench-runtime-start 100
	SKIFFD=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skiffd bash scripts/bench-pod-start --quick
	SKIFFD=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skiffd bash scripts/bench-scale --quick

# API server: creates/s and watch fan-out latency (docs/benchmarks/apiserver.md).
bench-apiserver: build
	bash scripts/bench-apiserver

# Service dataplane: nftables vs iptables at 10..10,000 Services (docs/benchmarks/dataplane.md).
# FULL=1 adds 30,000 Services.
bench-dataplane: bench-deps
	bash scripts/bench-dataplane

# Pod start through the API, one at a time and 20 at a time, per phase (docs/benchmarks/pod-start.md).
bench-pod-start: bench-deps build
	SKIFFD=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skiffd bash scripts/bench-pod-start

# Hundreds of pods on one node: 0 -> 100 -> 500 -> 1000 -> 0, then 0 -> 500 -> 0 (docs/benchmarks/scale.md).
bench-scale: bench-deps build
	SKIFFD=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skiffd bash scripts/bench-scale

bench-full: bench-deps
	$(SWIFT) build $(RELEASE_FLAGS)
	SKIFF=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skiff bash scripts/bench-runtime-start 300
	SKIFF=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skiff bash scripts/bench-runtime-detached 100
	SKIFFD=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skiffd bash scripts/bench-pod-start
	SKIFFD=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skiffd bash scripts/bench-scale

clean:
	rm -rf .build

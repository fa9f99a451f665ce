# Sourced by the benchmarks that run a whole node (bench-scale,
# bench-pod-start): one `skiffd server` on a node of its own (a network
# namespace, a data dir on the real disk, a cgroup parent of its own), driven
# through the kubeconfig it writes, and everything of it removed afterwards.
#
#   node_pick_skiffd   sets SKIFFD (unless given) and BUILD_TYPE
#   node_init PREFIX   sets id, netns, cgroup, base, kubeconfig, node_name
#   node_start ARGS..  starts skiffd (extra ARGS appended), waits until its node is Ready
#   node_teardown      deletes the pods, stops skiffd, removes cgroups, mounts, netns
#   ctl ARGS..         kubectl with the node's kubeconfig
#   wait_for SECONDS WHAT CMD..   polls CMD every 0.5 s, fails the run after SECONDS
# The caller defines say() and fail(), removes $base itself, and calls
# node_teardown from its EXIT trap.

swift_build() { swift build ${SWIFT_SCRATCH:+--scratch-path "$SWIFT_SCRATCH"} "$@"; }

node_pick_skiffd() {
    if [[ -z ${SKIFFD:-} ]]; then
        # The release build of `make build`, when it exists and knows the flags
        # these benchmarks need (an old one does not); else the debug build.
        local release debug
        release=$(swift_build -c release --static-swift-stdlib --show-bin-path 2>/dev/null || true)
        if [[ -n $release && -x $release/skiffd ]] && "$release/skiffd" server --help 2>/dev/null | grep -q -- --max-pods; then
            SKIFFD=$release/skiffd
        else
            [[ -n $release && -x $release/skiffd ]] && echo "$(basename "$0"): $release/skiffd has no --max-pods (stale); using the debug build" >&2
            debug=$(swift_build --show-bin-path)
            [[ -x $debug/skiffd ]] || swift_build --product skiffd
            SKIFFD=$debug/skiffd
        fi
    fi
    case $SKIFFD in
        */release/*) BUILD_TYPE=${BUILD_TYPE:-"release (\`swift build -c release --static-swift-stdlib\`)"} ;;
        */debug/*) BUILD_TYPE=${BUILD_TYPE:-"debug (\`swift build\`, unoptimized)"} ;;
        *) BUILD_TYPE=${BUILD_TYPE:-"\`$SKIFFD\`"} ;;
    esac
}

node_init() {
    id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
    netns=$1-$id
    cgroup=$1-$id
    # On the real disk: the store fsyncs its commits, and tmpfs would measure memory.
    base=$(mktemp -d "/var/tmp/$1-XXXXXX")
    kubeconfig=$base/data/kubeconfig.yaml
    node_name=${NODE_NAME:-bench-node}
    skiffd_pid=""
}

ctl() { kubectl --kubeconfig "$kubeconfig" --cache-dir "$base/kube-cache" "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

wait_for() {
    local timeout=$1 what=$2
    shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || fail "timed out after ${timeout}s waiting for $what"
        sleep 0.5
    done
}

# The demo images (or IMAGES=DIR's), in the data dir's inbox.
node_images() {
    mkdir -p "$base/data/images"
    if [[ -n ${IMAGES:-} ]]; then
        cp "$IMAGES"/busybox.tar "$IMAGES"/notepad-latest.tar "$IMAGES"/notepad-new.tar "$base/data/images/"
    else
        bash "$repo/scripts/build-demo-images" "$base/data/images" >/dev/null
    fi
}

node_start() {
    ip netns add "$netns"
    "$SKIFFD" server --data-dir "$base/data" --state-dir "$base/run" --node-netns "$netns" --cgroup-parent "$cgroup" \
        --port 0 --bind-address 127.0.0.1 --node-name "$node_name" --log-level warning "$@" 2>"$base/skiffd.log" &
    skiffd_pid=$!
    wait_for 60 "skiffd's kubeconfig" test -f "$kubeconfig"
    wait_for 60 "node $node_name Ready" node_ready
}

node_ready() {
    ctl get node "$node_name" -o json | json '[c["status"] for c in d["status"]["conditions"] if c["type"]=="Ready"][0]' | grep -qx True
}

node_teardown() {
    if [[ -n $skiffd_pid ]] && kill -0 "$skiffd_pid" 2>/dev/null; then
        # Controllers first, or their ReplicaSets make the pods again.
        ctl delete deployments --all --wait=false >/dev/null 2>&1
        ctl delete replicasets --all --wait=false >/dev/null 2>&1
        ctl delete pods --all --all-namespaces --grace-period=0 --wait=true --timeout=300s >/dev/null 2>&1
        for _ in $(seq 1 300); do
            [[ -z $(ls -A "$base/run/pods" 2>/dev/null) ]] && break
            sleep 0.2
        done
        kill -TERM "$skiffd_pid"
        for _ in $(seq 1 75); do kill -0 "$skiffd_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$skiffd_pid" 2>/dev/null
        wait "$skiffd_pid" 2>/dev/null
    fi
    # Whatever a failed run left: processes in the cgroups, the cgroups
    # (every hierarchy: the machine may have v1 controllers and v2), mounts.
    # One pass each, without a process per cgroup or mount: 1,000 pods
    # leave tens of thousands of them.
    local roots root
    roots=$(find /sys/fs/cgroup -maxdepth 2 -type d -name "$cgroup" 2>/dev/null)
    for root in $roots; do
        [[ -f $root/cgroup.kill ]] && echo 1 >"$root/cgroup.kill" 2>/dev/null
    done
    grep -lE ":/$cgroup(/|\$)" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3 | xargs -r kill -KILL 2>/dev/null
    sleep 0.5
    for _ in 1 2 3; do
        for root in $roots; do find "$root" -depth -type d -exec rmdir {} + 2>/dev/null; done
        [[ -z $(find /sys/fs/cgroup -maxdepth 2 -type d -name "$cgroup" 2>/dev/null) ]] && break
        sleep 1
    done
    awk -v base="$base" 'index($5, base) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
        xargs -r -d '\n' umount -l 2>/dev/null
    ip netns delete "$netns" 2>/dev/null
    return 0
}

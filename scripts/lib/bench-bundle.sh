# Sourced by the runtime benchmarks: make_bundle DIR ARGS_JSON writes an OCI
# bundle (static busybox rootfs, `crun spec` defaults, terminal off, absolute
# rootfs path because runc rejects a symlinked relative one) running ARGS_JSON.
make_bundle() {
  local dir="$1" args="$2"
  mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/dev" "$dir/rootfs/sys"
  cp "$(command -v busybox)" "$dir/rootfs/bin/busybox"
  for applet in sh true sleep; do ln -s busybox "$dir/rootfs/bin/$applet"; done
  (cd "$dir" && crun spec)
  python3 - "$dir/config.json" "$dir/rootfs" "$args" <<'PY'
import json, sys
path, rootfs, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
c = json.load(open(path))
c["process"]["terminal"] = False
c["process"]["args"] = args
c["root"]["path"] = rootfs
json.dump(c, open(path, "w"), indent=1)
PY
}

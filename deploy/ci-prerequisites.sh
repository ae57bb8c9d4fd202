#!/usr/bin/env bash
# Installs the system tools the tests use, only when one is missing (so a warm machine
# makes no network calls): loop devices and ext4 (util-linux, e2fsprogs, mount),
# network namespaces (iproute2), external pool writers (python3).
set -euo pipefail
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need losetup util-linux
need fsfreeze util-linux
need mount mount
need mkfs.ext4 e2fsprogs
need ip iproute2
need python3 python3
need taskset util-linux
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing tools (${missing[*]}) and not root: root tests will be skipped or fail" >&2
    exit 0
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Loop devices need the loop module's control node.
[ -e /dev/loop-control ] || modprobe loop 2>/dev/null || true

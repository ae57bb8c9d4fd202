#!/bin/sh
# Benchmarks the published NativeAOT hvutilsd against the simulator (issue 8 §7): exec→READY,
# idle RSS (with a smaps breakdown), wake-ups per second over an idle window, binary size.
#   deploy/bench-aot.sh [--publish-dir DIR] [--no-publish] [--runs N] [--idle SECONDS] [VAR=VALUE ...]
# VAR=VALUE pairs are extra environment for the daemon (e.g. DOTNET_GCgen0size=0x100000),
# to compare runtime settings without republishing.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$repo/artifacts/publish/linux-x64
publish=yes
runs=5
idle=60
while [ $# -gt 0 ]; do
    case "$1" in
        --publish-dir) dir=$2; shift 2 ;;
        --no-publish) publish=no; shift ;;
        --runs) runs=$2; shift 2 ;;
        --idle) idle=$2; shift 2 ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *=*) break ;;
        *) echo "bench-aot.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

if [ "$publish" = yes ]; then
    "$repo/deploy/publish.sh" --rid linux-x64 --out "$dir"
fi
dotnet run -c Release --project "$repo/tests/HvUtils.Benchmarks" -- aot "$dir/hvutilsd" "$runs" "$idle" "$@"

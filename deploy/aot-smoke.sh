#!/bin/sh
# CI check of the shipping build (issue 8 §1): publishes the NativeAOT binaries, then runs
# the published hvutilsd against the simulator (three handshakes, one operation per
# service, one /metrics scrape, clean stop; also under the unit's capability bounding set,
# no_new_privs and W^X) and builds/installs the .deb from those binaries.
#   deploy/aot-smoke.sh [--publish-dir DIR] [--no-publish] [--require-metrics]
# --no-publish reuses DIR (default artifacts/publish/linux-x64) from an earlier publish.sh.
# --require-metrics fails when nothing serves /metrics (use once Telemetry:Prometheus exists;
# without it a missing endpoint is reported and tolerated).
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$repo/artifacts/publish/linux-x64
publish=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --publish-dir) dir=$2; shift 2 ;;
        --no-publish) publish=no; shift ;;
        --require-metrics) export HVUTILS_SMOKE_REQUIRE_METRICS=1; shift ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "aot-smoke.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

if [ "$publish" = yes ]; then
    "$repo/deploy/publish.sh" --rid linux-x64 --out "$dir"
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
export HVUTILS_PUBLISH_DIR="$dir" HVUTILSD_PATH="$dir/hvutilsd"

dotnet test "$repo/tests/HvUtils.Deploy.Tests" -nologo \
    --filter "FullyQualifiedName~HvUtils.Deploy.Tests.AotSmokeTests|FullyQualifiedName~HvUtils.Deploy.Tests.DebianPackageTests" \
    --logger "console;verbosity=normal"

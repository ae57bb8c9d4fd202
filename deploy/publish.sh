#!/bin/sh
# Publishes hvutilsd and hvutils as self-contained NativeAOT binaries (issue 8 §1).
#   deploy/publish.sh [--rid linux-x64|linux-arm64] [--out DIR] [--configuration Release]
# Output: DIR/hvutilsd, DIR/hvutils, DIR/appsettings.json (the shipped defaults).
# The AOT settings live in Directory.Build.props (active only with a runtime identifier).
set -eu

rid=linux-x64
out=
configuration=Release
while [ $# -gt 0 ]; do
    case "$1" in
        --rid) rid=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --configuration|-c) configuration=$2; shift 2 ;;
        -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
        *) echo "publish.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
out=${out:-$repo/artifacts/publish/$rid}
mkdir -p "$out"
out=$(cd "$out" && pwd)

for project in HvUtils.Daemon HvUtils.Cli; do
    # Separate intermediate dirs per RID keep a cross publish from clobbering the x64 obj/.
    dotnet publish "$repo/src/$project/$project.csproj" \
        -c "$configuration" -r "$rid" -o "$out" \
        -p:TreatWarningsAsErrors=true -warnaserror \
        -nologo -clp:NoSummary
done

# The .dbg symbol files are build artifacts, not part of what ships.
mkdir -p "$out/symbols"
for dbg in "$out"/*.dbg; do
    [ -e "$dbg" ] && mv "$dbg" "$out/symbols/"
done
ls -l "$out/hvutilsd" "$out/hvutils" "$out/appsettings.json"

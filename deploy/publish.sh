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

# Cross-linking (e.g. linux-arm64 on an x64 host). The AOT compiler cross-compiles by
# itself; the link needs clang with a sysroot, or a GNU cross gcc (Debian:
# gcc-aarch64-linux-gnu), which rejects clang's --target= flag: a small wrapper drops it.
cross=
host=$(uname -m)
case "$rid" in
    *-arm64) target=aarch64 ;;
    *-x64) target=x86_64 ;;
    *) target=$host ;;
esac
if [ "$target" != "$host" ] && ! command -v clang >/dev/null 2>&1 && command -v "$target-linux-gnu-gcc" >/dev/null 2>&1; then
    wrap=$(mktemp -d)
    trap 'rm -rf "$wrap"' EXIT
    cat > "$wrap/cc" <<WRAPPER
#!/bin/sh
for a do
    shift
    case "\$a" in --target=*) ;; *) set -- "\$@" "\$a" ;; esac
done
exec $target-linux-gnu-gcc "\$@"
WRAPPER
    chmod +x "$wrap/cc"
    cross="-p:CppCompilerAndLinker=$wrap/cc -p:ObjCopyName=$target-linux-gnu-objcopy"
fi

for project in HvUtils.Daemon HvUtils.Cli; do
    # shellcheck disable=SC2086 # $cross is a list of arguments
    dotnet publish "$repo/src/$project/$project.csproj" \
        -c "$configuration" -r "$rid" -o "$out" \
        -p:TreatWarningsAsErrors=true -warnaserror $cross \
        -nologo -clp:NoSummary
done

# Symbols (.dbg of the native binaries, .pdb of the libraries) are build artifacts, not
# part of what ships.
mkdir -p "$out/symbols"
for sym in "$out"/*.dbg "$out"/*.pdb; do
    if [ -e "$sym" ]; then mv "$sym" "$out/symbols/"; fi
done
ls -l "$out/hvutilsd" "$out/hvutils" "$out/appsettings.json"

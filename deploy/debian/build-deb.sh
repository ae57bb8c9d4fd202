#!/bin/sh
# Builds the hvutils .deb with dpkg-deb from published binaries (issue 8 §4).
#   deploy/debian/build-deb.sh [--bin-dir DIR] [--out DIR] [--arch amd64|arm64] [--version V]
# --bin-dir holds hvutilsd, hvutils and appsettings.json (deploy/publish.sh output; default
# artifacts/publish/linux-x64). Prints the path of the built package on its last line.
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd)
bin_dir=$repo/artifacts/publish/linux-x64
out=$repo/artifacts
arch=
version=
while [ $# -gt 0 ]; do
    case "$1" in
        --bin-dir) bin_dir=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --arch) arch=$2; shift 2 ;;
        --version) version=$2; shift 2 ;;
        -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
        *) echo "build-deb.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$arch" ]; then
    case $(file -b "$bin_dir/hvutilsd" 2>/dev/null) in
        *aarch64*) arch=arm64 ;;
        *) arch=amd64 ;;
    esac
fi
version=${version:-$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props")}
for f in hvutilsd hvutils appsettings.json; do
    [ -f "$bin_dir/$f" ] || { echo "build-deb.sh: $bin_dir/$f missing (run deploy/publish.sh)" >&2; exit 1; }
done

here=$repo/deploy/debian
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"
umask 022

# Binaries and their defaults together: the content root is the resolved executable's directory.
install -d "$stage/usr/lib/hvutils" "$stage/usr/sbin" "$stage/usr/bin"
install -m 0755 "$bin_dir/hvutilsd" "$bin_dir/hvutils" "$stage/usr/lib/hvutils/"
install -m 0644 "$bin_dir/appsettings.json" "$stage/usr/lib/hvutils/appsettings.json"
ln -s ../lib/hvutils/hvutilsd "$stage/usr/sbin/hvutilsd"
ln -s ../lib/hvutils/hvutils "$stage/usr/bin/hvutils"

install -D -m 0644 "$repo/deploy/systemd/hvutilsd.service" "$stage/usr/lib/systemd/system/hvutilsd.service"
install -D -m 0644 "$repo/deploy/udev/60-hvutils.rules" "$stage/usr/lib/udev/rules.d/60-hvutils.rules"

# The admin file: an empty override (JSON has no comments); the defaults stay in /usr/lib.
install -D -m 0644 "$here/appsettings.json" "$stage/etc/hvutils/appsettings.json"
install -d -m 0755 "$stage/etc/hvutils/freeze.d"

install -d "$stage/usr/share/man/man8" "$stage/usr/share/man/man1"
gzip -9n < "$here/man/hvutilsd.8" > "$stage/usr/share/man/man8/hvutilsd.8.gz"
gzip -9n < "$here/man/hvutils.1" > "$stage/usr/share/man/man1/hvutils.1.gz"
chmod 0644 "$stage/usr/share/man/man8/hvutilsd.8.gz" "$stage/usr/share/man/man1/hvutils.1.gz"

doc=$stage/usr/share/doc/hvutils
install -d "$doc"
install -m 0644 "$here/copyright" "$doc/copyright"
install -m 0644 "$repo/docs/install.md" "$doc/install.md"
install -m 0644 "$here/README.etc" "$doc/README.configuration"
date=$(git -C "$repo" log -1 --format=%aD 2>/dev/null || date -R)
printf 'hvutils (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- HvUtils maintainers <hvutils@example.org>  %s\n' \
    "$version" "$version" "$date" | gzip -9n > "$doc/changelog.gz"

install -d "$stage/DEBIAN"
installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$installed_size/" \
    "$here/control.in" > "$stage/DEBIAN/control"
echo /etc/hvutils/appsettings.json > "$stage/DEBIAN/conffiles"
for script in postinst prerm postrm; do
    install -m 0755 "$here/$script" "$stage/DEBIAN/$script"
done
(cd "$stage" && find usr etc -type f ! -path 'etc/*' -print0 | sort -z | xargs -0 md5sum) > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/md5sums" "$stage/DEBIAN/control" "$stage/DEBIAN/conffiles"

mkdir -p "$out"
deb=$(cd "$out" && pwd)/hvutils_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"

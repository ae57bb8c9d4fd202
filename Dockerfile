# hvutilsd in a container (issue 8 §5). The build stage runs the same deploy/publish.sh CI
# runs; the final image is distroless (runtime-deps "chiseled": glibc, no shell, no package
# manager) with only the NativeAOT daemon and its defaults.
# Running it (privileged, host devices, pools, the mounts to freeze): docs/install.md.
#
#   docker build -t hvutils .
#   docker build --build-arg RID=linux-arm64 -t hvutils:arm64 .   # on an arm64 builder

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
ARG RID=linux-x64
# NativeAOT links with the platform toolchain.
RUN apt-get update \
    && apt-get install -y --no-install-recommends clang zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN deploy/publish.sh --rid "$RID" --out /out
# The final image has no shell: lay out its files (and the /usr/sbin link) here. The content
# root is the resolved executable's directory, so the defaults are found through the link.
RUN install -d /rootfs/usr/lib/hvutils /rootfs/usr/sbin /rootfs/etc/hvutils/freeze.d \
        /rootfs/var/lib/hyperv /rootfs/run/hvutils \
    && install -m 0755 /out/hvutilsd /rootfs/usr/lib/hvutils/ \
    && install -m 0644 /out/appsettings.json /rootfs/usr/lib/hvutils/ \
    && ln -s ../lib/hvutils/hvutilsd /rootfs/usr/sbin/hvutilsd \
    && echo '{}' > /rootfs/etc/hvutils/appsettings.json

# glibc >= 2.34 and nothing else; the AOT binary needs no .NET runtime.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS final
COPY --from=build /rootfs/ /
# Root, unlike the image default: FIFREEZE needs CAP_SYS_ADMIN; devices and pools are root's.
USER root
# Same idle-RSS setting as hvutilsd.service (docs/install.md).
ENV DOTNET_GCgen0size=40000
# Logs go to stdout. The metrics listener stays on loopback unless configured
# (HVUTILS_Telemetry__Prometheus__Host=0.0.0.0 with -p 9464:9464, or --network host).
ENTRYPOINT ["/usr/sbin/hvutilsd"]

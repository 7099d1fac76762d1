# Lanes Gateway container image.
#   docker build -t <registry>/lanes-gateway:0.1.0 .
#   docker run --rm -p 8080:8080 -p 9901:9901 \
#     -v "$PWD/examples/testers-header.json:/etc/lanes-gateway/gateway.json:ro" <registry>/lanes-gateway:0.1.0
# The same image runs the demo backend used by deploy/k8s/example-app.yaml:
#   docker run --rm <image> echo --service orders --lane gray --urls http://0.0.0.0:8080
# and checks a config file:
#   docker run --rm -v "$PWD/gateway.json:/cfg/gateway.json:ro" <image> validate /cfg/gateway.json
# CI carries out this file's instructions without a container engine and starts the result
# (deploy/docker/check-build.sh): keep to the instructions that script understands, or teach it the new one.

# ---- project files ---------------------------------------------------------------------------------------------
# Every project file under src/ (and the .props/.targets files projects import), in its folder and nothing else: the
# restore below then reruns only when one of those changes, and a project added under src/ needs no edit here.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /src
COPY src/ src/
RUN find src -type f ! -name '*.csproj' ! -name '*.props' ! -name '*.targets' -delete

# ---- build -----------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Published ReadyToRun (precompiled) for the image's architecture: the gateway starts faster and the first reload of
# a large config does not wait for the JIT (docs/performance.md).
ARG TARGETARCH=amd64
WORKDIR /src

# Solution-wide settings and the project files first, so the restore layer is reused until a dependency changes.
# The restore must name the same runtime and PublishReadyToRun as the publish: ReadyToRun needs the runtime packs
# and the crossgen compiler restored (else NETSDK1094 at publish).
COPY Gateway.sln *.props ./
COPY --from=projects /src/src/ src/
RUN case "$TARGETARCH" in arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac \
    && dotnet restore src/Gateway.Host/Gateway.Host.csproj -r "$rid" -p:PublishReadyToRun=true

# Then the sources (tests, deploy/, docs are not needed to build the gateway; see .dockerignore).
COPY src/ src/
RUN case "$TARGETARCH" in arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac \
    && dotnet publish src/Gateway.Host -c Release -o /app --no-restore -r "$rid" --self-contained false -p:PublishReadyToRun=true

# ---- runtime ---------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .

# Public (proxy) listener and admin listener (/healthz/live, /healthz/ready, /metrics). Both bind all interfaces in
# a container; the gateway's own defaults are loopback. DOTNET_EnableDiagnostics=0 turns off the diagnostics IPC
# socket and perf maps, so the runtime writes nothing to /tmp and the root file system can be read-only.
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Admin__Urls=http://0.0.0.0:9901 \
    DOTNET_EnableDiagnostics=0
EXPOSE 8080 9901

# The base image's non-root "app" user (numeric, so Kubernetes' runAsNonRoot can verify it).
USER $APP_UID

# The config is mounted here (a Kubernetes ConfigMap in deploy/k8s); the image ships none.
ENTRYPOINT ["dotnet", "Gateway.Host.dll"]
CMD ["--config", "/etc/lanes-gateway/gateway.json"]

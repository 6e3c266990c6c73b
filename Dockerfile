# Ballast on the official Swift image: built in one stage, run as a non-root user in a slim one.
# nginx is in the runtime image only for `nginx -t` (the applier tests a file before the reload).
FROM swift:6.2-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev libcurl4-openssl-dev libre2-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests/TestSupport ./Tests/TestSupport
RUN swift build -c release --product ballast --static-swift-stdlib && cp "$(swift build -c release --show-bin-path)/ballast" /usr/local/bin/ballast

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 libcurl4 libre2-9 nginx-light ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    # uid 101 is the nginx-unprivileged image's user: the same user may signal its master to reload.
    && useradd --system --uid 101 --no-create-home --shell /usr/sbin/nologin ballast \
    && mkdir -p /var/lib/ballast && chown ballast /var/lib/ballast
COPY --from=build /usr/local/bin/ballast /usr/local/bin/ballast
USER ballast
WORKDIR /var/lib/ballast
EXPOSE 9464
ENTRYPOINT ["ballast"]
CMD ["run", "--config", "/etc/ballast/ballast.yaml"]

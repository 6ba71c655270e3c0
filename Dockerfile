# memoryoss in a container: the release binary on a slim Debian base, data on a volume.
#
# The image is not compiled here (that needs the Deno compile runtime from the internet): put the
# release workflow's binary and its .sha256 in dist/ first, either from a release or with
#   deno task compile --target x86_64-unknown-linux-gnu --out dist
# then
#   docker build -t memoryoss .
#   docker run -d --name memoryoss -p 127.0.0.1:8000:8000 -v memoryoss-data:/data memoryoss
#   docker exec memoryoss cat /data/admin.key      # the admin API key made on first start
# For arm64: docker build --build-arg MEMORYOSS_BINARY=memoryoss-linux-arm64 -t memoryoss .
# Tested (shape only, no docker on the build machines) by tests/dockerfile_test.ts.

ARG MEMORYOSS_BINARY=memoryoss-linux-x64

# Stage 1: refuse a binary that does not match the checksum the release wrote beside it.
FROM debian:bookworm-slim AS verify
ARG MEMORYOSS_BINARY
COPY dist/${MEMORYOSS_BINARY} dist/${MEMORYOSS_BINARY}.sha256 /verify/
RUN cd /verify && sha256sum -c "${MEMORYOSS_BINARY}.sha256" \
 && mv "${MEMORYOSS_BINARY}" memoryoss && chmod 0755 memoryoss

# Stage 2: the runtime image (glibc, bash for the health check, nothing else added).
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin memoryoss \
 && mkdir -p /data && chown memoryoss:memoryoss /data && chmod 0700 /data
COPY --from=verify /verify/memoryoss /usr/local/bin/memoryoss

# Everything memoryoss keeps (memoryoss.db, admin.key, memoryoss.toml if you add one) is here.
ENV MEMORYOSS_HOME=/data HOME=/data
VOLUME ["/data"]
USER memoryoss:memoryoss
WORKDIR /data
EXPOSE 8000

# /health answers without credentials; bash's /dev/tcp avoids adding curl to the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8000 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && grep -q '\"status\":\"ok\"' <&3"]

# WARNING: --host 0.0.0.0 makes the API listen on every interface of the container, not just
# loopback. Every /v1 request still needs an API key (serve creates an admin key on first start,
# prints it once to the log and saves it to /data/admin.key, unless memoryoss.toml lists
# [[auth.api_keys]]); /health and /ui need none. Publish the port on 127.0.0.1 (as above) or put
# a TLS proxy in front: the server itself speaks plain HTTP.
ENTRYPOINT ["memoryoss"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]

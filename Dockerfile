# Verto FHIR Facade mock: docker build -t verto-fhir-mock . && docker run --rm -p 3000:3000 verto-fhir-mock
# CI builds this file as it is and checks the running container with docker/check
# (docs/docker.md, "How CI checks the image").

# An exact Node release: the current LTS line (26). docker/offline-base/build.sh builds this
# very version when no registry can provide the base image.
ARG NODE_VERSION=26.12.1

# Both stages start from this one image, so the native SQLite binding is compiled against
# exactly the Node and glibc it runs on.
FROM node:${NODE_VERSION}-trixie-slim AS base

FROM base AS build
# better-sqlite3 compiles from source (node-gyp): no prebuilt binary from outside the npm
# registry, and the headers come from the image's own Node rather than a download.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_build_from_source=better-sqlite3 \
    npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json vite.config.ts ./
COPY src ./src
COPY seed ./seed
COPY web ./web
# The server into dist/src and dist/seed, the demo page into dist/web.
RUN npm run build
# The import validator's packages are optional dependencies (about 110 MB): left out here, so
# `seed --import` in the container says what to install (docs/docker.md, "The image").
RUN npm prune --omit=dev --omit=optional --no-audit --no-fund

FROM base AS runtime
# MALLOC_ARENA_MAX=2: glibc keeps two malloc arenas instead of one per thread (V8's GC
# helpers, libuv's pool for gzip), which would otherwise each keep their high-water mark;
# as in package.json's "start", with the node option of the CMD below (docs/benchmarks.md).
ENV HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_PATH=/data/verto-mock.db \
    MALLOC_ARENA_MAX=2
# The app files stay owned by root and read-only to the server; only the volume is its own.
RUN mkdir -p /data && chown node:node /data
WORKDIR /app
# package.json: "type": "module" for dist/, the version /health reports, and the marker by
# which the server finds the demo page in dist/web.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The API document, read at start and served at /openapi.json, /openapi.yaml and /docs.
COPY openapi/openapi.yaml ./openapi/
USER node
VOLUME /data
EXPOSE 3000
# /health answers 503 while the first start seeds the volume, 200 once it serves exports.
# Node's own client (the slim image has no curl), over HTTPS when TLS_CERT_FILE is set; the
# certificate is not checked: this is the container asking itself.
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "require(process.env.TLS_CERT_FILE ? 'node:https' : 'node:http').get({ host: '127.0.0.1', port: process.env.PORT, path: '/health', rejectUnauthorized: false }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"]
# node itself is the main process (no npm, no shell), so `docker stop` sends SIGTERM straight
# to the server, which finishes its requests and closes the database. The command is
# package.json's "start": a young generation of 1 MB semi-spaces, an old generation that
# grows by half (not up to four times) before a full collection, and the two malloc arenas
# above keep the peak memory of many downloads at once near 120 MB instead of near 200.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=1", "--heap-growing-percent=50", "dist/src/server.js"]

# syntax=docker/dockerfile:1.7
# One image for every worker role (LEDGERFLOW_ROLES picks the task queues) and for the CLI.
# Debian slim, not Alpine: the Temporal core bridge is a glibc native module and will not load on musl.
ARG NODE_IMAGE=node:20.19-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
# Compiles src/ to dist/ and writes the prebuilt workflow bundle dist/workflow-bundle.js, so
# workers never bundle workflow code at startup.
RUN npm run build \
 && test -f dist/workers/main.js && test -f dist/workflow-bundle.js && ls dist/warehouse/models/*.sql >/dev/null

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# ca-certificates: TLS to RPC providers, S3, Redshift and Temporal Cloud (missing from -slim).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 ledgerflow \
 && useradd --system --uid 10001 --gid ledgerflow --no-create-home --shell /usr/sbin/nologin ledgerflow
WORKDIR /app
ENV NODE_ENV=production \
    METRICS_PORT=9464
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# The CLI (`node bin/ledgerflow.js schedule create ...`) runs the compiled dist/: no sources ship.
COPY --chown=root:root package.json ./
COPY --chown=root:root bin ./bin
# Files stay root-owned and read-only to the worker; the pod also mounts the root filesystem
# read-only with an emptyDir on /tmp.
USER 10001:10001
EXPOSE 9464
# Exec form, no shell or npm in between: SIGTERM reaches Node, whose Temporal Runtime drains the
# worker (LEDGERFLOW_SHUTDOWN_GRACE_SECONDS) before exiting.
CMD ["node", "dist/workers/main.js"]

# syntax=docker/dockerfile:1
# Multi-stage build: compile TypeScript (and the web client) with dev dependencies, then
# run on a slim image holding only production dependencies, as a non-root user.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds, and the sources are not copied yet.
RUN npm ci --ignore-scripts
# Sources (.dockerignore keeps node_modules, data and build output out).
COPY . .
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# Production mode refuses the embedded database: set DATABASE_URL, or
# DATABASE_EMBEDDED_IN_PRODUCTION=true for a single-container trial on /data/pglite.
ENV NODE_ENV=production \
    HTTP_PORT=9097 \
    DATABASE_PATH=/data/pglite \
    STORAGE_PATH=/data/uploads
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only. --ignore-scripts skips `prepare` (it needs the compiler);
# the one native module (bufferutil) ships prebuilt binaries and falls back to JS.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/public ./public
COPY knex ./knex
COPY knexfile.js ./
# The embedded database and local uploads live in /data (mount a volume there).
RUN mkdir -p /data/pglite /data/uploads && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 9097
# /healthz answers while the process serves; /readyz is for load balancers (it turns 503
# while draining or when a backing service is down). Over TLS, set HEALTHCHECK_SCHEME=https.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "const s=process.env.HEALTHCHECK_SCHEME||'http';require(s).get({host:'127.0.0.1',port:process.env.HTTP_PORT||9097,path:'/healthz',rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
# SIGTERM drains gracefully (see README, operations); node runs as PID 1 with an exec form.
STOPSIGNAL SIGTERM
CMD ["node", "dist/lib/main.js"]

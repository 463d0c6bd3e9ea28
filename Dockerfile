# Lianfang app image: the API, the live feed and the built web app on one port.
#   docker compose up --build
# Node 24 LTS: Node 20 reached end of life in April 2026 (local development still runs on 20.19+).
# The server runs its TypeScript through tsx, a server dependency: Node 20 cannot strip types, and
# running the sources keeps the .lua scripts where server/src/redis/script.ts reads them
# (beside each module, through import.meta.url). Only the web app is compiled, in the build stage.

# Build stage: every dependency, dev ones included, to build the web app.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY geo/package.json geo/
COPY server/package.json server/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
# The web app imports the server's and geo's types.
COPY tsconfig.json tsconfig.base.json ./
COPY geo geo
COPY server server
COPY web web
RUN npm run build

# Runtime stage: the server's own dependencies (and geo's, which it links), its sources, the built app.
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
COPY geo/package.json geo/
COPY server/package.json server/
# npm reads every workspace's manifest; with --workspace it installs only the server's tree.
COPY web/package.json web/
RUN npm ci --omit=dev --workspace @lianfang/server --no-audit --no-fund && npm cache clean --force
# tsx reads the compiler options (verbatimModuleSyntax …) from here, as in development.
COPY tsconfig.json tsconfig.base.json ./
COPY geo/src geo/src
COPY server/src server/src
COPY --from=build /app/web/build web/build
# Files stay root's: the server only reads them (tsx caches its output in /tmp).
USER node
# 3000: map, API and live feed; 5055: OsmAnd / Traccar Client devices.
EXPOSE 3000 5055
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1: main.ts handles SIGTERM itself (close sockets, quit Redis, exit 0).
CMD ["node", "--import", "tsx", "server/src/main.ts"]

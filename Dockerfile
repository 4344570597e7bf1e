# The capture-api image: compiled once in a build stage, run as plain JavaScript on Node 24 with
# production dependencies only. No container runtime runs on our machines: this file is checked as
# text, and its stages replayed outside Docker, by apps/capture-api/e2e/lifecycle/image.e2e.spec.ts.

# The version package.json's devDependency `node` brings to development and tests (the test checks).
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Every dependency, the `node` package's binary included: the build runs as `npm run build` does here.
RUN npm ci
COPY . .
RUN npm run build

FROM node:24.21.0-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Production dependencies only (swagger-ui-dist's and the ops page's files are served from
# node_modules). None needs an install script: the one that has one (@scarf/scarf) is denied anyway.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
# Plugins named by their workspace alias in the config are found through its paths (their compiled twins in dist/).
COPY tsconfig.base.json ./
USER node
# The API (server.port) and the metrics (metrics.port) of deploy/capture.yaml.
EXPOSE 3000 9464
# Node itself asks: the slim image has no curl. PORT, when set, moves the API.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# package.json's start:prod, run by node directly so that it receives SIGTERM and drains.
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=160", "dist/apps/capture-api/src/main.js"]

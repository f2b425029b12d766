# syntax=docker/dockerfile:1
# The egress-anomaly CLI as a container image: `docker build -t egress-anomaly:0.1.0 .`, then
# `docker run --rm egress-anomaly:0.1.0 hunt --help`. Kubernetes manifests: deploy/kubernetes/.

# Build stage: every dependency, then tsc and the esbuild worker bundles into dist/.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: package.json's "prepare" runs the build, and the sources are not here yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/ scripts/
COPY workers/ workers/
COPY src/ src/
RUN npm run build

# Runtime stage: production dependencies only, the built CLI and workers, and the rule files.
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts again: "prepare" would try to build without the devDependencies; no production
# dependency has an install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src/ dist/src/
COPY --from=build /app/dist/workers/ dist/workers/
# The built-in rule files, read at run time relative to the package root.
COPY rules/ rules/
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can check it is not root.
USER 1000:1000
ENTRYPOINT ["node", "/app/dist/src/cli/main.js"]
CMD ["--help"]

# Production images, used by docker-compose.yml. `build` installs everything and builds the dashboard and the
# server's JavaScript; `backend` is a fresh image with the production dependencies and that JavaScript only;
# `proxy` serves the dashboard's build with nginx.
FROM node:22-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY shared/package.json shared/
COPY client/package.json client/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund

COPY . .
RUN npm run build

FROM node:22-bookworm-slim AS backend
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3001
COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY shared/package.json shared/
COPY client/package.json client/
COPY web/package.json web/
RUN npm ci --omit=dev --workspace backend --no-audit --no-fund
# The compiled files go back where their sources were, so paths a module finds relative to itself still hold.
COPY --from=build /app/dist/backend/src backend/src
COPY --from=build /app/dist/shared/src shared/src
COPY backend/src/infra/traffic/traffic-worker.mjs backend/src/infra/traffic/
COPY prisma/migrations prisma/migrations
COPY --from=build /app/web/dist web/dist
EXPOSE 3001
USER node
# node itself is PID 1, so SIGTERM reaches the server's own shutdown; `pulse-compiled` makes @pulse/shared
# resolve to its JavaScript.
CMD ["node", "--conditions=pulse-compiled", "backend/src/main.js"]

FROM nginx:1.28-alpine AS proxy
COPY deploy/nginx.conf /etc/nginx/nginx.conf
COPY --from=build /app/web/dist /usr/share/nginx/html

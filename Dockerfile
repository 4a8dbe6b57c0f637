# Production images, used by docker-compose.yml. The dashboard is built once, in `build`; the `backend`
# target runs the API from that stage and the `proxy` target serves its web/dist with nginx.
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

FROM build AS backend
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3001
EXPOSE 3001
USER node
# node itself is PID 1, so SIGTERM reaches the server's own shutdown (npm in front would not pass it on in time).
CMD ["node", "--import", "tsx", "backend/src/main.ts"]

FROM nginx:1.28-alpine AS proxy
COPY deploy/nginx.conf /etc/nginx/nginx.conf
COPY --from=build /app/web/dist /usr/share/nginx/html

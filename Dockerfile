# Production image: the backend serving the built dashboard. Used by docker-compose.yml.
FROM node:22-bookworm-slim
WORKDIR /app

COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY shared/package.json shared/
COPY web/package.json web/
RUN npm install --no-audit --no-fund

COPY . .
RUN npm run build

ENV NODE_ENV=production HOST=0.0.0.0 PORT=3001

EXPOSE 3001
USER node
CMD ["npm", "start", "--silent"]

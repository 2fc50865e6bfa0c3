# The app (API + web) for a server deployment; the database is a separate PostgreSQL service (docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY etl/package.json etl/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/api/package.json api/
COPY --from=build /app/etl/package.json etl/
COPY --from=build /app/web/package.json web/
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/build build
COPY --from=build /app/web/dist web/dist
COPY --from=build /app/data data
EXPOSE 3000
USER node
CMD ["node", "build/api/src/main.js"]

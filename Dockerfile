# Lianfang app image: the API, the live feed and the built web app on one port.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY geo/package.json geo/
COPY server/package.json server/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
EXPOSE 3000 5055
USER node
CMD ["node", "--import", "tsx", "server/src/main.ts"]

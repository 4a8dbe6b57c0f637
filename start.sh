#!/usr/bin/env bash
# Runs Pulse. With DATABASE_URL / REDIS_URL set it uses those servers; without them it runs embedded:
# PostgreSQL in-process (PGlite, data under ./.data/) and in-process cache, rate limits and pub/sub.
set -euo pipefail
cd "$(dirname "$0")"

if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "Pulse needs Node.js 20.19 or newer (found $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dependencies…"
  # Exactly the lockfile's versions, and the lockfile left as it is.
  npm ci --no-audit --no-fund
fi

# Rebuild the generated Prisma client and the dashboard only when their sources changed.
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html shared/src prisma/schema.prisma -newer web/dist/index.html -print -quit)" ]; then
  echo "Building the dashboard…"
  npm run build --silent
elif [ ! -d backend/src/generated/prisma ]; then
  npm run generate --silent
fi

exec npm start --silent

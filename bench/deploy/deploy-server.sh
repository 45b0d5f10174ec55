#!/usr/bin/env bash
# Hivenue's deploy before waggle: one script per server, run from a developer's checkout. It copies
# the committed source over SSH, installs, builds, and then restarts the services (api) or copies
# the built site to where nginx serves it (web).
# The bench's servers have no registry access, so npm installs from a cache filled beforehand
# (--offline); on real servers it would download.
#
#   deploy-server.sh api|web root@ADDRESS DIR CHECKOUT
# Environment: SSH_KEY, KNOWN_HOSTS, NPM_CACHE; for api also MONGODB_URI.
set -euo pipefail
role=$1 target=$2 dir=$3 checkout=$4
remote=(ssh -i "$SSH_KEY" -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$KNOWN_HOSTS" "$target")

"${remote[@]}" mkdir -p "$dir/src"
git -C "$checkout" archive --format=tar HEAD | "${remote[@]}" tar -x -C "$dir/src"

"${remote[@]}" bash -s -- "$role" "$dir" "$NPM_CACHE" "${MONGODB_URI:-}" <<'ON_SERVER'
set -euo pipefail
role=$1 dir=$2 cache=$3 mongodb=$4
cd "$dir/src"
npm ci --offline --cache "$cache" --no-audit --no-fund --loglevel=error
if [ "$role" = api ]; then
  npm run build -w back-end/shared -w back-end/ai-model -w back-end/platform -w back-end/billing -w back-end/admin
  export PM2_HOME="$dir/.pm2" HOST=0.0.0.0 MONGODB_URI="$mongodb"
  for service in ai-model:4001 platform:4002 billing:4003 admin:4004; do
    name=${service%%:*}
    export PORT=${service##*:}
    if pm2 describe "$name" >/dev/null 2>&1; then
      pm2 restart "$name" --update-env
    else
      pm2 start "back-end/$name/dist/index.js" --name "$name"
    fi
  done
else
  npm run build -w front-end
  rm -rf "$dir/site"
  cp -r front-end/dist/front-end/browser "$dir/site"
fi
ON_SERVER

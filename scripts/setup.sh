#!/usr/bin/env bash
# Sets up waggle on Debian/Ubuntu: the system packages its runs and tests use (git, nginx,
# openssh-server, chromium; pm2 from npm), its npm dependencies and its build. Quick when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v git >/dev/null || missing+=(git)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

# pm2 runs the services of hosts without systemd: the local default and the test hosts.
if ! command -v pm2 >/dev/null; then
  echo "setup: installing pm2"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo npm install --global --no-audit --no-fund pm2@7.0.4
fi

# npm ci only when the lockfile changed since the last install.
stamp=node_modules/.waggle-setup.sha256
if [ ! -f "$stamp" ] || ! sha256sum --check --status "$stamp" 2>/dev/null; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
  sha256sum package-lock.json > "$stamp"
fi

echo "setup: building"
npm run --silent build
echo "setup: ready (bin/waggle.js --help)"

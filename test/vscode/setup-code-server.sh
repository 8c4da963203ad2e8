#!/usr/bin/env bash
# Installs what the real-VS-Code test layer needs, offline-capable (only Debian's apt and the npm registry):
#   - Debian packages: chromium (driven by playwright-core), ripgrep (seeds @vscode/ripgrep's download cache),
#     libkrb5-dev + pkg-config (code-server's `kerberos` native module compiles with node-gyp);
#   - code-server 4.100.3 (= VS Code 1.100.3, the newest code-server whose engines accept Node 20), from npm,
#     into a cache dir (default: <repo>/.cache/code-server, gitignored).
# Idempotent: a second run with everything in place takes well under a second and downloads nothing.
# Usage: test/vscode/setup-code-server.sh [--no-browser] [install-dir]    (~1.5-3 min on 2 cores with cold caches)
#   --no-browser: without Chromium (npm run try: the person opens the URL in their own browser).
# Exit codes: 0 ready; 1 install failed; 3 cannot install the Debian packages (no apt-get, or not root and no sudo).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
browser=1
if [ "${1:-}" = "--no-browser" ]; then browser=0; shift; fi
DIR=${1:-${DIFY_CODE_SERVER_DIR:-$ROOT/.cache/code-server}}
CS_VERSION=4.100.3
RG_PKG_VERSION=1.15.11           # @vscode/ripgrep version code-server 4.100.3 depends on
RG_ASSET_NAME=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
log() { echo "[setup-code-server] $*"; }

# ---- Debian packages -------------------------------------------------------------------------------------------
need=()
[ "$browser" = 0 ] || [ -x "${DIFY_CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)   # DIFY_CHROMIUM: another Chromium/Chrome
command -v rg >/dev/null              || need+=(ripgrep)
[ -f /usr/include/gssapi/gssapi.h ]   || need+=(libkrb5-dev)
command -v pkg-config >/dev/null      || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo_cmd=(sudo -n); else
      log "missing: ${need[*]} — run as root or with password-less sudo, or install them yourself (Debian/Ubuntu: apt-get install ${need[*]})"; exit 3
    fi
  fi
  if ! command -v apt-get >/dev/null; then
    log "missing: ${need[*]} and there is no apt-get here. Install the equivalents by hand (a Chromium at /usr/bin/chromium, ripgrep, Kerberos headers, pkg-config)."
    exit 3
  fi
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ---- code-server from npm --------------------------------------------------------------------------------------
mkdir -p "$DIR"
cd "$DIR"
installed_version() { [ -x node_modules/.bin/code-server ] && node_modules/.bin/code-server --config /dev/null --version 2>/dev/null | awk 'NR==1{print $1}'; }
# The native modules that code-server's postinstalls build must load; a half-finished install lacks some.
native_ok() {
  (cd node_modules/code-server/lib/vscode && node -e '
    for (const m of ["node-pty", "kerberos", "@parcel/watcher", "@vscode/spdlog", "native-watchdog"]) require(m);
    const rg = require("@vscode/ripgrep").rgPath;
    require("child_process").execFileSync(rg, ["--version"], { stdio: "ignore" });')
}
if [ "$(installed_version || true)" = "$CS_VERSION" ] && native_ok 2>/dev/null && [ -f .installed-ok ]; then
  log "code-server $CS_VERSION already installed in $DIR"
  exit 0
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache ($TMPDIR/vscode-ripgrep-cache-<ver>)
# already holds the asset: seed the cache with Debian's rg (ripgrep 13.0.0, the same as the prebuilt v13.0.0-10).
mkdir -p "$DIR/.tmp"; export TMPDIR="$DIR/.tmp"     # npm's and ripgrep's temp files stay inside the install dir
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION"
if [ ! -f "$RG_CACHE/$RG_ASSET_NAME" ]; then
  mkdir -p "$RG_CACHE"; tmp=$(mktemp -d); cp "$(command -v rg)" "$tmp/rg"; tar czf "$RG_CACHE/$RG_ASSET_NAME" -C "$tmp" rg; rm -rf "$tmp"
fi

rm -f .installed-ok
# npm 11 asks for dependencies' install scripts to be approved (allowScripts). code-server is useless without
# them: its postinstall runs a nested `npm install` in lib/vscode that compiles node-pty, kerberos, spdlog... and
# fetches ripgrep (from the cache seeded above). Approve the two top-level ones, pinned, in this dir's package.json.
# The nested install's own (lib/vscode: @parcel/watcher, @vscode/*, kerberos, native-watchdog, node-pty) cannot be
# approved ahead of time: a package.json field does not reach it, and an npmrc `allow-scripts` is handed to it as
# an env var, which npm refuses in a project install (EALLOWSCRIPTS). npm 11 runs them anyway with a notice, unless
# strict-allow-scripts is on (forced off below); native_ok then checks that each native module really loads.
cat > package.json <<JSON
{
  "name": "dify-vscode-test-code-server",
  "private": true,
  "allowScripts": { "code-server@$CS_VERSION": true, "argon2": true }
}
JSON
# node-gyp would download Node's headers unless told where they are: use the running node's own, when it has them
# (Debian's and the official tarballs do; an npmrc `nodedir` or npm_config_nodedir set by the user wins).
node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
if [ -z "${npm_config_nodedir:-}" ] && [ -z "$(npm config get nodedir 2>/dev/null | grep -v '^undefined$' || true)" ] \
   && [ -f "$node_prefix/include/node/node.h" ]; then export npm_config_nodedir="$node_prefix"; fi

log "npm install code-server@$CS_VERSION into $DIR (native modules compile: 1-3 min)"
# npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it (npm >= 7 dropped the flag,
#   the script still checks the env var).
# npm_config_yes: node-pty's postinstall runs `npx node-gyp ...`, which a `yes=false` npmrc would cancel.
# npm_config_ignore_scripts=false: the postinstalls must run even where an npmrc says otherwise.
npm_config_unsafe_perm=true npm_config_yes=true npm_config_ignore_scripts=false npm_config_strict_allow_scripts=false \
npm_config_foreground_scripts=true \
npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false \
  npm install --no-audit --no-fund --no-save --loglevel=warn "code-server@$CS_VERSION" > "$DIR/install.log" 2>&1 || {
    tail -40 "$DIR/install.log"; log "npm install failed (full log: $DIR/install.log)"; exit 1; }

v=$(installed_version || true)
if [ "$v" != "$CS_VERSION" ]; then tail -40 "$DIR/install.log"; log "code-server does not start (version '$v')"; exit 1; fi
if ! native_ok; then tail -40 "$DIR/install.log"; log "code-server's postinstall did not build its native modules (log: $DIR/install.log)"; exit 1; fi
touch .installed-ok
log "code-server $v ready in $DIR"

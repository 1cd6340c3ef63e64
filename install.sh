#!/usr/bin/env bash
# Build NginxLite and install it; with --test-peers also install what the tests run against.
#
#   ./install.sh                  build (NativeAOT) into $PREFIX, link $BINDIR/nginxlite, config in $SYSCONFDIR
#   ./install.sh --test-peers     the same, plus the Debian packages the tests start (nginx …)
#   ./install.sh --uninstall      remove what the last install wrote (binary, link, unit, logrotate policy, unchanged
#                                 files of $SYSCONFDIR); keeps config you changed, $PREFIX/conf, html and logs
#
# Idempotent: running it again rebuilds and replaces the binary and keeps config you edited (dpkg's conffile rule:
# an unchanged file is upgraded, a changed one is kept and the new version installed beside it as FILE.default).
# Environment: PREFIX (default /usr/local/nginxlite), BINDIR (default /usr/local/bin), SYSCONFDIR (default
# /etc/nginxlite: the installed nginxlite reads SYSCONFDIR/nginxlite.conf when no -c is given and it exists),
# STAGE (install an already published build from this directory instead of building; tests use it).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PREFIX=${PREFIX:-/usr/local/nginxlite}
BINDIR=${BINDIR:-/usr/local/bin}
SYSCONFDIR=${SYSCONFDIR:-/etc/nginxlite}
STAGE=${STAGE:-}
# Every file the install wrote, with its checksum then (sha256sum's format): what --uninstall may remove.
MANIFEST="$PREFIX/install-manifest.sha256"
test_peers=0
uninstall=0
for arg in "$@"; do
  case "$arg" in
    --test-peers) test_peers=1 ;;
    --uninstall) uninstall=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'install.sh: %s\n' "$*"; }

UNITDIR=${UNITDIR:-/etc/systemd/system}
LOGROTATEDIR=${LOGROTATEDIR:-/etc/logrotate.d}

sum_of() { sha256sum <"$1" | cut -d' ' -f1; }

if [ "$uninstall" = 1 ]; then
  if [ -L "$BINDIR/nginxlite" ] && [ "$(readlink "$BINDIR/nginxlite")" = "$PREFIX/nginxlite" ]; then
    rm -f "$BINDIR/nginxlite"
  fi
  if [ -f "$MANIFEST" ]; then
    while read -r sum path; do
      [ -e "$path" ] || continue
      case "$path" in
        # Config: removed only if unchanged since the install (dpkg's remove keeps changed conffiles too).
        "$SYSCONFDIR"/*)
          if [ "$(sum_of "$path")" = "$sum" ]; then rm -f "$path"; else say "kept $path (changed since it was installed)"; fi ;;
        *) rm -f "$path" ;;
      esac
    done <"$MANIFEST"
    rm -f "$MANIFEST"
    if ! rmdir "$SYSCONFDIR" 2>/dev/null && [ -d "$SYSCONFDIR" ]; then
      say "kept $SYSCONFDIR with your files: $(cd "$SYSCONFDIR" && ls -A | tr '\n' ' ')"
    fi
  else
    # An install from before the manifest: the files it is known to have written.
    rm -f "$PREFIX/nginxlite" "$PREFIX"/conf/*.default "$UNITDIR/nginxlite.service" "$LOGROTATEDIR/nginxlite"
  fi
  say "removed nginxlite from $PREFIX, $BINDIR and $SYSCONFDIR (kept changed config, $PREFIX/conf, html and logs)"
  exit 0
fi

if [ -z "$STAGE" ] && ! command -v dotnet >/dev/null 2>&1; then
  echo "install.sh: the .NET SDK 10 is required but 'dotnet' is not on PATH." >&2
  echo "install.sh: install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run ./install.sh again." >&2
  exit 1
fi
if [ -z "$STAGE" ] && ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
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
[ -n "$STAGE" ] || apt_install zlib1g-dev
if [ "$test_peers" = 1 ]; then
  # Real peers the tests start: nginx for the differential -t and HTTP tests; hyperfine and wrk for tools/bench;
  # the upstreams behind proxy_pass/fastcgi_pass/uwsgi_pass: php8.2-fpm, fcgiwrap, uWSGI with its python3 plugin,
  # gunicorn, Flask and Django; Ruby's rack; uWSGI also for the uwsgi.ini differential tests (tests/NginxLite.Ini.Tests); libfcgi for a C FastCGI responder in tools/bench; h2load; gnuplot for tools/bench/report.sh's charts; chromium (headless) for the status_page screenshot test.
  apt_install nginx hyperfine wrk php8.2-fpm php8.2-cli fcgiwrap uwsgi uwsgi-core uwsgi-plugin-python3 gunicorn \
    python3-flask python3-django ruby ruby-rack libfcgi-dev libfcgi-bin nghttp2-client logrotate prometheus-nginx-exporter gnuplot-nox \
    chromium
  # uWSGI's Rack plugin: the reference the Ruby worker shim is compared with (tests/NginxLite.Interop.Tests/Apps).
  apt_install uwsgi-plugin-rack-ruby3.1
fi

if [ -n "$STAGE" ]; then
  stage=$STAGE
else
  say "building nginxlite (NativeAOT) into $PREFIX"
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  # NginxLiteConfPath is nginx's ./configure --conf-path: the config the binary reads when no -c is given.
  dotnet publish "$here/src/NginxLite.Cli/NginxLite.Cli.csproj" -c Release -r linux-x64 -o "$stage" -nologo -v quiet \
    -p:NginxLiteConfPath="$SYSCONFDIR/nginxlite.conf"
fi

mkdir -p "$PREFIX/conf" "$PREFIX/html" "$PREFIX/logs"
old_manifest=$(mktemp)
[ -f "$MANIFEST" ] && cp "$MANIFEST" "$old_manifest"
new_manifest=$(mktemp)
record() { sha256sum "$1" >>"$new_manifest"; }
installed_unchanged() { grep -qxF "$(sum_of "$1")  $1" "$old_manifest"; }

install -m 0755 "$stage/nginxlite" "$PREFIX/nginxlite"
record "$PREFIX/nginxlite"
# The prefix keeps the shipped defaults (the config used when SYSCONFDIR has none): installed where absent,
# the .default copies always refreshed.
for f in "$stage"/conf/*; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  install -m 0644 "$f" "$PREFIX/conf/$name.default"
  record "$PREFIX/conf/$name.default"
  [ -e "$PREFIX/conf/$name" ] || install -m 0644 "$f" "$PREFIX/conf/$name"
done
for f in "$stage"/html/*; do
  [ -e "$PREFIX/html/$(basename "$f")" ] || install -m 0644 "$f" "$PREFIX/html/"
done

# SYSCONFDIR holds the operator's config (nginx's /etc/nginx). Each shipped file follows dpkg's conffile rule:
# absent → installed; unchanged since the last install → upgraded; changed by you → kept, and the new version
# installed beside it as FILE.default (dpkg says FILE.dpkg-dist) for you to merge.
mkdir -p "$SYSCONFDIR"
for f in "$stage"/conf/*; do
  [ -f "$f" ] || continue
  dest="$SYSCONFDIR/$(basename "$f")"
  if [ ! -e "$dest" ] || cmp -s "$f" "$dest" || installed_unchanged "$dest"; then
    install -m 0644 "$f" "$dest"
    rm -f "$dest.default"
    record "$dest"
  else
    install -m 0644 "$f" "$dest.default"
    record "$dest.default"
    say "kept your $dest; the shipped version is $dest.default"
  fi
done

mkdir -p "$BINDIR"
ln -sfn "$PREFIX/nginxlite" "$BINDIR/nginxlite"

# The systemd unit (Type=notify; `systemctl daemon-reload && systemctl enable --now nginxlite` to use it) and the
# logrotate policy (postrotate = nginxlite -s reopen), with this install's paths. Not enabled or started here.
paths="s#/usr/local/nginxlite#$PREFIX#g; s#/usr/local/bin/nginxlite#$BINDIR/nginxlite#g"
if [ -d "$(dirname "$UNITDIR")" ]; then
  mkdir -p "$UNITDIR"
  sed "$paths" "$here/conf/nginxlite.service" >"$UNITDIR/nginxlite.service"
  record "$UNITDIR/nginxlite.service"
fi
if [ -d "$LOGROTATEDIR" ]; then
  sed "$paths" "$here/conf/logrotate.d/nginxlite" >"$LOGROTATEDIR/nginxlite"
  record "$LOGROTATEDIR/nginxlite"
fi
install -m 0644 "$new_manifest" "$MANIFEST"
rm -f "$old_manifest" "$new_manifest"
say "installed $("$BINDIR/nginxlite" -v 2>&1) as $BINDIR/nginxlite (prefix $PREFIX, config $SYSCONFDIR)"

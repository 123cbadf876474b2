#!/usr/bin/env bash
# Installs the Debian packages some tests drive for real, when they are missing: chromium (the
# browser tests, through playwright-core, which cannot download one here), curl (the README
# walkthrough), haproxy and redis-server (the cluster tests). Used by .ci/run; on a fresh machine:
#   sudo bash scripts/system-packages.sh
# The tests that need a package fail naming this command when it is missing; they never skip.
set -uo pipefail
PKGS=""
[ -x /usr/bin/chromium ] || PKGS="$PKGS chromium"
command -v curl >/dev/null 2>&1 || PKGS="$PKGS curl"
[ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null 2>&1 || PKGS="$PKGS haproxy"
command -v redis-server >/dev/null 2>&1 || PKGS="$PKGS redis-server"
if [ -n "$PKGS" ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "warning:$PKGS missing and apt-get is unavailable; the tests needing them will fail" >&2
  elif [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    echo "warning:$PKGS missing and apt-get needs root (sudo bash scripts/system-packages.sh); the tests needing them will fail" >&2
  else
    # Package lists may be stale or absent in a fresh image: update first, install even if the
    # update partly failed (the cached lists may still do).
    $SUDO apt-get update -qq || echo "warning: apt-get update failed; trying the install anyway" >&2
    # shellcheck disable=SC2086
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PKGS >/dev/null \
      || echo "warning: apt-get install$PKGS failed; the tests needing them will fail" >&2
  fi
fi
if [ -x /usr/bin/chromium ]; then /usr/bin/chromium --version 2>/dev/null || true; fi
if [ -x /usr/sbin/haproxy ]; then /usr/sbin/haproxy -v 2>/dev/null | head -1 || true; fi
if command -v redis-server >/dev/null 2>&1; then redis-server --version || true; fi
exit 0

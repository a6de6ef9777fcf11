#!/usr/bin/env bash
# Creates the non-root users the integration tests run Scute as:
#   scute-test   with subordinate uid/gid ranges (the usual rootless set-up)
#   scute-nosub  with none (only its own id can be mapped)
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "test-users.sh must run as root" >&2; exit 1; }
ensure_user() {
  id "$1" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$1"
}
ensure_user scute-test
ensure_user scute-nosub
touch /etc/subuid /etc/subgid
if ! grep -q '^scute-test:' /etc/subuid; then usermod --add-subuids 300000-365535 scute-test; fi
if ! grep -q '^scute-test:' /etc/subgid; then usermod --add-subgids 300000-365535 scute-test; fi
sed -i '/^scute-nosub:/d' /etc/subuid /etc/subgid
# Debian's udev rule gives /dev/fuse mode 0666 so rootless fuse-overlayfs works; some VMs
# create it 0600. The fuse-overlayfs fallback test needs the standard mode.
if [ -c /dev/fuse ]; then chmod 0666 /dev/fuse; fi

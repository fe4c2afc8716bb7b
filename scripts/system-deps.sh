#!/usr/bin/env bash
# Installs the Debian packages the platform needs, only where they are missing:
# CJK fonts (or every Chinese character in a PDF is a box), HarfBuzz subsetting
# (without it WeasyPrint font subsetting is ~15x slower), and Chromium for the
# browser tests. Runs as root on the machines this project targets; elsewhere it
# prints what to install and carries on.
set -euo pipefail
want=(fonts-noto-cjk libharfbuzz-subset0 chromium gettext "$@")  # extra packages as arguments (make bench: wrk)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "请安装系统软件包 / please install: ${missing[*]}" >&2
  exit 0
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

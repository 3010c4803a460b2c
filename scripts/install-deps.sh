#!/usr/bin/env bash
# Installs everything strata needs to build and test on Debian 12, from Debian's
# own packages. Safe to run again: apt-get skips what is already installed.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libpg-query-dev libprotobuf-c-dev
  libsqlite3-dev sqlite3
  libboost-program-options-dev
  libtomlplusplus-dev
  nlohmann-json3-dev
  libssl-dev
  libgtest-dev
  libpq-dev postgresql postgresql-client
)

as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "strata: build and test dependencies are installed"

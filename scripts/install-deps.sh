#!/usr/bin/env bash
# Installs what overparam needs on a Debian machine: Open MPI, OpenBLAS + LAPACKE,
# zlib, SQLite, Fashion-MNIST, and matplotlib for the figures.
# Idempotent: quiet when everything is already there.
set -euo pipefail

debs=(libopenmpi-dev openmpi-bin libopenblas-dev liblapacke-dev zlib1g-dev
      libsqlite3-dev pkg-config dataset-fashion-mnist)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python for the figures and the exported .npy check.
if ! python3 -c 'import matplotlib, numpy' 2>/dev/null; then
  echo "install-deps: installing matplotlib, numpy (pip)" >&2
  # PEP 668 images (Debian's own python3) refuse user installs without this.
  PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore \
    python3 -m pip install -q --disable-pip-version-check matplotlib numpy >/dev/null
fi

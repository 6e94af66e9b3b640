# shellcheck shell=bash
# Shared by the project's scripts: find or provision a Python >= 3.14.2 and run
# commands with it.  Sourced, never executed.
#
# The runtime is chosen on each run (cheap) in this order:
#   host:<python>  a Python found on this machine ($PYTHON, python3.14, uv)
#   rootfs         a cached Debian sid root filesystem (python3.14 from Debian)
#                  entered with bubblewrap, the checkout bound at the same path.

set -euo pipefail

HPC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HPC_CACHE="${HPC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/heat-pump-care}"
HPC_VENV="$HPC_ROOT/.venv"
HPC_DEV="$HPC_ROOT/.dev"
# Packages of the sid root filesystem; a change here builds a new one.
HPC_ROOTFS_PACKAGES="python3.14,python3.14-venv,python3.14-dev,build-essential,git,ca-certificates,curl,procps,iproute2,libturbojpeg0,ffmpeg"
HPC_ROOTFS="$HPC_CACHE/rootfs-sid-$(printf '%s' "$HPC_ROOTFS_PACKAGES" | sha256sum | cut -c1-12)"
HPC_HOST_CA=/etc/ssl/certs/ca-certificates.crt

hpc_log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
hpc_die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# True when "$1" is a Python interpreter >= 3.14.2.
hpc_python_ok() {
  [ -n "${1:-}" ] && "$1" -c 'import sys; raise SystemExit(sys.version_info < (3, 14, 2))' 2>/dev/null
}

# Print the runtime spec for this checkout, choosing one on first use.
hpc_runtime() {
  if [ -n "${HPC_RUNTIME:-}" ]; then
    echo "$HPC_RUNTIME"
    return
  fi
  # Already inside the root filesystem (a script run through scripts/run):
  # same runtime, no second bubblewrap.
  if [ "${HPC_INSIDE_ROOTFS:-}" = 1 ]; then
    echo rootfs
    return
  fi
  local candidate
  if [ -n "${PYTHON:-}" ]; then
    hpc_python_ok "$PYTHON" || hpc_die "\$PYTHON=$PYTHON is not Python >= 3.14.2"
    echo "host:$(command -v "$PYTHON")"
    return
  fi
  candidate="$(command -v python3.14 || true)"
  if hpc_python_ok "$candidate"; then
    echo "host:$candidate"
    return
  fi
  if command -v uv >/dev/null 2>&1; then
    candidate="$(uv python find '>=3.14.2' 2>/dev/null || true)"
    if [ -z "$candidate" ] && uv python install 3.14 >/dev/null 2>&1; then
      candidate="$(uv python find '>=3.14.2' 2>/dev/null || true)"
    fi
    if hpc_python_ok "$candidate"; then
      echo "host:$candidate"
      return
    fi
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo rootfs
    return
  fi
  hpc_die "no Python >= 3.14.2 found: set PYTHON=/path/to/python3.14, put python3.14 on PATH, install uv, or run as root on Debian/Ubuntu so a Debian sid root filesystem can be provisioned"
}

# Build the Debian sid root filesystem once; cached outside the checkout.
hpc_ensure_rootfs() {
  if ! command -v mmdebstrap >/dev/null 2>&1 || ! command -v bwrap >/dev/null 2>&1; then
    hpc_log "installing mmdebstrap and bubblewrap (Debian packages)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap bubblewrap >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap bubblewrap >/dev/null; }
  fi
  [ -x "$HPC_ROOTFS/usr/bin/python3.14" ] && return
  mkdir -p "$HPC_CACHE"
  (
    flock 9
    [ -x "$HPC_ROOTFS/usr/bin/python3.14" ] && exit 0
    local tmp="$HPC_ROOTFS.tmp.$$"
    rm -rf "$tmp"
    hpc_log "provisioning a Debian sid root filesystem with Python 3.14 in $HPC_ROOTFS (once, ~1 min)"
    mmdebstrap --quiet --variant=apt \
      --aptopt='Acquire::Check-Valid-Until "false"' \
      --include="$HPC_ROOTFS_PACKAGES" \
      sid "$tmp" http://deb.debian.org/debian \
      || { rm -rf "$tmp"; hpc_die "mmdebstrap failed"; }
    hpc_python_ok_in_rootfs "$tmp" || { rm -rf "$tmp"; hpc_die "the sid root filesystem has no Python >= 3.14.2"; }
    mv "$tmp" "$HPC_ROOTFS"
  ) 9>"$HPC_CACHE/rootfs.lock"
}

hpc_python_ok_in_rootfs() {
  chroot "$1" /usr/bin/python3.14 -c 'import sys; raise SystemExit(sys.version_info < (3, 14, 2))'
}

# bubblewrap arguments that enter the root filesystem with the checkout bound.
# Usage: hpc_bwrap_args [--net] ; the result is in the HPC_BWRAP array.
hpc_bwrap_args() {
  local isolate_net=0
  [ "${1:-}" = "--net-isolated" ] && isolate_net=1
  HPC_BWRAP=(bwrap --bind "$HPC_ROOTFS" / --proc /proc --dev /dev
    --perms 1777 --tmpfs /dev/shm --ro-bind /sys /sys --tmpfs /run
    --perms 1777 --tmpfs /tmp
    --ro-bind "$HPC_HOST_CA" /etc/ssl/certs/ca-certificates.crt
    --ro-bind /etc/resolv.conf /etc/resolv.conf
    --bind "$HPC_ROOT" "$HPC_ROOT" --chdir "$PWD"
    --clearenv
    --setenv PATH "$HPC_VENV/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    --setenv HOME /root --setenv LANG C.UTF-8 --setenv TERM "${TERM:-dumb}"
    --setenv PIP_CONFIG_FILE /dev/null --setenv PIP_CERT /etc/ssl/certs/ca-certificates.crt
    --setenv PIP_DISABLE_PIP_VERSION_CHECK 1
    --setenv SSL_CERT_FILE /etc/ssl/certs/ca-certificates.crt --setenv UV_NATIVE_TLS 1
    --setenv REQUESTS_CA_BUNDLE /etc/ssl/certs/ca-certificates.crt
    --setenv HPC_INSIDE_ROOTFS 1 --setenv HPC_CACHE "$HPC_CACHE")
  local var
  for var in CI PYTEST_ADDOPTS HPC_KEEP HPC_PORT HPC_E2E_TIMEOUT COLUMNS; do
    [ -n "${!var:-}" ] && HPC_BWRAP+=(--setenv "$var" "${!var}")
  done
  if [ "$isolate_net" = 1 ]; then
    HPC_BWRAP+=(--unshare-net)
  else
    HPC_BWRAP+=(--die-with-parent)
  fi
}

# Run a command with the project's Python on PATH (inside the rootfs if that
# is the runtime).  The venv's bin directory comes first on PATH.
hpc_run() {
  local runtime
  runtime="$(hpc_runtime)"
  if [ "$runtime" = rootfs ] && [ "${HPC_INSIDE_ROOTFS:-}" = 1 ]; then
    env PATH="$HPC_VENV/bin:$PATH" "$@"
  elif [ "$runtime" = rootfs ]; then
    hpc_ensure_rootfs
    hpc_bwrap_args
    "${HPC_BWRAP[@]}" -- "$@"
  else
    env -u PYTHONPATH -u VIRTUAL_ENV PATH="$HPC_VENV/bin:$PATH" "$@"
  fi
}

# Create (or refresh) a venv at $1 from requirements file(s) $2...; cached by a
# hash of the requirement files and the runtime.
hpc_ensure_venv() {
  local venv="$1"; shift
  local runtime stamp want
  runtime="$(hpc_runtime)"
  want="$( (echo "$runtime"; cat "$@") | sha256sum | cut -c1-16)"
  stamp="$venv/.hpc-stamp"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$venv/pyvenv.cfg" ]; then
    return
  fi
  local python=python3.14
  [ "$runtime" = rootfs ] || python="${runtime#host:}"
  hpc_log "creating $venv (Python: $runtime)"
  rm -rf "$venv"
  hpc_run "$python" -m venv "$venv"
  local args=()
  local req
  for req in "$@"; do args+=(-r "$req"); done
  hpc_run "$venv/bin/python" -m pip install -q --upgrade pip
  hpc_run "$venv/bin/python" -m pip install -q "${args[@]}"
  echo "$want" >"$stamp"
}

# Choose the runtime once per script run.
HPC_RUNTIME="$(hpc_runtime)"
export HPC_RUNTIME

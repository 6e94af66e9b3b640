# shellcheck shell=bash
# A real Home Assistant for development and end-to-end runs.  Sourced after
# scripts/lib/env.sh, never executed.
#
# One "instance" = a config dir, a token, PID files and a port:
#   HPC_PORT=8123 (default)  -> .dev/config, .dev/token, .dev/pids, .dev/run/
#   HPC_PORT=18123           -> .dev/port-18123/{config,token,pids,run/}
#   HPC_INSTANCE=DIR         -> DIR/{config,token,pids,run/} (any port)
#
# Home Assistant's version is a knob: HA_VERSION=2026.10.4 (exact), "pinned"
# (the test harness's, from requirements_dev.txt) or empty/"latest" (default:
# the newest release PyPI serves, asked at run time; the pinned one when PyPI
# cannot be reached).  One venv per version, .dev/venv-<version>
# (requirements_dev.txt with that pin), shared by all instances and cached
# with its runtime requirements.
#
# Home Assistant runs in its own network namespace (it opens mDNS sockets on
# every interface; only loopback traffic is allowed here).  Its port is
# bridged to the host's 127.0.0.1:$HPC_PORT by two forwarders joined by a unix
# socket in run/ (scripts/lib/hass_forward.py).
#
# Functions:
#   hpc_hass_init         set the HPC_HASS_* variables (call first)
#   hpc_hass_version      choose the Home Assistant version and its venv
#                         (HPC_HA_VERSION, HPC_DEV_VENV; hpc_hass_prepare calls it)
#   hpc_hass_prepare      venv, config dir, .storage, requirements (network)
#   hpc_hass_start        start hass + forwarders (detached, PIDs recorded)
#   hpc_hass_wait_ready   wait for the API, onboard, write the token
#   hpc_hass_stop         stop everything recorded for the instance
#   hpc_hass_running      true when the instance's hass is alive
#   hpc_hass_py ARGS...   run the dev venv's Python (host network)
#   hpc_hass_demo         the demo heat pump and script.heat_pump_safe_reset

HPC_DEV_VENV=""
HPC_HA_VERSION=""
HPC_HASS_LIB="$HPC_ROOT/scripts/lib"
HPC_HASS_USER="${HPC_HASS_USER:-dev}"
HPC_HASS_PASSWORD="${HPC_HASS_PASSWORD:-dev-password}"
HPC_HASS_NAME="${HPC_HASS_NAME:-Developer}"

hpc_hass_init() {
  HPC_PORT="${HPC_PORT:-8123}"
  [[ "$HPC_PORT" =~ ^[0-9]+$ ]] && [ "$HPC_PORT" -ge 1 ] && [ "$HPC_PORT" -le 65535 ] \
    || hpc_die "HPC_PORT=$HPC_PORT is not a TCP port"
  if [ -n "${HPC_INSTANCE:-}" ]; then
    mkdir -p "$HPC_INSTANCE"
    HPC_HASS_INST="$(cd "$HPC_INSTANCE" && pwd)"
    case "$HPC_HASS_INST/" in
      "$HPC_ROOT"/*) ;;
      *) hpc_die "HPC_INSTANCE must be inside the checkout ($HPC_ROOT)" ;;
    esac
  elif [ "$HPC_PORT" = 8123 ]; then
    HPC_HASS_INST="$HPC_DEV"
  else
    HPC_HASS_INST="$HPC_DEV/port-$HPC_PORT"
  fi
  HPC_HASS_CONFIG="$HPC_HASS_INST/config"
  HPC_HASS_RUN="$HPC_HASS_INST/run"
  HPC_HASS_PIDS="$HPC_HASS_INST/pids"
  HPC_HASS_TOKEN="$HPC_HASS_INST/token"
  HPC_HASS_LOG="$HPC_HASS_INST/hass.log"
  HPC_HASS_URL="http://127.0.0.1:$HPC_PORT"
  export HPC_PORT HPC_HASS_INST HPC_HASS_CONFIG HPC_HASS_TOKEN HPC_HASS_URL
}

# The Home Assistant version the test harness pins (requirements_dev.txt).
hpc_hass_pinned_version() {
  sed -n 's/^homeassistant==\([^ ;#]*\).*/\1/p' "$HPC_ROOT/requirements_dev.txt" | head -n 1
}

# Print the newest Home Assistant release PyPI serves, or nothing when PyPI
# cannot be reached (or that release needs a newer Python than ours).
HPC_HA_PYPI_JSON="${HPC_HA_PYPI_JSON:-https://pypi.org/pypi/homeassistant/json}"
_hpc_hass_newest() {
  local python=python3.14
  [ "$HPC_RUNTIME" = rootfs ] || python="${HPC_RUNTIME#host:}"
  hpc_run "$python" - "$HPC_HA_PYPI_JSON" <<'PY' || true
import json, re, sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=15) as resp:
        info = json.load(resp)["info"]
except Exception as err:  # noqa: BLE001 - any failure means "unknown"
    print(f"PyPI not reachable ({err})", file=sys.stderr)
    raise SystemExit(0) from None
needs = re.fullmatch(r">=\s*(\d+)\.(\d+)(?:\.(\d+))?", info.get("requires_python") or "")
if needs and sys.version_info[:3] < tuple(int(n or 0) for n in needs.groups()):
    print(f"homeassistant {info['version']} needs Python {info['requires_python']}", file=sys.stderr)
    raise SystemExit(0)
print(info["version"])
PY
}

# Choose the Home Assistant version (HA_VERSION) and its venv, once per run.
hpc_hass_version() {
  [ -z "$HPC_HA_VERSION" ] || return 0
  local want="${HA_VERSION:-latest}" pinned version why
  pinned="$(hpc_hass_pinned_version)"
  [ -n "$pinned" ] || hpc_die "no homeassistant==... pin in requirements_dev.txt"
  case "$want" in
    latest|newest)
      version="$(_hpc_hass_newest)"
      if [ -n "$version" ]; then
        why="the newest release on PyPI"
      else
        version="$pinned" why="the pinned version: PyPI could not name the newest release"
      fi ;;
    pinned) version="$pinned" why="the test harness's pin" ;;
    *) version="$want" why="HA_VERSION" ;;
  esac
  [[ "$version" =~ ^[0-9][0-9a-z.]*$ ]] || hpc_die "HA_VERSION=$version is not a Home Assistant version"
  HPC_HA_VERSION="$version"
  HPC_DEV_VENV="$HPC_DEV/venv-$version"
  hpc_log "Home Assistant $version ($why)"
}

# Run the dev venv's Python with the host's network (inside the rootfs when
# that is the runtime).
hpc_hass_py() {
  hpc_hass_version
  hpc_run "$HPC_DEV_VENV/bin/python" "$@"
}

# The venv of the chosen version: requirements_dev.txt with its pin.  Two runs
# building the same version wait for each other.
_hpc_hass_venv() {
  local reqs="$HPC_DEV/requirements-ha-$HPC_HA_VERSION.txt" tmp
  mkdir -p "$HPC_DEV"
  tmp="$(mktemp "$reqs.XXXXXX")"
  sed "s/^homeassistant==[^ ;#]*/homeassistant==$HPC_HA_VERSION/" \
    "$HPC_ROOT/requirements_dev.txt" >"$tmp"
  if cmp -s "$tmp" "$reqs"; then rm -f "$tmp"; else mv "$tmp" "$reqs"; fi
  (
    flock 9
    hpc_ensure_venv "$HPC_DEV_VENV" "$reqs"
  ) 9>"$HPC_DEV/.venv-$HPC_HA_VERSION.lock"
}

# Fingerprint of everything the installed requirements depend on.
_hpc_hass_reqs_fingerprint() {
  {
    echo "$HPC_HA_VERSION"
    cat "$HPC_ROOT/requirements_dev.txt" "$HPC_HASS_CONFIG/configuration.yaml" \
      "$HPC_HASS_LIB/hass_setup.py"
    cat "$HPC_HASS_CONFIG"/custom_components/*/manifest.json 2>/dev/null || true
  } | sha256sum | cut -c1-16
}

hpc_hass_prepare() {
  local start=$SECONDS
  hpc_hass_version
  _hpc_hass_venv
  mkdir -p "$HPC_HASS_CONFIG/custom_components" "$HPC_HASS_RUN"
  # A config last run by a newer Home Assistant may not load in an older one.
  local last
  last="$(cat "$HPC_HASS_CONFIG/.HA_VERSION" 2>/dev/null || true)"
  if [ -n "$last" ] && [ "$last" != "$HPC_HA_VERSION" ] \
    && [ "$(printf '%s\n%s\n' "$last" "$HPC_HA_VERSION" | sort -V | tail -n 1)" = "$last" ]; then
    hpc_log "warning: $HPC_HASS_CONFIG was last run by Home Assistant $last, newer than $HPC_HA_VERSION; if it does not start, use $(_hpc_hass_cmd) --reset"
  fi

  # The checked-in template wins: dev/ is copied over on every start.
  local file rel
  while IFS= read -r -d '' file; do
    rel="${file#"$HPC_ROOT/dev/"}"
    mkdir -p "$(dirname "$HPC_HASS_CONFIG/$rel")"
    cmp -s "$file" "$HPC_HASS_CONFIG/$rel" || cp "$file" "$HPC_HASS_CONFIG/$rel"
  done < <(find "$HPC_ROOT/dev" -type f ! -name 'README*' -print0)

  # The integration under development, live from the checkout.
  ln -sfn "$HPC_ROOT/custom_components/heat_pump_care" \
    "$HPC_HASS_CONFIG/custom_components/heat_pump_care"
  local kind
  for kind in automation script; do
    if [ -d "$HPC_ROOT/blueprints/$kind/heat_pump_care" ]; then
      mkdir -p "$HPC_HASS_CONFIG/blueprints/$kind"
      ln -sfn "$HPC_ROOT/blueprints/$kind/heat_pump_care" \
        "$HPC_HASS_CONFIG/blueprints/$kind/heat_pump_care"
    fi
  done

  # configuration.yaml includes scripts.yaml (script.heat_pump_safe_reset
  # lives there, written by hpc_hass_demo or the script editor).
  [ -f "$HPC_HASS_CONFIG/scripts.yaml" ] || : >"$HPC_HASS_CONFIG/scripts.yaml"

  # Bind address and onboarding state in .storage (Python only when needed).
  local http="$HPC_HASS_CONFIG/.storage/http"
  if [ ! -f "$HPC_HASS_CONFIG/.storage/onboarding" ] \
    || ! grep -q "\"server_port\": $HPC_PORT\b" "$http" 2>/dev/null \
    || ! grep -q '"127.0.0.1"' "$http" || ! grep -q '"pending": null' "$http"; then
    hpc_hass_py "$HPC_HASS_LIB/hass_setup.py" storage "$HPC_HASS_CONFIG" --port "$HPC_PORT"
  fi

  local stamp="$HPC_DEV_VENV/.hpc-reqs-stamp" want
  want="$(_hpc_hass_reqs_fingerprint)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    hpc_log "installing Home Assistant's runtime requirements (with network; once, ~1-2 min)"
    (
      flock 9
      hpc_hass_py "$HPC_HASS_LIB/hass_setup.py" requirements "$HPC_HASS_CONFIG" \
        || hpc_die "installing Home Assistant's requirements failed (see above)"
    ) 9>"$HPC_DEV/.reqs.lock"
    echo "$want" >"$stamp"
  fi
  hpc_log "prepared $HPC_HASS_CONFIG for Home Assistant $HPC_HA_VERSION in $((SECONDS - start)) s"
}

# How to address this instance on the command line.
_hpc_hass_cmd() {
  local env=""
  [ -z "${HPC_INSTANCE:-}" ] || env="HPC_INSTANCE=$HPC_INSTANCE "
  [ "$HPC_PORT" = 8123 ] || env="${env}HPC_PORT=$HPC_PORT "
  echo "${env}scripts/develop"
}

# Print "role pid" lines of the instance (recorded + current hass).
_hpc_hass_pids() {
  [ -f "$HPC_HASS_PIDS" ] && cat "$HPC_HASS_PIDS"
  local f
  for f in hass fwd-inner fwd-host; do
    [ -s "$HPC_HASS_RUN/$f.pid" ] && echo "$f $(cat "$HPC_HASS_RUN/$f.pid")"
  done
  return 0
}

# True when PID is alive and its command line mentions this instance (guards
# against a recycled PID).
_hpc_hass_ours() {
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] \
    && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$HPC_HASS_INST/"
}

hpc_hass_running() {
  [ -s "$HPC_HASS_RUN/hass.pid" ] && _hpc_hass_ours "$(cat "$HPC_HASS_RUN/hass.pid")"
}

# Wait until none of the PIDs is alive, up to $1 seconds; true if all gone.
_hpc_wait_gone() {
  local timeout="$1"; shift
  local deadline=$((SECONDS + timeout)) pid alive
  while :; do
    alive=0
    for pid in "$@"; do
      kill -0 "$pid" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] && alive=1
    done
    [ "$alive" = 0 ] && return 0
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

_hpc_signal_roles() {
  local sig="$1"; shift
  local role pid roles=" $* " pids=()
  while read -r role pid; do
    case "$roles" in *" $role "*) ;; *) continue ;; esac
    if _hpc_hass_ours "$pid"; then
      kill "-$sig" "$pid" 2>/dev/null && pids+=("$pid")
    fi
  done < <(_hpc_hass_pids | sort -u)
  echo "${pids[*]}"
}

hpc_hass_stop() {
  local pids
  [ -f "$HPC_HASS_PIDS" ] || [ -s "$HPC_HASS_RUN/hass.pid" ] || return 0
  # Home Assistant first, gracefully; the netns supervisor exits with it.
  pids="$(_hpc_signal_roles TERM hass)"
  if [ -n "$pids" ]; then
    hpc_log "stopping Home Assistant (PID $pids)"
    # shellcheck disable=SC2086
    if ! _hpc_wait_gone 30 $pids; then
      hpc_log "Home Assistant did not stop within 30 s: killing it"
      _hpc_signal_roles KILL hass >/dev/null
    fi
  fi
  pids="$(_hpc_signal_roles TERM netns fwd-inner fwd-host fwd-host-sandbox)"
  # shellcheck disable=SC2086
  if [ -n "$pids" ] && ! _hpc_wait_gone 5 $pids; then
    _hpc_signal_roles KILL netns fwd-inner fwd-host fwd-host-sandbox >/dev/null
  fi
  rm -f "$HPC_HASS_PIDS" "$HPC_HASS_RUN"/*.pid "$HPC_HASS_RUN/hass.sock"
}

# Start hass in its own network namespace and the host-side forwarder, both
# detached (setsid) so they outlive this shell in --background mode.
# $1 = file for hass's output ("" = inherit this shell's stdout/stderr).
hpc_hass_start() {
  local out="${1:-}"
  if hpc_hass_running; then
    hpc_die "Home Assistant is already running for $HPC_HASS_INST (PID $(cat "$HPC_HASS_RUN/hass.pid")); stop it with: $(_hpc_hass_cmd) --stop"
  fi
  hpc_hass_stop
  if ss -Htln "sport = :$HPC_PORT" 2>/dev/null | grep -q .; then
    hpc_die "port $HPC_PORT is in use on this machine; choose another with HPC_PORT=..."
  fi
  hpc_hass_version
  rm -rf "$HPC_HASS_RUN"
  mkdir -p "$HPC_HASS_RUN"
  echo "$HPC_HA_VERSION" >"$HPC_HASS_RUN/ha-version"
  local sock="$HPC_HASS_RUN/hass.sock"
  [ "${#sock}" -lt 100 ] || hpc_die "socket path too long for a unix socket: $sock"
  [ -z "$out" ] || : >>"$out"

  local netns_cmd=(/bin/sh "$HPC_HASS_LIB/hass_netns.sh" "$HPC_DEV_VENV"
    "$HPC_HASS_CONFIG" "$HPC_PORT" "$HPC_HASS_RUN")
  local fwd_cmd=(--pidfile "$HPC_HASS_RUN/fwd-host.pid" tcp-to-unix 127.0.0.1 "$HPC_PORT" "$sock")
  local netns_pid fwd_pid
  if [ "$HPC_RUNTIME" = rootfs ]; then
    hpc_ensure_rootfs
    hpc_bwrap_args --net-isolated
    _hpc_launch "$out" "${HPC_BWRAP[@]}" -- "${netns_cmd[@]}"
    netns_pid=$_HPC_LAUNCHED
    hpc_bwrap_args
    local sandbox=() arg
    for arg in "${HPC_BWRAP[@]}"; do
      [ "$arg" = --die-with-parent ] || sandbox+=("$arg")
    done
    _hpc_launch "$HPC_HASS_RUN/forward.log" "${sandbox[@]}" -- \
      "$HPC_DEV_VENV/bin/python" "$HPC_HASS_LIB/hass_forward.py" "${fwd_cmd[@]}"
    fwd_pid=$_HPC_LAUNCHED
  else
    local unshare=(unshare --net)
    [ "$(id -u)" = 0 ] || unshare+=(--map-root-user)
    command -v ip >/dev/null || hpc_die "iproute2 (the ip command) is needed"
    _hpc_launch "$out" env -u PYTHONPATH -u VIRTUAL_ENV "${unshare[@]}" -- "${netns_cmd[@]}"
    netns_pid=$_HPC_LAUNCHED
    _hpc_launch "$HPC_HASS_RUN/forward.log" "$HPC_DEV_VENV/bin/python" \
      "$HPC_HASS_LIB/hass_forward.py" "${fwd_cmd[@]}"
    fwd_pid=$_HPC_LAUNCHED
  fi
  printf 'netns %s\nfwd-host-sandbox %s\n' "$netns_pid" "$fwd_pid" >"$HPC_HASS_PIDS"

  # Wait for the PID files of the processes inside.
  local deadline=$((SECONDS + 30)) f
  for f in hass fwd-inner fwd-host; do
    until [ -s "$HPC_HASS_RUN/$f.pid" ]; do
      kill -0 "$netns_pid" 2>/dev/null || hpc_die "Home Assistant's sandbox exited at once (see ${out:-the output above})"
      [ "$SECONDS" -lt "$deadline" ] || hpc_die "timed out waiting for $HPC_HASS_RUN/$f.pid"
      sleep 0.1
    done
  done
  local role
  for role in hass fwd-inner fwd-host; do
    echo "$role $(cat "$HPC_HASS_RUN/$role.pid")"
  done >>"$HPC_HASS_PIDS"
}

# Start "$@" in a new session; output to $1 (or inherited when empty).
# The PID is left in _HPC_LAUNCHED (the command's own: setsid execs it).
_hpc_launch() {
  local out="$1"; shift
  if [ -n "$out" ]; then
    setsid "$@" </dev/null >>"$out" 2>&1 &
  else
    setsid "$@" </dev/null &
  fi
  _HPC_LAUNCHED=$!
}

# Wait for the API, onboard (creates the owner on first start) and make sure
# $HPC_HASS_TOKEN holds a working long-lived access token; then wait until
# Home Assistant reports RUNNING.
hpc_hass_wait_ready() {
  local timeout="${1:-600}"
  hpc_hass_py "$HPC_HASS_LIB/e2e_api.py" --url "$HPC_HASS_URL" \
    --token-file "$HPC_HASS_TOKEN" ready \
    --pid "$(cat "$HPC_HASS_RUN/hass.pid")" --timeout "$timeout" --name "$HPC_HASS_NAME" \
    --username "$HPC_HASS_USER" --password "$HPC_HASS_PASSWORD"
}

# The demo heat pump (the entry on input_boolean.heat_pump_breaker, created as
# "Demo heat pump" when there is none) and script.heat_pump_safe_reset from
# the script blueprint on it, in the config's scripts.yaml.  Needs a running,
# ready instance (scripts/lib/hass_demo.py).
hpc_hass_demo() {
  hpc_hass_py "$HPC_HASS_LIB/hass_demo.py" --url "$HPC_HASS_URL" \
    --token-file "$HPC_HASS_TOKEN" --config-dir "$HPC_HASS_CONFIG"
}

#!/bin/sh
# Runs INSIDE Home Assistant's own network namespace (started by
# scripts/lib/hass.sh).  Brings loopback up for multicast, starts the inner
# forwarder (unix socket -> 127.0.0.1:PORT), then runs hass and starts it
# again when it exits with the restart code (100), like the official
# container's supervisor does.
#   hass_netns.sh VENV CONFIG_DIR PORT RUN_DIR
set -u
venv="$1" config="$2" port="$3" run="$4"
lib="$(dirname "$0")"

ip link set lo up
ip link set lo multicast on
ip route add 224.0.0.0/4 dev lo 2>/dev/null || true

"$venv/bin/python" "$lib/hass_forward.py" --pidfile "$run/fwd-inner.pid" \
  unix-to-tcp "$run/hass.sock" 127.0.0.1 "$port" &

while :; do
  "$venv/bin/hass" -c "$config" &
  echo $! >"$run/hass.pid"
  wait $!
  rc=$?
  [ "$rc" = 100 ] || break
  echo "hass_netns: Home Assistant asked for a restart; starting it again" >&2
done
echo "$rc" >"$run/hass.rc"
# Stop the inner forwarder with us.
[ -f "$run/fwd-inner.pid" ] && kill "$(cat "$run/fwd-inner.pid")" 2>/dev/null
exit "$rc"

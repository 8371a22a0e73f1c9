#!/bin/bash
# Runs the units of firmware-config/systemd under a real systemd, as PID 1 of a
# throwaway container (systemd-nspawn --volatile=yes: the host's /usr, all else
# on a tmpfs), with the bundle that `npm run build` makes, and checks what the
# tests with a fake notify socket cannot: that systemd takes READY=1 from the
# process (Type=notify, NotifyAccess=all) and shows its status, that the
# hardening leaves the node and the gateway working, that a hung process
# (SIGSTOP) is killed by the watchdog and restarted, and that a stop is clean.
#
# Needs root, systemd-nspawn (Debian: apt-get install systemd-container) and
# Node under /usr. Takes about 2 minutes. Not part of `npm test`: CI machines
# have no systemd-nspawn.
#
# usage: sudo bash scripts/systemd-container-check.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NODE_BIN=$(command -v node)
die() { echo "systemd-container-check: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root: systemd-nspawn needs it"
command -v systemd-nspawn >/dev/null || die "systemd-nspawn not found: apt-get install systemd-container"
case $NODE_BIN in /usr/*) ;; *) die "node is at $NODE_BIN; the container sees only the host's /usr" ;; esac

WORK=$(mktemp -d /tmp/comptoir-systemd-check-XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
mkdir -p "$WORK/units" "$WORK/etc" "$WORK/out"
echo "building the bundle into $WORK/dist"
node "$ROOT/scripts/build.mjs" --outdir "$WORK/dist" >/dev/null
for unit in "$ROOT"/firmware-config/systemd/*.service; do
  sed -e "s|^ExecStart=/usr/bin/node |ExecStart=$NODE_BIN |" "$unit" >"$WORK/units/$(basename "$unit")"
done

cat >"$WORK/etc/gateway.yaml" <<'EOF'
gateway:
  site: lyon-1
  dataDir: /var/lib/comptoir/gateway
mqtt:
  embedded: { host: 127.0.0.1, port: 1883 }
http:
  listen: 127.0.0.1:8000
EOF
# A reader that is not plugged in: the node must still get ready, degraded.
cat >"$WORK/etc/node.yaml" <<'EOF'
node: { id: dock-1, site: lyon-1, role: shelf, dataDir: /var/lib/comptoir/node }
readers:
  - id: dock-1
    protocol: thingmagic
    url: serial:///dev/comptoir/reader-NOTPLUGGED?baud=115200
    antennas: [{ port: 1, zone: dock }]
mqtt: { url: "mqtt://127.0.0.1:1883" }
http: { listen: "127.0.0.1:8080" }
EOF

cat >"$WORK/units/comptoir-check.service" <<'EOF'
[Unit]
SuccessAction=poweroff-force
FailureAction=poweroff-force
[Service]
Type=oneshot
ExecStart=/bin/bash /check/inside.sh
StandardOutput=file:/check/out/inside.log
StandardError=inherit
EOF

# What runs inside the container, as root.
cat >"$WORK/inside.sh" <<'EOF'
set -u
check() { if eval "$2"; then echo "ok    $1"; else echo "FAIL  $1"; fi; }
prop() { systemctl show -p "$2" --value "$1"; }
echo 'comptoir:x:990:990::/var/lib/comptoir:/usr/sbin/nologin' >>/etc/passwd
echo 'comptoir:x:990:' >>/etc/group
sed -i 's/^dialout:x:20:$/dialout:x:20:comptoir/' /etc/group
mkdir -p /var/lib/comptoir
node /opt/comptoir/dist/comptoir.mjs node init --config /etc/comptoir/node.yaml >/dev/null
chown -R comptoir:comptoir /var/lib/comptoir && chmod 750 /var/lib/comptoir

for unit in comptoir-gateway comptoir-node; do
  systemctl start "$unit"
  check "$unit started (READY=1 taken)" '[ "$(prop $unit ActiveState)/$(prop $unit SubState)" = active/running ]'
  echo "      status: $(prop $unit StatusText)"
done
check "gateway status names its API" '[[ "$(prop comptoir-gateway StatusText)" == "ready; API at http://127.0.0.1:8000"* ]]'
check "node ready with its reader degraded" '[[ "$(prop comptoir-node StatusText)" == "ready; readers: dock-1 degraded"* ]]'
check "gateway API answers" 'node -e "fetch(\"http://127.0.0.1:8000/api/v1/health\").then(r => process.exit(r.ok ? 0 : 1))"'
check "node API answers" 'node -e "fetch(\"http://127.0.0.1:8080/health\").then(() => process.exit(0))"'
check "node runs as comptoir in dialout" '[ "$(ps -o user=,group= -p $(prop comptoir-node MainPID) | tr -s " ")" = "comptoir comptoir" ] && grep -q "^Groups:.*\b20\b" /proc/$(prop comptoir-node MainPID)/status'

sleep 40
for unit in comptoir-gateway comptoir-node; do
  check "$unit alive after 40 s, no restart (pings taken, WatchdogSec=30s)" '[ "$(prop $unit NRestarts)" = 0 ] && [ "$(prop $unit SubState)" = running ]'
  kill -STOP "$(prop $unit MainPID)"
done
echo "      both SIGSTOPped: waiting for the watchdog"
sleep 45
for unit in comptoir-gateway comptoir-node; do
  check "$unit killed by the watchdog and restarted" '[ "$(prop $unit NRestarts)" = 1 ] && [ "$(prop $unit SubState)" = running ] && journalctl -u $unit -o cat | grep -q "Watchdog timeout"'
  systemctl stop "$unit"
  echo "      stopped: $(prop $unit Result), exit $(prop $unit ExecMainStatus), status: $(prop $unit StatusText)"
  check "$unit stopped cleanly, STOPPING status" '[ "$(prop $unit Result)" = success ] && [[ "$(prop $unit StatusText)" == stopping* ]]'
done
echo DONE
EOF

echo "booting systemd in a container (about 2 minutes)"
timeout 400 systemd-nspawn --quiet --register=no --keep-unit --directory=/ --volatile=yes \
  --private-network --machine="comptoir-check-$$" \
  --bind-ro="$WORK/dist:/opt/comptoir/dist" --bind-ro="$ROOT/node_modules:/opt/comptoir/node_modules" \
  --bind-ro="$WORK/etc:/etc/comptoir" --bind="$WORK:/check" --bind-ro="$WORK/units:/run/systemd/system" \
  --boot -- systemd.unit=comptoir-check.service systemd.firstboot=off </dev/null >"$WORK/out/boot.log" 2>&1 || true

[ -f "$WORK/out/inside.log" ] || { cat "$WORK/out/boot.log"; die "the check did not run in the container"; }
grep -E '^(ok|FAIL|      )' "$WORK/out/inside.log"
grep -q '^DONE' "$WORK/out/inside.log" || die "the check did not finish"
if grep -q '^FAIL' "$WORK/out/inside.log"; then die "some checks failed"; fi
echo "all checks passed"

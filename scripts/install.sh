#!/bin/sh
# Comptoir installer, shipped at the top of the release tarball. As root:
#
#   tar xzf comptoir-<version>.tar.gz
#   sudo sh comptoir-<version>/install.sh
#
# An upgrade is the same two commands with the newer tarball. Running it
# again gives the same result; configs and data are never overwritten.
#
# What it does:
#   - creates the system user "comptoir" (no login shell, no home of its own)
#     and puts it in the group "dialout", which owns the readers' serial ports;
#   - replaces the program files in /opt/comptoir (dist/, package.json,
#     package-lock.json, units, udev rules, examples) with this release's;
#   - runs `npm ci --omit=dev` there, unless the lock file, the Node.js ABI
#     and the role are those of the last install (then the modules are kept);
#   - writes /etc/comptoir/node.yaml and /etc/comptoir/gateway.yaml (per
#     COMPTOIR_ROLE) only when they do not exist (owner root, group
#     comptoir, mode 0640);
#   - creates /var/lib/comptoir/node and /var/lib/comptoir/gateway for the
#     service user, and never touches what is inside;
#   - installs the systemd units and udev rules (paths rewritten to the ones
#     below), reloads systemd and udev when they are running, and restarts
#     the units that were running, so that an upgrade takes effect;
#   - links the `comptoir` command into /usr/local/bin.
#
# Environment (tests, unusual layouts); defaults in brackets:
#   COMPTOIR_PREFIX        program files [/opt/comptoir]
#   COMPTOIR_ETC           configs [/etc/comptoir]
#   COMPTOIR_VAR           data [/var/lib/comptoir]
#   COMPTOIR_SYSTEMD_DIR   unit files [/etc/systemd/system]
#   COMPTOIR_UDEV_DIR      udev rules [/etc/udev/rules.d]
#   COMPTOIR_BIN_DIR       where the comptoir command is linked [/usr/local/bin]
#   COMPTOIR_USER          the service user [comptoir]
#   COMPTOIR_ROLE          node | gateway | all [all]; "node" skips better-sqlite3,
#                          which only the gateway uses
#   COMPTOIR_NODE_EXAMPLE  the example a new node.yaml starts from:
#                          shelf, portal, counter or station [shelf]
#   COMPTOIR_SKIP_USER=1   create no user and change no owner (an install by a
#                          user who is not root, as the tests do)
#   COMPTOIR_NO_RELOAD=1   call neither systemctl nor udevadm
#   COMPTOIR_FORCE_NPM_CI=1  run npm ci even when nothing changed
#
# Needs: Node.js 20.19 or newer with npm on PATH, and a POSIX shell with the
# usual tools (cp, mv, sed, awk). See INSTALL.md beside this script.
set -eu

PREFIX=${COMPTOIR_PREFIX:-/opt/comptoir}
ETC=${COMPTOIR_ETC:-/etc/comptoir}
VAR=${COMPTOIR_VAR:-/var/lib/comptoir}
SYSTEMD_DIR=${COMPTOIR_SYSTEMD_DIR:-/etc/systemd/system}
UDEV_DIR=${COMPTOIR_UDEV_DIR:-/etc/udev/rules.d}
BIN_DIR=${COMPTOIR_BIN_DIR:-/usr/local/bin}
SERVICE_USER=${COMPTOIR_USER:-comptoir}
ROLE=${COMPTOIR_ROLE:-all}
NODE_EXAMPLE=${COMPTOIR_NODE_EXAMPLE:-shelf}
SKIP_USER=${COMPTOIR_SKIP_USER:-0}
NO_RELOAD=${COMPTOIR_NO_RELOAD:-0}
FORCE_NPM_CI=${COMPTOIR_FORCE_NPM_CI:-0}

say() { printf 'comptoir install: %s\n' "$*"; }
die() {
  printf 'comptoir install: %s\n' "$*" >&2
  exit 1
}

SRC=$(cd "$(dirname "$0")" && pwd)
[ -f "$SRC/dist/comptoir.mjs" ] ||
  die "no dist/comptoir.mjs beside $0 — run install.sh from the unpacked release tarball (npm run release makes it)"

case $ROLE in
  node) OMIT="--omit=dev --omit=optional" ;;
  gateway | all) OMIT="--omit=dev" ;;
  *) die "COMPTOIR_ROLE=$ROLE: must be node, gateway or all" ;;
esac
[ -f "$SRC/examples/$NODE_EXAMPLE.yaml" ] ||
  die "COMPTOIR_NODE_EXAMPLE=$NODE_EXAMPLE: no examples/$NODE_EXAMPLE.yaml in the release (use shelf, portal, counter or station)"

# --- Node.js and npm -------------------------------------------------------
command -v node >/dev/null 2>&1 ||
  die "node is not on PATH — install Node.js 20.19 or newer (see INSTALL.md), then run install.sh again"
command -v npm >/dev/null 2>&1 ||
  die "npm is not on PATH — install it with Node.js (Debian: apt install npm, or Node.js from nodejs.org), then run install.sh again"
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
  die "Node.js $(node --version) is too old — comptoir needs 20.19 or newer (see INSTALL.md)"
NODE_BIN=$(command -v node)

# --- The service user --------------------------------------------------------
if [ "$SKIP_USER" != 1 ]; then
  [ "$(id -u)" -eq 0 ] ||
    die "run as root (sudo sh $0), or set COMPTOIR_SKIP_USER=1 to install without a service user"
  if ! getent group dialout >/dev/null 2>&1; then
    groupadd --system dialout || die "cannot create the group dialout"
  fi
  if id -u "$SERVICE_USER" >/dev/null 2>&1; then
    usermod -a -G dialout "$SERVICE_USER" || die "cannot add $SERVICE_USER to the group dialout"
  else
    say "creating the system user $SERVICE_USER (group dialout, for the readers' serial ports)"
    useradd --system --user-group --groups dialout --home-dir "$VAR" --no-create-home \
      --shell /usr/sbin/nologin "$SERVICE_USER" || die "cannot create the user $SERVICE_USER"
  fi
fi

# --- Modules: npm ci -----------------------------------------------------------------
[ "$SRC" != "$(mkdir -p "$PREFIX" && cd "$PREFIX" && pwd)" ] ||
  die "install.sh runs from $PREFIX itself — run the one in the unpacked release tarball instead"

# Whether npm ci can be skipped: same lock, same Node.js ABI and platform, same role.
STAMP_FILE="$PREFIX/node_modules/.comptoir-install"
STAMP="$(node -e 'const { createHash } = require("node:crypto"); const { readFileSync } = require("node:fs"); process.stdout.write(createHash("sha256").update(readFileSync(process.argv[1])).digest("hex"))' "$SRC/package-lock.json") $(node -p 'process.versions.modules + "-" + process.platform + "-" + process.arch') $ROLE"

replace_file() {
  cp "$SRC/$1" "$PREFIX/$1.new"
  mv "$PREFIX/$1.new" "$PREFIX/$1"
}
say "installing $(node -p 'require(process.argv[1]).version' "$SRC/package.json") into $PREFIX"
# The modules first, while a running service keeps its program files: the
# bundle is swapped just before the restart (below), to keep the moment a
# running process could lazily load a chunk that is gone as short as can be.
replace_file package.json
replace_file package-lock.json

if [ "$FORCE_NPM_CI" != 1 ] && [ -f "$STAMP_FILE" ] && [ "$(cat "$STAMP_FILE")" = "$STAMP" ]; then
  say "dependencies unchanged since the last install: npm ci skipped (COMPTOIR_FORCE_NPM_CI=1 to run it)"
else
  say "npm ci $OMIT in $PREFIX (native modules: a prebuilt binary, or a compile — see INSTALL.md)"
  # shellcheck disable=SC2086 # OMIT is two words on purpose
  (cd "$PREFIX" && npm ci $OMIT --no-audit --no-fund --no-update-notifier) ||
    die "npm ci failed in $PREFIX — see npm's message above; INSTALL.md lists what the native modules need, then run install.sh again"
  printf '%s\n' "$STAMP" >"$STAMP_FILE"
fi

# The gateway cannot run without SQLite; a node can. Say which this machine can run.
if [ "$ROLE" != node ] && ! (cd "$PREFIX" && node -e 'require("better-sqlite3")' >/dev/null 2>&1); then
  if [ "$ROLE" = gateway ]; then
    die "better-sqlite3 could not be installed in $PREFIX, and the gateway needs it — install build tools (apt install python3 make g++) or let this machine reach the prebuilt binaries, then run install.sh again (INSTALL.md)"
  fi
  say "warning: better-sqlite3 could not be installed: this machine can run 'comptoir node' but not 'comptoir gateway' (INSTALL.md says what it needs)"
fi

# --- Data ------------------------------------------------------------------------
make_data_dir() {
  if [ ! -d "$1" ]; then
    mkdir -p "$1"
    chmod 750 "$1"
  fi
  if [ "$SKIP_USER" != 1 ]; then chown "$SERVICE_USER:$SERVICE_USER" "$1"; fi
}
make_data_dir "$VAR"
[ "$ROLE" = gateway ] || make_data_dir "$VAR/node"
[ "$ROLE" = node ] || make_data_dir "$VAR/gateway"

# --- Configs: written once, never replaced ---------------------------------------
mkdir -p "$ETC"
if [ "$SKIP_USER" != 1 ]; then
  chown "root:$SERVICE_USER" "$ETC"
  chmod 750 "$ETC"
fi
new_config() {
  chmod 640 "$1.new"
  if [ "$SKIP_USER" != 1 ]; then chown "root:$SERVICE_USER" "$1.new"; fi
  mv "$1.new" "$1"
  say "wrote $1: edit it before starting the service"
}
if [ "$ROLE" = gateway ]; then
  : # a gateway's box gets no node.yaml
elif [ -e "$ETC/node.yaml" ]; then
  say "kept $ETC/node.yaml"
else
  # The role's example, with the node's data under $VAR/node (the units let
  # the service write nowhere else).
  {
    printf '# Written by install.sh from %s/examples/%s.yaml; an upgrade keeps it.\n' "$PREFIX" "$NODE_EXAMPLE"
    printf '# Every setting: %s/schema/node.schema.json and the other examples there.\n' "$PREFIX"
    awk -v data="$VAR/node" '
      /^[^ #]/ { section = $0 }
      section == "node:" && /^  dataDir:/ { next }
      { print }
      /^node:/ { print "  dataDir: " data }
    ' "$SRC/examples/$NODE_EXAMPLE.yaml"
  } >"$ETC/node.yaml.new"
  new_config "$ETC/node.yaml"
fi
if [ "$ROLE" = node ]; then
  : # a node gets no gateway.yaml
elif [ -e "$ETC/gateway.yaml" ]; then
  say "kept $ETC/gateway.yaml"
else
  cat >"$ETC/gateway.yaml.new" <<EOF
# Written by install.sh; an upgrade keeps it. Every setting, with comments:
# $PREFIX/examples/gateway.yaml and $PREFIX/schema/gateway.schema.json.
gateway:
  # The site's id: every node's node.site, and the MQTT topics' prefix.
  site: site-1
  dataDir: $VAR/gateway
mqtt:
  embedded:
    # Off loopback the broker speaks TLS with a site CA made at first start in
    # dataDir/tls; nodes pin its ca.pem (the enrollment answer carries it).
    host: 0.0.0.0
    port: 8883
http:
  # HTTPS with the same CA, as it is not loopback.
  listen: 0.0.0.0:8000
EOF
  new_config "$ETC/gateway.yaml"
fi

# --- The bundle and the rest of the program files -----------------------------------
# Each folder is copied beside its old version, then swapped, so that a
# failed copy leaves the previous version whole; old chunks do not linger.
replace_dir() {
  rm -rf "${PREFIX:?}/$1.new"
  cp -R "$SRC/$1" "$PREFIX/$1.new"
  rm -rf "${PREFIX:?}/${1:?}"
  mv "$PREFIX/$1.new" "$PREFIX/$1"
}
for dir in dist systemd udev examples schema; do
  if [ -d "$SRC/$dir" ]; then replace_dir "$dir"; fi
done
for file in install.sh INSTALL.md; do
  if [ -f "$SRC/$file" ]; then replace_file "$file"; fi
done
chmod 755 "$PREFIX/dist/comptoir.mjs"
mkdir -p "$BIN_DIR"
ln -sf "$PREFIX/dist/comptoir.mjs" "$BIN_DIR/comptoir"

# --- systemd units and udev rules -------------------------------------------------
# The units name the default paths and /usr/bin/node; rewrite them to this install's.
units=""
if [ -d "$SRC/systemd" ]; then
  for unit in "$SRC"/systemd/*; do
    [ -f "$unit" ] || continue
    name=$(basename "$unit")
    mkdir -p "$SYSTEMD_DIR"
    sed -e "s|/opt/comptoir|$PREFIX|g" -e "s|/etc/comptoir|$ETC|g" \
      -e "s|/var/lib/comptoir|$VAR|g" -e "s|/usr/bin/node |$NODE_BIN |g" \
      -e "s|^User=comptoir\$|User=$SERVICE_USER|" -e "s|^Group=comptoir\$|Group=$SERVICE_USER|" \
      "$unit" >"$SYSTEMD_DIR/$name.new"
    chmod 644 "$SYSTEMD_DIR/$name.new"
    mv "$SYSTEMD_DIR/$name.new" "$SYSTEMD_DIR/$name"
    units="$units $name"
  done
fi
if [ -d "$SRC/udev" ]; then
  for rules in "$SRC"/udev/*.rules; do
    [ -f "$rules" ] || continue
    mkdir -p "$UDEV_DIR"
    cp "$rules" "$UDEV_DIR/$(basename "$rules")"
    chmod 644 "$UDEV_DIR/$(basename "$rules")"
  done
fi

if [ "$NO_RELOAD" != 1 ]; then
  # /run/systemd/system exists only when systemd is the running init (sd_booted).
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl daemon-reload
    for unit in $units; do
      case $unit in *.service) systemctl try-restart "$unit" || say "warning: $unit did not restart: journalctl -u $unit" ;; esac
    done
  fi
  if [ -d /run/udev ] && command -v udevadm >/dev/null 2>&1; then
    if ! { udevadm control --reload-rules && udevadm trigger --subsystem-match=tty --action=change; }; then
      say "warning: udev did not reload its rules: replug the readers"
    fi
  fi
fi

case $ROLE in
  node) say "done. Next: edit $ETC/node.yaml, create the node's identity and enroll it, then systemctl enable --now comptoir-node (INSTALL.md)" ;;
  gateway) say "done. Next: edit $ETC/gateway.yaml, then systemctl enable --now comptoir-gateway (INSTALL.md)" ;;
  *) say "done. Next: edit $ETC/node.yaml or $ETC/gateway.yaml, then see INSTALL.md (enrollment, systemctl enable --now)" ;;
esac

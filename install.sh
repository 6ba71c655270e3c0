#!/bin/sh
# memoryoss installer: downloads the release binary for this OS/arch, verifies its sha256 and
# installs it as `memoryoss` (see usage below). POSIX sh; tested by tests/install_sh_test.ts.
set -eu

# The project's releases (GitHub layout: latest/download/<file>, download/<tag>/<file>).
RELEASES_URL="https://github.com/memoryoss/memoryoss/releases"

usage() {
  cat <<'EOF'
Usage: install.sh [--help]

Downloads memoryoss-<os>-<arch> (linux x64/arm64, darwin x64/arm64) and its .sha256 from a
release, verifies the checksum (sha256sum or shasum -a 256) and installs it as `memoryoss`
(mode 0755, replaced atomically). A binary whose checksum does not match is never installed.
Windows: download memoryoss-windows-x64.exe from the release page instead.

Example:
  curl -fsSL https://raw.githubusercontent.com/memoryoss/memoryoss/main/install.sh | sh
  curl -fsSL https://raw.githubusercontent.com/memoryoss/memoryoss/main/install.sh |
    MEMORYOSS_VERSION=v0.1.0 MEMORYOSS_INSTALL_DIR=/usr/local/bin sh

Environment:
  MEMORYOSS_VERSION           release tag to install (e.g. v0.1.0; default: the latest release)
  MEMORYOSS_INSTALL_DIR       where to install (default: ~/.local/bin, created if missing)
  MEMORYOSS_INSTALL_BASE_URL  folder URL holding the release files, for mirrors and tests
                              (default: the latest or MEMORYOSS_VERSION's GitHub release)
  MEMORYOSS_INSTALL_OS        stand-ins for `uname -s` / `uname -m` (testing, cross installs),
  MEMORYOSS_INSTALL_ARCH      e.g. Linux / aarch64, or the release spelling linux / arm64
  MEMORYOSS_INSTALL_DOWNLOADER  curl or wget (default: whichever exists, curl first)

Exit codes: 0 installed, 2 download or verification failed, 3 bad arguments, environment or
unsupported platform.
EOF
}

say() { printf 'memoryoss install: %s\n' "$*"; }
die() { # die CODE MESSAGE
  code=$1
  shift
  printf 'memoryoss install: %s\n' "$*" >&2
  exit "$code"
}

lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

detect_os() {
  raw=${MEMORYOSS_INSTALL_OS:-$(uname -s)}
  case $(lower "$raw") in
    linux) echo linux ;;
    darwin | macos) echo darwin ;;
    mingw* | msys* | cygwin* | windows*)
      die 3 "Windows is not handled by install.sh: download memoryoss-windows-x64.exe (and its" \
        ".sha256) from $RELEASES_URL and put it on your PATH" ;;
    *) die 3 "unsupported OS '$raw': releases exist for linux and darwin (x64, arm64) and windows x64" ;;
  esac
}

detect_arch() { # detect_arch OS
  raw=${MEMORYOSS_INSTALL_ARCH:-$(uname -m)}
  case $(lower "$raw") in
    x86_64 | amd64 | x64) arch=x64 ;;
    aarch64 | arm64 | armv8*) arch=arm64 ;;
    *) die 3 "unsupported architecture '$raw' on $1: releases exist for x64 and arm64" ;;
  esac
  # An x64 shell under Rosetta on Apple silicon: the native arm64 binary is the right one.
  if [ "$1" = darwin ] && [ "$arch" = x64 ] && [ -z "${MEMORYOSS_INSTALL_ARCH:-}" ] &&
    [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
    arch=arm64
  fi
  echo "$arch"
}

pick_downloader() {
  want=${MEMORYOSS_INSTALL_DOWNLOADER:-}
  for d in curl wget; do
    if [ -n "$want" ] && [ "$want" != "$d" ]; then continue; fi
    if command -v "$d" >/dev/null 2>&1; then
      echo "$d"
      return 0
    fi
  done
  die 3 "need curl or wget${want:+ (asked for '$want')} to download the release"
}

fetch() { # fetch URL FILE
  case $DOWNLOADER in
    curl) curl -fsSL --retry 2 -o "$2" "$1" ;;
    wget) wget -q -O "$2" "$1" ;;
  esac || die 2 "download failed: $1"
}

sha256_of() { # sha256_of FILE
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    die 3 "need sha256sum or shasum to verify the download; refusing to install it unverified"
  fi
}

base_url() {
  if [ -n "${MEMORYOSS_INSTALL_BASE_URL:-}" ]; then
    if [ -n "${MEMORYOSS_VERSION:-}" ]; then
      say "MEMORYOSS_INSTALL_BASE_URL is set, so MEMORYOSS_VERSION is not used" >&2
    fi
    printf '%s' "${MEMORYOSS_INSTALL_BASE_URL%/}"
  elif [ -n "${MEMORYOSS_VERSION:-}" ] && [ "$MEMORYOSS_VERSION" != latest ]; then
    case $MEMORYOSS_VERSION in
      v*) tag=$MEMORYOSS_VERSION ;;
      *) tag=v$MEMORYOSS_VERSION ;;
    esac
    case $tag in
      *[!A-Za-z0-9._+-]*) die 3 "MEMORYOSS_VERSION '$MEMORYOSS_VERSION' is not a release tag (e.g. v0.1.0)" ;;
    esac
    printf '%s/download/%s' "$RELEASES_URL" "$tag"
  else
    printf '%s/latest/download' "$RELEASES_URL"
  fi
}

install_dir() {
  if [ -n "${MEMORYOSS_INSTALL_DIR:-}" ]; then
    printf '%s' "$MEMORYOSS_INSTALL_DIR"
  elif [ -n "${HOME:-}" ]; then
    printf '%s/.local/bin' "$HOME"
  else
    die 3 "HOME is not set: set MEMORYOSS_INSTALL_DIR to the folder to install into"
  fi
}

path_hint() { # path_hint DIR
  case ":${PATH:-}:" in
    *":$1:"*) return 0 ;;
  esac
  case ${SHELL:-} in
    */zsh) rc="~/.zshrc" ;;
    */bash) rc="~/.bashrc" ;;
    *) rc="~/.profile" ;;
  esac
  say "$1 is not on your PATH; add it (e.g. to $rc):"
  printf '  export PATH="%s:$PATH"\n' "$1"
}

main() {
  case ${1:-} in
    -h | --help)
      usage
      exit 0
      ;;
    "") ;;
    *) die 3 "unknown argument '$1' (see: sh install.sh --help)" ;;
  esac

  os=$(detect_os)
  arch=$(detect_arch "$os")
  asset="memoryoss-$os-$arch"
  if [ "$os" = linux ] && ls /lib/ld-musl-* >/dev/null 2>&1 && ! ls /lib*/ld-linux* >/dev/null 2>&1; then
    say "warning: this looks like a musl system (Alpine); the binary needs glibc" >&2
  fi
  DOWNLOADER=$(pick_downloader)
  base=$(base_url)
  dir=$(install_dir)

  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t memoryoss)
  staged=""
  trap 'rm -rf "$tmp"; [ -z "$staged" ] || rm -f "$staged"' EXIT
  trap 'exit 130' INT TERM

  say "downloading $base/$asset"
  fetch "$base/$asset" "$tmp/$asset"
  fetch "$base/$asset.sha256" "$tmp/$asset.sha256"

  # The release writes "<64 hex>  <file name>" (scripts/compile.ts).
  expected=$(lower "$(cut -d ' ' -f 1 <"$tmp/$asset.sha256" | head -n 1)")
  case $expected in
    *[!0-9a-f]* | "") die 2 "checksum file $asset.sha256 is malformed; nothing was installed" ;;
  esac
  [ ${#expected} -eq 64 ] || die 2 "checksum file $asset.sha256 is malformed; nothing was installed"
  actual=$(sha256_of "$tmp/$asset")
  actual=$(lower "$actual")
  if [ "$actual" != "$expected" ]; then
    die 2 "checksum mismatch for $asset: expected $expected, got $actual;" \
      "nothing was installed (retry, or report it if it persists)"
  fi

  mkdir -p "$dir" || die 3 "cannot create $dir"
  # Copy next to the target, then rename: the old binary is replaced in one step, never half.
  staged="$dir/.memoryoss.install.$$"
  cp "$tmp/$asset" "$staged" || die 2 "cannot write to $dir"
  chmod 0755 "$staged"
  mv -f "$staged" "$dir/memoryoss" || {
    rm -f "$staged"
    die 2 "cannot install into $dir"
  }

  version=$("$dir/memoryoss" --version 2>/dev/null || true)
  say "installed $asset${version:+ ($version)} as $dir/memoryoss (sha256 verified)"
  path_hint "$dir"
}

main "$@"

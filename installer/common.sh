# Shared by run.sh and test.sh: system packages and the project's virtual environment.
# Idempotent: every step checks first, so a second run does nothing but the checks.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ZHIWANG_VENV:-$ROOT/.venv}"

say() { printf '\033[1m[zhiwang]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "need root for: $*"; return 1; fi
}

_apt_updated=0
apt_install() {
  # apt_install PKG... — installs those not yet installed.
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing system packages: ${missing[*]}"
  if [ $_apt_updated = 0 ]; then as_root apt-get -o DPkg::Lock::Timeout=600 update -qq; _apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
}

# Debian's Python: its sqlite3 module can load extensions (SpatiaLite); some builds (pyenv) cannot.
SYSTEM_PY=/usr/bin/python3

ensure_runtime_packages() {
  apt_install python3 python3-venv python3-dev libsqlite3-mod-spatialite \
    libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 fonts-noto-cjk
}

ensure_venv() {
  ensure_runtime_packages
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating the environment in $VENV"
    "$SYSTEM_PY" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
  fi
  # Reinstall only when the declared dependencies change.
  local stamp="$VENV/.zhiwang-deps" want
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing Python dependencies (first run takes a few minutes)"
    "$VENV/bin/pip" install -q -e "$ROOT[dev]"
    echo "$want" > "$stamp"
  fi
}

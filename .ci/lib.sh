# Shared by .ci/start and .ci/test: a Python 3.11 virtualenv with the pinned requirements,
# and PostgreSQL / Redis started when they are installed but down.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3.11}"
IN_CI="${CI:-false}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

apt_install() {
  say "installing Debian packages: $*"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

ensure_venv() {
  command -v "$PY" >/dev/null || { echo "needs $PY (Python 3.11)"; exit 1; }
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtualenv .venv"
    "$PY" -m venv "$VENV" 2>/dev/null || { apt_install python3.11-venv && "$PY" -m venv "$VENV"; }
  fi
  local stamp="$VENV/.requirements.sha"
  local want; want="$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing requirements"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -r "$ROOT/requirements.txt"
    echo "$want" > "$stamp"
  fi
  # shellcheck disable=SC1091
  source "$VENV/bin/activate"
}

PG_URL="${PG_URL:-postgresql://postgres@127.0.0.1:5432}"
REDIS_BASE="${REDIS_BASE:-redis://127.0.0.1:6379}"

pg_up() {
  python - "$PG_URL/postgres" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=2).close()
PY
}

redis_up() {
  python - "$REDIS_BASE/0" <<'PY' 2>/dev/null
import sys, redis
redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()
PY
}

start_postgres() {
  if ! command -v pg_ctlcluster >/dev/null; then
    [ "$IN_CI" = true ] || [ "$(id -u)" = 0 ] || return 1
    apt_install postgresql || return 1
  fi
  local version; version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)"
  [ -n "$version" ] || return 1
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 20); do pg_up && return 0; sleep 0.5; done
  return 1
}

start_redis() {
  if ! command -v redis-server >/dev/null; then
    [ "$IN_CI" = true ] || [ "$(id -u)" = 0 ] || return 1
    apt_install redis-server || return 1
  fi
  say "starting Redis"
  mkdir -p /tmp/lvjian-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/lvjian-redis --logfile /tmp/lvjian-redis/redis.log || true
  for _ in $(seq 1 20); do redis_up && return 0; sleep 0.25; done
  return 1
}

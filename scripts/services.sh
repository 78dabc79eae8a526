#!/usr/bin/env bash
# Start PostgreSQL, MariaDB and Redis if one is down; fail clearly if one cannot be started.
set -u

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {  # name port
  for _ in $(seq 1 60); do up "$2" && return 0; sleep 0.5; done
  echo "error[MS401]: $1 did not come up on 127.0.0.1:$2" >&2
  return 1
}

start() {  # name port command...
  local name=$1 port=$2; shift 2
  up "$port" && return 0
  echo "starting $name on 127.0.0.1:$port" >&2
  if ! "$@" >/dev/null 2>&1; then
    echo "error[MS401]: could not start $name with: $*" >&2
    return 1
  fi
  wait_for "$name" "$port"
}

status=0
start PostgreSQL 5432 bash -c 'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start' || status=1
start MariaDB 3306 start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || status=1
start Redis 6379 redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || status=1
exit $status

#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite.
#
#   scripts/pg-test-cluster.sh start   start one (or reuse the running one); prints its URL on stdout
#   scripts/pg-test-cluster.sh url     print the running cluster's URL
#   scripts/pg-test-cluster.sh env     print `export TEST_DATABASE_URL=...` (for eval)
#   scripts/pg-test-cluster.sh stop    stop it and delete its files
#   scripts/pg-test-cluster.sh status  say whether one is running
#
# The cluster lives in a fresh mktemp directory under /tmp, listens on 127.0.0.1 only, on a free port,
# with its unix socket inside that directory; it has a database `pontive_test` owned by a role
# `pontive` (password random, CREATEDB so the browser tests can make a database of their own).
# Where it is (directory, port, URL) is kept in a state file under /tmp named after this checkout,
# so `stop` finds it from another shell and two checkouts never share one.
#
# As root, the server runs as the `postgres` user (initdb refuses root); with no PostgreSQL on the
# machine, root installs Debian's `postgresql` package. Messages go to stderr, only URLs to stdout.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
STATE_FILE=${PG_TEST_STATE_FILE:-/tmp/pontive-pg-test-$(printf '%s' "$REPO_DIR" | cksum | cut -d' ' -f1).state}
DB_NAME=pontive_test
DB_USER=pontive

# Nothing from the caller's environment may point psql or pg_ctl somewhere else.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGPASSFILE PGSERVICE PGDATA PGOPTIONS

say() { printf 'pg-test-cluster: %s\n' "$*" >&2; }
die() {
	say "error: $*"
	exit 1
}

find_bindir() {
	local dir
	if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
		dir=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
		# psql and postgres sit beside pg_ctl in Debian's layout; the PATH ones may be symlinks.
		if [[ -x $dir/initdb && -x $dir/postgres ]]; then
			printf '%s\n' "$dir"
			return 0
		fi
	fi
	# Debian: /usr/lib/postgresql/<major>/bin; take the newest major.
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -n -r); do
		if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]]; then
			printf '%s\n' "$dir"
			return 0
		fi
	done
	return 1
}

ensure_postgres_installed() {
	if find_bindir >/dev/null; then
		return 0
	fi
	if [[ $(id -u) -ne 0 ]]; then
		die "no PostgreSQL (initdb/pg_ctl) found and not root to install it; install Debian's postgresql"
	fi
	command -v apt-get >/dev/null || die "no PostgreSQL found and no apt-get to install it"
	say "installing Debian's postgresql package"
	(
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq && apt-get install -y -qq postgresql
	) </dev/null >&2
	find_bindir >/dev/null || die "postgresql installed but initdb/pg_ctl still not found"
}

# The user the server runs as: ourselves, or `postgres` when we are root.
RUN_AS=""
pick_user() {
	if [[ $(id -u) -ne 0 ]]; then
		RUN_AS=""
		return
	fi
	RUN_AS=postgres
	if ! id -u "$RUN_AS" >/dev/null 2>&1; then
		say "creating system user $RUN_AS"
		useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash "$RUN_AS" ||
			die "could not create the $RUN_AS user"
	fi
}

# Run a command as the server's user, from a directory that user can enter.
as_owner() {
	local dir=$1
	shift
	if [[ -z $RUN_AS ]]; then
		(cd "$dir" && "$@")
	elif command -v runuser >/dev/null; then
		(cd "$dir" && runuser -u "$RUN_AS" -- "$@")
	else
		local cmd
		printf -v cmd '%q ' "$@"
		(cd "$dir" && su "$RUN_AS" -s /bin/sh -c "$cmd")
	fi
}

free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

load_state() {
	[[ -f $STATE_FILE ]] || return 1
	# shellcheck disable=SC1090
	source "$STATE_FILE"
	[[ -n ${PG_DIR:-} && -n ${PG_PORT:-} && -n ${PG_URL:-} && -n ${PG_BINDIR:-} ]]
}

is_running() {
	load_state || return 1
	[[ -d $PG_DIR/data ]] || return 1
	RUN_AS=${PG_RUN_AS:-}
	as_owner "$PG_DIR" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1
}

start() {
	if is_running; then
		say "already running on port $PG_PORT ($PG_DIR)"
		printf '%s\n' "$PG_URL"
		return 0
	fi
	if [[ -f $STATE_FILE ]]; then
		say "removing stale state from an earlier run"
		stop_cluster || true
	fi

	ensure_postgres_installed
	local bindir dir port password attempt url
	bindir=$(find_bindir)
	pick_user
	dir=$(mktemp -d /tmp/pontive-pg.XXXXXX)
	# Save the state at once, so `stop` can clean up even when the start fails half-way.
	write_state "$dir" "" "" "$bindir"
	mkdir -p "$dir/socket"
	[[ -z $RUN_AS ]] || chown -R "$RUN_AS:" "$dir"
	chmod 700 "$dir"

	say "initdb ($bindir) in $dir"
	as_owner "$dir" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync \
		>"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		die "initdb failed"
	}
	# Only the owner's unix socket trusts; TCP wants the password.
	cat >"$dir/data/pg_hba.conf" <<-EOF
		local all all trust
		host all all 127.0.0.1/32 scram-sha-256
	EOF
	[[ -z $RUN_AS ]] || chown "$RUN_AS:" "$dir/data/pg_hba.conf"

	for attempt in 1 2 3 4 5; do
		port=$(free_port)
		cat >>"$dir/data/postgresql.conf" <<-EOF
			# pontive test cluster (attempt $attempt)
			listen_addresses = '127.0.0.1'
			port = $port
			unix_socket_directories = '$dir/socket'
			fsync = off
			synchronous_commit = off
			full_page_writes = off
			max_connections = 50
		EOF
		say "starting on 127.0.0.1:$port"
		if as_owner "$dir" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
			break
		fi
		port=""
		say "start failed (port taken?); log:"
		tail -n 5 "$dir/server.log" >&2 || true
	done
	[[ -n $port ]] || die "PostgreSQL would not start; see $dir/server.log"

	password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
	as_owner "$dir" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" -U postgres -d postgres \
		-c "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$password'" \
		-c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >&2 || die "could not create the role and database"

	url="postgresql://$DB_USER:$password@127.0.0.1:$port/$DB_NAME"
	write_state "$dir" "$port" "$url" "$bindir"
	say "ready: $DB_NAME on 127.0.0.1:$port (state: $STATE_FILE)"
	printf '%s\n' "$url"
}

write_state() {
	local tmp="$STATE_FILE.tmp.$$"
	(
		umask 077
		{
			printf 'PG_DIR=%q\n' "$1"
			printf 'PG_PORT=%q\n' "$2"
			printf 'PG_URL=%q\n' "$3"
			printf 'PG_BINDIR=%q\n' "$4"
			printf 'PG_RUN_AS=%q\n' "$RUN_AS"
		} >"$tmp"
	)
	mv -f "$tmp" "$STATE_FILE"
}

stop_cluster() {
	[[ -f $STATE_FILE ]] || return 0
	# shellcheck disable=SC1090
	source "$STATE_FILE"
	RUN_AS=${PG_RUN_AS:-}
	if [[ -n ${PG_DIR:-} && -d ${PG_DIR}/data && -n ${PG_BINDIR:-} ]]; then
		if as_owner "$PG_DIR" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
			say "stopping the cluster on port ${PG_PORT:-?}"
			as_owner "$PG_DIR" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null ||
				as_owner "$PG_DIR" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null ||
				say "warning: pg_ctl stop failed"
		fi
	fi
	# Only ever delete a directory this script made.
	if [[ -n ${PG_DIR:-} && $PG_DIR == /tmp/pontive-pg.* && -d $PG_DIR ]]; then
		rm -rf -- "$PG_DIR"
	fi
	rm -f -- "$STATE_FILE"
}

case "${1:-}" in
start) start ;;
stop)
	if [[ -f $STATE_FILE ]]; then
		stop_cluster
		say "stopped"
	else
		say "no cluster to stop"
	fi
	;;
url)
	is_running || die "no cluster running (start one with: $0 start)"
	printf '%s\n' "$PG_URL"
	;;
env)
	is_running || die "no cluster running (start one with: $0 start)"
	printf 'export TEST_DATABASE_URL=%q\n' "$PG_URL"
	;;
status)
	if is_running; then
		say "running on 127.0.0.1:$PG_PORT in $PG_DIR"
	else
		say "not running"
		exit 1
	fi
	;;
*)
	printf 'usage: %s start|stop|url|env|status\n' "$0" >&2
	exit 2
	;;
esac

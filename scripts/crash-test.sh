#!/usr/bin/env bash
# Crash test (issue 3, point 10; SECURITY.md "Tests with figures", 1): SIGKILL the server
# while hundreds of answer saves are in flight, restart it, and check that every save it
# acknowledged before dying is in the database with its value (or a newer seq of the
# same question). Repeated ROUNDS times (default 3) on one database.
#
#   scripts/crash-test.sh                                           # SQLite, in a temp folder
#   scripts/crash-test.sh 'mysql://root@tcp(127.0.0.1:3306)/quality_test'
#
# With a MySQL DSN (the QUALITY_TEST_MYSQL_DSN form) the script creates the database
# NAME_crash next to the one named, and drops it at the end (KEEP=1 keeps it and the
# temp folder). Environment: ROUNDS (3), CRASH_N examinees (300), CRASH_LIMIT seconds for
# the whole script (900). Needs go and curl. Exit status 1 on any lost acknowledged save
# or duplicate attempt, 2 when the test itself could not run.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
N=${CRASH_N:-300}
LIMIT=${CRASH_LIMIT:-900}
KEEP=${KEEP:-0}

command -v curl >/dev/null || { echo "crash-test: curl is needed" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/quality-crash.XXXXXX")
server_pid="" load_pid="" watchdog="" dsn="" mysql=0

say() { printf 'crash-test: %s\n' "$*"; }

cleanup() {
	local rc=$?
	[[ -n $load_pid ]] && kill -KILL "$load_pid" 2>/dev/null || true
	if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		for _ in $(seq 30); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
		kill -KILL "$server_pid" 2>/dev/null || true
	fi
	if [[ -n $watchdog ]]; then
		kill $(pgrep -P "$watchdog" 2>/dev/null) "$watchdog" 2>/dev/null || true
	fi
	if [[ $mysql == 1 && $KEEP != 1 && -x $work/examload ]]; then
		"$work/examload" -mode dropdb -db "$dsn" || true
	fi
	if [[ $KEEP == 1 ]]; then say "kept $work"; else rm -rf "$work"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 2' INT TERM
# The whole script is bounded: past LIMIT seconds the watchdog ends it (every step
# below has its own timeout too).
(sleep "$LIMIT" && echo "crash-test: over ${LIMIT}s, giving up" >&2 && kill -TERM $$) 2>/dev/null &
watchdog=$!

say "building into $work"
timeout 300 go build -o "$work/quality" .
timeout 300 go build -o "$work/examload" ./cmd/examload

if [[ $# -ge 1 && -n $1 ]]; then
	# NAME_crash next to the database the DSN names, keeping its parameters.
	base=${1%%\?*}
	params=${1#"$base"}
	dsn="${base%/*}/${base##*/}_crash${params}"
	mysql=1
	timeout 60 "$work/examload" -mode dropdb -db "$dsn"
	timeout 60 "$work/examload" -mode createdb -db "$dsn"
	engine="MySQL (${base##*/}_crash)"
else
	dsn="sqlite:$work/q.db"
	engine="SQLite ($work/q.db)"
fi

free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
	done
	return 1
}
port=$(free_port)
addr="127.0.0.1:$port"

start_server() {
	QUALITY_DB=$dsn QUALITY_DATA_DIR=$work/data QUALITY_ADDR=$addr QUALITY_ADMIN_PASSWORD=crash-test-admin \
		"$work/quality" serve --demo >>"$work/server.log" 2>&1 &
	server_pid=$!
	# Up to 180 s: the first start migrates and seeds the demo province.
	for _ in $(seq 360); do
		if curl -fsS -o /dev/null "http://$addr/readyz" 2>/dev/null; then return 0; fi
		if ! kill -0 "$server_pid" 2>/dev/null; then
			say "the server exited:"; tail -20 "$work/server.log" >&2; return 1
		fi
		sleep 0.5
	done
	say "the server did not become ready in 180 s"; return 1
}

acked() { # acknowledged saves in an acks file (its first line is a header)
	local n
	n=$(wc -l <"$1" 2>/dev/null || echo 1)
	echo $((n > 0 ? n - 1 : 0))
}

say "engine $engine, server $addr, $ROUNDS rounds of $N examinees"
start_server || exit 2
failed=0
summary=()
for r in $(seq "$ROUNDS"); do
	acks=$work/acks-$r.jsonl
	: >"$acks"
	# Capacity mode: every examinee logs in and starts, then all of them (-c 0) save at
	# once with no think time, so that hundreds of saves are in flight when the server
	# dies; each acknowledged save is a line in $acks the moment it is known.
	timeout 400 "$work/examload" -mode capacity -db "$dsn" -addr "$addr" -n "$N" -c 0 -prefix crash -reset \
		-reconcile=false -acks "$acks" -timeout 30s -deadline 300s >"$work/load-$r.log" 2>&1 &
	load_pid=$!
	# Wait for the save phase (acks arriving), then let it run 1–4 s more.
	for _ in $(seq 600); do
		[[ $(acked "$acks") -ge 50 ]] && break
		kill -0 "$load_pid" 2>/dev/null || break
		sleep 0.3
	done
	if [[ $(acked "$acks") -lt 50 ]]; then
		say "round $r: the load never reached the save phase:"; cat "$work/load-$r.log" >&2; exit 2
	fi
	sleep "$((r % 4 + 1)).$((RANDOM % 10))"
	before=$(acked "$acks")
	kill -KILL "$server_pid"
	wait "$server_pid" 2>/dev/null || true
	say "round $r: server SIGKILLed with $before saves acknowledged"
	# The examinees stop at their first refused connection; the load ends by itself.
	wait "$load_pid" 2>/dev/null || true
	load_pid=""
	inflight=$({ grep -E '^  save error: (connection (reset|closed)|transport)' "$work/load-$r.log" || true; } |
		{ grep -oE '× [0-9]+' || true; } | awk '{s += $2} END {print s + 0}')
	total=$(acked "$acks")
	# What the load saw: its table, the errors (the saves cut off by the kill) and stops.
	sed -n '/^ *op /,/^start phase/p' "$work/load-$r.log" | grep -v '^start phase' | sed 's/^/  load: /'
	start_server || exit 2
	set +e
	out=$(timeout 300 "$work/examload" -mode reconcile -db "$dsn" -acks "$acks" 2>&1)
	rc=$?
	set -e
	printf '%s\n' "$out" | sed 's/^/  /'
	line=$(printf '%s\n' "$out" | grep '^reconcile:' || echo "reconcile: (no result)")
	summary+=("round $r: killed after $before acknowledged saves ($total in all, $inflight saves cut off in flight); ${line#reconcile: }")
	if [[ $rc -ne 0 ]]; then failed=1; fi
done

echo
say "summary ($engine, $N examinees, capacity load, SIGKILL during saves)"
for s in "${summary[@]}"; do echo "  $s"; done
if [[ $failed -ne 0 ]]; then
	say "FAILED: an acknowledged save was lost or an attempt duplicated"
	exit 1
fi
say "passed: every acknowledged save survived $ROUNDS kills"

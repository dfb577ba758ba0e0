#!/bin/sh
# sockdemo_scenario_all.sh — `scenario all` runs every scenario once; --loop repeats; --list describes each one.
. tests/e2e/lib/sockdemo.sh

names="handshake refused reset halfclose udp unreachable simultaneous-close backlog timewait"
list=$("$SD" scenario --list) || fail "--list exit $?"
for n in $names; do
	printf '%s\n' "$list" | grep -qx "$n" || fail "--list does not describe $n"
done
printf '%s\n' "$list" | grep -q "loopback" || fail "--list does not say what loopback cannot show"

PORT=$(free_port)
"$SD" scenario all -p "$PORT" --pause 0 --narrate --events "$TMP/all.events" 2>"$TMP/all.narr" || fail "scenario all exit $?: $(grep -v '^\[' "$TMP/all.narr" | tail -n 3)"
for n in $names; do
	grep -q "^== scenario $n: done" "$TMP/all.narr" || fail "scenario $n did not run to the end"
done
check_events_json "$TMP/all.events"
check_narration_matches_events "$TMP/all.events" "$TMP/all.narr"

# --loop: runs again and again until stopped
"$SD" scenario udp --loop --pause 0.2 -p "$PORT" --no-narrate --events "$TMP/loop.events" 2>"$TMP/loop.err" &
LOOP=$!
wait_for "[ \$(cat '$TMP/loop.events' 2>/dev/null | grep -c '\"role\":\"client\",\"call\":\"close\"') -ge 3 ]" 100 ||
	{ kill "$LOOP"; fail "--loop did not repeat the scenario: $(cat "$TMP/loop.err")"; }
kill "$LOOP"
wait "$LOOP" 2>/dev/null
echo "scenario all: $(echo $names | wc -w) scenarios; --loop repeated udp $(grep -c '"role":"client","call":"close"' "$TMP/loop.events") times"

#!/bin/sh
# sockdemo_server.sh — the server: echo, --print, --discard, UDP, concurrent clients sharing one events file, vanishing clients, SIGINT.
. tests/e2e/lib/sockdemo.sh

PORT=$(free_port)
SEV=$TMP/shared.events
"$SD" server -p "$PORT" --no-narrate --events "$SEV" 2>"$TMP/server.err" &
SERVER_PID=$!
wait_for "grep -q '\"call\":\"listen\"' '$SEV' 2>/dev/null" || fail "server did not listen: $(cat "$TMP/server.err")"
grep -q "serving TCP on 127.0.0.1:$PORT (echo)" "$TMP/server.err" || fail "no start line: $(cat "$TMP/server.err")"

# echo: stdin line by line, replies on stdout, exit 0
out=$(printf 'one\ntwo\nthree\n' | "$SD" client -p "$PORT" --no-narrate) || fail "client exit $?"
expect_eq "echo" "$out" "$(printf 'one\ntwo\nthree')"
out=$("$SD" client -m 'half then close' --shutdown -p "$PORT" --no-narrate) || fail "--shutdown client exit $?"
expect_eq "echo after half-close" "$out" "half then close"

# 30 clients at once, all writing events to the same file as the server (O_APPEND, one write per line)
i=0
while [ $i -lt 30 ]; do
	printf 'client %d line 1\nclient %d line 2\n' $i $i | "$SD" client -p "$PORT" --no-narrate --events "$SEV" > "$TMP/c$i.out" &
	i=$((i + 1))
done
wait_for "[ \$(grep -c '\"role\":\"client\",\"call\":\"close\"' '$SEV') -ge 30 ]" 100 || fail "30 concurrent clients did not finish"
i=0
while [ $i -lt 30 ]; do
	wait_for "[ \$(wc -l < '$TMP/c$i.out') -eq 2 ]" 50 || fail "client $i output: $(cat "$TMP/c$i.out")"
	expect_eq "client $i echo" "$(cat "$TMP/c$i.out")" "$(printf 'client %d line 1\nclient %d line 2' $i $i)"
	i=$((i + 1))
done
check_events_json "$SEV"
events_tsv "$SEV" > "$TMP/ev.tsv"
expect_eq "clients connected" "$(awk -F'\t' '$1 == "client" && $3 == "connect" && $5 == 0' "$TMP/ev.tsv" | wc -l | tr -d ' ')" 30
expect_eq "server accepts" "$(awk -F'\t' '$1 == "server" && $3 == "accept4" && $5 >= 4' "$TMP/ev.tsv" | wc -l | tr -d ' ')" 32
# every client's port (the 30 with events) appears as the remote of one server accept4
for c in $(awk -F'\t' '$1 == "client" && $3 == "connect" { print $7 }' "$TMP/ev.tsv"); do
	awk -F'\t' -v c="$c" '$1 == "server" && $3 == "accept4" && $8 == c { f = 1 } END { exit !f }' "$TMP/ev.tsv" ||
		fail "client $c has no matching accept4 on the server"
done

# clients that vanish mid-stream (never read, then SIGKILL: RST) do not kill the server
cc -std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -o "$TMP/sockload" tests/tools/sockload.c || fail "cannot build sockload"
"$TMP/sockload" tcp "$PORT" -c 20 -m 3 -k 10 -t 30 > "$TMP/load.out" 2>&1 || fail "sockload: $(cat "$TMP/load.out")"
kill -0 "$SERVER_PID" || fail "server died after clients vanished"
grep -Eq '"errno":"(ECONNRESET|EPIPE)"' "$SEV" || fail "no ECONNRESET/EPIPE recorded when clients vanished"
grep -q '"call":"send".*"errno":"EPIPE"' "$SEV" && ! grep -q 'MSG_NOSIGNAL' "$SEV" && fail "send without MSG_NOSIGNAL"
expect_eq "still serving" "$("$SD" client -m alive -p "$PORT" --no-narrate)" alive

# SIGINT: clean stop, exit 0, one line
kill -INT "$SERVER_PID"
wait "$SERVER_PID"
rc=$?
SERVER_PID=""
expect_eq "server exit on SIGINT" "$rc" 0
grep -q "server stopped by SIGINT after" "$TMP/server.err" || fail "no stop line: $(cat "$TMP/server.err")"

# --print writes what arrives to stdout like nc -l; the client gets no echo and still exits 0
PORT=$(free_port)
"$SD" server -p "$PORT" --print --no-narrate > "$TMP/print.out" 2>"$TMP/print.err" &
SERVER_PID=$!
wait_for "grep -q 'serving TCP' '$TMP/print.err'" || fail "print server did not start"
out=$(printf 'to stdout\n' | "$SD" client -p "$PORT" --no-narrate) || fail "client of --print server exit $?"
expect_eq "no echo from --print" "$out" ""
wait_for "grep -q 'to stdout' '$TMP/print.out'" 20 || fail "--print did not write: $(cat "$TMP/print.out")"
kill -INT "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""

# --discard: nothing echoed, nothing printed
"$SD" server -p "$PORT" --discard --no-narrate > "$TMP/discard.out" 2>"$TMP/discard.err" &
SERVER_PID=$!
wait_for "grep -q 'serving TCP' '$TMP/discard.err'" || fail "discard server did not start"
out=$("$SD" client -m dropped -p "$PORT" --shutdown --no-narrate) || fail "client of --discard server exit $?"
expect_eq "no echo from --discard" "$out" ""
kill -INT "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
[ -s "$TMP/discard.out" ] && fail "--discard printed something"

# UDP echo, IPv6
"$SD" server --udp -6 -p "$PORT" --no-narrate 2>"$TMP/udp.err" &
SERVER_PID=$!
wait_for "grep -q 'serving UDP on \[::1\]:$PORT' '$TMP/udp.err'" || fail "UDP server did not start: $(cat "$TMP/udp.err")"
out=$(printf 'dgram 1\ndgram 2\n' | "$SD" client --udp -6 -p "$PORT" --no-narrate) || fail "UDP client exit $?"
expect_eq "UDP echo" "$out" "$(printf 'dgram 1\ndgram 2')"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; rc=$?; SERVER_PID=""
expect_eq "UDP server exit on SIGTERM" "$rc" 0
echo "server: echo, 30 concurrent clients with shared events file, vanishing clients, --print, --discard, UDP over IPv6"

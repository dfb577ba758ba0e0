#!/bin/sh
# sockdemo_load.sh — one server, 1000 concurrent TCP clients x 10 messages plus 100 killed mid-stream; 10,000 UDP datagrams.
. tests/e2e/lib/sockdemo.sh

# 1000 clients + 100 vanishing ones on each side of loopback: the server and sockload need > 1100 descriptors.
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 1200 ] || { echo "skip: cannot raise the open file limit to 1200 (is $(ulimit -n))"; exit 77; }
cc -std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -o "$TMP/sockload" tests/tools/sockload.c || fail "cannot build tests/tools/sockload.c"

PORT=$(free_port)
"$SD" server -p "$PORT" --no-narrate 2>"$TMP/server.err" &
SERVER_PID=$!
wait_for "grep -q 'serving TCP' '$TMP/server.err'" || fail "server did not start: $(cat "$TMP/server.err")"
"$TMP/sockload" tcp "$PORT" -c 1000 -m 10 -k 100 -t 90 > "$TMP/tcp.out" 2>&1 || fail "TCP load: $(cat "$TMP/tcp.out")"
grep -q "tcp ok: 1000 clients x 10 messages echoed intact" "$TMP/tcp.out" || fail "$(cat "$TMP/tcp.out")"
grep -q "killed 100 vanishing clients with SIGKILL" "$TMP/tcp.out" || fail "the vanishing clients were not killed mid-stream"
kill -0 "$SERVER_PID" 2>/dev/null || fail "the server died under load: $(cat "$TMP/server.err")"
expect_eq "still serving after the load" "$("$SD" client -m 'still here' -p "$PORT" --no-narrate)" "still here"
kill -INT "$SERVER_PID"; wait "$SERVER_PID"; rc=$?; SERVER_PID=""
expect_eq "server exit after load" "$rc" 0
grep -q "after 1101 connections" "$TMP/server.err" || fail "server count: $(tail -n 1 "$TMP/server.err")"

"$SD" server --udp -p "$PORT" --no-narrate 2>"$TMP/udpserver.err" &
SERVER_PID=$!
wait_for "grep -q 'serving UDP' '$TMP/udpserver.err'" || fail "UDP server did not start: $(cat "$TMP/udpserver.err")"
"$TMP/sockload" udp "$PORT" -n 10000 -w 32 -t 60 > "$TMP/udp.out" 2>&1 || fail "UDP load: $(cat "$TMP/udp.out")"
grep -q "udp ok: 10000 datagrams echoed, none lost" "$TMP/udp.out" || fail "$(cat "$TMP/udp.out")"
kill -INT "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
grep -q "after 10000 datagrams" "$TMP/udpserver.err" || fail "UDP server count: $(tail -n 1 "$TMP/udpserver.err")"
cat "$TMP/tcp.out" "$TMP/udp.out" | grep 'ok:'

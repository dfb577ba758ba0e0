#!/bin/sh
# sockdemo_reset.sh — scenario reset: SO_LINGER 0 close sends RST instead of FIN; the server's recv gets ECONNRESET.
. tests/e2e/lib/sockdemo.sh
need_capture

family_vars 4
run_scenario reset
stop_capture "$CAP" "$PORT" 'c>s R\.?$'
packets "$CAP" "$PORT" > "$PK"
expect_flow "reset" "$(flow_line -sig "$PK")" '^c>s S,s>c S\.,c>s P\.,s>c P\.,c>s R\.?$'
C=$(awk 'NR == 1 { print $3 }' "$PK")
check_events_json "$EV"
check_narration_matches_events "$EV" "$NARR"
expect_eq "server calls" "$(calls_of server)" "socket,setsockopt,bind,listen,accept,recv,send,recv,close,close"
expect_eq "client calls" "$(calls_of client)" "socket,connect,send,recv,setsockopt,close"
expect_ev client setsockopt 1 "3 0 null $LO:$C $LO:$PORT" "3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8"
expect_ev client close 1 "3 0 null $LO:$C $LO:$PORT" "3"
expect_ev server recv 2 "4 -1 ECONNRESET $LO:$PORT $LO:$C" "4, ..., 4096, 0"
grep -qF "the kernel sent RST to $LO:$PORT instead of FIN" "$NARR" || fail "abortive close sentence missing"
grep -qF "an RST arrived from $LO:$C" "$NARR" || fail "ECONNRESET sentence missing"
expect_order "RST" client 'close(3) = 0' server 'recv(4, ..., 4096, 0) = -1 ECONNRESET'
# This connection's own pair of ports: another test's TIME-WAIT may hold port C towards another port.
ss -Htan state time-wait "( ( sport = :$C and dport = :$PORT ) or ( sport = :$PORT and dport = :$C ) )" | grep -q . &&
	fail "a TIME_WAIT remained after RST"
echo "reset: RST from client port $C, server saw ECONNRESET, no TIME_WAIT"

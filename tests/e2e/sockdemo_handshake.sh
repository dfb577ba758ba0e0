#!/bin/sh
# sockdemo_handshake.sh — scenario handshake over IPv4 and IPv6: packets in order, every call's event and narration.
. tests/e2e/lib/sockdemo.sh
need_capture

for fam in 4 6; do
	family_vars $fam
	run_scenario handshake $FAMOPT
	stop_capture "$CAP" "$PORT" ',c>s F\.,s>c F\.,c>s \.$'
	packets "$CAP" "$PORT" > "$PK"
	expect_flow "handshake -$fam" "$(flow_line -sig "$PK")" '^c>s S,s>c S\.,c>s P\.,s>c P\.,c>s F\.,s>c F\.$'
	expect_flow "handshake -$fam (handshake ACK, last ACK)" "$(flow_line "$PK")" '^c>s S,s>c S\.,c>s \.,.*,c>s \.$'
	C=$(awk 'NR == 1 { print $3 }' "$PK")

	check_events_json "$EV"
	check_narration_matches_events "$EV" "$NARR"
	expect_eq "server calls" "$(calls_of server)" "socket,setsockopt,bind,listen,accept,recv,send,recv,close,close"
	expect_eq "client calls" "$(calls_of client)" "socket,connect,send,recv,close"
	expect_ev server socket 1 "3 3 null null null" "$AF, SOCK_STREAM, IPPROTO_TCP"
	expect_ev server setsockopt 1 "3 0 null null null" "3, SOL_SOCKET, SO_REUSEADDR, [1], 4"
	expect_ev server bind 1 "3 0 null $LO:$PORT null" "3, {$AF, $LO:$PORT}, $SL"
	expect_ev server listen 1 "3 0 null $LO:$PORT null" "3, 1"
	expect_ev server accept 1 "3 4 null $LO:$PORT $LO:$C" "3, {$AF, $LO:$C}, [128 => $SL]"
	expect_ev server recv 1 "4 18 null $LO:$PORT $LO:$C" '4, "hello from client\n", 4096, 0'
	expect_ev server send 1 "4 18 null $LO:$PORT $LO:$C" '4, "hello from server\n", 18, MSG_NOSIGNAL'
	expect_ev server recv 2 "4 0 null $LO:$PORT $LO:$C" '4, "", 4096, 0'
	expect_ev server close 1 "4 0 null $LO:$PORT $LO:$C" "4"
	expect_ev server close 2 "3 0 null $LO:$PORT null" "3"
	expect_ev client socket 1 "3 3 null null null"
	expect_ev client connect 1 "3 0 null $LO:$C $LO:$PORT" "3, {$AF, $LO:$PORT}, $SL"
	expect_ev client send 1 "3 18 null $LO:$C $LO:$PORT"
	expect_ev client recv 1 "3 18 null $LO:$C $LO:$PORT" '3, "hello from server\n", 4096, 0'
	expect_ev client close 1 "3 0 null $LO:$C $LO:$PORT" "3"
	# the sentences name the real endpoints and what went on the wire
	grep -qF "connect: the kernel sent SYN from $LO:$C to $LO:$PORT and returned when SYN-ACK arrived" "$NARR" ||
		fail "connect sentence with the real ports missing"
	grep -qF "close: the kernel sent FIN to $LO:$PORT" "$NARR" || fail "client close sentence (FIN) missing"
	grep -qF "the FIN from $LO:$C arrived" "$NARR" || fail "server recv 0 sentence (FIN) missing"
	grep -qF "accept(3, <unfinished ...>" "$NARR" || fail "no strace-style line while accept() blocked"
	# Causes before effects across the processes: the SYN (connect's entry) before accept returns, each
	# message before the recv that gets it, the client's FIN before the server's end of file.
	expect_order "-$fam connect" client "connect(3, {$AF, $LO:$PORT}, $SL <unfinished ...>" server "accept(3, {$AF"
	expect_order "-$fam request" client 'send(3, "hello from client\n"' server 'recv(4, "hello from client\n"'
	expect_order "-$fam reply" server 'send(4, "hello from server\n"' client 'recv(3, "hello from server\n"'
	expect_order "-$fam client FIN" client 'close(3) = 0' server 'recv(4, "", 4096, 0) = 0'
	# the client's end is in TIME_WAIT, the server's is gone
	ss -Htan state time-wait "( sport = :$C and dport = :$PORT )" | grep -q . || fail "client end not in TIME_WAIT"
	echo "handshake -$fam: $(flow_line "$PK" | tr ',' ' ' | wc -w | awk '{ print $1 / 2 }') packets in order; client port $C"
done

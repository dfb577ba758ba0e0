#!/bin/sh
# sockdemo_udp.sh — scenarios udp (datagrams both ways) and unreachable (ICMP / ICMPv6 port unreachable, ECONNREFUSED).
. tests/e2e/lib/sockdemo.sh
need_capture

family_vars 4
run_scenario udp
stop_capture "$CAP" "$PORT" '^c>s UDP,s>c UDP,c>s UDP,s>c UDP$'
packets "$CAP" "$PORT" > "$PK"
expect_flow "udp" "$(flow_line "$PK")" '^c>s UDP,s>c UDP,c>s UDP,s>c UDP$'
C=$(awk 'NR == 1 { print $3 }' "$PK")
check_events_json "$EV"
check_narration_matches_events "$EV" "$NARR"
expect_eq "server calls" "$(calls_of server)" "socket,bind,recvfrom,sendto,recvfrom,sendto,close"
expect_eq "client calls" "$(calls_of client)" "socket,sendto,recvfrom,sendto,recvfrom,close"
expect_ev server socket 1 "3 3 null null null" "AF_INET, SOCK_DGRAM, IPPROTO_UDP"
expect_ev server recvfrom 1 "3 7 null $LO:$PORT $LO:$C" "3, \"ping 1\\n\", 2048, 0, {AF_INET, $LO:$C}, [128 => 16]"
expect_ev server sendto 2 "3 7 null $LO:$PORT $LO:$C" "3, \"ping 2\\n\", 7, 0, {AF_INET, $LO:$C}, 16"
expect_ev client sendto 1 "3 7 null 0.0.0.0:$C $LO:$PORT"
expect_ev client recvfrom 2 "3 7 null 0.0.0.0:$C $LO:$PORT"
# Each datagram's sendto is narrated before the recvfrom it ends, whichever process wrote first.
for i in 1 2; do
	expect_order "ping $i" client "sendto(3, \"ping $i\\n\"" server "recvfrom(3, \"ping $i\\n\""
	expect_order "echo $i" server "sendto(3, \"ping $i\\n\"" client "recvfrom(3, \"ping $i\\n\""
done
echo "udp: 4 datagrams, client port $C, each sendto narrated before the recvfrom it ends"

for fam in 4 6; do
	family_vars $fam
	run_scenario unreachable $FAMOPT
	stop_capture "$CAP" "$PORT" 'icmp port-unreachable$'
	packets "$CAP" "$PORT" > "$PK"
	expect_flow "unreachable -$fam" "$(flow_line "$PK")" '^c>s UDP,icmp port-unreachable$'
	C=$(awk 'NR == 1 { print $3 }' "$PK")
	expect_eq "the ICMP error quotes the datagram's port" "$(awk 'NR == 2 { print $3 }' "$PK")" "$PORT"
	if [ $fam = 6 ]; then
		tcpdump -nn -r "$CAP" 2>/dev/null | grep -q 'ICMP6, destination unreachable, unreachable port' || fail "not ICMPv6 type 1 code 4"
	fi
	check_events_json "$EV"
	check_narration_matches_events "$EV" "$NARR"
	expect_eq "client calls" "$(calls_of client)" "socket,connect,send,poll,recv,close"
	expect_ev client connect 1 "3 0 null $LO:$C $LO:$PORT"
	expect_ev client send 1 "3 14 null $LO:$C $LO:$PORT" '3, "anyone there?\n", 14, 0'
	expect_ev client poll 1 "null 1 null null null" "[{fd=3, events=POLLIN}], 1, 3000"
	expect_ev client recv 1 "3 -1 ECONNREFUSED $LO:$C $LO:$PORT"
	grep -qF "poll([{fd=3, events=POLLIN}], 1, 3000) = 1 ([{fd=3, revents=POLLERR}])" "$NARR" || fail "poll revents POLLERR"
	grep -qF "answered by an ICMP port unreachable" "$NARR" || fail "ICMP sentence missing"
	echo "unreachable -$fam: datagram from port $C answered by ICMP port unreachable, recv ECONNREFUSED"
done

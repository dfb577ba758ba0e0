#!/bin/sh
# sockdemo_lossy.sh — scenario lossy: 16 MiB through a socket filter that drops data segments. The capture
# shows the handshake, the data and retransmissions; the client's kernel resent as many segments as tshark
# finds resent in the capture (retransmission, fast retransmission, spurious, or out-of-order: bytes sent
# before), and the narration says so; every call is narrated and recorded (the filter's setsockopt, 16 sends
# of 1 MiB); the server got every byte. With IPv4 the loss is one segment in 64 (at least 3 resends in
# 256 segments); with -6 it is random, and the narration must still match the capture. --list names the
# scenario apart from "all", and says what it needs.
. tests/e2e/lib/sockdemo.sh
need_capture
command -v tshark >/dev/null 2>&1 || { echo "skip: tshark is not installed"; exit 77; }

list=$("$SD" scenario --list) || fail "--list exit $?"
printf '%s\n' "$list" | sed -n '/^run only by name/,$p' | grep -qx "lossy" || fail "--list does not name lossy apart from all"
printf '%s\n' "$list" | grep -q "only the right to" || fail "--list does not say what lossy needs"

# The capture: headers only and a large buffer, so tcpdump keeps every one of the 64 KiB segments (with
# the whole packets and libpcap's default buffer it drops some, and the comparison would be with holes).
for fam in 4 6; do
	family_vars $fam
	PORT=$(free_port)
	CAP=$TMP/lossy$fam.pcap EV=$TMP/lossy$fam.events NARR=$TMP/lossy$fam.narr PK=$TMP/lossy$fam.pk
	rm -f "$TMP/tcpdump.err"
	tcpdump --immediate-mode -s 256 -B 32768 -i lo -w "$CAP" -U "tcp port $PORT" 2>"$TMP/tcpdump.err" &
	TCPDUMP_PID=$!
	wait_for "grep -q 'listening on' '$TMP/tcpdump.err' 2>/dev/null" || fail "tcpdump did not start: $(cat "$TMP/tcpdump.err")"
	"$SD" scenario lossy -p "$PORT" $FAMOPT --narrate --events "$EV" 2>"$NARR" ||
		{ stop_capture "$CAP" "$PORT" ''; fail "scenario lossy -$fam exited $?: $(grep -v '^\[' "$NARR" | tail -n 5)"; }
	stop_capture "$CAP" "$PORT" 's>c F'
	grep -q '^0 packets dropped by kernel' "$TMP/tcpdump.err" || fail "-$fam: tcpdump dropped packets: $(cat "$TMP/tcpdump.err")"
	packets "$CAP" "$PORT" > "$PK"
	# The client's FIN may leave before the resending of a segment lost near the end (the FIN is queued
	# after the data at close(), while the loss is still being repaired): resends may follow it.
	expect_flow "lossy -$fam" "$(flow_line -sig "$PK")" '^c>s S,s>c S\.,(c>s P?\.,)+.*c>s F\.,(c>s P?\.,)*s>c F\.'
	check_events_json "$EV"
	check_narration_matches_events "$EV" "$NARR"
	events_tsv "$EV" > "$TMP/ev.tsv"
	sends=$(awk -F'\t' '$1 == "client" && $3 == "send" && $5 == 1048576' "$TMP/ev.tsv" | wc -l)
	[ "$sends" -eq 16 ] || fail "-$fam: $sends client sends of 1 MiB, expected 16"
	grep -qF 'SO_ATTACH_FILTER, {len=7,' "$NARR" || fail "-$fam: the filter's setsockopt is not narrated"
	grep -qF 'TCP_CONGESTION, "reno", 4) = 0' "$NARR" || fail "-$fam: the congestion control was not set to reno"
	grep -q "^== the server received all 16777216 bytes, in order and intact" "$NARR" ||
		fail "-$fam: the server did not say every byte arrived"
	[ "$(grep -c '^== after [0-9]* MiB, the client.s kernel (tcp_info): cwnd [0-9]* segments' "$NARR")" -eq 16 ] ||
		fail "-$fam: not one tcp_info line after each send"
	# What the kernel resent against what the capture shows resent.
	said=$(sed -n 's/^== what happened:.*kernel sent \([0-9]*\) segments again.*/\1/p' "$NARR")
	none=$(grep -c '^== what happened: no segment was dropped this time' "$NARR")
	[ -n "$said" ] || [ "$none" -eq 1 ] || fail "-$fam: the narration does not say what happened: $(grep '^==' "$NARR" | tail -n 3)"
	seen=$(tshark -r "$CAP" -Y "tcp.dstport == $PORT && tcp.len > 0 && (tcp.analysis.retransmission ||
		tcp.analysis.fast_retransmission || tcp.analysis.spurious_retransmission || tcp.analysis.out_of_order)" 2>/dev/null | wc -l)
	[ "${said:-0}" -eq "$seen" ] ||
		fail "-$fam: the narration says ${said:-0} segments were sent again, tshark finds $seen in the capture"
	if [ $fam = 4 ]; then
		[ "$seen" -ge 3 ] || fail "-4: only $seen resent segments in 256 with one in 64 dropped"
		# synwatch's own view of the capture marks them too.
		marked=$(build/synwatch -r "$CAP" --text 2>/dev/null | grep -cE '\| (fast-|spurious-)?retransmission')
		[ "$marked" -ge 1 ] || fail "-4: synwatch --text marks no retransmission"
	fi
	echo "lossy -$fam: $(wc -l < "$PK") packets, $seen resent (tshark) = $said the kernel resent (narrated)"
done

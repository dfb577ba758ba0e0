#!/bin/sh
# sockdemo_refused.sh — scenario refused (IPv4, IPv6): SYN answered by RST; connect fails with ECONNREFUSED.
. tests/e2e/lib/sockdemo.sh
need_capture

for fam in 4 6; do
	family_vars $fam
	run_scenario refused $FAMOPT
	stop_capture "$CAP" "$PORT" 's>c R\.$'
	packets "$CAP" "$PORT" > "$PK"
	expect_flow "refused -$fam" "$(flow_line "$PK")" '^c>s S,s>c R\.$'
	C=$(awk 'NR == 1 { print $3 }' "$PK")
	check_events_json "$EV"
	check_narration_matches_events "$EV" "$NARR"
	expect_eq "server calls" "$(calls_of server)" ""
	expect_eq "client calls" "$(calls_of client)" "socket,connect,close"
	# After the refusal the kernel reports the unspecified address with the port the SYN left from.
	expect_ev client connect 1 "3 -1 ECONNREFUSED $(field 7 "$(awk -F'\t' '$3 == "connect"' "$TMP/ev.tsv")") $LO:$PORT" "3, {$AF, $LO:$PORT}, $SL"
	loc=$(awk -F'\t' '$3 == "connect" { print $7 }' "$TMP/ev.tsv")
	expect_eq "connect local port = SYN source port" "${loc##*:}" "$C"
	grep -qF "connect(3, {$AF, $LO:$PORT}, $SL) = -1 ECONNREFUSED (Connection refused)" "$NARR" || fail "strace line"
	grep -qF "our SYN to $LO:$PORT was answered by RST" "$NARR" || fail "refusal sentence missing"
	echo "refused -$fam: SYN from port $C, RST back, ECONNREFUSED"
done

# The plain client reports the refusal with exit code 4 and one line naming cause and fix.
PORT=$(free_port)
out=$("$SD" client -m hi -p "$PORT" 2>&1); rc=$?
expect_eq "client exit code on refusal" "$rc" 4
printf '%s\n' "$out" | grep -q "connection refused.*fix: start the server" || fail "refusal message: $out"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "more than one line on refusal: $out"

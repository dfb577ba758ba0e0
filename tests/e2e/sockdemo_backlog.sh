#!/bin/sh
# sockdemo_backlog.sh — scenario backlog: with listen(fd, 1) a third SYN is dropped, retransmitted after 1 s, then served.
. tests/e2e/lib/sockdemo.sh
need_capture

family_vars 4
run_scenario backlog
stop_capture "$CAP" "$PORT" '(c>s F\..*){3}s>c \.$'
packets "$CAP" "$PORT" > "$PK"
ports=$(awk '$1 == "c>s" && $2 == "S" && !seen[$3]++ { print $3 }' "$PK")
[ "$(echo $ports | wc -w)" -eq 3 ] || fail "expected 3 client ports, got: $ports"
k=0
for c in $ports; do
	k=$((k + 1))
	awk -v c="$c" '$3 == c' "$PK" > "$TMP/conn$k"
	if [ $k -lt 3 ]; then
		expect_flow "backlog client $k" "$(flow_line "$TMP/conn$k")" '^c>s S,s>c S\.,c>s \.,'
	else
		expect_flow "backlog client 3 (first SYN dropped)" "$(flow_line "$TMP/conn$k")" '^c>s S,c>s S,s>c S\.,c>s \.,'
		gap=$(awk 'NR == 1 { t = $6 } NR == 2 { printf "%d", ($6 - t) * 1000 }' "$TMP/conn$k")
		[ "$gap" -ge 900 ] && [ "$gap" -le 3500 ] || fail "SYN retransmitted after $gap ms, expected about 1000"
	fi
	# the server closes first
	expect_flow "backlog client $k close" "$(flow_line -sig "$TMP/conn$k")" '^.*s>c S\.,s>c F\.,c>s F\.$'
done
check_events_json "$EV"
check_narration_matches_events "$EV" "$NARR"
expect_ev server listen 1 "3 0 null $LO:$PORT null" "3, 1"
slow=$(grep -c '"call":"connect","fd":3.*"ret":0' "$EV")
expect_eq "successful connects" "$slow" 3
long=$(grep '"call":"connect"' "$EV" | grep -Ec '"dur":[0-9]{6,},')
expect_eq "connects that took over a second" "$long" 1
grep -q "it took 1\.[0-9] s because unanswered SYNs were retransmitted" "$NARR" || fail "slow connect sentence missing"
grep -q "ListenOverflows [0-9]* -> [0-9]*" "$NARR" || fail "the dropped SYN was not observed in ListenOverflows"
expect_eq "server accepts" "$(calls_of server)" "socket,setsockopt,bind,listen,accept,accept,accept,close,close,close,close"
echo "backlog: clients $(echo $ports) ; the third SYN retransmitted after $gap ms"

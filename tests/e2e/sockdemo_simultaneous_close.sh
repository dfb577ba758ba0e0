#!/bin/sh
# sockdemo_simultaneous_close.sh — scenario simultaneous-close: the two FINs cross on the wire and both ends reach TIME_WAIT.
. tests/e2e/lib/sockdemo.sh
need_capture
[ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ] || { echo "skip: simultaneous close needs 2 CPUs"; exit 77; }

family_vars 4
run_scenario simultaneous-close
check_events_json "$EV"
check_narration_matches_events "$EV" "$NARR"
# The last attempt is the one that crossed; earlier attempts were ordinary closes.
C=$(awk -F'\t' '$1 == "client" && $3 == "connect" { c = $7 } END { sub(/.*:/, "", c); print c }' "$TMP/ev.tsv")
attempts=$(grep -c '^== attempt [0-9]*:.*released together' "$NARR")
stop_capture "$CAP" "$PORT" 'F\.,(c>s|s>c) F\.,(c>s|s>c) \.,(c>s|s>c) \.$'
packets "$CAP" "$PORT" | awk -v c="$C" '$3 == c' > "$PK"
expect_flow "simultaneous-close (client port $C)" "$(flow_line -sig "$PK")" '^c>s S,s>c S\.,(c>s F\.,s>c F\.|s>c F\.,c>s F\.)$'
# Crossing: the second FIN's ACK number does not cover the first FIN (it equals the first FIN's seq, not seq+1).
awk '$2 ~ /F/ { n++; seq[n] = $4; ack[n] = $5 } END {
	if (n != 2) { print "FAIL: " n " FINs"; exit 1 }
	if (ack[2] != seq[1]) { print "FAIL: the second FIN acknowledges " ack[2] ", the first FIN was seq " seq[1] " (a normal close)"; exit 1 }
}' "$PK" || fail "FINs did not cross: $(cat "$PK")"
# Both FINs are then acknowledged, and both ends sit in TIME_WAIT.
[ "$(awk '$2 == "."' "$PK" | wc -l)" -ge 3 ] || fail "the crossed FINs were not both ACKed: $(flow_line "$PK")"
tw=$(ss -Htan state time-wait "( ( sport = :$C and dport = :$PORT ) or ( sport = :$PORT and dport = :$C ) )" | wc -l)
expect_eq "TIME_WAIT entries for the connection" "$tw" 2
expect_ev client shutdown $attempts "3 0 null $LO:$C $LO:$PORT" "3, SHUT_WR"
expect_eq "last server's calls" "$(awk -F'\t' '$1 == "server" { if ($2 != p) { s = ""; p = $2 } s = s (s ? "," : "") $3 } END { print s }' "$TMP/ev.tsv")" \
	"socket,setsockopt,bind,listen,accept,shutdown,recv,close,close"
echo "simultaneous-close: FINs crossed on attempt $attempts (client port $C); both ends in TIME_WAIT"

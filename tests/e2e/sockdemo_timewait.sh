#!/bin/sh
# sockdemo_timewait.sh — scenario timewait: TIME_WAIT blocks a plain bind (EADDRINUSE); SO_REUSEADDR reconnects from the same port.
. tests/e2e/lib/sockdemo.sh
need_capture

family_vars 4
run_scenario timewait
C=$((PORT + 1))
check_events_json "$EV"
check_narration_matches_events "$EV" "$NARR"
expect_ev client bind 1 "3 0 null $LO:$C null" "3, {AF_INET, $LO:$C}, 16"
expect_ev client bind 2 "3 -1 EADDRINUSE null null" "3, {AF_INET, $LO:$C}, 16"
expect_ev client bind 3 "3 0 null $LO:$C null"
second=$(awk -F'\t' '$1 == "client" && $3 == "connect" { n++; r = $5 } END { print n, r }' "$TMP/ev.tsv")
case $second in
"2 0")
	stop_capture "$CAP" "$PORT" '^c>s S,.*,c>s S,.*,c>s F\.,s>c F\.,c>s \.$'
	packets "$CAP" "$PORT" > "$PK"
	one='c>s S,s>c S\.,c>s P\.,s>c P\.,c>s F\.,s>c F\.'
	expect_flow "timewait (two connections)" "$(flow_line -sig "$PK")" "^$one,$one\$"
	expect_eq "client ports on the wire" "$(awk '{ print $3 }' "$PK" | sort -u)" "$C"
	grep -qF "Linux reused the TIME_WAIT four-tuple" "$NARR" || fail "reuse sentence missing"
	echo "timewait: bind EADDRINUSE, then a second connection from port $C"
	;;
"2 -1")
	stop_capture "$CAP" "$PORT" ',c>s F\.,s>c F\.,c>s \.$'
	expect_ev client connect 2 "3 -1 EADDRNOTAVAIL $LO:$C $LO:$PORT"
	echo "timewait: this kernel refuses to reuse the TIME_WAIT four-tuple (EADDRNOTAVAIL), as narrated"
	;;
*) fail "unexpected client connects: $second" ;;
esac

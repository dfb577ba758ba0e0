# flows_unanswered.sh — an end that only received a SYN is UNANSWERED, never LISTEN: live on sockdemo's refused scenario (RST: CLOSED), and on an unanswered SYN retried then timed out (NO-ANSWER).
. tests/lib.sh
need_cmd editcap
need_cmd mergecap

# no_listen FILE WHAT: FILE never says LISTEN.
no_listen() {
	! grep -n 'LISTEN' "$1" > "$TMP/listen" || fail "$2 shows LISTEN: $(head -n 3 "$TMP/listen")"
}

# ---- Live: sockdemo's refused scenario (nothing listens; the SYN is answered by RST) ----
if [ "$(id -u)" -eq 0 ]; then
	P=$(free_port)
	"$SW" -i lo -c 2 --text --flows "tcp port $P" > "$TMP/live.txt" 2> "$TMP/live.err" &
	t=$!
	bg_pid $t
	"$SW" -i lo -c 2 --json --flows "tcp port $P" > "$TMP/live.json" 2> "$TMP/live.jerr" &
	j=$!
	bg_pid $j
	wait_for "$TMP/live.err" "listening on lo" || fail "synwatch --text did not start: $(cat "$TMP/live.err")"
	wait_for "$TMP/live.jerr" "listening on lo" || fail "synwatch --json did not start: $(cat "$TMP/live.jerr")"
	"$SD" scenario refused -p "$P" --no-narrate 2> "$TMP/sd.err" || fail "sockdemo scenario refused: $(cat "$TMP/sd.err")"
	wait_exit $t 10 || fail "synwatch --text did not stop after 2 packets: $(cat "$TMP/live.txt")"
	wait_exit $j 10 || fail "synwatch --json did not stop after 2 packets"
	l1=$(grep -m1 'Flags \[S\]' "$TMP/live.txt")
	l2=$(grep -m1 'Flags \[R\.\]' "$TMP/live.txt")
	case $l1 in *"| client SYN-SENT, server UNANSWERED") ;; *) fail "SYN line: $l1" ;; esac
	case $l2 in *"| rst, connection-refused | client SYN-SENT->CLOSED, server UNANSWERED->CLOSED") ;;
	*) fail "RST line: $l2" ;; esac
	grep -Eq "^ +1 tcp +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:$P +CLOSED +CLOSED .* server +refused " "$TMP/live.txt" ||
		fail "flow table: $(grep -A1 'STATE-CLIENT' "$TMP/live.txt")"
	no_listen "$TMP/live.txt" "--text of a refused connection"
	grep -q '"flags":"S",.*"state":{"client":"SYN-SENT","server":"UNANSWERED"}' "$TMP/live.json" || fail "JSON SYN state"
	grep -q '"flags":"R\.",.*"state":{"client":"CLOSED","server":"CLOSED"}' "$TMP/live.json" || fail "JSON RST state"
	grep -q '"state_client":"CLOSED","state_server":"CLOSED",.*"end":"refused"' "$TMP/live.json" || fail "--flows --json"
	no_listen "$TMP/live.json" "--json of a refused connection"
	echo "refused (live): server UNANSWERED, then CLOSED; never LISTEN"
else
	echo "live part skipped: capturing on lo needs root"
fi

# ---- From a file: a SYN nobody answers, retried after 1 and 3 s ----
editcap -r pcaps/handshake.pcap "$TMP/syn0.pcap" 1 2> /dev/null || fail "editcap could not take the SYN"
editcap -t 1 "$TMP/syn0.pcap" "$TMP/syn1.pcap" && editcap -t 3 "$TMP/syn0.pcap" "$TMP/syn3.pcap" || fail "editcap -t"
mergecap -w "$TMP/syns.pcap" "$TMP/syn0.pcap" "$TMP/syn1.pcap" "$TMP/syn3.pcap" || fail "mergecap"
"$SW" -r "$TMP/syns.pcap" --text --flows > "$TMP/syns.txt" 2>&1 || fail "synwatch -r: $(cat "$TMP/syns.txt")"
[ "$(grep -c '| client SYN-SENT, server UNANSWERED$' "$TMP/syns.txt")" -eq 1 ] || fail "first SYN: $(head -n 1 "$TMP/syns.txt")"
[ "$(grep -c '| retransmission$' "$TMP/syns.txt")" -eq 2 ] || fail "retried SYNs: $(head -n 3 "$TMP/syns.txt")"
grep -Eq "^ +1 tcp .* SYN-SENT +UNANSWERED +3 +0 .* open " "$TMP/syns.txt" || fail "flow table: $(grep -A1 'STATE-CLIENT' "$TMP/syns.txt")"
no_listen "$TMP/syns.txt" "an unanswered SYN"
"$SW" -r "$TMP/syns.pcap" --ladder 1 > "$TMP/syns.ladder" 2>&1 || fail "--ladder: $(cat "$TMP/syns.ladder")"
grep -q '| UNANSWERED$' "$TMP/syns.ladder" || fail "ladder: $(cat "$TMP/syns.ladder")"
grep -q '^end: open; 3 packets c>s, 0 s>c$' "$TMP/syns.ladder" || fail "ladder end: $(tail -n 1 "$TMP/syns.ladder")"

# ... and 300 s later other traffic moves the packet clock past the SYN timeout (130 s): the flow times out.
editcap -t 300 pcaps/refused.pcap "$TMP/later.pcap" || fail "editcap -t 300"
mergecap -w "$TMP/timeout.pcap" "$TMP/syns.pcap" "$TMP/later.pcap" || fail "mergecap"
"$SW" -r "$TMP/timeout.pcap" --ladder 1 > "$TMP/timeout.ladder" 2>&1 || fail "--ladder 1: $(cat "$TMP/timeout.ladder")"
grep -q '^end: timeout, the server never answered; 3 packets c>s, 0 s>c$' "$TMP/timeout.ladder" ||
	fail "timed-out ladder end: $(tail -n 1 "$TMP/timeout.ladder")"
"$SW" -r "$TMP/timeout.pcap" --html "$TMP/page.html" > /dev/null 2>&1 || fail "--html"
grep -q 'the client is SYN-SENT and the server NO-ANSWER' "$TMP/page.html" || fail "page: $(grep -o 'at the end[^<]*' "$TMP/page.html")"
"$SW" -r "$TMP/timeout.pcap" --stats --flows > "$TMP/timeout.flows" 2>&1 || fail "--flows"
grep -q ' 1 expired (idle)' "$TMP/timeout.flows" || fail "the SYN-only flow did not expire: $(tail -n 2 "$TMP/timeout.flows")"
no_listen "$TMP/timeout.flows" "the table after the timeout"
echo "unanswered SYN: UNANSWERED while retried, NO-ANSWER once timed out; never LISTEN"

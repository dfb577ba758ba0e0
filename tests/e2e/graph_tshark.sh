# graph_tshark.sh — the graphs' RTT samples and bytes in flight against tshark's tcp.analysis.ack_rtt and tcp.analysis.bytes_in_flight, packet by packet: on lossy captures (pcaps/lossy.pcap and one made now on lo) they agree on at least 99% of packets, and on every TCP capture of pcaps/ and the shared corpus each difference is one README explains.
#
# Explained differences (README "Graphs and handouts"): an ACK that acknowledges something sent twice gives
# no RTT sample (Karn's rule; tshark times it from the segment it ends at); D-SACK blocks (at or below the
# ACK) are not subtracted from the bytes in flight (tshark subtracts every SACK block); packets synwatch does
# not decode as TCP (link types it does not know, tunnels) are in no graph.
. tests/lib.sh
need_cmd tshark
GD=build/tools/graphdump
[ -x "$GD" ] || fail "$GD is missing; run make tools"

# compare CAPTURE MIN_PERCENT: prints "rtt R% bif B% (karn K, dsack D, not-tcp N)" and fails on an unexplained
# difference, or when an agreement is below MIN_PERCENT (0: not checked).
compare() {
	"$GD" "$1" > "$TMP/ours" || fail "graphdump failed on $1"
	tshark -r "$1" -T fields -e frame.number -e tcp.analysis.ack_rtt -e tcp.analysis.bytes_in_flight 2>/dev/null |
		awk -F'\t' '{ printf "%s %s %s\n", $1, ($2 == "" ? "-" : $2), ($3 == "" ? "-" : $3) }' > "$TMP/theirs"
	[ "$(wc -l < "$TMP/ours")" -eq "$(wc -l < "$TMP/theirs")" ] ||
		fail "$1: graphdump gave $(wc -l < "$TMP/ours") packets, tshark $(wc -l < "$TMP/theirs")"
	paste -d' ' "$TMP/ours" "$TMP/theirs" | awk -v cap="$1" -v min="$2" '
	{
		# ours: N RTT_SEQ RTT_TS BIF KARN DSACK FED; theirs: N ACK_RTT BIF
		n++
		if ($1 != $8) { print "packet numbers out of step: " $0; bad++; next }
		r = $9; b = $10
		okr = (r == "-" && $2 == "-") || (r != "-" && $2 != "-" && r - $2 < 5e-7 && $2 - r < 5e-7)
		okb = (b == $4)
		if (okr) ar++; if (okb) ab++
		why = ""
		if (!okr) {
			if ($7 == "-") { nt++; why = "not-tcp" }
			else if ($5 == "karn" && $2 == "-") { kr++; why = "karn" }
			else { print cap ": RTT differs: packet " $1 " ours " $2 " tshark " r; bad++ }
		}
		if (!okb) {
			if ($7 == "-") { if (why == "") nt++ }
			else if ($6 != "-" && ((b != "-" && $4 - $6 == b) || (b == "-" && $4 - $6 <= 0))) ds++ # tshark: nothing left
			else { print cap ": bytes in flight differ: packet " $1 " ours " $4 " tshark " b; bad++ }
		}
	}
	END {
		pr = n ? 100 * ar / n : 100; pb = n ? 100 * ab / n : 100
		printf "%s: %d packets, rtt %.2f%% bif %.2f%% (karn %d, dsack %d, not-tcp %d)\n", cap, n, pr, pb, kr, ds, nt
		if (min > 0 && (pr < min || pb < min)) { print cap ": below " min "%"; bad++ }
		exit bad > 0
	}' || fail "$1: see above"
}

compare pcaps/lossy.pcap 99
# pcaps/lossy.pcap shows what the test needs: resent segments, dup ACKs, SACK and D-SACK, a zero window.
"$GD" pcaps/lossy.pcap | awk '$5 == "karn"' | grep -q . || fail "pcaps/lossy.pcap has no ACK of a resent segment"
"$GD" pcaps/lossy.pcap | awk '$6 != "-"' | grep -q . || fail "pcaps/lossy.pcap has no D-SACK"

for f in pcaps/*.pcap; do
	[ "$f" = pcaps/lossy.pcap ] || compare "$f" 0
done
CORPUS=../shared/corpus
if [ -f "$CORPUS/MANIFEST.tsv" ]; then
	for f in $(awk -F'\t' '$1 == "well-formed" && $6 ~ /(^|,)tcp(,|$)/ { print $2 }' "$CORPUS/MANIFEST.tsv"); do
		compare "$CORPUS/well-formed/$f" 0
	done
fi

# A lossy transfer made now on lo: 3 MB, 0.4% of the data segments dropped at the receiver, its window
# closing half-way.
if [ "$(id -u)" -eq 0 ] && command -v tcpdump > /dev/null; then
	LO=build/tools/lossy
	[ -x "$LO" ] || fail "$LO is missing; run make tools"
	P=$(free_port)
	tcpdump --immediate-mode -i lo -s 100 -U -w "$TMP/fresh.pcap" "tcp port $P" 2> "$TMP/td.err" &
	TD=$!
	bg_pid $TD
	wait_for "$TMP/td.err" "listening on" || fail "tcpdump did not start"
	"$LO" -p "$P" -n 3000000 -l 4 -w 100 -b 32768 -z 200 || fail "the lossy transfer failed"
	# Its last packet is the client's ACK of the server's FIN: wait until the file holds it.
	n=0
	until tcpdump -nr "$TMP/fresh.pcap" 2>/dev/null | tail -n 2 | tr '\n' ' ' |
		grep -Eq "\.$P > [^ ]+: Flags \[F\.\].*> 127\.0\.0\.1\.$P: Flags \[\.\]"; do
		n=$((n + 1))
		[ $n -lt 250 ] || fail "the capture did not get the last ACK: $(tcpdump -nr "$TMP/fresh.pcap" 2>/dev/null | tail -n 3)"
		sleep 0.02
	done
	kill -INT $TD
	wait_exit $TD 10 || fail "tcpdump did not stop"
	compare "$TMP/fresh.pcap" 99
else
	echo "skipped the capture made now: needs root and tcpdump"
fi
echo ok

# tshark_crosscheck.sh — synwatch --json agrees with tshark, packet by packet, on every supported capture in pcaps/ and the shared corpus (or those in CROSSCHECK_FILES): headers, and the DNS, HTTP and ARP summaries.
. tests/lib.sh
need_cmd tshark
. tests/crosscheck/lib.sh
files=${CROSSCHECK_FILES:-$(crosscheck_captures ../shared/corpus)}
[ -n "$(echo $files)" ] || skip "no captures to compare"

bad=0 total=0 compared=0
for f in $files; do
	# Reassembly off: each frame is compared as it is on the wire.
	# shellcheck disable=SC2086
	tshark $TSHARK_OPTS -r "$f" $TSHARK_FIELDS 2>/dev/null | awk -v app=1 -f tests/crosscheck/tshark.awk > "$TMP/t"
	"$SW" -r "$f" --json 2>/dev/null | awk -v app=1 -f tests/crosscheck/synwatch.awk > "$TMP/s"
	# Packets tshark says synwatch cannot be expected to follow (tunnels before IP) are left out on both sides.
	awk -F'|' 'NR == FNR { if ($2 == "skip") skip[$1] = 1; next } !($1 in skip)' "$TMP/t" "$TMP/s" > "$TMP/s2"
	grep -v '|skip$' "$TMP/t" > "$TMP/t2"
	nt=$(wc -l < "$TMP/t"); ns=$(wc -l < "$TMP/s")
	total=$((total + nt))
	compared=$((compared + $(wc -l < "$TMP/t2")))
	if [ "$nt" -ne "$ns" ]; then
		echo "$f: tshark has $nt packets, synwatch $ns"
		bad=$((bad + 1))
		continue
	fi
	if ! diff "$TMP/t2" "$TMP/s2" > "$TMP/d"; then
		echo "$f: $(grep -c '^<' "$TMP/d") packets differ (columns n|proto|src|dst|sport|dport|flags|seq|ack|win|swin|payload|mss|wscale|tsval|tsecr|itype|icode|isrc|idst|isport|idport|ipopt|ipoptptr|if|link|dnsid|dnsqr|qname|qtype|rcode|dnsan|method|uri|code, ARP n|arp|opcode|spa|tpa; < tshark, > synwatch):"
		head -n 12 "$TMP/d" | sed 's/^/    /'
		bad=$((bad + $(grep -c '^<' "$TMP/d")))
	fi
done
echo "compared $compared of $total packets in $(echo $files | wc -w) captures; $bad disagreements"
[ "$bad" -eq 0 ]

# tshark_crosscheck.sh — synwatch --json agrees with tshark, packet by packet, on every supported capture in pcaps/ and the shared corpus (or those in CROSSCHECK_FILES).
. tests/lib.sh
need_cmd tshark
corpus=../shared/corpus
files=${CROSSCHECK_FILES:-$(ls pcaps/*.pcap pcaps/*.pcapng 2>/dev/null)}
if [ -z "${CROSSCHECK_FILES:-}" ] && [ -f "$corpus/MANIFEST.tsv" ]; then
	# Supported link types only (others are shown as unsupported by design).
	files="$files $(awk -F'\t' '$1 == "well-formed" && $3 ~ /^(EN10MB|NULL|LOOP|LINUX_SLL|LINUX_SLL2|RAW|IPV4|IPV6)\(/ { print "'"$corpus"'/well-formed/" $2 }' "$corpus/MANIFEST.tsv")"
fi
[ -n "$(echo $files)" ] || skip "no captures to compare"

fields="-e frame.number -e frame.protocols -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst
 -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport -e tcp.flags -e tcp.seq_raw -e tcp.ack_raw
 -e tcp.window_size_value -e tcp.len -e udp.length -e tcp.options.mss_val -e tcp.options.wscale.shift
 -e tcp.options.timestamp.tsval -e tcp.options.timestamp.tsecr -e icmp.type -e icmp.code -e icmpv6.type -e icmpv6.code
 -e ip.flags.mf -e ip.frag_offset -e ip.opt.type -e ip.opt.ptr -e frame.interface_id"
bad=0 total=0 compared=0
for f in $files; do
	# Reassembly off: each frame is compared as it is on the wire.
	# shellcheck disable=SC2086
	tshark -n -r "$f" -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o udp.try_heuristic_first:FALSE \
		-T fields -E separator='|' -E occurrence=a -E aggregator=',' $fields 2>/dev/null |
		awk -f tests/crosscheck/tshark.awk > "$TMP/t"
	"$SW" -r "$f" --json 2>/dev/null | awk -f tests/crosscheck/synwatch.awk > "$TMP/s"
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
		echo "$f: $(grep -c '^<' "$TMP/d") packets differ (columns n|proto|src|dst|sport|dport|flags|seq|ack|win|payload|mss|wscale|tsval|tsecr|itype|icode|isrc|idst|isport|idport|ipopt|ipoptptr|if|link; < tshark, > synwatch):"
		head -n 12 "$TMP/d" | sed 's/^/    /'
		bad=$((bad + $(grep -c '^<' "$TMP/d")))
	fi
done
echo "compared $compared of $total packets in $(echo $files | wc -w) captures; $bad disagreements"
[ "$bad" -eq 0 ]

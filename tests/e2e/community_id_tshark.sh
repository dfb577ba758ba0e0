# community_id_tshark.sh — every flow's community_id in --flows --json equals tshark's Community ID (communityid, seed 0) on its packets: pcaps/ and the bench capture's first 100,000 packets.
. tests/lib.sh
. tests/crosscheck/lib.sh
need_cmd tshark
need_cmd editcap
tshark --enable-protocol communityid -r pcaps/handshake.pcap -c 1 -T fields -e communityid 2>/dev/null | grep -q '^1:' ||
	skip "this tshark has no communityid dissector (Wireshark 3.3.1 or later has it)"

# The bench capture (tests/bench/run.sh's F, kept in build/bench/ as make bench keeps it), its first 100,000
# packets.
G=build/bench/gencap
make --no-print-directory -s "$G" >/dev/null || fail "cannot build $G (make $G)"
F=build/bench/mix-s1-n2000000-c10000.pcap
if ! [ -s "$F" ] || ! [ "$F" -nt "$G" ]; then
	"$G" -s 1 -n 2000000 -c 10000 -o "$F.tmp" 2> "$TMP/gencap.log" && mv "$F.tmp" "$F" ||
		fail "gencap failed: $(cat "$TMP/gencap.log")"
fi
editcap -r "$F" "$TMP/bench100k.pcap" 1-100000 2> "$TMP/editcap.err" || fail "editcap failed: $(cat "$TMP/editcap.err")"

# ICMP echo flows (none in pcaps/ or the bench capture): requests and replies from 127.0.0.2 to 127.0.0.1
# (identifier 0x1234) and from ::1 to itself (0x4321), written with text2pcap; as hash input the higher
# address sends the requests, so the spec's ordering has to swap the ends.
need_cmd text2pcap
frame() { # frame HEX: one Ethernet frame as text2pcap reads it (offset, 16 bytes a line), then a blank line
	printf '%s\n' "$1" | awk '{ for (i = 1; i <= length($0); i += 32) { printf "%06x", (i - 1) / 2
		for (j = i; j < i + 32 && j <= length($0); j += 2) printf " %s", substr($0, j, 2); print "" } print "" }'
}
E4=000000000000000000000000 ; E6=$E4
{
	frame "${E4}08004500002400014000400100007f0000027f0000010800000012340001a1a2a3a4a5a6a7a8"
	frame "${E4}08004500002400024000400100007f0000017f0000020000000012340001a1a2a3a4a5a6a7a8"
	frame "${E4}08004500002400034000400100007f0000027f0000010800000012340002a1a2a3a4a5a6a7a8"
	frame "${E6}86dd6000000000103a4000000000000000000000000000000001000000000000000000000000000000018000000043210001b1b2b3b4b5b6b7b8"
	frame "${E6}86dd6000000000103a4000000000000000000000000000000001000000000000000000000000000000018100000043210001b1b2b3b4b5b6b7b8"
} > "$TMP/echo.txt"
text2pcap -q "$TMP/echo.txt" "$TMP/echo.pcap" 2> "$TMP/t2p.err" || fail "text2pcap failed: $(cat "$TMP/t2p.err")"

# key: proto, then both "address port" ends sorted (ICMP echo: the identifier as the port of both ends).
flows=0 bad=0
for f in pcaps/*.pcap pcaps/*.pcapng "$TMP/echo.pcap" "$TMP/bench100k.pcap"; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	"$SW" -r "$f" --flows --json > "$TMP/sw.json" 2> "$TMP/sw.err" || fail "$name: synwatch -r --flows --json failed: $(head -n 1 "$TMP/sw.err")"
	# ours: "key<TAB>flow id<TAB>community_id"
	awk '
		function val(k,   r) { if (!match($0, "\"" k "\":(\"[^\"]*\"|[0-9]+)")) return ""; r = substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3); gsub(/"/, "", r); return r }
		function ep(s, port,   a) { if (s ~ /^\[/) { sub(/^\[/, "", s); sub(/\]:[0-9]+$/, "", s) } else if (port != "") sub(/:[0-9]+$/, "", s); return s }
		/"community_id"/ {
			proto = val("proto"); c = val("client"); s = val("server"); id = val("icmp_id")
			if (proto == "tcp" || proto == "udp") {
				cp = c; sub(/.*:/, "", cp); sp = s; sub(/.*:/, "", sp)
				a = ep(c, 1) " " cp; b = ep(s, 1) " " sp
			} else {
				a = c " " id; b = s " " id
			}
			if (b < a) { t = a; a = b; b = t }
			print proto "|" a "|" b "\t" val("flow") "\t" val("community_id")
		}' "$TMP/sw.json" > "$TMP/ours"
	# tshark: one line per packet; ICMP other than echo (errors quote another packet's ports) is no flow of ours.
	tshark -n -o ip.defragment:FALSE -o ipv6.defragment:FALSE --enable-protocol communityid -r "$f" -T fields \
		-E separator=/t -E occurrence=f -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst -e tcp.srcport -e tcp.dstport \
		-e udp.srcport -e udp.dstport -e icmp.type -e icmpv6.type -e icmp.ident -e icmpv6.echo.identifier \
		-e communityid > "$TMP/ts" 2> "$TMP/ts.err" || fail "$name: tshark failed: $(head -n 1 "$TMP/ts.err")"
	awk -F'\t' '
		function num(s,   n, i) { if (s !~ /^0x/) return s; n = 0
			for (i = 3; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
			return n }
		{
			src = $1 $2; dst = $3 $4; cid = $13; $11 = num($11); $12 = num($12)
			if ($9 == "8" || $9 == "0") { proto = "icmp"; a = src " " $11; b = dst " " $11 }
			else if ($10 == "128" || $10 == "129") { proto = "icmp6"; a = src " " $12; b = dst " " $12 }
			else if ($9 != "" || $10 != "") next # an error (its ports are those of the quoted packet) or another type
			else if ($5 != "") { proto = "tcp"; a = src " " $5; b = dst " " $6 }
			else if ($7 != "") { proto = "udp"; a = src " " $7; b = dst " " $8 }
			else next
			if (b < a) { t = a; a = b; b = t }
			print proto "|" a "|" b "\t" cid
		}' "$TMP/ts" | sort -u > "$TMP/theirs"
	# Every flow of ours: tshark saw its packets, and gave all of them our ID.
	awk -F'\t' -v name="$name" '
		NR == FNR { ids[$1] = ids[$1] " " $2; n[$1]++; next }
		{
			flows++
			if (!($1 in n)) { bad++; print "  " name " flow " $2 " (" $1 "): tshark has no packet of it"; next }
			if (n[$1] != 1 || ids[$1] != " " $3) { bad++; print "  " name " flow " $2 " (" $1 "): ours " $3 ", tshark" ids[$1] }
		}
		END { printf "%d %d\n", flows, bad > "/dev/stderr" }' "$TMP/theirs" "$TMP/ours" 2> "$TMP/count"
	read -r nf nb < "$TMP/count"
	echo "$name: $nf flows, $nb differ from tshark" | tee -a "$TMP/log"
	flows=$((flows + nf))
	bad=$((bad + nb))
done
[ "$flows" -gt 1000 ] || fail "only $flows flows compared: the bench capture's flows are missing"
grep -q '^echo.pcap: 2 flows, 0 differ' "$TMP/log" || fail "the two ICMP echo flows were not both compared"
[ "$bad" -eq 0 ] || fail "$bad of $flows flows' Community IDs differ from tshark's"
echo "community_id: $flows flows, every Community ID equal to tshark's"

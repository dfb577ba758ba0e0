# pcapng_crafted.sh — the crafted pcapng files of tests/data/pcapng: remade byte for byte by mkpcapng, read as tshark reads them, shown as documented, and each damaged one stopped with exit 3 after its good packets.
. tests/lib.sh
[ -x "$SW" ] || fail "$SW not built"
need_cmd tshark
need_cmd tcpdump
MK=build/tools/mkpcapng
[ -x "$MK" ] || fail "$MK not built (make tools)"
D=tests/data/pcapng
export TZ=UTC

echo "== the files are what tests/tools/mkpcapng writes"
mkdir "$TMP/made"
"$MK" "$TMP/made" || fail "mkpcapng failed"
for f in "$TMP"/made/*.pcapng; do
	cmp -s "$f" "$D/$(basename "$f")" || fail "$D/$(basename "$f") differs from what mkpcapng writes now (remake: build/tools/mkpcapng $D)"
done
[ "$(ls "$TMP"/made | wc -l)" -eq "$(ls "$D"/*.pcapng | wc -l)" ] || fail "$D holds files mkpcapng does not write"

# Per packet: interface id|name|time (9 decimals)|caplen|len. tshark lists a custom block as a frame of no
# interface (left out), names an unnamed interface "unknown", gives a simple packet block no time.
ts_rows() {
	tshark -r "$1" -T fields -E separator='|' -e frame.interface_id -e frame.interface_name -e frame.time_epoch \
		-e frame.cap_len -e frame.len 2>/dev/null |
		awk -F'|' -v OFS='|' '$1 != "" { if ($2 == "unknown") $2 = "-"; if ($3 == "") $3 = "0.000000000"; print }'
}
sw_rows() {
	"$SW" -r "$1" --json 2>/dev/null | awk '
	function get(s, key,    v) {
		if (!match(s, "\"" key "\":(\"[^\"]*\"|[^,}]*)")) return "-"
		v = substr(s, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
		gsub(/"/, "", v)
		return v
	}
	{ split(get($0, "ts"), t, "."); while (length(t[2]) < 9) t[2] = t[2] "0"
	  print get($0, "if") "|" get($0, "ifname") "|" t[1] "." t[2] "|" get($0, "caplen") "|" get($0, "len") }'
}

echo "== sound files: each packet's interface, name, time and lengths as tshark reads them"
for f in two-sections big-endian custom-block comments tsresol spb-isb; do
	ts_rows "$D/$f.pcapng" > "$TMP/t"
	# tshark 4.0 names a later section's interface N after the first section's interface N (eth0); the
	# file names it lo0 (its id, link type and decoding tshark gets right).
	[ "$f" = two-sections ] && sed -i '4,5s/^0|eth0|/0|lo0|/' "$TMP/t"
	sw_rows "$D/$f.pcapng" > "$TMP/s"
	[ -s "$TMP/t" ] || fail "$f: tshark read no packet"
	diff "$TMP/t" "$TMP/s" > "$TMP/d" || fail "$f: synwatch differs from tshark (< tshark, > synwatch): $(cat "$TMP/d")"
	"$SW" -r "$D/$f.pcapng" --json > /dev/null 2> "$TMP/err" || fail "$f: exit $?: $(cat "$TMP/err")"
done
# The packets themselves: tshark's field cross-check (custom-block.pcapng left out: tshark counts its custom
# blocks as frames).
CROSSCHECK_FILES=$(ls "$D"/*.pcapng | grep -v -e /bad- -e custom-block) sh tests/e2e/tshark_crosscheck.sh > "$TMP/cc" 2>&1 ||
	fail "tshark cross-check: $(cat "$TMP/cc")"
tail -n 1 "$TMP/cc"

echo "== comments: as tshark reads them, JSON-escaped, invalid UTF-8 as U+FFFD"
[ "$(tshark -r "$D/comments.pcapng" -T fields -e frame.comment 2>/dev/null | grep -c .)" -eq 5 ] || fail "tshark does not see 5 comments"
"$SW" -r "$D/comments.pcapng" --json > "$TMP/c.json" 2> "$TMP/err" || fail "comments: exit $?"
for want in '"comment":"first packet"}' '"comment":"café €"}' '"comment":"two\u000alines \"quoted\""}' \
	'"comment":"bad \ufffd byte"}' '"comment":"obsolete packet block"}'; do
	grep -qF "$want" "$TMP/c.json" || fail "comments: no $want in $(cat "$TMP/c.json")"
done
[ "$(grep -c '"comment"' "$TMP/c.json")" -eq 5 ] || fail "comments: $(grep -c '"comment"' "$TMP/c.json") packets have one, want 5"
sed -n 5p "$TMP/c.json" | grep -q comment && fail "comments: packet 5 has none, synwatch shows one"

echo "== text: the interface named once the file describes more than one; 9 decimals once one is finer than 1 us"
"$SW" -r "$D/two-sections.pcapng" --text > "$TMP/t.txt" 2> "$TMP/err" || fail "two-sections --text: exit $?"
[ "$(awk '{ printf "%s ", $2 }' "$TMP/t.txt")" = "eth0 any eth0 lo0 lo0 " ] ||
	fail "two-sections: interfaces $(awk '{ printf "%s ", $2 }' "$TMP/t.txt"), want eth0 any eth0 lo0 lo0"
grep -Eq '^[0-9:]{8}\.000002003 any IP 127\.0\.0\.1:41002 > 127\.0\.0\.1:9: UDP, length 15 ' "$TMP/t.txt" ||
	fail "two-sections: the LINUX_SLL2 packet: $(cat "$TMP/t.txt")"
"$SW" -r "$D/tsresol.pcapng" --text > "$TMP/r.txt" 2> "$TMP/err" || fail "tsresol --text: exit $?"
for want in '\.123456000 usec IP' '\.123000000 msec\+1e9 IP' '\.123456789 nsec IP' '\.500000000 pow2 IP'; do
	grep -Eq "^[0-9:]{8}$want " "$TMP/r.txt" || fail "tsresol: no /$want/ in $(cat "$TMP/r.txt")"
done
"$SW" -r "$D/comments.pcapng" --text > "$TMP/c.txt" 2> "$TMP/err" || fail "comments --text: exit $?"
grep -Eqv '^[0-9:]{8}\.[0-9]{6} IP 127' "$TMP/c.txt" && fail "one interface, microseconds: $(cat "$TMP/c.txt")"

echo "== --stats: each interface, its packets and its statistics block's counters"
"$SW" -r "$D/spb-isb.pcapng" --stats > "$TMP/st" 2> "$TMP/err" || fail "--stats: exit $?"
grep -qx 'interface 0 (eth0): EN10MB, 3 packets read; statistics: ifrecv 10, ifdrop 2, osdrop 5' "$TMP/st" ||
	fail "--stats: $(cat "$TMP/st")"
"$SW" -r "$D/spb-isb.pcapng" --stats --json > "$TMP/st" 2> "$TMP/err" || fail "--stats --json: exit $?"
grep -qF ',"interfaces":[{"if":0,"section":0,"ifname":"eth0","link":"EN10MB","read":3,"ifrecv":10,"ifdrop":2,"osdrop":5}]}}' "$TMP/st" ||
	fail "--stats --json: $(cat "$TMP/st")"
"$SW" -r "$D/two-sections.pcapng" --stats > "$TMP/st" 2> "$TMP/err" || fail "--stats two sections: exit $?"
grep -qx 'interface 0 of section 1 (lo0): NULL, 2 packets read' "$TMP/st" || fail "--stats two sections: $(cat "$TMP/st")"

echo "== a filter per link type; -w stops at a second link type"
"$SW" -r "$D/two-sections.pcapng" --text 'udp port 41002 or udp port 41004' > "$TMP/f.txt" 2> "$TMP/err" || fail "filter: exit $?: $(cat "$TMP/err")"
[ "$(awk '{ printf "%s ", $2 }' "$TMP/f.txt")" = "any lo0 " ] || fail "filter picked $(cat "$TMP/f.txt")"
expect_exit 2 "^synwatch: invalid filter expression 'ether host 0:0:0:0:0:1' for link type LINUX_SLL2 \(interface 1 of '$D/two-sections.pcapng'\): .*; give one that every link type of the file accepts" \
	"$SW" -r "$D/two-sections.pcapng" --text 'ether host 0:0:0:0:0:1'
[ -s "$TMP/out" ] && fail "an invalid filter printed packets: $(cat "$TMP/out")"
"$SW" -r "$D/two-sections.pcapng" --text -w "$TMP/w.pcap" > "$TMP/out" 2> "$TMP/err"
rc=$?
[ $rc -eq 6 ] || fail "-w of a second link type: exit $rc, want 6: $(cat "$TMP/err")"
[ "$(sed -n 1p "$TMP/err")" = "synwatch: -w '$TMP/w.pcap' is a pcap file of one link type, EN10MB: packet 2 is LINUX_SLL2 of interface 1; the file holds the 1 packets before it" ] ||
	fail "-w of a second link type: $(cat "$TMP/err")"
[ "$(tcpdump -r "$TMP/w.pcap" 2>/dev/null | wc -l)" -eq 1 ] || fail "-w: the file holds $(tcpdump -r "$TMP/w.pcap" 2>/dev/null | wc -l) packets, want 1"
[ "$(wc -l < "$TMP/out")" -eq 1 ] || fail "-w: printed $(wc -l < "$TMP/out") packets, want the 1 written"

echo "== damaged files: the two good packets, then exit 3 naming the block, its offset and what is wrong"
while IFS='|' read -r f how what; do
	for src in file pipe; do
		if [ $src = file ]; then
			"$SW" -r "$D/$f" --text > "$TMP/out" 2> "$TMP/err"
			rc=$? name=$D/$f
		else
			cat "$D/$f" | "$SW" -r - --text > "$TMP/out" 2> "$TMP/err"
			rc=$? name=-
		fi
		[ $rc -eq 3 ] || fail "$f ($src): exit $rc, want 3: $(cat "$TMP/err")"
		[ "$(wc -l < "$TMP/out")" -eq 2 ] || fail "$f ($src): $(wc -l < "$TMP/out") packets shown, want the 2 before the damage"
		want="synwatch: '$name' is $how after packet 2 ($what); the packets before it were decoded"
		[ "$(sed -n 1p "$TMP/err")" = "$want" ] || fail "$f ($src): $(sed -n 1p "$TMP/err"); want: $want"
		[ "$(wc -l < "$TMP/err")" -eq 2 ] || fail "$f ($src): more than the message and the count: $(cat "$TMP/err")"
	done
done <<'EOF'
bad-short-block.pcapng|damaged|enhanced packet block at offset 212: block length 8 is below 12
bad-unaligned-length.pcapng|damaged|enhanced packet block at offset 212: block length 66 is not a multiple of 4
bad-trailer.pcapng|damaged|enhanced packet block at offset 212: its trailing length 12 differs from its length 76
bad-option-overrun.pcapng|damaged|enhanced packet block at offset 212: option 1 at offset 284 has 200 bytes, past the block's end
bad-caplen.pcapng|damaged|enhanced packet block at offset 212: captured length 1000 runs past the block's end (block length 76)
bad-interface.pcapng|damaged|enhanced packet block at offset 212: interface 5 is not described: the section describes 1
bad-no-idb.pcapng|damaged|enhanced packet block at offset 240: interface 0 is not described: the section has no interface description block before it
bad-cut-block.pcapng|cut short|enhanced packet block at offset 212: the file ends after 67 of its 76 bytes
bad-cut-header.pcapng|cut short|block at offset 212: the file ends 6 bytes into its header
bad-bom.pcapng|damaged|section header block at offset 212: byte-order magic 0x04030201 is neither 1a2b3c4d nor 4d3c2b1a
bad-tsresol-length.pcapng|damaged|interface description block at offset 212: if_tsresol option of 2 bytes, not 1
EOF
expect_exit 3 "^synwatch: '$D/bad-version.pcapng' is not a usable pcapng capture \(section header block at offset 0: version 2.0; synwatch reads pcapng 1.0\); give a file written by synwatch -w, tcpdump -w or dumpcap\$" \
	"$SW" -r "$D/bad-version.pcapng"
[ -s "$TMP/out" ] && fail "bad-version: printed $(cat "$TMP/out")"
echo ok

# pcapng_write.sh — -w FILE.pcapng (and --pcapng): tshark reads every file synwatch writes with no warning and
# sees the same packets as in the input; synwatch reads its own output back to the same text (a write killed
# with SIGKILL: write_kill.sh); Ctrl-C of a live capture ends the file with its interface statistics;
# a lesson whose call blocks are damaged is read for all its packets with a warning naming the block.
. tests/lib.sh
need_cmd tshark
need_cmd capinfos

# tshark's complaints, without its note about running as root.
tshark_errors() { grep -v '^Running as user "root"' "$1"; }
# tshark_same A B [DISPLAY FILTER]: tshark sees the same packets (time, lengths, protocols) in both files.
tshark_same() {
	tshark -r "$1" ${3:+-Y "$3"} -T fields -e frame.time_epoch -e frame.len -e frame.cap_len -e frame.protocols > "$TMP/a.fields" 2> "$TMP/a.err"
	tshark -r "$2" ${3:+-Y "$3"} -T fields -e frame.time_epoch -e frame.len -e frame.cap_len -e frame.protocols > "$TMP/b.fields" 2> "$TMP/b.err"
	[ -z "$(tshark_errors "$TMP/b.err")" ] || fail "tshark warns on $2: $(tshark_errors "$TMP/b.err")"
	[ -s "$TMP/a.fields" ] || fail "tshark read no packet from $1"
	diff -u "$TMP/a.fields" "$TMP/b.fields" >&2 || fail "tshark sees other packets in $2 than in $1"
}

# Reference captures (Ethernet and Linux cooked, IP options, snaplen-cut), copied to pcapng: tshark sees the
# same packets, and synwatch reads the copy back to the same text.
for f in pcaps/handshake.pcap pcaps/any-sll2.pcap pcaps/ipopts.pcap pcaps/lossy.pcap; do
	n=$(basename "$f")
	$SW -r "$f" -w "$TMP/$n.pcapng" --stats > /dev/null 2> "$TMP/w.err" || fail "-w $n.pcapng failed: $(cat "$TMP/w.err")"
	tshark_same "$f" "$TMP/$n.pcapng"
	$SW -r "$f" --text > "$TMP/in.txt" 2>/dev/null
	$SW -r "$TMP/$n.pcapng" --text > "$TMP/out.txt" 2>/dev/null
	diff -u "$TMP/in.txt" "$TMP/out.txt" >&2 || fail "$n: the pcapng copy reads back to other text"
	capinfos "$TMP/$n.pcapng" 2>/dev/null | grep -q 'Capture application: *synwatch ' || fail "$n: the section header does not name synwatch"
done
# the bytes too
tshark -r pcaps/handshake.pcap -x 2>/dev/null | grep -E '^[0-9a-f]{4}  ' | cut -c1-54 > "$TMP/a.hex"
tshark -r "$TMP/handshake.pcap.pcapng" -x 2>/dev/null | grep -E '^[0-9a-f]{4}  ' | cut -c1-54 > "$TMP/b.hex"
[ -s "$TMP/a.hex" ] && cmp -s "$TMP/a.hex" "$TMP/b.hex" || fail "the bytes of the pcapng copy's packets differ"
# A lesson read with -w: recorded again (its calls are known), the same packets with the same comments.
$SW -r pcaps/lesson.pcapng -w "$TMP/lesson2.pcapng" > /dev/null 2> "$TMP/w.err" || fail "-r lesson -w failed: $(cat "$TMP/w.err")"
tshark_same pcaps/lesson.pcapng "$TMP/lesson2.pcapng" 'tcp or udp or icmp'
tshark -r pcaps/lesson.pcapng -Y 'tcp or udp or icmp' -T fields -e frame.comment 2>/dev/null > "$TMP/c.in"
tshark -r "$TMP/lesson2.pcapng" -Y 'tcp or udp or icmp' -T fields -e frame.comment 2>/dev/null > "$TMP/c.out"
diff -u "$TMP/c.in" "$TMP/c.out" >&2 || fail "recording a replayed lesson gave other comments"
TZ=UTC $SW -r "$TMP/lesson2.pcapng" > "$TMP/l2.txt" 2>/dev/null
diff -u pcaps/lesson.txt "$TMP/l2.txt" >&2 || fail "a lesson recorded from a replayed lesson replays differently"
# A lesson read from a pipe (-r -) replays as from the file.
cat pcaps/lesson.pcapng | TZ=UTC $SW -r - --text > "$TMP/l3.txt" 2>/dev/null
diff -u pcaps/lesson.txt "$TMP/l3.txt" >&2 || fail "a lesson read from a pipe replays differently"
echo "pcapng copies read by tshark and by synwatch as their inputs; a replayed lesson records the same lesson"

# --pcapng whatever the name; a filter and -c: only those packets, the filter in the interface block.
$SW -r pcaps/handshake.pcap -w "$TMP/hs.out" --pcapng -c 3 --stats 'tcp[13] & 2 != 0 or tcp[13] & 1 != 0' > /dev/null 2>&1 || fail "--pcapng failed"
capinfos -t "$TMP/hs.out" 2>/dev/null | grep -q pcapng || fail "--pcapng did not write pcapng"
[ "$(capinfos -c -M "$TMP/hs.out" 2>/dev/null | sed -nE 's/^Number of packets: *//p')" = 3 ] || fail "-c 3 did not write 3 packets"
capinfos "$TMP/hs.out" 2>/dev/null | grep -qF 'Filter string = tcp[13] & 2 != 0 or tcp[13] & 1 != 0' || fail "the filter is not in the interface block"
# a classic pcap -w is as before
$SW -r pcaps/handshake.pcap -w "$TMP/hs.pcap" --stats > /dev/null 2>&1
capinfos -t "$TMP/hs.pcap" 2>/dev/null | grep -q 'File type: *Wireshark/tcpdump/... - pcap$' || fail "-w x.pcap is no longer classic pcap"
expect_exit 2 '^synwatch: --pcapng is the format of -w FILE: add -w FILE$' $SW -r pcaps/handshake.pcap --pcapng
expect_exit 6 "^synwatch: cannot write '$TMP/no/dir.pcapng': No such file or directory; check that its directory exists and is writable$" \
	$SW -r pcaps/handshake.pcap -w "$TMP/no/dir.pcapng"

# A lesson whose call blocks are damaged: every packet read, one warning per block naming it, exit 0.
cp pcaps/lesson.pcapng "$TMP/bad.pcapng"
k=0
for off in $(grep -obUaP 'SWL1\x02' "$TMP/bad.pcapng" | cut -d: -f1 | head -n 7); do
	printf '\011' | dd of="$TMP/bad.pcapng" bs=1 seek=$((off + 4)) conv=notrunc 2>/dev/null # kind 9
	k=$((k + 1))
done
[ $k -eq 7 ] || fail "the lesson holds only $k call blocks"
$SW -r "$TMP/bad.pcapng" > "$TMP/bad.txt" 2> "$TMP/bad.err" || fail "a damaged lesson exited $?: $(cat "$TMP/bad.err")"
grep -qE "^[0-9]+ packets read from $TMP/bad.pcapng$" "$TMP/bad.err" || fail "no packet count: $(cat "$TMP/bad.err")"
[ "$(grep -c ' IP6\? ' "$TMP/bad.txt")" -eq "$(grep -c ' IP6\? ' pcaps/lesson.txt)" ] || fail "a damaged lesson lost packets"
[ "$(grep -c ' call ' "$TMP/bad.txt")" -eq $(($(grep -c ' call ' pcaps/lesson.txt) - 7)) ] || fail "not exactly the 7 damaged calls were left out"
grep -qE "^synwatch: '$TMP/bad.pcapng': custom block at offset [0-9]+: lesson block of [0-9]+ bytes: kind 9 is none of header \(1\), call \(2\), socket change \(3\); left out, the packets are read on$" "$TMP/bad.err" ||
	fail "no warning naming the damaged block: $(cat "$TMP/bad.err")"
[ "$(grep -c 'custom block at offset' "$TMP/bad.err")" -eq 5 ] || fail "not the first 5 damaged blocks worded: $(cat "$TMP/bad.err")"
grep -qE "^synwatch: '$TMP/bad.pcapng': 7 malformed lesson blocks left out in all$" "$TMP/bad.err" || fail "no count of the damaged blocks: $(cat "$TMP/bad.err")"
tshark -r "$TMP/bad.pcapng" > /dev/null 2> "$TMP/t.err" || fail "tshark cannot read the damaged lesson"
echo "damaged lesson: 7 call blocks left out with warnings, every packet read"

# Ctrl-C of a live capture: the file ends with the interface's statistics (kernel counters).
if [ "$(id -u)" -eq 0 ] && [ -x "$SD" ]; then
	P=$(free_port)
	$SW -i lo -w "$TMP/live.pcapng" --text "tcp port $P" > "$TMP/live.txt" 2> "$TMP/live.err" &
	pid=$!
	bg_pid $pid
	wait_for "$TMP/live.err" 'listening on' 10 || fail "live synwatch did not start"
	$SD scenario handshake -p "$P" --no-narrate 2>/dev/null || fail "sockdemo failed"
	wait_lines "$TMP/live.txt" 'Flags \[F' 2 10 || fail "the live capture missed the FINs"
	kill -INT $pid
	wait_exit $pid 10 || fail "synwatch did not stop on SIGINT"
	capinfos "$TMP/live.pcapng" 2>/dev/null > "$TMP/ci" || fail "capinfos cannot read the live pcapng"
	grep -q 'Name = lo' "$TMP/ci" || fail "the interface block does not name lo"
	grep -q 'Number of stat entries = 1' "$TMP/ci" || fail "no statistics block after Ctrl-C: $(cat "$TMP/ci")"
	tshark -r "$TMP/live.pcapng" 2> "$TMP/t.err" | wc -l > "$TMP/t.n"
	[ -z "$(tshark_errors "$TMP/t.err")" ] || fail "tshark warns on the live pcapng: $(tshark_errors "$TMP/t.err")"
	[ "$(cat "$TMP/t.n")" -eq "$(grep -c ' IP ' "$TMP/live.txt")" ] || fail "the live pcapng holds other packets than were shown"
	echo "live: Ctrl-C leaves $(cat "$TMP/t.n") packets and the statistics block"
else
	echo "live part skipped: needs root and sockdemo"
fi

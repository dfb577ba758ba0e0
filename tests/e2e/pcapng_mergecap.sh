# pcapng_mergecap.sh — pcapng files of several interfaces and link types (mergecap -F pcapng of EN10MB, LINUX_SLL2, NULL and LINUX_SLL captures) decode packet by packet as tshark decodes them, flows and analysis as tshark's, from a file and from a pipe.
. tests/lib.sh
[ -x "$SW" ] || fail "$SW not built"
need_cmd tshark
need_cmd mergecap
need_cmd editcap
need_cmd capinfos
corpus=""
for d in "${SYNWATCH_CORPUS:-}" ../shared/corpus ../../shared/corpus; do
	[ -n "$d" ] && [ -f "$d/MANIFEST.tsv" ] && { corpus=$d; break; }
done
[ -n "$corpus" ] || skip "no shared corpus (../shared/corpus): its NULL and LINUX_SLL captures are needed"
W=$corpus/well-formed
export TZ=UTC

# 1. Six short captures of four link types (one of them nanosecond), each moved to start 10 ms after the
#    one before (editcap -t), merged by time: interleaved packets, no flow idle between them.
i=0
for f in pcaps/any-sll2.pcap pcaps/handshake.pcap "$W/dns_tcp.pcap" "$W/quic_handshake.pcap" \
	"$W/tcp_rst_diag_payload.pcap" "$W/tcp-handshake-nano.pcap"; do
	[ -f "$f" ] || fail "missing $f"
	first=$(capinfos -a -T -r -S "$f" 2>/dev/null | awk -F'\t' 'NR == 1 { print $2 }')
	off=$(awk -v f="$first" -v i=$i 'BEGIN { printf "%.9f", 1700000000 + i * 0.01 - f }')
	editcap -t "$off" "$f" "$TMP/in$i.pcap" || fail "editcap -t $off $f"
	i=$((i + 1))
done
mergecap -F pcapng -w "$TMP/mix.pcapng" "$TMP"/in*.pcap || fail "mergecap failed"
# 2. Every supported well-formed capture of the corpus and pcaps/, merged as they are.
all=$(awk -F'\t' '$1 == "well-formed" && $3 ~ /^(EN10MB|NULL|LOOP|LINUX_SLL|LINUX_SLL2|RAW|IPV4|IPV6)\(/ && $4 > 0 { print "'"$W"'/" $2 }' "$corpus/MANIFEST.tsv")
# shellcheck disable=SC2086
mergecap -F pcapng -w "$TMP/all.pcapng" pcaps/*.pcap $all || fail "mergecap of the corpus failed"

echo "== the merged files hold the link types the check is about"
for f in mix all; do
	"$SW" -r "$TMP/$f.pcapng" --json > "$TMP/$f.json" 2> "$TMP/err" || fail "$f.pcapng: exit $?: $(cat "$TMP/err")"
	for lt in EN10MB LINUX_SLL2 NULL LINUX_SLL; do
		grep -q "\"link\":\"$lt\"" "$TMP/$f.json" || fail "$f.pcapng: no $lt packet read"
	done
done
n=$(tshark -r "$TMP/all.pcapng" -T fields -e frame.interface_id 2>/dev/null | sort -un | wc -l)
[ "$n" -ge 20 ] || fail "all.pcapng: tshark sees $n interfaces, want one per capture"

echo "== packet by packet as tshark: interface id, link layer, and every field of the cross-check"
CROSSCHECK_FILES="$TMP/mix.pcapng $TMP/all.pcapng" sh tests/e2e/tshark_crosscheck.sh > "$TMP/cc" 2>&1 ||
	fail "tshark cross-check: $(cat "$TMP/cc")"
tail -n 1 "$TMP/cc"

echo "== flows, payload bytes and analysis flags as tshark's"
FLOWS_FILES="$TMP/mix.pcapng" SYNWATCH=$SW sh tests/e2e/flows_tshark.sh > "$TMP/fl" 2>&1 || fail "flows: $(cat "$TMP/fl")"
tail -n 1 "$TMP/fl"
grep -q '^flows_tshark: 1 captures, 0 conversation/byte mismatches' "$TMP/fl" || fail "flows: $(cat "$TMP/fl")"

echo "== text names each packet's interface; 9 decimals (one interface is nanosecond)"
"$SW" -r "$TMP/mix.pcapng" --text > "$TMP/mix.txt" 2> "$TMP/err" || fail "--text: exit $?"
total=$(wc -l < "$TMP/mix.txt")
named=$(grep -Ec '^[0-9:]{8}\.[0-9]{9} if[0-5] ' "$TMP/mix.txt")
[ "$named" -eq "$total" ] && [ "$total" -gt 0 ] || fail "--text: $named of $total lines name an interface with 9 decimals: $(head -n 3 "$TMP/mix.txt")"
tshark -r "$TMP/mix.pcapng" -T fields -e frame.interface_id 2>/dev/null > "$TMP/ids"
sed 's/^[0-9:.]* if\([0-9]*\) .*/\1/' "$TMP/mix.txt" | diff "$TMP/ids" - > /dev/null || fail "--text: interfaces differ from tshark's frame.interface_id"

echo "== --stats: one line per interface, its packets as tshark counts them"
"$SW" -r "$TMP/mix.pcapng" --stats > "$TMP/st" 2> "$TMP/err" || fail "--stats: exit $?"
sort "$TMP/ids" | uniq -c | awk '{ print $2, $1 }' > "$TMP/want"
sed -n 's/^interface \([0-9]*\): [A-Z0-9_]*, \([0-9]*\) packets read$/\1 \2/p' "$TMP/st" > "$TMP/got"
diff "$TMP/want" "$TMP/got" > /dev/null || fail "--stats interfaces: $(cat "$TMP/st")"

echo "== from a pipe: the same output as from the file"
for v in json text; do
	cat "$TMP/mix.pcapng" | "$SW" -r - --$v > "$TMP/pipe.$v" 2> "$TMP/err" || fail "pipe --$v: exit $?: $(cat "$TMP/err")"
	"$SW" -r "$TMP/mix.pcapng" --$v > "$TMP/file.$v" 2> /dev/null
	cmp -s "$TMP/pipe.$v" "$TMP/file.$v" || fail "pipe --$v differs from the file's"
done
grep -qx "$total packets read from -" "$TMP/err" || fail "pipe: $(cat "$TMP/err")"

echo "== a filter invalid for a link type met later: the packets before, then exit 2 naming it"
editcap -F pcapng "$W/dns_tcp.pcap" "$TMP/eth.pcapng" && editcap -F pcapng pcaps/any-sll2.pcap "$TMP/sll2.pcapng" ||
	fail "editcap -F pcapng failed"
cat "$TMP/eth.pcapng" "$TMP/sll2.pcapng" > "$TMP/sections.pcapng" # Ethernet, then a section of LINUX_SLL2
before=$("$SW" -r "$TMP/eth.pcapng" --text 'not ether broadcast' 2>/dev/null | wc -l)
[ "$before" -gt 0 ] || fail "no packet of dns_tcp.pcap passes 'not ether broadcast'"
"$SW" -r "$TMP/sections.pcapng" --text 'not ether broadcast' > "$TMP/out" 2> "$TMP/err"
rc=$?
[ $rc -eq 2 ] || fail "a filter for Ethernet only over two link types: exit $rc, want 2: $(cat "$TMP/err")"
[ "$(wc -l < "$TMP/out")" -eq "$before" ] || fail "$(wc -l < "$TMP/out") packets shown, want the $before of the first section"
grep -q "^synwatch: filter 'not ether broadcast' is invalid for link type LINUX_SLL2 (interface 0): not a broadcast link, met after packet $before; give an expression that every link type of '$TMP/sections.pcapng' accepts\$" "$TMP/err" ||
	fail "a filter for Ethernet only: $(cat "$TMP/err")"

echo "== -w: one link type per pcap file"
"$SW" -r "$TMP/mix.pcapng" -w "$TMP/w.pcap" --stats > /dev/null 2> "$TMP/err"
rc=$?
[ $rc -eq 6 ] || fail "-w of several link types: exit $rc, want 6: $(cat "$TMP/err")"
grep -q "^synwatch: -w '$TMP/w.pcap' is a pcap file of one link type, LINUX_SLL2: packet [0-9]* is EN10MB of interface 1; the file holds the [0-9]* packets before it\$" "$TMP/err" ||
	fail "-w: $(cat "$TMP/err")"
echo ok

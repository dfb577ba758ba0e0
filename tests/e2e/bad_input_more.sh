# bad_input_more.sh — the bad inputs cli_bad_input.sh does not cover: an interface that is down, a capture of an unsupported link type, TERM dumb or unset on a terminal, a terminal smaller than 80x24, and -s 0 / -s 70000.
. tests/lib.sh
. tests/e2e/lib/tui_tmux.sh
NETNS=""
# Both helper files set an EXIT trap; run both cleanups, and remove the namespace we made.
trap 'tui_cleanup; [ -n "$NETNS" ] && ip netns del "$NETNS" 2>/dev/null; cleanup' EXIT
trap 'exit 1' INT TERM HUP PIPE
[ -x "$SW" ] || fail "$SW not built"
need_cmd text2pcap
# Sanitizer settings (run-all.sh's ASan stage) reach synwatch inside script(1) and tmux panes too.
SANENV="ASAN_OPTIONS='${ASAN_OPTIONS:-}' UBSAN_OPTIONS='${UBSAN_OPTIONS:-}' LSAN_OPTIONS='${LSAN_OPTIONS:-}'"

# Captures made here (text2pcap), so the checks do not depend on pcaps/ or the shared corpus:
# one UDP datagram 127.0.0.1:12345 -> 127.0.0.1:12346 on Ethernet, and one PPP frame holding an IPv4/UDP packet.
printf '0000  68 65 6c 6c 6f 0a\n' > "$TMP/udp.txt"
text2pcap -q -u 12345,12346 -4 127.0.0.1,127.0.0.1 "$TMP/udp.txt" "$TMP/udp.pcap" > /dev/null 2>&1 ||
	fail "text2pcap could not write a capture"
printf '0000  ff 03 00 21 45 00 00 1c 00 01 00 00 40 11 7c cd 7f 00 00 01 7f 00 00 01 30 39 30 3a 00 08 00 00\n' > "$TMP/ppp.txt"
text2pcap -q -l 9 "$TMP/ppp.txt" "$TMP/ppp.pcap" > /dev/null 2>&1 || fail "text2pcap could not write a PPP capture"
text2pcap -q -l 239 "$TMP/ppp.txt" "$TMP/nflog.pcap" > /dev/null 2>&1 || fail "text2pcap could not write an NFLOG capture"

echo "== a capture whose link type synwatch does not decode: each packet shown as unsupported, exit 0"
for lt in PPP:ppp NFLOG:nflog; do
	name=${lt%%:*} file=$TMP/${lt#*:}.pcap
	"$SW" -r "$file" --text > "$TMP/out" 2> "$TMP/err" || fail "$name capture: exit $?: $(cat "$TMP/err")"
	grep -q "unsupported link type $name, length 32\$" "$TMP/out" || fail "$name capture, --text: $(cat "$TMP/out")"
	"$SW" -r "$file" --json > "$TMP/out" 2> "$TMP/err" || fail "$name capture --json: exit $?: $(cat "$TMP/err")"
	# (text2pcap writes pcapng: its interface comes between)
	grep -Eq "\"link\":\"$name\",(\"if\":0,\"ifname\":\"[^\"]*\",)?\"unsupported\":true" "$TMP/out" ||
		fail "$name capture, --json: $(cat "$TMP/out")"
done
# The shared corpus's real ones (C-HDLC, PPP, NFLOG, IPNET, IPoIB, ARCNET, PKTAP): one line per packet, each unsupported.
for d in "${SYNWATCH_CORPUS:-}" ../shared/corpus ../../shared/corpus; do
	[ -n "$d" ] && [ -f "$d/MANIFEST.tsv" ] || continue
	awk -F'\t' '$1 == "well-formed" && $3 !~ /^(EN10MB|NULL|LOOP|LINUX_SLL|LINUX_SLL2|RAW|IPV4|IPV6)\(/ && $3 != "linktype" { print $2, $3, $4 }' \
		"$d/MANIFEST.tsv" | while read -r file lt packets; do
		name=${lt%%(*}
		"$SW" -r "$d/well-formed/$file" --text > "$TMP/out" 2> "$TMP/err" || fail "$file: exit $?: $(cat "$TMP/err")"
		n=$(grep -c "unsupported link type $name, length" "$TMP/out")
		[ "$n" -eq "$packets" ] && [ "$(wc -l < "$TMP/out")" -eq "$packets" ] ||
			fail "$file ($lt): $n of $(wc -l < "$TMP/out") lines say 'unsupported link type $name', want all $packets"
	done || exit 1
	echo "corpus captures of unsupported link types: ok"
	break
done

echo "== TERM=dumb and TERM unset on a terminal: the text view with a note on stderr, exit 0"
if command -v script > /dev/null 2>&1; then
	for term in dumb unset; do
		if [ "$term" = unset ]; then set -- env -u TERM; else set -- env TERM=dumb; fi
		"$@" timeout 20 script -qec "$SANENV $SW -r $TMP/udp.pcap; echo exit=\$?" /dev/null < /dev/null > "$TMP/tty" 2>&1
		tr -d '\r' < "$TMP/tty" > "$TMP/tty.txt"
		grep -q "^synwatch: this terminal cannot show the panel (TERM=$term); showing text instead\$" "$TMP/tty.txt" ||
			fail "TERM $term: no note saying the panel cannot be shown: $(cat "$TMP/tty.txt")"
		grep -q "127.0.0.1:12345 > 127.0.0.1:12346" "$TMP/tty.txt" || fail "TERM $term: the packet was not printed: $(cat "$TMP/tty.txt")"
		grep -q "^exit=0\$" "$TMP/tty.txt" || fail "TERM $term: nonzero exit: $(cat "$TMP/tty.txt")"
	done
else
	fail "script (util-linux/bsdutils) is missing"
fi

echo "== a 60x15 terminal: a clear 'needs 80x24' message instead of the panel, q quits with exit 0"
command -v tmux > /dev/null 2>&1 || fail "tmux is not installed (make test installs it)"
tui_shell 60 15
tui_run_line "cd '$PWD' && stty -g > '$TUI_DIR/stty.before' && $SANENV $SW --tui -r $TMP/udp.pcap; echo synwatch\"\"-exit=\$?; stty -g > '$TUI_DIR/stty.after'"
tui_wait "synwatch needs 80x24" 10
tui_wait "this terminal is 60x15" 5
tui_wait "enlarge it, or q quits" 5
tui_keys q
tui_check_restored
tui_screen | grep -q Sanitizer && fail "sanitizer report in the small terminal: $(tui_screen)"

echo "== live capture: an interface that is down, -s 0 and -s 70000"
if [ "$(id -u)" -ne 0 ]; then
	echo "live checks skipped: not root"
	echo ok
	exit 0
fi
need_cmd ip
need_cmd nc

# A fresh network namespace's lo is down: nothing in the machine's own namespace changes.
NETNS="synwatch-e2e-$$"
if ip netns add "$NETNS" 2> "$TMP/netns.err"; then
	expect_exit 4 "^synwatch: interface 'lo' is down; bring it up with: ip link set lo up\$" \
		ip netns exec "$NETNS" "$SW" -i lo -c 1
	# The advice works: after it, the same capture starts and sees a datagram sent to itself.
	ip netns exec "$NETNS" ip link set lo up || fail "cannot bring lo up in $NETNS"
	ip netns exec "$NETNS" "$SW" -i lo -c 1 --json udp > "$TMP/ns.json" 2> "$TMP/ns.err" &
	pid=$!
	bg_pid $pid
	wait_for "$TMP/ns.err" "listening on lo" || fail "after 'ip link set lo up': $(cat "$TMP/ns.err")"
	n=0
	while kill -0 $pid 2> /dev/null; do
		[ $n -lt 100 ] || fail "after 'ip link set lo up': no datagram seen in $NETNS: $(cat "$TMP/ns.err")"
		printf 'up\n' | ip netns exec "$NETNS" nc -u -w0 127.0.0.1 9 > /dev/null 2>&1
		sleep 0.05
		n=$((n + 1))
	done
	wait $pid || fail "after 'ip link set lo up': exit $?: $(cat "$TMP/ns.err")"
	grep -q '"src":"127.0.0.1","dst":"127.0.0.1","proto":"udp",.*"dport":9,"payload":3' "$TMP/ns.json" ||
		fail "in $NETNS: the datagram was not captured: $(cat "$TMP/ns.json")"
	ip netns del "$NETNS"
	NETNS=""
else
	fail "cannot create a network namespace for the interface-down check: $(cat "$TMP/netns.err")"
fi

# -s: 0 means 262144 (as tcpdump), 70000 is taken as given; both keep a 3000-byte datagram whole, -s 100 cuts it.
snap_check() { # SNAP EXPECT_HEADER_SNAPLEN EXPECT_CAPLEN (whole: the frame's length)
	port=$(free_port)
	"$SW" -i lo -s "$1" -c 1 -w "$TMP/s$1.pcap" --json "udp port $port" > "$TMP/s$1.json" 2> "$TMP/s$1.err" &
	pid=$!
	bg_pid $pid
	wait_for "$TMP/s$1.err" "listening on lo" || fail "-s $1: synwatch did not start: $(cat "$TMP/s$1.err")"
	n=0
	while kill -0 $pid 2> /dev/null; do # a datagram until -c 1 stops it (nothing listens: the capture sees it leave)
		[ $n -lt 100 ] || fail "-s $1: synwatch saw no datagram: $(cat "$TMP/s$1.err")"
		head -c 3000 /dev/zero | nc -u -w0 127.0.0.1 "$port" 2> /dev/null
		sleep 0.05
		n=$((n + 1))
	done
	wait $pid || fail "-s $1: exit $?: $(cat "$TMP/s$1.err")"
	hs=$(od -An -tu4 -j16 -N4 "$TMP/s$1.pcap" | tr -d ' ')
	[ "$hs" = "$2" ] || fail "-s $1: the -w file's header says snaplen $hs, want $2"
	len=$(sed -n 's/.*"len":\([0-9]*\),.*/\1/p' "$TMP/s$1.json")
	[ "$len" -eq 3042 ] || fail "-s $1: want a 3042-byte frame (14 + 20 + 8 + 3000): $(cat "$TMP/s$1.json")"
	want=$3
	[ "$want" = whole ] && want=$len
	grep -q "\"caplen\":$want,\"len\":$len," "$TMP/s$1.json" || fail "-s $1: want caplen $want: $(cat "$TMP/s$1.json")"
	grep -q '"payload":3000' "$TMP/s$1.json" || fail "-s $1: the UDP payload length is not 3000: $(cat "$TMP/s$1.json")"
}
snap_check 0 262144 whole
snap_check 70000 70000 whole
snap_check 100 100 100
echo ok

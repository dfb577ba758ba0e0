# cli_bad_input.sh — every bad input gets one clear line and the documented exit code, and leaves nothing behind.
. tests/lib.sh
[ -x "$SW" ] || fail "$SW not built"
good=pcaps/handshake.pcap
[ -f "$good" ] || good=$(ls ../shared/corpus/well-formed/tcp-handshake-nano.pcap 2>/dev/null)
[ -f "$good" ] || skip "no capture to read"

# Usage errors: exit 2.
expect_exit 2 "invalid filter expression 'tcp and prot 80'.*pcap-filter" "$SW" -r "$good" tcp and prot 80
expect_exit 2 "unknown option '--bogus'" "$SW" --bogus
expect_exit 2 "-c takes a packet count of 1 or more, got: 0" "$SW" -r "$good" -c 0
expect_exit 2 "-c takes a packet count of 1 or more, got: -5" "$SW" -r "$good" -c -5
expect_exit 2 "-s takes a snap length .*got: 999999999" "$SW" -r "$good" -s 999999999
expect_exit 2 "option -r needs a value" "$SW" -r
expect_exit 2 "-i and -r exclude each other" "$SW" -i lo -r "$good"

# Capture files: exit 3.
expect_exit 3 "cannot read capture '$TMP/missing.pcap': No such file or directory" "$SW" -r "$TMP/missing.pcap"
expect_exit 3 "'$TMP' is a directory" "$SW" -r "$TMP"
: > "$TMP/empty.pcap"
expect_exit 3 "'$TMP/empty.pcap' is empty" "$SW" -r "$TMP/empty.pcap"
echo "hello, this is not a capture file at all" > "$TMP/text.pcap"
expect_exit 3 "'$TMP/text.pcap' is not a pcap or pcapng capture" "$SW" -r "$TMP/text.pcap"

# A capture cut in the middle of a packet: the whole packets are decoded, then exit 3 naming where it was cut.
size=$(wc -c < "$good")
head -c $((size - 10)) "$good" > "$TMP/cut.pcap"
total=$(tcpdump -r "$good" 2>/dev/null | wc -l)
"$SW" -r "$TMP/cut.pcap" --text > "$TMP/cut.out" 2> "$TMP/cut.err"
rc=$?
[ $rc -eq 3 ] || fail "truncated capture exited $rc, want 3: $(cat "$TMP/cut.err")"
grep -q "is cut short after packet $((total - 1))" "$TMP/cut.err" || fail "truncated capture message: $(cat "$TMP/cut.err")"
[ "$(wc -l < "$TMP/cut.out")" -eq $((total - 1)) ] || fail "truncated capture: $(wc -l < "$TMP/cut.out") lines, want $((total - 1))"

# -w where it cannot write: exit 6 before reading anything, no file created.
expect_exit 6 "cannot write '$TMP/no/such/dir/out.pcap'.*directory exists" "$SW" -r "$good" -w "$TMP/no/such/dir/out.pcap"
[ ! -e "$TMP/no/such/dir/out.pcap" ] || fail "-w left a file behind"
# An input error is found before -w creates its file.
expect_exit 3 "No such file" "$SW" -r "$TMP/missing.pcap" -w "$TMP/never.pcap"
[ ! -e "$TMP/never.pcap" ] || fail "-w file created although the input could not be opened"
expect_exit 2 "invalid filter" "$SW" -r "$good" -w "$TMP/never.pcap" 'port nonsense'
[ ! -e "$TMP/never.pcap" ] || fail "-w file created although the filter was invalid"

# Pictures (--svg, --html): bad values exit 2 before reading, files that cannot be made exit 6 before
# reading; a flow that is not there exits 2 after reading (closing with "N packets read"); none leaves a file.
expect_exit 2 "--graph takes KIND\[:FLOW\[:DIR\]\]: .*, got: tsgx" "$SW" -r "$good" --graph tsgx --svg "$TMP/g.svg"
expect_exit 2 "--graph draws into an SVG file: add --svg FILE" "$SW" -r "$good" --graph rtt
expect_exit 2 "--ladder --svg draws one flow: give its number" "$SW" -r "$good" --ladder --svg "$TMP/g.svg"
expect_exit 6 "cannot write '$TMP/no/such/dir/p.html'.*directory exists" "$SW" -r "$good" --html "$TMP/no/such/dir/p.html"
"$SW" -r "$good" --graph tsg:99 --svg "$TMP/g.svg" > /dev/null 2> "$TMP/g.err"
rc=$?
[ $rc -eq 2 ] || fail "--graph tsg:99 exited $rc, want 2: $(cat "$TMP/g.err")"
[ "$(grep -vc 'packets read from' "$TMP/g.err")" -eq 1 ] && grep -q "no TCP flow 99 to draw; list them with --flows" "$TMP/g.err" ||
	fail "--graph tsg:99: $(cat "$TMP/g.err")"
[ -z "$(ls -A "$TMP" | grep -E 'g\.svg|p\.html')" ] || fail "a refused picture left a file: $(ls -A "$TMP")"
# And the pictures of a lossy transfer are written whole (under the sanitizers too, in make test).
"$SW" -r pcaps/lossy.pcap --graph tsg --svg "$TMP/g.svg" --html "$TMP/p.html" > "$TMP/g.out" 2> "$TMP/g.err" ||
	fail "--graph tsg --svg --html: $(cat "$TMP/g.err")"
[ ! -s "$TMP/g.out" ] || fail "--svg/--html printed per-packet lines"
grep -q '^</svg>$' "$TMP/g.svg" && grep -q '^</html>$' "$TMP/p.html" || fail "the SVG or the page is not complete"

# Interfaces: exit 4 with the list of real ones (only when we may capture at all).
if [ "$(id -u)" -eq 0 ]; then
	expect_exit 4 "no interface 'nosuch0'; available: .*lo" "$SW" -i nosuch0 -c 1
fi
echo ok

# bench_gencap.sh — the benchmark generator: same seed gives the same bytes, another seed other bytes; tshark finds well-formed packets with good checksums, loopback/ULA addresses only, and the promised mix.
. tests/lib.sh
need_cmd tshark
need_cmd sha256sum
G=build/bench/gencap
make --no-print-directory -s "$G" >/dev/null || fail "cannot build $G (make $G)"

"$G" -s 42 -n 20000 -c 1000 -o "$TMP/a.pcap" 2> "$TMP/a.log" || fail "gencap failed: $(cat "$TMP/a.log")"
"$G" -s 42 -n 20000 -c 1000 -o "$TMP/b.pcap" 2> /dev/null || fail "gencap failed the second time"
"$G" -s 43 -n 20000 -c 1000 -o "$TMP/c.pcap" 2> /dev/null || fail "gencap failed with seed 43"
ha=$(sha256sum < "$TMP/a.pcap" | cut -d' ' -f1)
hb=$(sha256sum < "$TMP/b.pcap" | cut -d' ' -f1)
hc=$(sha256sum < "$TMP/c.pcap" | cut -d' ' -f1)
[ "$ha" = "$hb" ] || fail "same seed, different bytes: $ha vs $hb"
[ "$ha" != "$hc" ] || fail "seeds 42 and 43 gave identical files"

# One tshark pass with checksum validation: protocol stack, checksum statuses (0 = bad), addresses,
# TCP analysis, SYN options, time since the previous frame (must be > 0).
tshark -r "$TMP/a.pcap" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
	-T fields -E separator=/t -e frame.protocols -e ip.checksum.status \
	-e tcp.checksum.status -e udp.checksum.status -e icmp.checksum.status -e icmpv6.checksum.status \
	-e ip.src -e ip.dst -e ipv6.src -e ipv6.dst -e tcp.analysis.retransmission -e tcp.analysis.duplicate_ack \
	-e tcp.flags.syn -e tcp.flags.fin -e tcp.flags.reset -e tcp.options.sack_perm -e tcp.options.wscale.shift -e frame.time_delta \
	> "$TMP/fields" 2> "$TMP/tshark.err" || fail "tshark failed: $(cat "$TMP/tshark.err")"

awk -F'\t' '
	function bad(s, a, n, i) { n = split(s, a, ","); for (i = 1; i <= n; i++) if (a[i] == "0") return 1; return 0 }
	function addrs(s, a, n, i) { n = split(s, a, ","); for (i = 1; i <= n; i++) if (a[i] != "" && a[i] !~ /^(127\.|fd[0-9a-f][0-9a-f]:|::1$)/) return 1; return 0 }
	{
		total++
		p = $1
		if (p ~ /_ws\.malformed/) { malformed++; if (!shown++) print "malformed frame " NR ": " p }
		for (i = 2; i <= 6; i++) if (bad($i)) { badsum++; if (!shownsum++) print "bad checksum in frame " NR ": " $0 }
		for (i = 7; i <= 10; i++) if (addrs($i)) { badaddr++; if (!shownaddr++) print "non-loopback address in frame " NR ": " $i }
		if (p ~ /^eth:ethertype:ipv6:/) v6++
		if (p ~ /^eth:ethertype:ip(v6)?:tcp/) tcp++
		else if (p ~ /^eth:ethertype:ip(v6)?:udp/) { udp++; if (p ~ /:dns/) dns++ }
		else if (p ~ /^eth:ethertype:ip(v6)?:icmp(v6)?:ip(v6)?:udp/) icmp++
		else { other++; if (!shownother++) print "unexpected frame " NR ": " p }
		if ($11 != "") rexmit++
		if ($12 != "") dupack++
		if ($13 == "1" && $16 != "" && $17 != "") synopt++
		if ($14 == "1") fin++
		if ($15 == "1") rst++
		if (NR > 1 && $18 + 0 <= 0) { badtime++; if (!showntime++) print "timestamp not increasing at frame " NR ": delta " $18 }
	}
	function pct(x) { return 100 * x / total }
	function within(name, x, lo, hi) {
		if (pct(x) < lo || pct(x) > hi) { printf "%s is %.2f%% of packets, want %.1f-%.1f%%\n", name, pct(x), lo, hi; err++ }
	}
	function atleast(name, x, n) { if (x < n) { printf "only %d %s, want at least %d\n", x, name, n; err++ } }
	END {
		printf "total %d tcp %d udp %d (dns %d) icmp %d ipv6 %d; SYNs with options %d, FIN %d, RST %d, retransmissions %d, dup ACKs %d\n",
			total, tcp, udp, dns, icmp, v6, synopt, fin, rst, rexmit, dupack
		if (total != 20000) { print "tshark read " total " packets, want 20000"; err++ }
		if (malformed + badsum + badaddr + other + badtime) err++
		within("TCP", tcp, 75, 81)
		within("UDP", udp, 17, 23)
		within("DNS", dns, 15, 21)
		within("ICMP port unreachable", icmp, 1.4, 2.6)
		within("IPv6", v6, 8, 12)
		atleast("SYNs with SACK-permitted and window scale", synopt, 1000)
		atleast("FIN segments", fin, 500)
		atleast("RST segments", rst, 30)
		atleast("retransmissions", rexmit, 5)
		atleast("duplicate ACKs", dupack, 4)
		exit err != 0
	}' "$TMP/fields" > "$TMP/mix" || fail "capture check failed: $(cat "$TMP/mix")"
cat "$TMP/mix"

# Conversations: tshark finds as many TCP conversations as gencap started connections.
conns=$(sed -n 's/.*; \([0-9]*\) connections.*/\1/p' "$TMP/a.log")
convs=$(tshark -r "$TMP/a.pcap" -q -z conv,tcp 2>/dev/null | grep -c '<->')
[ -n "$conns" ] && [ "$convs" -eq "$conns" ] || fail "tshark sees $convs TCP conversations, gencap started ${conns:-?}"

# The flow mode: N SYNs from N distinct client addresses.
"$G" -s 1 -F 5000 -o "$TMP/f.pcap" 2> /dev/null || fail "gencap -F failed"
n=$(tshark -r "$TMP/f.pcap" -Y 'tcp.flags == 0x002' -T fields -e ip.src 2>/dev/null | sort -u | wc -l)
[ "$n" -eq 5000 ] || fail "-F 5000 gave $n distinct SYN sources, want 5000"

# Bad input: a one-line error, exit 2.
expect_exit 2 'gencap: -n takes' "$G" -n 0 -o "$TMP/x.pcap"
expect_exit 2 'no output file' "$G" -n 10
echo ok

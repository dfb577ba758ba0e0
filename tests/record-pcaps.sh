#!/bin/sh
# record-pcaps.sh — re-records the reference captures in pcaps/ from real loopback traffic made by sockdemo (make pcaps).
# Needs root, tcpdump and build/tools/ipopts and build/tools/lossy (make tools). Uses port 8888 (PCAP_PORT=N to change; the timewait capture also uses N+1).
# Writes pcaps/NAME.pcap and pcaps/README.md (what each holds, how it was recorded, packet count, link type).
# With NAME arguments (handshake, ipopts...), records only those captures; README.md is rewritten either way.
cd "$(dirname "$0")/.." || exit 2
ONLY=" $* "
want() { [ "$ONLY" = "  " ] || case $ONLY in *" $1 "*) true ;; *) false ;; esac; }
. tests/e2e/lib/sockdemo.sh

PORT=${PCAP_PORT:-8888}
[ "$(id -u)" -eq 0 ] || { echo "record-pcaps: capturing needs root; fix: sudo make pcaps" >&2; exit 1; }
command -v tcpdump >/dev/null 2>&1 || { echo "record-pcaps: tcpdump is not installed; fix: make deps" >&2; exit 1; }
if [ -n "$(ss -Hltun "( sport = :$PORT or sport = :$((PORT + 1)) )")" ]; then
	echo "record-pcaps: port $PORT or $((PORT + 1)) is in use; fix: stop what listens there, or PCAP_PORT=N make pcaps" >&2
	exit 1
fi
mkdir -p pcaps

# scenario NAME [OPTIONS]: one run of a sockdemo scenario on PORT, quietly (the traffic of most captures).
scenario() {
	"$SD" scenario "$@" -p "$PORT" --no-narrate
}

# record NAME IFACE FILTER DONE_ERE COMMAND [ARGS]: runs the command under tcpdump, stops once the packets
# (as the flow line "c>s S,s>c S.,...") match DONE_ERE, i.e. the exchange's last packet is in the file.
record() {
	name=$1 iface=$2 filter=$3 done_re=$4
	shift 4
	out=pcaps/$name.pcap
	rm -f "$out"
	rm -f "$TMP/tcpdump.err" # never see the previous capture's "listening on"
	tcpdump --immediate-mode -i "$iface" ${SNAPLEN:+-s "$SNAPLEN"} -w "$out" -U "$filter" 2>"$TMP/tcpdump.err" &
	TCPDUMP_PID=$!
	wait_for "grep -q 'listening on' '$TMP/tcpdump.err' 2>/dev/null" || fail "tcpdump did not start: $(cat "$TMP/tcpdump.err")"
	"$@" || fail "$name: $* failed"
	wait_for "packets '$out' '$PORT' > '$TMP/pk'; flow_line '$TMP/pk' | grep -Eq '$done_re'" 50 ||
		fail "$name: the capture did not complete: $(flow_line "$TMP/pk")"
	kill -INT "$TCPDUMP_PID"
	wait "$TCPDUMP_PID"
	TCPDUMP_PID=""
	# ss would show the TIME_WAIT left by one capture; the next one can still bind thanks to SO_REUSEADDR.
	echo "record-pcaps: $out: $(pcap_count "$out") packets: $(flow_line "$TMP/pk")"
}

# ICMP only where the scenario causes it: other programs' ICMP errors on lo must not end up in the files.
LOF="port $PORT"
want handshake && record handshake lo "$LOF" ',c>s F\.,s>c F\.,c>s \.$' scenario handshake
want handshake6 && record handshake6 lo "$LOF" ',c>s F\.,s>c F\.,c>s \.$' scenario handshake -6
want refused && record refused lo "$LOF" '^c>s S,s>c R\.$' scenario refused
want reset && record reset lo "$LOF" 'c>s R\.?$' scenario reset
want udp && record udp lo "$LOF" '^c>s UDP,s>c UDP,c>s UDP,s>c UDP$' scenario udp
want unreachable && record unreachable lo "$LOF or icmp" '^c>s UDP,icmp port-unreachable$' scenario unreachable
want unreachable6 && record unreachable6 lo "$LOF or icmp6" '^c>s UDP,icmp port-unreachable$' scenario unreachable -6
want halfclose && record halfclose lo "$LOF" 's>c FP?\.,c>s \.$' scenario halfclose
want simultaneous-close && record simultaneous-close lo "$LOF" 'F\.,(c>s|s>c) F\.,(c>s|s>c) \.,(c>s|s>c) \.$' scenario simultaneous-close
want timewait && record timewait lo "$LOF" '^c>s S,.*,c>s S,.*,c>s F\.,s>c F\.,c>s \.$' scenario timewait
want any-sll2 && record any-sll2 any "host 127.0.0.1 and port $PORT" ',c>s F\.,s>c F\.,c>s \.$' scenario handshake

# IPv4 options: not a sockdemo scenario; tests/tools/ipopts.c sends datagrams and a connection with them.
want ipopts && record ipopts lo "port $PORT or port $((PORT + 1)) or icmp" ',c>s F\.,s>c F\.,c>s \.$' build/tools/ipopts "$PORT"

# A bulk transfer through loss and a closed window, for the graphs: tests/tools/lossy drops 0.8% of the data
# segments at the receiving socket (a socket filter), the client writes one 1448-byte segment every 100 us,
# the receiver stops reading for 200 ms half-way. Headers only (snaplen 100): the payload is not needed.
want lossy && SNAPLEN=100 record lossy lo "$LOF" ',s>c F\.,c>s \.$' \
	build/tools/lossy -p "$PORT" -n 1500000 -l 8 -w 100 -b 32768 -z 200

# README.md beside them, with the counts and link types of the files just written.
info() { # NAME: "COUNT | LINKTYPE"
	lt=$(tcpdump -r "pcaps/$1.pcap" -c 1 2>&1 >/dev/null | sed -n 's/.*link-type \([^ ]*\).*/\1/p' | head -n 1)
	echo "$(pcap_count "pcaps/$1.pcap") | $lt"
}
{
	echo "# Reference captures"
	echo
	echo "Real loopback traffic made by \`sockdemo scenario NAME -p $PORT\` (demo/), recorded by"
	echo "\`tests/record-pcaps.sh\` (\`make pcaps\`, as root) with"
	echo "\`tcpdump --immediate-mode -i lo -U -w NAME.pcap 'port $PORT'\` (\`'port $PORT or icmp'\` for unreachable,"
	echo "\`'port $PORT or icmp6'\` for unreachable6), default snaplen (262144; 100 for lossy)."
	echo "\`any-sll2.pcap\` was recorded with \`-i any\` and the filter \`host 127.0.0.1 and port $PORT\`, which gives the"
	echo "LINUX_SLL2 link type with this libpcap. Re-recording gives new ports, sequence numbers and times,"
	echo "and the same packet sequence (the exact number of bare ACKs may vary)."
	echo
	echo "| file | traffic | packets | link type |"
	echo "|---|---|---|---|"
	echo "| handshake.pcap | IPv4 TCP: SYN, SYN-ACK, ACK; one message each way; FIN from the client, FIN from the server, last ACK | $(info handshake) |"
	echo "| handshake6.pcap | the same over IPv6 (::1) | $(info handshake6) |"
	echo "| refused.pcap | IPv4 TCP SYN to a port nobody listens on, answered by RST-ACK | $(info refused) |"
	echo "| reset.pcap | handshake, one message each way, then RST from the client (SO_LINGER 0 close) | $(info reset) |"
	echo "| udp.pcap | IPv4 UDP: two datagrams from the client, each echoed | $(info udp) |"
	echo "| unreachable.pcap | IPv4 UDP datagram to a closed port and the ICMP destination unreachable (port unreachable) | $(info unreachable) |"
	echo "| unreachable6.pcap | the same over IPv6: ICMPv6 destination unreachable, code 4 (port unreachable) | $(info unreachable6) |"
	echo "| halfclose.pcap | the client sends a request and FIN (shutdown SHUT_WR); the server sends three replies (Nagle may merge them), then FIN | $(info halfclose) |"
	echo "| simultaneous-close.pcap | both ends send FIN at once: the FINs cross (each one's ACK number does not cover the other FIN), then both ACKs. Earlier attempts, if any, are ordinary closes; the crossing is the last connection | $(info simultaneous-close) |"
	echo "| timewait.pcap | a connection from client port $((PORT + 1)), closed by the client (TIME_WAIT); a second connection from the same port, reusing the TIME_WAIT four-tuple | $(info timewait) |"
	echo "| any-sll2.pcap | the handshake exchange captured with -i any (LINUX_SLL2 headers, interface lo, direction In) | $(info any-sll2) |"
	echo "| lossy.pcap | a bulk transfer (\`tests/tools/lossy -p $PORT -n 1500000 -l 8 -w 100 -b 32768 -z 200\`, snaplen 100: headers only): 1448-byte segments, 0.8% of them dropped by a socket filter at the receiver (duplicate ACKs with SACK blocks, fast retransmissions, tail-loss probes, D-SACK), and the receiver pausing 200 ms half-way (its window closes to zero, then a window update) | $(info lossy) |"
	echo "| ipopts.pcap | IPv4 options written by the kernel (\`tests/tools/ipopts $PORT\`, IP_OPTIONS on the sending socket, filter \`'port $PORT or port $((PORT + 1)) or icmp'\`): UDP datagrams with record route, timestamp (timestamps only; address and timestamp), NOP + router alert; record route to a closed port and the ICMP port unreachable (its own echoed record route, and the quoted header with options); a TCP connection whose client sets record route (the server echoes it) | $(info ipopts) |"
} > pcaps/README.md
echo "record-pcaps: wrote $(ls pcaps/*.pcap | wc -l | tr -d ' ') captures and pcaps/README.md"

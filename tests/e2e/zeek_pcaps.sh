# zeek_pcaps.sh — conn_state and history of every flow in pcaps/, as Zeek's conn.log documentation (base/protocols/conn/main.zeek) defines them for the traffic pcaps/README.md describes.
. tests/lib.sh
# CAPTURE FLOW CONN_STATE HISTORY — and why, in Zeek's words: S a SYN, h a SYN-ACK, A/a a pure ACK, D/d data,
# F/f a FIN, R/r a RST, T a retransmission, w a zero window; upper case the originator (the client).
cat > "$TMP/want" <<'TABLE'
handshake.pcap 1 SF ShADadFf          normal establishment and termination, one message each way
handshake6.pcap 1 SF ShADadFf         the same over IPv6
any-sll2.pcap 1 SF ShADadFf           the same with SLL2 link headers
halfclose.pcap 1 SF ShADaFdf          the client's FIN comes before the server's replies (d) and its FIN
refused.pcap 1 REJ Sr                 connection attempt rejected: the SYN answered by RST
reset.pcap 1 RSTO ShADadR             established, originator aborted (sent a RST)
simultaneous-close.pcap 1 SF ShAfFa   both FINs (the server's first), then the server's ACK of the client's
timewait.pcap 1 SF ShADadFf           the first connection
timewait.pcap 2 SF ShADadFf           the second, on the same four-tuple
udp.pcap 1 SF Dd                      UDP: both ends sent
unreachable.pcap 1 S0 D               UDP: only the originator sent (the ICMP error is no reply of the flow)
unreachable6.pcap 1 S0 D              the same over IPv6
ipopts.pcap 1 S0 D                    UDP datagrams that nobody answers
ipopts.pcap 2 S0 D
ipopts.pcap 3 S0 D
ipopts.pcap 4 S0 D
ipopts.pcap 5 S0 D
ipopts.pcap 6 SF ShADadFf             the TCP connection with record route
lossy.pcap 1 SF ShADaTwFf             bulk data one way: retransmissions (T: 6, fewer than 10), one zero window (w)
TABLE
pass=0 bad=0
while read -r cap id state hist why; do
	"$SW" -r "pcaps/$cap" --flows --json 2>/dev/null |
		sed -n "s/^{\"flow\":$id,.*\"conn_state\":\"\([A-Z0-9]*\)\",\"history\":\"\([^\"]*\)\".*/\1 \2/p" > "$TMP/got"
	got=$(cat "$TMP/got")
	if [ "$got" = "$state $hist" ]; then
		pass=$((pass + 1))
	else
		echo "$cap flow $id: got '${got:-no such flow}', want '$state $hist' ($why)"
		bad=$((bad + 1))
	fi
done < "$TMP/want"
# And every flow in pcaps/ is in the table.
total=$(for f in pcaps/*.pcap; do "$SW" -r "$f" --flows --json 2>/dev/null | grep -c '"conn_state"'; done | awk '{ s += $1 } END { print s }')
[ "$total" -eq "$pass" ] || [ "$bad" -gt 0 ] || fail "pcaps/ has $total flows, the table $pass"
echo "zeek: $pass passed, $bad failed"
[ "$bad" -eq 0 ]

# lib.sh — what the tshark cross-checks share (sourced, not run): the captures compared and the tshark invocation tshark.awk reads.
# TSHARK_FIELDS: the -e options, in the order tshark.awk numbers them ($1..$51); TSHARK_OPTS: each frame as
# it is on the wire (no IP reassembly, no heuristic dissectors tried first, an HTTP message's first line in
# the frame that carries it rather than in the one that completes the message) and one '|'-separated line
# per frame with every occurrence of a field, comma-joined. Use: tshark $TSHARK_OPTS -r F $TSHARK_FIELDS.
TSHARK_OPTS="-n -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o udp.try_heuristic_first:FALSE
 -o http.desegment_headers:FALSE -o http.desegment_body:FALSE
 -T fields -E separator=| -E occurrence=a -E aggregator=,"
TSHARK_FIELDS="-e frame.number -e frame.protocols -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst
 -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport -e tcp.flags -e tcp.seq_raw -e tcp.ack_raw
 -e tcp.window_size_value -e tcp.len -e udp.length -e tcp.options.mss_val -e tcp.options.wscale.shift
 -e tcp.options.timestamp.tsval -e tcp.options.timestamp.tsecr -e icmp.type -e icmp.code -e icmpv6.type -e icmpv6.code
 -e ip.flags.mf -e ip.frag_offset -e ip.opt.type -e ip.opt.ptr
 -e tcp.seq -e tcp.ack -e tcp.analysis.retransmission -e tcp.analysis.fast_retransmission
 -e tcp.analysis.spurious_retransmission -e tcp.analysis.duplicate_ack -e tcp.analysis.out_of_order
 -e tcp.analysis.zero_window -e frame.interface_id
 -e dns.id -e dns.flags.response -e dns.qry.name -e dns.qry.type -e dns.flags.rcode -e dns.count.answers
 -e http.request.method -e http.request.uri -e http.response.code
 -e arp.opcode -e arp.src.proto_ipv4 -e arp.dst.proto_ipv4 -e tcp.window_size -e frame.encap_type"

# crosscheck_captures CORPUS: every capture in pcaps/, and the well-formed ones of CORPUS (its MANIFEST.tsv)
# whose link type synwatch decodes (others are shown as unsupported by design); one path per line.
crosscheck_captures() {
	ls pcaps/*.pcap pcaps/*.pcapng 2>/dev/null
	[ -f "$1/MANIFEST.tsv" ] || return 0
	awk -F'\t' -v dir="$1/well-formed" '$1 == "well-formed" && $3 ~ /^(EN10MB|NULL|LOOP|LINUX_SLL|LINUX_SLL2|RAW|IPV4|IPV6)\(/ {
		print dir "/" $2 }' "$1/MANIFEST.tsv"
}

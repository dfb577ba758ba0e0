# tshark.awk — normalises `tshark -T fields` lines (lib.sh's TSHARK_OPTS and TSHARK_FIELDS give the field
# order) to the comparison columns: n|proto|src|dst|sport|dport|flags|seq|ack|win|swin|payload|mss|wscale|tsval|tsecr|itype|icode|isrc|idst|isport|idport|
# ipopt|ipoptptr|if|link (swin: the window in bytes, scaled once both SYNs showed the scale; IPv4 option types and route/timestamp pointers, the outer packet's then the quoted one's;
# the pcapng interface id, 0 for a classic pcap; the first protocol of frame.protocols, the link layer).
# With -v analysis=1, rseq|rack|events instead of if|link (relative seq, relative ack when ACK is set, and the
# analysis flags as letters: R retransmission/fast/spurious, D dup ACK, O out-of-order, Z zero window).
# With -v app=1, nine more at the end: dnsid|dnsqr|qname|qtype|rcode|dnsan|method|uri|code, the DNS message
# or HTTP first line that directly follows the frame's first TCP/UDP header ('-' when none; qname as tshark
# writes it, "<Root>" for the root; rcode for responses only), and a frame whose only layer above the link
# is ARP prints "n|arp|opcode|spa|tpa" (protocol addresses for IPv4 only).
# Packets whose path from the link layer to IP goes through something synwatch does not decode (MPLS,
# PPPoE, GRE before the first IP...) print "n|skip".
BEGIN { FS = "|"; OFS = "|" }

function hexval(s,    i, c, v) {
	v = 0
	s = tolower(s)
	sub(/^0x/, "", s)
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1)) - 1
		if (c < 0) return -1
		v = v * 16 + c
	}
	return v
}
# The k-th comma-separated occurrence of a field, or "-".
function occ(s, k,    a, n) {
	if (s == "") return "-"
	n = split(s, a, ",")
	return k <= n && a[k] != "" ? a[k] : "-"
}
# Protocol names after the k-th IP layer in frame.protocols: the transport synwatch would name.
function l4_after(list, k,    a, n, i, seen) {
	n = split(list, a, ":")
	seen = 0
	for (i = 1; i <= n; i++) {
		if (a[i] == "ip" || a[i] == "ipv6") {
			seen++
			if (seen == k) {
				for (i = i + 1; i <= n; i++) {
					if (a[i] ~ /^ipv6\./) continue   # extension headers
					if (a[i] == "tcp" || a[i] == "udp" || a[i] == "icmp" || a[i] == "icmpv6") return a[i]
					return "other"
				}
				return "other"
			}
		}
	}
	return "none"
}
# True when everything before the first IP layer is a link layer synwatch decodes.
function plain_link(list,    a, n, i) {
	n = split(list, a, ":")
	for (i = 1; i <= n; i++) {
		if (a[i] == "ip" || a[i] == "ipv6") return 1
		if (a[i] !~ /^(eth|ethertype|vlan|ieee8021ad|sll|null|loop|raw|frame)$/) return 0
	}
	return 1
}

# The protocol right after the first TCP or UDP header of the first IP packet ("" when none).
function app_after_l4(list,    a, n, i) {
	n = split(list, a, ":")
	for (i = 1; i <= n; i++) if (a[i] == "ip" || a[i] == "ipv6") break
	for (; i <= n; i++) if (a[i] == "tcp" || a[i] == "udp") return i < n ? a[i + 1] : ""
	return ""
}
# The application columns of an IP frame (with a leading '|'), or "" without -v app=1.
function app_cols(list,    p, id, qr, qname, qtype, rcode, an, method, uri, code) {
	if (!app) return ""
	id = qr = qname = qtype = rcode = an = method = uri = code = "-"
	p = app_after_l4(list)
	if (p == "dns") {
		id = occ($38, 1) == "-" ? "-" : hexval(occ($38, 1))
		qr = occ($39, 1); qname = occ($40, 1); qtype = occ($41, 1); an = occ($43, 1)
		if (qr == "1") rcode = occ($42, 1)
	} else if (p == "http") {
		method = occ($44, 1); uri = $45 == "" ? "-" : $45; code = occ($46, 1)
	}
	return "|" id "|" qr "|" qname "|" qtype "|" rcode "|" an "|" method "|" uri "|" code
}
# A frame with ARP directly above the link layers (and no IP).
function arp_frame(list,    a, n, i) {
	n = split(list, a, ":")
	for (i = 1; i <= n; i++) {
		if (a[i] == "arp") return 1
		if (a[i] !~ /^(eth|ethertype|vlan|ieee8021ad|sll|null|loop|raw|frame)$/) return 0
	}
	return 0
}

# An IPv6 fragment header directly in the first IPv6 packet's chain of headers.
function frag6(list,    a, n, i) {
	n = split(list, a, ":")
	for (i = 1; i <= n; i++) if (a[i] == "ipv6") break
	for (i = i + 1; i <= n && a[i] ~ /^ipv6\./; i++) if (a[i] == "ipv6.fraghdr") return 1
	return 0
}

{
	# A pcapng block tshark lists as a frame but that holds no packet (a saved lesson's custom blocks: no
	# encapsulation) is left out, and packets are numbered among themselves, as synwatch numbers them.
	if ($51 == "") next
	n = ++packets; protos = $2
	if (app && arp_frame(protos)) { print n, "arp", occ($47, 1), occ($48, 1), occ($49, 1); next }
	if (!plain_link(protos)) { print n, "skip"; next }
	first = ""
	split(protos, pa, ":")
	for (i = 1; i in pa; i++) if (pa[i] == "ip" || pa[i] == "ipv6") { first = pa[i]; break }
	iface = $37 == "" ? "0" : $37
	link = pa[1]
	if (first == "") { print n, "none" (analysis ? "" : "|" iface "|" link); next }
	ipopt = $27 == "" ? "-" : $27
	ipoptptr = $28 == "" ? "-" : $28
	src = first == "ip" ? occ($3, 1) : occ($5, 1)
	dst = first == "ip" ? occ($4, 1) : occ($6, 1)
	# Fragments are compared at the IP layer only: with reassembly off tshark does not decode the transport
	# header of a first fragment, which synwatch does.
	if ((first == "ip" && (occ($25, 1) == "1" || occ($26, 1) + 0 > 0)) || (first == "ipv6" && frag6(protos))) {
		print n, "frag", src, dst, "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", ipopt, ipoptptr (analysis ? "|-|-|-" : "|" iface "|" link) (app ? "|-|-|-|-|-|-|-|-|-" : "")
		next
	}
	l4 = l4_after(protos, 1)
	sport = dport = flags = seq = ack = win = swin = payload = mss = wscale = tsval = tsecr = "-"
	itype = icode = isrc = idst = isport = idport = "-"
	rseq = rack = events = "-"
	if (l4 == "tcp") {
		sport = occ($7, 1); dport = occ($8, 1)
		flags = occ($11, 1) == "-" ? "-" : hexval(occ($11, 1)) % 512
		seq = occ($12, 1); win = occ($14, 1); swin = occ($50, 1); payload = occ($15, 1)
		if (flags != "-" && int(flags / 16) % 2 == 1) { ack = occ($13, 1); rack = occ($30, 1) }
		mss = occ($17, 1); wscale = occ($18, 1); tsval = occ($19, 1); tsecr = occ($20, 1)
		rseq = occ($29, 1)
		events = ""
		if ($31 != "" || $32 != "" || $33 != "") events = events "R"
		if ($34 != "") events = events "D"
		if ($35 != "") events = events "O"
		if ($36 != "") events = events "Z"
		if (events == "") events = "-"
	} else if (l4 == "udp") {
		sport = occ($9, 1); dport = occ($10, 1)
		payload = occ($16, 1) == "-" ? "-" : occ($16, 1) - 8
	} else if (l4 == "icmp" || l4 == "icmpv6") {
		itype = l4 == "icmp" ? occ($21, 1) : occ($23, 1)
		icode = l4 == "icmp" ? occ($22, 1) : occ($24, 1)
		# A quoted packet: the second IP layer.
		inner = 0
		for (j = 1; j in pa; j++) if (pa[j] == "ip" || pa[j] == "ipv6") inner++
		if (inner >= 2) {
			isrc = first == "ip" ? occ($3, 2) : occ($5, 2)
			idst = first == "ip" ? occ($4, 2) : occ($6, 2)
			il4 = l4_after(protos, 2)
			if (il4 == "tcp") { isport = occ($7, 1); idport = occ($8, 1) }
			if (il4 == "udp") { isport = occ($9, 1); idport = occ($10, 1) }
		}
	}
	print n, l4, src, dst, sport, dport, flags, seq, ack, win, swin, payload, mss, wscale, tsval, tsecr, itype, icode, isrc, idst, isport, idport, ipopt, ipoptptr (analysis ? "|" rseq "|" rack "|" events : "|" iface "|" link) app_cols(protos)
}

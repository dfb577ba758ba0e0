# synwatch.awk — normalises `synwatch --json` lines to the same columns as tshark.awk (with -v analysis=1,
# the same three more: rseq|rack|events; with -v app=1, the application columns and ARP rows). Flow lines
# of `--flows --json` (no "n") are left out. With -v tagged=1 each row starts with the name of the file it
# came from and a '|', so that one run reads many.
BEGIN {
	OFS = "|"
	# The link layer as the first protocol tshark's frame.protocols names (IPV4/IPV6 links start at IP).
	tlink["EN10MB"] = "eth"; tlink["LINUX_SLL"] = "sll"; tlink["LINUX_SLL2"] = "sll"; tlink["NULL"] = "null"
	tlink["LOOP"] = "null"; tlink["RAW"] = "raw"; tlink["IPV4"] = "ip"; tlink["IPV6"] = "ipv6"
}

# The value of "key" in the flat object s, or "-" (strings without their quotes, \" and \\ undone).
function get(s, key,    v) {
	if (!match(s, "\"" key "\":(\"([^\"\\\\]|\\\\.)*\"|[^,}]*)")) return "-"
	v = substr(s, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
	if (v ~ /^"/) {
		v = substr(v, 2, length(v) - 2)
		gsub(/\\"/, "\"", v)
		gsub(/\\\\/, "\\", v)
	}
	return v
}

# The application columns (see tshark.awk) of line, with a leading '|'; "" without -v app=1.
function app_cols(line,    a, id, qr, qname, qtype, rcode, an, method, uri, code) {
	if (!app) return ""
	id = qr = qname = qtype = rcode = an = method = uri = code = "-"
	a = get(line, "app")
	if (a == "dns") {
		id = get(line, "dns_id"); qr = get(line, "dns_response") == "true" ? 1 : 0
		qname = get(line, "dns_qname"); qtype = get(line, "dns_qtype"); an = get(line, "dns_an")
		if (qname == ".") qname = "<Root>"
		else if (qname != "-") sub(/\.$/, "", qname)
		if (qr == 1) rcode = get(line, "dns_rcode") % 16 # tshark gives the header's 4 bits
	} else if (a == "http") {
		method = get(line, "http_method"); uri = get(line, "http_uri"); code = get(line, "http_status")
	}
	return "|" id "|" qr "|" qname "|" qtype "|" rcode "|" an "|" method "|" uri "|" code
}

# The "ip_options" array of s (up to its matching bracket), or "".
function opts_of(s,    p, i, c, depth) {
	p = index(s, "\"ip_options\":[")
	if (!p) return ""
	depth = 0
	for (i = p + 13; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "[") depth++
		else if (c == "]") { depth--; if (depth == 0) break }
	}
	return substr(s, p + 13, i - p - 12)
}
# The values of every "key": number in s, comma-joined in order.
function all_of(s, key,    out, v) {
	out = ""
	while (match(s, "\"" key "\":[0-9]+")) {
		v = substr(s, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
		out = out == "" ? v : out "," v
		s = substr(s, RSTART + RLENGTH)
	}
	return out
}

!/^\{"n":/ { next }
{
	pre = tagged ? FILENAME "|" : ""
	line = $0
	inner = ""
	p = index(line, "\"inner\":{")
	if (p) {
		depth = 0
		for (i = p + 8; i <= length(line); i++) {
			c = substr(line, i, 1)
			if (c == "{") depth++
			else if (c == "}") { depth--; if (depth == 0) break }
		}
		inner = substr(line, p + 8, i - p - 7)
		line = substr(line, 1, p - 1) substr(line, i + 1)
	}
	opts = opts_of(line) opts_of(inner)
	ipopt = all_of(opts, "type"); ipoptptr = all_of(opts, "ptr")
	if (ipopt == "") ipopt = "-"
	if (ipoptptr == "") ipoptptr = "-"
	n = get(line, "n")
	iface = get(line, "if")
	if (iface == "-") iface = 0
	link = get(line, "link")
	link = link in tlink ? tlink[link] : link
	if (get(line, "l3") == "-") {
		if (app && get(line, "app") == "arp") {
			ipv4 = get(line, "arp_ptype") == 2048 && get(line, "arp_spa") ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/
			print pre n, "arp", get(line, "arp_op"), ipv4 ? get(line, "arp_spa") : "-", ipv4 ? get(line, "arp_tpa") : "-"
		} else {
			print pre n, "none" (analysis ? "" : "|" iface "|" link)
		}
		next
	}
	if (index(line, "\"frag\":{")) {
		print pre n, "frag", get(line, "src"), get(line, "dst"), "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", ipopt, ipoptptr (analysis ? "|-|-|-" : "|" iface "|" link) (app ? "|-|-|-|-|-|-|-|-|-" : "")
		next
	}
	proto = get(line, "proto")
	if (proto == "icmp6") proto = "icmpv6"
	if (proto != "tcp" && proto != "udp" && proto != "icmp" && proto != "icmpv6") proto = "other"
	sport = dport = flags = seq = ack = win = swin = payload = mss = wscale = tsval = tsecr = "-"
	itype = icode = isrc = idst = isport = idport = "-"
	rseq = rack = events = "-"
	if (proto == "tcp") {
		sport = get(line, "sport"); dport = get(line, "dport"); flags = get(line, "tcp_flags")
		seq = get(line, "seq"); win = get(line, "win"); swin = get(line, "win_scaled"); if (swin == "-") swin = win; payload = get(line, "payload")
		if (flags != "-" && int(flags / 16) % 2 == 1) { ack = get(line, "ack"); rack = get(line, "rack") }
		mss = get(line, "mss"); wscale = get(line, "wscale"); tsval = get(line, "tsval"); tsecr = get(line, "tsecr")
		rseq = get(line, "rseq")
		ev = match(line, /"events":\[[^]]*\]/) ? substr(line, RSTART, RLENGTH) : ""
		events = ""
		if (ev ~ /"(retransmission|fast-retransmission|spurious-retransmission)"/) events = events "R"
		if (ev ~ /"dup-ack"/) events = events "D"
		if (ev ~ /"out-of-order"/) events = events "O"
		if (ev ~ /"zero-window"/) events = events "Z"
		if (events == "") events = "-"
	} else if (proto == "udp") {
		sport = get(line, "sport"); dport = get(line, "dport"); payload = get(line, "payload")
	} else if (proto == "icmp" || proto == "icmpv6") {
		itype = get(line, "icmp_type"); icode = get(line, "icmp_code")
		if (inner != "") {
			isrc = get(inner, "src"); idst = get(inner, "dst")
			isport = get(inner, "sport"); idport = get(inner, "dport")
		}
	}
	print pre n, proto, get(line, "src"), get(line, "dst"), sport, dport, flags, seq, ack, win, swin, payload, mss, wscale, tsval, tsecr, itype, icode, isrc, idst, isport, idport, ipopt, ipoptptr (analysis ? "|" rseq "|" rack "|" events : "|" iface "|" link) app_cols(line)
}

# flows.awk — normalises the flow lines of `synwatch --flows --json` to "lo hi pkts_lo>hi pkts_hi>lo
# bytes_lo>hi bytes_hi>lo first proto": the two endpoints in string order (IPv6 without brackets), so that
# a table compares whichever end was taken for the client. With -v proto=tcp (udp, icmp...) only those flows;
# with -v tagged=1 each line starts with the name of the file it came from.
function val(key,   m) {
	if (match($0, "\"" key "\":\"[^\"]*\"")) { m = substr($0, RSTART, RLENGTH); sub("^\"" key "\":\"", "", m); sub("\"$", "", m); return m }
	if (match($0, "\"" key "\":[-0-9.]+")) { m = substr($0, RSTART, RLENGTH); sub("^\"" key "\":", "", m); return m }
	return ""
}
/^\{"flow":/ && /"client":/ && (proto == "" || val("proto") == proto) {
	c = val("client"); s = val("server"); gsub(/[][]/, "", c); gsub(/[][]/, "", s)
	pc = val("pkts_c2s"); ps = val("pkts_s2c"); bc = val("bytes_c2s"); bs = val("bytes_s2c")
	pre = tagged ? FILENAME " " : ""
	if (c <= s) print pre c, s, pc, ps, bc, bs, val("first"), val("proto")
	else print pre s, c, ps, pc, bs, bc, val("first"), val("proto")
}

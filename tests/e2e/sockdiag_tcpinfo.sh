# sockdiag_tcpinfo.sh — `--sockets --json` gives each TCP connection the kernel's own numbers (tcp_info: cwnd, ssthresh, srtt/rttvar, mss, unacked, retransmits, delivery and pacing rate), equal to what `ss -tin` prints for the same socket within one refresh.
#
# An nc pair on 127.0.0.1 carries data both ways (so the kernel has measured RTTs and rates), then idles:
# ss, synwatch's first socket snapshot, ss again; both ss reads must agree (nothing moved), and synwatch's
# numbers must equal them. ss prints bits per second; the JSON has bytes per second.
. tests/lib.sh
. tests/e2e/lib/tcp_pair.sh
need_root
need_cmd nc
need_cmd ss
[ -x "$SW" ] || fail "$SW not built"
p=$(free_port)

# json_info FILE: the same line from each "appeared" ESTAB object of synwatch --sockets --json.
json_info() {
	grep '"socket":"appeared"' "$1" | grep '"state":"ESTAB"' | awk '
	function num(key,   m) { if (match($0, "\"" key "\":[0-9]+")) { m = substr($0, RSTART, RLENGTH); sub(/.*:/, "", m); return m } return "-" }
	function str(key,   m) { if (match($0, "\"" key "\":\"[^\"]*\"")) { m = substr($0, RSTART, RLENGTH); sub(/^[^:]*:"/, "", m); sub(/"$/, "", m); return m } return "-" }
	{
		del = num("delivery_rate"); pac = num("pacing_rate")
		printf "%s %s cwnd=%s ssthresh=%s rtt=%g/%g mss=%s unacked=%s retrans=%s/%s delivery=%s pacing=%s\n",
			str("local"), str("remote"), num("cwnd"), num("ssthresh"), num("srtt_us") / 1000, num("rttvar_us") / 1000,
			num("mss"), num("unacked"), num("retransmits"), num("total_retrans"),
			(del == "-" || del == 0) ? "-" : sprintf("%.0f", del * 8), pac == "-" ? "-" : sprintf("%.0f", pac * 8)
	}' | sort
}

tcp_pair "$p"
tcp_pair_quiet "$p"

ss_info "$p" > "$TMP/ss1"
"$SW" -i lo --sockets --json --ports "$p" "tcp port $p" > "$TMP/json" 2> "$TMP/err" &
sw=$!
bg_pid $sw
wait_lines "$TMP/json" '"socket":"appeared".*"state":"ESTAB"' 2 10 || fail "synwatch did not list the pair: $(cat "$TMP/err")"
ss_info "$p" > "$TMP/ss2"
kill -INT $sw
wait_exit $sw 10 || fail "synwatch did not stop"
cmp -s "$TMP/ss1" "$TMP/ss2" || fail "the sockets' numbers changed while being compared: $(cat "$TMP/ss1") / $(cat "$TMP/ss2")"
[ "$(wc -l < "$TMP/ss1")" -eq 2 ] || fail "ss shows $(wc -l < "$TMP/ss1") established sockets on $p: $(cat "$TMP/ss1")"
json_info "$TMP/json" > "$TMP/sw"
if ! diff -u "$TMP/ss1" "$TMP/sw" > "$TMP/diff"; then
	echo "ss -tin (-) and synwatch --sockets --json (+) differ:" >&2
	cat "$TMP/diff" >&2
	exit 1
fi
# The fields are there at all (a comparison of two empty lists proves nothing).
grep -q 'cwnd=[0-9]' "$TMP/sw" && grep -q 'delivery=[0-9]' "$TMP/sw" && grep -q 'pacing=[0-9]' "$TMP/sw" ||
	fail "no tcp_info numbers: $(cat "$TMP/sw")"
grep -q '"ca_state":"open"' "$TMP/json" || fail "no ca_state: $(head -n 2 "$TMP/json")"
# The listener has no connection's numbers; the text mode's lines are as before (no tcp_info in them).
grep '"state":"LISTEN"' "$TMP/json" | grep -q '"cwnd"' && fail "a listener got tcp_info: $(grep LISTEN "$TMP/json")"
exec 3>&- 4>&-
echo "tcp_info equal to ss -tin for $(wc -l < "$TMP/sw") sockets: $(cut -d' ' -f3- "$TMP/sw" | head -n 1)"

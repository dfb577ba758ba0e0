# tcp_pair.sh — an nc pair on 127.0.0.1 for the e2e scripts that read the kernel's numbers, and those numbers
# as `ss -tin` prints them. Sourced after tests/lib.sh, not run.

# tcp_pair PORT [NC_CLIENT_FLAGS]: nc -l on PORT and an nc client to it, both fed from FIFOs in $TMP; fd 3
# writes to the server's peer side (what the server sends), fd 4 to the client's. Returns once both ends
# are ESTABLISHED.
tcp_pair() {
	mkfifo "$TMP/srv.in" "$TMP/cli.in"
	nc -l 127.0.0.1 "$1" < "$TMP/srv.in" > /dev/null &
	bg_pid $!
	exec 3> "$TMP/srv.in"
	_tp=0
	until ss -Htln "( sport = :$1 )" | grep -q LISTEN; do
		_tp=$((_tp + 1)); [ $_tp -lt 500 ] || fail "nc -l did not listen on $1"; sleep 0.01
	done
	nc ${2:-} 127.0.0.1 "$1" < "$TMP/cli.in" > /dev/null &
	bg_pid $!
	exec 4> "$TMP/cli.in"
	_tp=0
	until [ "$(ss -Htn state established "( sport = :$1 or dport = :$1 )" | wc -l)" -eq 2 ]; do
		_tp=$((_tp + 1)); [ $_tp -lt 500 ] || fail "no established pair on $1"; sleep 0.01
	done
}

# tcp_pair_quiet PORT: data both ways, then until every byte is acknowledged (Send-Q 0 on both ends) and
# a little longer, so no timer changes the kernel's numbers while they are compared.
tcp_pair_quiet() {
	head -c 300000 /dev/zero >&4
	head -c 20000 /dev/zero >&3
	_tp=0
	until [ "$(ss -Htn state established "( sport = :$1 or dport = :$1 )" | awk '$1 == 0 && $2 == 0' | wc -l)" -eq 2 ]; do
		_tp=$((_tp + 1)); [ $_tp -lt 500 ] || fail "the data was not acknowledged: $(ss -Htn "( sport = :$1 or dport = :$1 )")"; sleep 0.01
	done
	sleep 0.3 # no timer left to change the numbers (delayed ACKs, pacing)
}

# ss_info PORT: one line per established TCP socket on PORT, "LOCAL PEER cwnd=N ssthresh=N|- rtt=A/B
# mss=N unacked=N retrans=N/N delivery=BPS pacing=BPS|-", from ss's fields (absent ones as ss leaves them
# out: 0 or -), sorted.
ss_info() {
	ss -Htin "( sport = :$1 or dport = :$1 )" | awk '
	/^[A-Z]/ { st = $1; loc = $4; peer = $5; next }
	st == "ESTAB" {
		cwnd = ssth = "-"; rtt = "-"; mss = "-"; un = 0; re = "0/0"; del = "-"; pac = "-"
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^cwnd:/) { cwnd = substr($i, 6) }
			else if ($i ~ /^ssthresh:/) { ssth = substr($i, 10) }
			else if ($i ~ /^rtt:/) { rtt = substr($i, 5) }
			else if ($i ~ /^mss:/) { mss = substr($i, 5) }
			else if ($i ~ /^unacked:/) { un = substr($i, 9) }
			else if ($i ~ /^retrans:/) { re = substr($i, 9) }
			else if ($i == "delivery_rate") { del = $(i + 1); sub(/bps$/, "", del) }
			else if ($i == "pacing_rate") { pac = $(i + 1); sub(/bps$/, "", pac) }
		}
		printf "%s %s cwnd=%s ssthresh=%s rtt=%s mss=%s unacked=%s retrans=%s delivery=%s pacing=%s\n",
			loc, peer, cwnd, ssth, rtt, mss, un, re, del, pac
	}' | sort
}

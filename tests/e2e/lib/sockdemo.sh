# sockdemo.sh — shared helpers for the sockdemo end-to-end tests: free ports, tcpdump on lo, packet and event views.
# Sourced (not run) by tests/e2e/sockdemo_*.sh from the repository root. POSIX sh and awk only.

SD=${SOCKDEMO:-build/sockdemo} # SOCKDEMO=build/asan/sockdemo runs the tests against the sanitized build
TMP=$(mktemp -d)
TCPDUMP_PID=""
cleanup() {
	[ -n "$TCPDUMP_PID" ] && kill -INT "$TCPDUMP_PID" 2>/dev/null && wait "$TCPDUMP_PID" 2>/dev/null
	[ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*"
	exit 1
}

[ -x "$SD" ] || fail "$SD is not built (run make)"

need_capture() {
	[ "$(id -u)" -eq 0 ] || { echo "skip: capturing on lo needs root"; exit 77; }
	command -v tcpdump >/dev/null 2>&1 || { echo "skip: tcpdump is not installed"; exit 77; }
}

# A TCP/UDP port (and the next one, used by the timewait scenario) that nothing on this machine uses.
free_port() {
	_n=0
	_k=$(cat "$TMP/ports" 2>/dev/null || echo 0) # a new starting point for each call of this script
	echo $((_k + 1)) > "$TMP/ports"
	while [ $_n -lt 200 ]; do
		_p=$((20000 + ($$ * 7 + _k * 997 + _n * 131) % 9000))
		if [ -z "$(ss -Htuan "( sport = :$_p or dport = :$_p or sport = :$((_p + 1)) or dport = :$((_p + 1)) )" 2>/dev/null)" ]; then
			echo "$_p"
			return 0
		fi
		_n=$((_n + 1))
	done
	fail "no free port found in 20000-28999"
}

# Waits (up to $2 tenths of a second, default 100) until command "$1" succeeds.
wait_for() {
	_w=0
	while ! eval "$1"; do
		_w=$((_w + 1))
		[ $_w -ge "${2:-100}" ] && return 1
		sleep 0.1
	done
	return 0
}

# start_capture FILE PORT [IFACE]: tcpdump writing FILE, returns once it is really listening.
start_capture() {
	rm -f "$TMP/tcpdump.err" # never see the previous capture's "listening on"
	tcpdump --immediate-mode -i "${3:-lo}" -w "$1" -U "port $2 or icmp or icmp6" 2>"$TMP/tcpdump.err" &
	TCPDUMP_PID=$!
	wait_for "grep -q 'listening on' '$TMP/tcpdump.err' 2>/dev/null" || fail "tcpdump did not start: $(cat "$TMP/tcpdump.err")"
}

pcap_count() {
	tcpdump -nn -r "$1" 2>/dev/null | wc -l | tr -d ' '
}

# stop_capture FILE PORT ERE: waits until the packets in FILE (as flow_line shows them) match ERE, that is
# the exchange's last packet is in the file (or 5 s pass), then stops tcpdump.
stop_capture() {
	wait_for "packets '$1' '$2' > '$TMP/stop.pk'; flow_line '$TMP/stop.pk' | grep -Eq '$3'" 50
	kill -INT "$TCPDUMP_PID"
	wait "$TCPDUMP_PID"
	TCPDUMP_PID=""
}

# packets FILE PORT: one line per packet: "DIR TOKEN CLIENTPORT SEQ ACK TIME" where DIR is c>s (to PORT),
# s>c (from PORT) or icmp; TOKEN the TCP flags as tcpdump shows them (S, S., ., P., F., R.), UDP, or
# port-unreachable; SEQ/ACK absolute (- when absent); TIME seconds since midnight.
packets() {
	tcpdump -nn -S -tt -r "$1" 2>/dev/null | awk -v P="$2" '
	function port(a) { sub(/:$/, "", a); n = split(a, x, "."); return x[n] }
	{
		ip = 0
		for (i = 2; i <= NF; i++) if ($i == "IP" || $i == "IP6") { ip = i; break }
		if (!ip) next
		if ($0 ~ /ICMP/) {
			tok = ($0 ~ /udp port [0-9]+ unreachable/ || $0 ~ /unreachable port/) ? "port-unreachable" : "icmp-other"
			cp = "-"
			if (match($0, /udp port [0-9]+/)) { s = substr($0, RSTART, RLENGTH); sub(/udp port /, "", s); cp = s }
			if (cp == P) print "icmp", tok, cp, "-", "-", $1 # other programs ICMP errors are not ours
			next
		}
		sp = port($(ip + 1)); dp = port($(ip + 3))
		dir = (dp == P) ? "c>s" : (sp == P) ? "s>c" : "?"
		cport = (dp == P) ? sp : dp
		seq = "-"; ack = "-"
		if (match($0, /Flags \[[^]]*\]/)) {
			tok = substr($0, RSTART + 7, RLENGTH - 8)
			if (match($0, /seq [0-9]+/)) seq = substr($0, RSTART + 4, RLENGTH - 4)
			if (match($0, /ack [0-9]+/)) ack = substr($0, RSTART + 4, RLENGTH - 4)
		} else if ($0 ~ /UDP/) {
			tok = "UDP"
		} else {
			tok = "other"
		}
		print dir, tok, cport, seq, ack, $1
	}'
}

# The packet view as one comma-joined line "c>s S,s>c S.,..." (all packets, or -sig: without bare ACKs).
flow_line() {
	if [ "$1" = "-sig" ]; then
		awk '$2 != "." { printf "%s%s %s", (n++ ? "," : ""), $1, $2 } END { print "" }' "$2"
	else
		awk '{ printf "%s%s %s", (n++ ? "," : ""), $1, $2 } END { print "" }' "$1"
	fi
}

# expect_flow WHAT LINE REGEX: LINE must match the extended regular expression.
expect_flow() {
	printf '%s\n' "$2" | grep -Eq "$3" || fail "$1: packets were
    $2
  expected (ERE)
    $3"
}

# Events as tab-separated fields: role pid call fd ret errno local remote args (JSON escapes undone).
# Fails if a line is not a well-formed event object of the documented shape.
EVENT_RE='^\{"ts":[0-9]+,"dur":[0-9]+,"pid":[0-9]+,"role":"(server|client)","call":"[a-z0-9]+","fd":(null|[0-9]+),"args":"([^"\\]|\\.)*","ret":-?[0-9]+,"errno":(null|"E[A-Z0-9]+"),"local":(null|"[^"\\]*"),"remote":(null|"[^"\\]*")\}$'
check_events_json() {
	[ -s "$1" ] || fail "no events were written to $1"
	bad=$(grep -Evc "$EVENT_RE" "$1")
	[ "$bad" -eq 0 ] || fail "$bad event lines are not well-formed JSON of the documented shape, e.g.
    $(grep -Ev "$EVENT_RE" "$1" | head -n 1)"
	# ts never goes backwards within one process
	awk -F'[:,]' '{ pid = $6; if (pid in last && $2 < last[pid]) bad++; last[pid] = $2 } END { exit bad > 0 }' "$1" ||
		fail "event timestamps go backwards within a process"
}

events_tsv() {
	awk -F',"' '
	function val(s) { sub(/^[a-z]+":/, "", s); sub(/}$/, "", s); if (s ~ /^".*"$/) s = substr(s, 2, length(s) - 2); return s }
	function unesc(s,   out, i, c) {
		out = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "\\") { i++; c = substr(s, i, 1); if (c == "n") c = "\n"; else if (c == "t") c = "\t" }
			out = out c
		}
		return out
	}
	{
		# fields: 1 ts, 2 dur, 3 pid, 4 role, 5 call, 6 fd, 7 args, 8 ret, 9 errno, 10 local, 11 remote
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", val($4), val($3), val($5), val($6), val($8), val($9), val($10), val($11), unesc(val($7))
	}' "$1"
}

# Every event has its narration line "[role pid] call(args) = ret" (errors: "= -1 ENAME (") followed by a
# sentence line "[role pid]     ...".
check_narration_matches_events() {
	events_tsv "$1" > "$TMP/ev.tsv"
	while IFS="$(printf '\t')" read -r role pid call fd ret err loc rem args; do
		if [ "$ret" = "-1" ]; then
			want="[$role $pid] $call($args) = -1 $err ("
		else
			want="[$role $pid] $call($args) = $ret"
		fi
		grep -qF -- "$want" "$2" || fail "no narration line for event: $want"
	done < "$TMP/ev.tsv"
	calls=$(grep -Ec '^\[(server|client) [0-9]+\] [a-z0-9]+\(.*\) = ' "$2")
	sentences=$(grep -Ec '^\[(server|client) [0-9]+\]     [^ ]' "$2")
	events=$(wc -l < "$1" | tr -d ' ')
	[ "$calls" -eq "$events" ] || fail "$calls narrated calls but $events events"
	[ "$sentences" -eq "$calls" ] || fail "$calls narrated calls but $sentences explaining sentences"
}

# narr_at ROLE TEXT: the number of the first narration line of ROLE ("[role pid] ...") that holds TEXT
# (fixed string), or fail.
narr_at() {
	# (through the environment: awk -v would turn the "\n" of the narrated data into a newline)
	_l=$(NARR_ROLE="[$1 " NARR_TEXT="$2" awk 'index($0, ENVIRON["NARR_ROLE"]) == 1 && index($0, ENVIRON["NARR_TEXT"]) { print NR; exit }' "$NARR")
	[ -n "$_l" ] || fail "no $1 narration line with '$2':
$(grep -v '^\[.*\]     ' "$NARR")"
	echo "$_l"
}

# expect_order WHAT ROLE1 TEXT1 ROLE2 TEXT2: the cause (ROLE1's line with TEXT1) is narrated before its
# effect (ROLE2's line with TEXT2), whichever process got to write first.
expect_order() {
	_a=$(narr_at "$2" "$3") || exit 1
	_b=$(narr_at "$4" "$5") || exit 1
	[ "$_a" -lt "$_b" ] || fail "$1: the $4's line $_b ($5) is narrated before the $2's line $_a ($3) that caused it:
$(grep -v '^\[.*\]     ' "$NARR")"
}

# ev ROLE CALL [N]: the Nth (default 1st) event of ROLE and CALL as tab-separated fields, or fail.
ev() {
	line=$(awk -F'\t' -v r="$1" -v c="$2" -v n="${3:-1}" '$1 == r && $3 == c && ++k == n { print; exit }' "$TMP/ev.tsv")
	[ -n "$line" ] || fail "no event number ${3:-1} for $1 $2"
	printf '%s\n' "$line"
}

# field N LINE: the Nth tab-separated field (1 role, 2 pid, 3 call, 4 fd, 5 ret, 6 errno, 7 local, 8 remote, 9 args)
field() {
	printf '%s\n' "$2" | awk -F'\t' -v n="$1" '{ print $n }'
}

# expect_ev WHAT ACTUAL EXPECTED
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# run_scenario NAME [sockdemo options...]: captures it on a free port; sets PORT, CAP, EV, NARR, PK.
run_scenario() {
	name=$1
	shift
	PORT=$(free_port)
	CAP=$TMP/$name.pcap EV=$TMP/$name.events NARR=$TMP/$name.narr PK=$TMP/$name.pk
	rm -f "$CAP" "$EV" "$NARR" "$PK"
	start_capture "$CAP" "$PORT"
	"$SD" scenario "$name" -p "$PORT" --narrate --events "$EV" "$@" 2>"$NARR"
	rc=$?
	[ $rc -eq 0 ] || { stop_capture "$CAP" "$PORT" ''; fail "scenario $name exited $rc: $(grep -v '^\[' "$NARR" | tail -n 5)"; }
}

# expect_ev ROLE CALL N "FD RET ERRNO LOCAL REMOTE" [ARGS]: the Nth ROLE CALL event has exactly these values.
expect_ev() {
	got=$(awk -F'\t' -v r="$1" -v c="$2" -v n="$3" '$1 == r && $3 == c && ++k == n { print $4, $5, $6, $7, $8; exit }' "$TMP/ev.tsv")
	[ -n "$got" ] || fail "no event number $3 for $1 $2 (events: $(cut -f1,3 "$TMP/ev.tsv" | tr '\t\n' ' ,'))"
	expect_eq "$1 $2 #$3 (fd ret errno local remote)" "$got" "$4"
	if [ $# -ge 5 ]; then
		args=$(awk -F'\t' -v r="$1" -v c="$2" -v n="$3" '$1 == r && $3 == c && ++k == n { print $9; exit }' "$TMP/ev.tsv")
		expect_eq "$1 $2 #$3 args" "$args" "$5"
	fi
}

# The calls of ROLE in order, comma-joined: "socket,setsockopt,bind,...".
calls_of() {
	awk -F'\t' -v r="$1" '$1 == r { printf "%s%s", (n++ ? "," : ""), $3 } END { print "" }' "$TMP/ev.tsv"
}

# Loopback address, family name and sockaddr length for -4 (default) or -6.
family_vars() {
	if [ "$1" = 6 ]; then LO='[::1]' AF=AF_INET6 SL=28 FAMOPT=-6; else LO=127.0.0.1 AF=AF_INET SL=16 FAMOPT=; fi
}

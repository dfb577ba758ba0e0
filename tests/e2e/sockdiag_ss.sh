# sockdiag_ss.sh — the NETLINK_SOCK_DIAG socket table (via tests/tools/sockls) equals `ss -Htan`/`ss -Huan` for a listener, an established pair and TIME-WAIT, and the change watcher reports each transition.
#
# Each comparison takes ss, then sockls, then ss again while the sockets are held steady (idle nc
# processes, a TIME-WAIT that lasts 60 s); both ss lists must agree, so the moment is the same.
# Compared fields: State Recv-Q Send-Q Local Peer (ss's Process column is not requested).
. tests/lib.sh
need_cmd nc
need_cmd ss
SL=build/tools/sockls
[ -x "$SL" ] || fail "$SL is missing; run make tools"

p=$(free_port)
u=$((p + 1))
v6=""
ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/' && v6=$((p + 2))

# ss_rows PROTO(t|u) PORT...: ss's rows for the ports, as "STATE RQ SQ LOCAL PEER", sorted.
ss_rows() {
	_proto=$1; shift
	_f=""
	for _q in "$@"; do _f="$_f${_f:+ or }sport = :$_q or dport = :$_q"; done
	ss -H"$_proto"an "( $_f )" | awk '{print $1, $2, $3, $4, $5}' | sort
}
# sl_rows PROTO(t|u) PORT...: sockls's rows in the same form.
sl_rows() {
	_proto=$1; shift
	"$SL" -"$_proto" "$@" | awk '{print $2, $3, $4, $5, $6}' | sort
}
# same_moment NAME PROTO PORT...: ss, sockls, ss; the two ss lists equal (steady) and sockls equal to them.
same_moment() {
	_name=$1; shift
	ss_rows "$@" > "$TMP/ss1"
	sl_rows "$@" > "$TMP/sl" || fail "$_name: sockls failed"
	ss_rows "$@" > "$TMP/ss2"
	cmp -s "$TMP/ss1" "$TMP/ss2" || fail "$_name: the sockets changed while being compared: $(cat "$TMP/ss1") / $(cat "$TMP/ss2")"
	if ! diff -u "$TMP/ss1" "$TMP/sl" > "$TMP/diff"; then
		echo "$_name: ss (-) and sockls (+) differ:" >&2
		cat "$TMP/diff" >&2
		exit 1
	fi
	[ -s "$TMP/sl" ] || fail "$_name: no sockets listed"
	echo "$_name: $(wc -l < "$TMP/sl") rows identical"
}
# wait_rows PROTO PATTERN COUNT PORT...: until ss shows COUNT rows matching PATTERN.
wait_rows() {
	_proto=$1 _pat=$2 _cnt=$3; shift 3
	_n=0
	until [ "$(ss_rows "$_proto" "$@" | grep -Ec "$_pat")" -eq "$_cnt" ]; do
		_n=$((_n + 1)); [ $_n -lt 500 ] || { echo "ss now: $(ss_rows "$_proto" "$@")" >&2; return 1; }
		sleep 0.01
	done
}

# The change watcher runs through the whole scenario (20 ms snapshots, at most 30 s).
"$SL" -t -w 20 -n 1500 "$p" > "$TMP/watch" &
bg_pid $!
wait_for "$TMP/watch" '^watching$' || fail "sockls -w did not start"

# 1. Listeners: TCP on 127.0.0.1 (and ::1), UDP unconnected.
mkfifo "$TMP/srv.in" "$TMP/cli.in"
nc -l 127.0.0.1 "$p" < "$TMP/srv.in" > /dev/null &
srv=$!
bg_pid $srv
exec 3> "$TMP/srv.in" # holds the server's stdin open: it stays idle
nc -u -l 127.0.0.1 "$u" < /dev/null > /dev/null &
bg_pid $!
if [ -n "$v6" ]; then
	nc -l ::1 "$v6" < /dev/null > /dev/null &
	bg_pid $!
	wait_rows t LISTEN 1 "$v6" || fail "nc -l ::1 did not listen"
fi
wait_rows t LISTEN 1 "$p" || fail "nc -l did not listen on $p"
wait_rows u UNCONN 1 "$u" || fail "nc -u -l did not bind $u"
same_moment "listener" t "$p"
same_moment "udp" u "$u"
[ -n "$v6" ] && same_moment "listener ::1" t "$v6"

# 2. An established pair: a client whose stdin is held open too.
nc 127.0.0.1 "$p" < "$TMP/cli.in" > /dev/null &
cli=$!
bg_pid $cli
exec 4> "$TMP/cli.in"
wait_rows t ESTAB 2 "$p" || fail "no established pair on $p"
same_moment "established" t "$p"

# 3. TIME-WAIT: the client closes first (killed, so the kernel sends its FIN); the server sees EOF and
#    closes; the client's socket waits in TIME-WAIT for 60 s.
kill "$cli"
wait_exit "$srv" 10 || fail "nc -l did not exit after the client closed"
wait_rows t 'TIME-WAIT' 1 "$p" || fail "no TIME-WAIT socket after the close"
wait_rows t 'ESTAB|LISTEN|FIN|CLOSE|LAST' 0 "$p" || fail "sockets other than TIME-WAIT remain on $p"
same_moment "time-wait" t "$p"
exec 3>&- 4>&-

# The watcher saw each transition: the listener and both ends appear, the client's socket goes to
# TIME-WAIT as a state change (same kernel socket), the listener and the server's socket go.
wait_for "$TMP/watch" "^~ tcp +TIME-WAIT .*127\.0\.0\.1:$p +\(was " 5 || fail "watcher: no change to TIME-WAIT"
w=$TMP/watch
wait_for "$w" "^- tcp +LISTEN " 5 || fail "watcher: the listener did not go"
# The listener appears LISTEN directly, or first as UNCONN when a refresh fell between bind() and
# listen(), then changes to LISTEN.
grep -Eq "^(\+ tcp +LISTEN .*127\.0\.0\.1:$p |~ tcp +LISTEN .*127\.0\.0\.1:$p .*\(was UNCONN\)$)" "$w" ||
	fail "watcher: no listener appearing: $(cat "$w")"
# Each end shows up ESTAB, directly (+) or after a SYN-SENT/SYN-RECV snapshot (~ or a new socket).
[ "$(grep -Ec "^[+~] tcp +ESTAB " "$w")" -ge 2 ] || fail "watcher: the two ESTAB ends did not appear: $(cat "$w")"
grep -Eq "^~ tcp +TIME-WAIT +0 +0 +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:$p +\(was (ESTAB|FIN-WAIT-1|FIN-WAIT-2)\)" "$w" ||
	fail "watcher: the client's TIME-WAIT was not a change from ESTAB/FIN-WAIT: $(cat "$w")"
echo ok

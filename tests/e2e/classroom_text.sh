# classroom_text.sh — `synwatch --classroom` with stdout not a terminal: one round of every sockdemo scenario
# as a text timeline, calls and packets in causal order (connect before SYN, accept after the handshake's
# last ACK, close and shutdown before their FIN in every flow, errno beside the RST or ICMP error); exits 0,
# leaves no process or file, also after SIGTERM with --keep.
. tests/lib.sh
need_root
need_cmd ss
[ -x "$SD" ] || fail "$SD is missing; run make"
P=$(free_port)
chmod 755 "$TMP" && mkdir -m 1777 "$TMP/tmpdir" # synwatch creates its events file here after dropping root
TMPDIR="$TMP/tmpdir" $SW --classroom -p "$P" > "$TMP/out" 2> "$TMP/err" &
SWPID=$!
bg_pid $SWPID
wait_exit $SWPID 90 || fail "--classroom did not finish one round in 90 s; last lines: $(tail -n 5 "$TMP/out")"
wait $SWPID
rc=$?
[ $rc -eq 0 ] || fail "--classroom exited $rc: $(cat "$TMP/err")"
O="$TMP/out"
[ -z "$(ls -A "$TMP/tmpdir")" ] || fail "--classroom left files behind: $(ls -A "$TMP/tmpdir")"
pgrep -f "sockdemo scenario all .*-p $P " >/dev/null && fail "sockdemo is still running after synwatch exited"

# line N of the first line matching the grep -E pattern, or 0.
at() { grep -n -m1 -E -e "$1" "$O" | cut -d: -f1 | grep . || echo 0; }
# before WHAT A B: line A exists, B exists and A < B.
before() {
	[ "$2" -gt 0 ] || fail "$1: first line not found"
	[ "$3" -gt 0 ] || fail "$1: second line not found"
	[ "$2" -lt "$3" ] || { sed -n "$3,$2p;$2,$3p" "$O" | cut -c1-160 >&2; fail "$1: line $2 is not before line $3"; }
}
# near WHAT A B: B follows A within 3 lines (the errno beside the packet that caused it).
near() {
	before "$1" "$2" "$3"
	[ $(($3 - $2)) -le 3 ] || { sed -n "$2,$3p" "$O" | cut -c1-160 >&2; fail "$1: line $3 is not beside line $2"; }
}

# handshake: the first connected TCP flow.
F=$(grep -m1 -E 'call  client pid [0-9]+: connect\(.*\) = 0 \| flow [0-9]+ client' "$O" | sed -E 's/.*\| flow ([0-9]+) client/\1/')
[ -n "$F" ] || fail "no connect() matched to a flow; output: $(head -n 20 "$O")"
before "handshake: connect before SYN" "$(at "client pid [0-9]+: connect\(.*\| flow $F client$")" \
	"$(at "Flags \[S\],.*\| flow $F c2s")"
before "handshake: last ACK before accept returns" "$(at "\| flow $F c2s \| server SYN-RECEIVED->ESTABLISHED")" \
	"$(at "server pid [0-9]+: accept\(.*\| flow $F server$")"
before "handshake: client close before its FIN" "$(at "client pid [0-9]+: close\(.*\| flow $F client$")" \
	"$(at "Flags \[F\.\].*\| flow $F c2s")"
before "handshake: server close before its FIN" "$(at "server pid [0-9]+: close\(.*\| flow $F server$")" \
	"$(at "Flags \[F\.\].*\| flow $F s2c")"
before "handshake: client FIN before the server's recv() = 0" "$(at "Flags \[F\.\].*\| flow $F c2s")" \
	"$(at "server pid [0-9]+: recv\(.*\"\", .*\) = 0 \| flow $F server$")"

# refused: connect's ECONNREFUSED right after the RST.
near "refused: ECONNREFUSED beside the RST" "$(at "Flags \[R\.\].*connection-refused")" \
	"$(at "connect\(.*= -1 ECONNREFUSED")"
# reset: the server's recv fails with ECONNRESET right after the client's RST.
near "reset: ECONNRESET beside the RST" "$(at "Flags \[R\.\].*\| flow [0-9]+ c2s \| rst")" \
	"$(at "recv\(.*= -1 ECONNRESET")"
# unreachable: the UDP client's recv fails with ECONNREFUSED beside the ICMP port unreachable.
# (the ICMP error quoting our datagram: other programs' ICMP errors on lo pass the filter too)
near "unreachable: ECONNREFUSED beside the ICMP error" "$(at "ICMP destination unreachable, port unreachable.*quoting IP 127\.0\.0\.1:[0-9]+ > 127\.0\.0\.1:$P: UDP")" \
	"$(at "recv\(.*= -1 ECONNREFUSED")"
# udp: sendto before its datagram, recvfrom after it.
U=$(grep -m1 -E 'client pid [0-9]+: sendto\(.*\| flow [0-9]+ client$' "$O" | sed -E 's/.*\| flow ([0-9]+) client/\1/')
[ -n "$U" ] || fail "no UDP sendto() matched to a flow"
before "udp: sendto before the datagram" "$(at "client pid [0-9]+: sendto\(.*\| flow $U client$")" "$(at "UDP.*\| flow $U c2s")"
before "udp: the datagram before recvfrom" "$(at "UDP.*\| flow $U c2s")" "$(at "server pid [0-9]+: recvfrom\(.*\| flow $U server$")"
# Every flow: a close()/shutdown() that made a FIN stands before that FIN; accept() returns after the
# handshake's last ACK (halfclose, simultaneous-close, backlog and timewait included).
awk '
function flowof(line,   m) { if (match(line, /\| flow [0-9]+ /)) return substr(line, RSTART + 7, RLENGTH - 8); return "" }
/ call  (client|server) pid [0-9]+: (close|shutdown)\(/ && / = 0 \| flow [0-9]+ (client|server)$/ {
	f = flowof($0); side = ($0 ~ /client$/) ? "c2s" : "s2c"
	if (!((f, side) in closer)) closer[f, side] = NR
}
/ IP .*Flags \[F/ {
	f = flowof($0); side = ($0 ~ /\| flow [0-9]+ c2s/) ? "c2s" : "s2c"
	if (!((f, side) in fin)) fin[f, side] = NR
}
/ call  server pid [0-9]+: accept4?\(.*\| flow [0-9]+ server$/ { f = flowof($0); if (!(f in acc)) acc[f] = NR }
/server SYN-RECEIVED->ESTABLISHED/ { f = flowof($0); if (!(f in est)) est[f] = NR }
END {
	for (k in fin) if ((k in closer) && closer[k] > fin[k]) { split(k, p, SUBSEP); printf "flow %s %s: close/shutdown (line %d) after its FIN (line %d)\n", p[1], p[2], closer[k], fin[k]; bad = 1 }
	for (f in acc) if ((f in est) && acc[f] < est[f]) { printf "flow %s: accept (line %d) before the last ACK (line %d)\n", f, acc[f], est[f]; bad = 1 }
	for (k in closer) n++
	if (n < 8) { printf "only %d closing calls matched to flows\n", n; bad = 1 }
	exit bad
}' "$O" > "$TMP/order" || fail "$(cat "$TMP/order")"
# the socket table's changes are on the timeline too.
grep -qE ' socket \+ tcp +TIME-WAIT ' "$O" || fail "no TIME-WAIT socket appeared on the timeline"
# every scenario's calls are there: 9 scenarios, each opens sockets.
n=$(grep -cE 'call  (client|server) pid [0-9]+: socket\(' "$O")
[ "$n" -ge 14 ] || fail "only $n socket() calls on the timeline"
echo "classroom text: $(grep -c ' call ' "$O") calls, $(grep -c ' IP ' "$O") packets in order"

# --keep loops the scenarios; SIGTERM ends synwatch, sockdemo and the events file with it.
TMPDIR="$TMP/tmpdir" $SW --classroom --keep -p "$P" > "$TMP/keep" 2> "$TMP/keep.err" &
KPID=$!
bg_pid $KPID
wait_for "$TMP/keep" 'call  client pid [0-9]+: connect\(' 30 || fail "--classroom --keep showed no connect"
pgrep -f "sockdemo scenario all --loop -p $P " >/dev/null || fail "--keep did not run the scenarios in a loop"
kill -TERM $KPID
wait_exit $KPID 10 || fail "--classroom did not stop on SIGTERM"
n=0
while pgrep -f "sockdemo scenario all --loop -p $P " >/dev/null; do
	n=$((n + 1)); [ $n -lt 100 ] || fail "sockdemo still runs after synwatch ended on SIGTERM"; sleep 0.05
done
[ -z "$(ls -A "$TMP/tmpdir")" ] || fail "files left after SIGTERM: $(ls -A "$TMP/tmpdir")"
expect_exit 2 'sets its own filter' $SW --classroom port 80
expect_exit 2 'takes a port' $SW --classroom -p 0

# trace_strace.sh — the ptrace tracer (via tests/tools/tracecat) reports the same socket calls as strace, with the same arguments and return values, for nc as server and client and for a fixed program of socket calls.
#
# What is normalised before comparing, and why:
#  - strace's "PID " prefix and its column padding before " = " (tracecat prints neither);
#  - strace -y's fd annotations (<socket:[INODE]>, <pipe:[N]>, </path>): strace needs them here only to
#    tell which read/write/close/poll calls were on sockets, the calls the tracer reports;
#  - read/write/close/poll on fds that are not sockets are dropped from strace's output (the tracer does
#    not report them);
#  - poll is left out of the nc comparison, and read's buffer-size argument becomes N there: nc's poll
#    results and the room left in its output buffer depend on how the two ends' timing interleaves;
#    both are compared exactly in the deterministic sockcalls program;
#  - each run has its own ports (the runs happen one after the other, TIME-WAIT holds the old ones):
#    the listening port becomes PORT, nc's ephemeral client port EPH, sockcalls' base+k becomes Pk;
#  - user-space pointers (printed for failed reads) become 0xADDR: ASLR differs between runs.
. tests/lib.sh
command -v strace >/dev/null 2>&1 || skip "strace is not installed (needed to compare with; add it to .ci/install-deps)"
need_cmd nc
need_cmd ss
TC=build/tools/tracecat
SC=build/tools/sockcalls
[ -x "$TC" ] && [ -x "$SC" ] || fail "$TC or $SC is missing; run make tools"
strace -qq -o /dev/null true 2>/dev/null || skip "ptrace is not permitted here (strace cannot trace)"

CALLS=socket,bind,listen,accept,accept4,connect,sendto,recvfrom,sendmsg,recvmsg,shutdown,setsockopt,getsockopt,read,write,close,poll

# norm_strace FILE: strace -f -y output reduced to the socket calls, in tracecat's form.
norm_strace() {
	sed -E 's/^[0-9]+ +//' "$1" |
	grep -E '^(socket|bind|listen|accept4?|connect|sendto|recvfrom|sendmsg|recvmsg|shutdown|setsockopt|getsockopt)\(|^(read|write|close|poll)\(.*<socket:\[' |
	sed -E 's/<(socket|pipe|anon_inode|TCP|UDP|UNIX):\[[^]]*\]>//g; s#</[^>]*>##g; s/\) +=/) =/'
}

# norm_ports FILE PORT: the listening port as PORT, any other port as EPH; pointers as 0xADDR; read's
# buffer size as N.
norm_ports() {
	sed -E "s/htons\($2\)/htons(PORT)/g; s/htons\([0-9]+\)/htons(EPH)/g; s/0x[0-9a-f]+/0xADDR/g;
		s/^(read\(.*), [0-9]+\) = /\1, N) = /" "$1"
}

# run_pair PORT SERVER_TRACER CLIENT_TRACER: nc server and client, each under its tracer command.
run_pair() {
	_p=$1
	$2 "$TMP/srv.$_p" nc -l 127.0.0.1 "$_p" > "$TMP/srv.out.$_p" < /dev/null &
	_srv=$!
	bg_pid $_srv
	wait_listen "$_p" || fail "nc -l did not listen on $_p"
	printf 'hi\n' | $3 "$TMP/cli.$_p" nc -N 127.0.0.1 "$_p" &
	_cli=$!
	bg_pid $_cli
	wait_exit $_cli 10 || fail "traced nc client did not finish in 10 s (port $_p)"
	wait $_cli || fail "traced nc client failed (port $_p)"
	wait_exit $_srv 10 || fail "nc -l did not exit after the client closed (port $_p)"
	wait $_srv || fail "traced nc server exited non-zero (port $_p)"
	[ "$(cat "$TMP/srv.out.$_p")" = hi ] || fail "nc -l printed '$(cat "$TMP/srv.out.$_p")', want 'hi'"
}
# exec: these run in background subshells, so $! is the tracer itself and the cleanup's kill reaches it
# (and PTRACE_O_EXITKILL or strace then ends the traced nc).
with_strace() { _o=$1; shift; exec strace -f -qq -y -e trace=$CALLS -o "$_o" "$@"; }
with_tracecat() { _o=$1; shift; exec "$TC" -o "$_o" -- "$@"; }

# compare WHAT A B: fail with a diff when the normalised lists differ or are empty.
compare() {
	[ -s "$2" ] || fail "$1: strace reported no socket calls"
	[ -s "$3" ] || fail "$1: the tracer reported no socket calls"
	if ! diff -u "$2" "$3" > "$TMP/diff"; then
		echo "$1: strace (-) and the tracer (+) differ:" >&2
		cat "$TMP/diff" >&2
		exit 1
	fi
	echo "$1: $(wc -l < "$2") calls identical"
}

# Run A: server traced by us, client by strace. Run B: the other way round.
pa=$(free_port)
run_pair "$pa" with_tracecat with_strace
pb=$(free_port)
[ "$pb" != "$pa" ] || pb=$((pa + 1))
run_pair "$pb" with_strace with_tracecat

norm_strace "$TMP/srv.$pb" | grep -v '^poll(' > "$TMP/srv.st"
grep -v '^poll(' "$TMP/srv.$pa" > "$TMP/srv.tc"
norm_ports "$TMP/srv.st" "$pb" > "$TMP/srv.st.n"
norm_ports "$TMP/srv.tc" "$pa" > "$TMP/srv.tc.n"
compare "nc -l (server)" "$TMP/srv.st.n" "$TMP/srv.tc.n"
norm_strace "$TMP/cli.$pa" | grep -v '^poll(' > "$TMP/cli.st"
grep -v '^poll(' "$TMP/cli.$pb" > "$TMP/cli.tc"
norm_ports "$TMP/cli.st" "$pa" > "$TMP/cli.st.n"
norm_ports "$TMP/cli.tc" "$pb" > "$TMP/cli.tc.n"
compare "nc (client)" "$TMP/cli.st.n" "$TMP/cli.tc.n"

# The calls the classroom view is about must be there, with their results.
grep -q '^listen([0-9]*, 1) = 0$' "$TMP/srv.tc.n" || fail "no listen() in the traced server"
grep -Eq '^accept4?\([0-9]+, \{sa_family=AF_INET, sin_port=htons\(EPH\), sin_addr=inet_addr\("127.0.0.1"\)\}, \[128 => 16\].* = [0-9]+$' "$TMP/srv.tc.n" ||
	fail "no accept with the client's address in the traced server"
grep -q '^connect([0-9]*, {sa_family=AF_INET, sin_port=htons(PORT), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)$' "$TMP/cli.tc.n" ||
	fail "no non-blocking connect() = -1 EINPROGRESS in the traced client"
grep -q '^write([0-9]*, "hi\\n", 3) = 3$' "$TMP/cli.tc.n" || fail "no write of hi in the traced client"

# sockcalls: every decoded call kind, IPv4, IPv6, TCP, UDP, errors; compared whole, poll included.
six=""
ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/' && six=-6
base_ok() { # base_ok P: P..P+7 unused now
	for _k in 0 1 2 3 4 5 6 7; do
		ss -Htuan "( sport = :$(($1 + _k)) or dport = :$(($1 + _k)) )" | grep -q . && return 1
	done
	return 0
}
free_base() {
	_b=$(free_port)
	_t=0
	until [ "$_b" -le 29990 ] && base_ok "$_b"; do
		_b=$(( 20000 + (_b - 20000 + 97) % 9990 )); _t=$((_t + 1)); [ $_t -lt 100 ] || break
	done
	echo "$_b"
}
b1=$(free_base)
strace -f -qq -y -e trace=$CALLS -o "$TMP/sc.strace" "$SC" $six "$b1" || fail "sockcalls under strace failed"
b2=$(free_base)
[ "$b2" != "$b1" ] || b2=$((b1 + 8))
"$TC" -o "$TMP/sc.trace" -- "$SC" $six "$b2" || fail "sockcalls under the tracer failed (exit $?)"
base_sed() { # base_sed BASE: sed script mapping BASE+k to Pk
	for _k in 0 1 2 3 4 5 6 7; do printf 's/htons(%d)/htons(P%d)/g;' $(($1 + _k)) "$_k"; done
	printf 's/0x[0-9a-f][0-9a-f]*/0xADDR/g'
}
norm_strace "$TMP/sc.strace" | sed "$(base_sed "$b1")" > "$TMP/sc.st.n"
sed "$(base_sed "$b2")" "$TMP/sc.trace" > "$TMP/sc.tc.n"
compare "sockcalls $six" "$TMP/sc.st.n" "$TMP/sc.tc.n"
n=$(wc -l < "$TMP/sc.tc.n")
[ "$n" -ge 45 ] || fail "sockcalls: only $n calls reported, want at least 45"
for want in 'ECONNREFUSED (Connection refused)' 'ECONNRESET (Connection reset by peer)' 'EAGAIN (Resource' \
	'SO_ERROR, \[ECONNREFUSED\]' 'SO_LINGER, {l_onoff=1, l_linger=0}' '^sendmsg(' '^recvmsg(.*msg_namelen=128 => 16' \
	'"\\0\\1\\2abc\\377\\n7\\"\\\\\\t"' 'revents=POLLOUT|POLLERR|POLLHUP'; do
	grep -q -- "$want" "$TMP/sc.tc.n" || fail "sockcalls: no line matching /$want/ in the tracer's output"
done
echo ok

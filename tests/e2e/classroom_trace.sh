# classroom_trace.sh — `synwatch --trace -- nc` as server and client: the calls it shows are strace's for the
# same commands (same calls, order, return values), the packets come with them, and synwatch exits with the
# command's exit status (127 when it cannot run).
. tests/lib.sh
need_root
command -v strace >/dev/null 2>&1 || skip "strace is not installed (needed to compare with; .ci/install-deps installs it)"
need_cmd nc
need_cmd ss
strace -qq -o /dev/null true 2>/dev/null || skip "ptrace is not permitted here (strace cannot trace)"
CALLS=socket,bind,listen,accept,accept4,connect,sendto,recvfrom,sendmsg,recvmsg,shutdown,setsockopt,getsockopt,read,write,close

# strace -f -y output reduced to the socket calls, as synwatch prints them (poll left out: its result
# depends on how the two ends interleave; read's buffer size too).
norm_strace() {
	sed -E 's/^[0-9]+ +//' "$1" |
	grep -E '^(socket|bind|listen|accept4?|connect|sendto|recvfrom|sendmsg|recvmsg|shutdown|setsockopt|getsockopt)\(|^(read|write|close)\(.*<socket:\[' |
	sed -E 's/<(socket|pipe|anon_inode|TCP|UDP|UNIX):\[[^]]*\]>//g; s#</[^>]*>##g; s/\) +=/) =/'
}
# synwatch's call lines: "TIME call  traced pid N: CALL | flow F side" -> "CALL", poll left out.
norm_sw() {
	grep -E '^[0-9:.]+ call  traced pid [0-9]+: ' "$1" | sed -E 's/^[0-9:.]+ call  traced pid [0-9]+: //; s/ \| flow [0-9]+ (client|server)$//' |
	grep -v '^poll('
}
norm_ports() {
	sed -E "s/htons\($2\)/htons(PORT)/g; s/htons\([0-9]+\)/htons(EPH)/g; s/0x[0-9a-f]+/0xADDR/g;
		s/^(read\(.*), [0-9]+\) = /\1, N) = /" "$1"
}
# run_pair PORT MODE: nc server and client, both under synwatch --trace (MODE sw) or strace (MODE st).
run_pair() {
	_p=$1
	if [ "$2" = sw ]; then
		$SW --trace "tcp port $_p" -- nc -l 127.0.0.1 "$_p" > "$TMP/srv.sw" 2> "$TMP/srv.sw.err" < /dev/null &
	else
		strace -f -qq -y -e trace=$CALLS -o "$TMP/srv.st" nc -l 127.0.0.1 "$_p" > /dev/null < /dev/null &
	fi
	_srv=$!
	bg_pid $_srv
	wait_listen "$_p" || fail "nc -l did not listen on $_p ($2)"
	if [ "$2" = sw ]; then
		printf 'hi\n' | $SW --trace "tcp port $_p" -- nc -N 127.0.0.1 "$_p" > "$TMP/cli.sw" 2> "$TMP/cli.sw.err" &
	else
		printf 'hi\n' | strace -f -qq -y -e trace=$CALLS -o "$TMP/cli.st" nc -N 127.0.0.1 "$_p" > /dev/null &
	fi
	_cli=$!
	bg_pid $_cli
	wait_exit $_cli 15 || fail "the nc client ($2) did not finish in 15 s"
	wait $_cli || fail "the nc client under $2 exited $?: $(cat "$TMP/cli.sw.err" 2>/dev/null)"
	wait_exit $_srv 15 || fail "nc -l ($2) did not exit after the client closed"
	wait $_srv || fail "nc -l under $2 exited $?: $(cat "$TMP/srv.sw.err" 2>/dev/null)"
}
P1=$(free_port)
run_pair "$P1" sw
P2=$P1
while [ "$P2" = "$P1" ]; do P2=$(free_port); done
run_pair "$P2" st
for side in srv cli; do
	norm_sw "$TMP/$side.sw" > "$TMP/$side.a"
	norm_ports "$TMP/$side.a" "$P1" > "$TMP/$side.sw.n"
	norm_strace "$TMP/$side.st" > "$TMP/$side.b"
	norm_ports "$TMP/$side.b" "$P2" > "$TMP/$side.st.n"
	[ -s "$TMP/$side.st.n" ] || fail "$side: strace reported no socket calls"
	if ! diff -u "$TMP/$side.st.n" "$TMP/$side.sw.n" > "$TMP/diff"; then
		echo "$side: strace (-) and synwatch --trace (+) differ:" >&2
		cat "$TMP/diff" >&2
		exit 1
	fi
	echo "$side: $(wc -l < "$TMP/$side.st.n") calls as strace shows them"
done
# The packets are on the same timeline: the server's accept4 comes after the handshake's last ACK.
grep -qE 'accept4\(.*\| flow [0-9]+ server$' "$TMP/srv.sw" || fail "accept4 not matched to the flow: $(cat "$TMP/srv.sw")"
a=$(grep -n -m1 -E 'accept4\(' "$TMP/srv.sw" | cut -d: -f1)
k=$(grep -n -m1 -E 'server SYN-RECEIVED->ESTABLISHED' "$TMP/srv.sw" | cut -d: -f1)
[ -n "$k" ] && [ "$k" -lt "$a" ] || fail "the handshake's last ACK (line ${k:-none}) is not before accept4 (line $a)"
c=$(grep -n -m1 -E 'connect\(.*\| flow [0-9]+ client$' "$TMP/cli.sw" | cut -d: -f1)
s=$(grep -n -m1 -E 'Flags \[S\]' "$TMP/cli.sw" | cut -d: -f1)
[ -n "$c" ] && [ -n "$s" ] && [ "$c" -lt "$s" ] || fail "client: connect (line ${c:-none}) not before SYN (line ${s:-none})"

# Exit status: the command's; 127 when it cannot run.
$SW --trace -- sh -c 'exit 7' > /dev/null 2> "$TMP/seven.err"
rc=$?
[ $rc -eq 7 ] || fail "--trace -- sh -c 'exit 7' exited $rc: $(cat "$TMP/seven.err")"
expect_exit 127 "cannot run 'no-such-command-here'" $SW --trace -- no-such-command-here
# nc to a port nobody listens on fails (exit 1): so does synwatch, showing the RST and SO_ERROR ECONNREFUSED.
P3=$(free_port)
$SW --trace "tcp port $P3" -- nc -N 127.0.0.1 "$P3" < /dev/null > "$TMP/ref.out" 2> "$TMP/ref.err"
rc=$?
[ $rc -eq 1 ] || fail "--trace -- nc to a closed port exited $rc, want nc's 1: $(cat "$TMP/ref.err")"
grep -qE "getsockopt\(.*SO_ERROR, \[ECONNREFUSED\]" "$TMP/ref.out" || fail "no refused connect shown: $(cat "$TMP/ref.out")"
expect_exit 2 'needs a command after --' $SW --trace
expect_exit 2 '--keep goes with --trace' $SW --keep

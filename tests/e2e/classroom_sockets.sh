# classroom_sockets.sh — `synwatch --sockets`: the socket-table changes it prints add up, at each step of a held
# connection (listening, established, closed into TIME-WAIT), to what `ss -tan` shows for the same port.
. tests/lib.sh
need_root
need_cmd ss
[ -x "$SD" ] || fail "$SD is missing; run make"
P=$(free_port)
$SW --sockets --text "tcp port $P" > "$TMP/out" 2> "$TMP/err" &
SWPID=$!
bg_pid $SWPID
wait_for "$TMP/err" 'listening on' 10 || fail "synwatch did not start: $(cat "$TMP/err")"

# The table synwatch's lines describe now: "STATE LOCAL PEER" per socket, sorted.
sw_table() {
	awk '$2 == "socket" && $4 == "tcp" {
		key = $8 " " $9
		if ($3 == "-") delete t[key]; else t[key] = $5 " " $8 " " $9
	} END { for (k in t) print t[k] }' "$TMP/out" | sort
}
ss_table() { ss -Htan "( sport = :$P or dport = :$P )" | awk '{ print $1, $4, $5 }' | sort; }
# same WHAT: until synwatch's table equals ss's (5 s at most), and it is not empty.
same() {
	_n=0
	while :; do
		sw_table > "$TMP/sw"; ss_table > "$TMP/ss"
		if [ -s "$TMP/ss" ] && cmp -s "$TMP/sw" "$TMP/ss"; then
			echo "$1: $(tr '\n' ';' < "$TMP/ss")"
			return 0
		fi
		_n=$((_n + 1))
		[ $_n -lt 250 ] || { echo "$1: ss -tan (-) and synwatch --sockets (+) differ:" >&2; diff -u "$TMP/ss" "$TMP/sw" >&2; exit 1; }
		sleep 0.02
	done
}

$SD server -p "$P" --no-narrate 2> "$TMP/server.err" &
bg_pid $!
# LISTEN appears new (+), or as a change (~) when a refresh fell between bind() and listen().
wait_for "$TMP/out" " socket [+~] tcp +LISTEN .*:$P " 10 || fail "no LISTEN socket shown: $(cat "$TMP/server.err")"
same "listening"

mkfifo "$TMP/in"
$SD client --no-narrate 127.0.0.1 "$P" < "$TMP/in" > "$TMP/client.out" 2> "$TMP/client.err" &
CPID=$!
bg_pid $CPID
exec 3> "$TMP/in" # holds the client's stdin open: the connection stays established
wait_for "$TMP/out" " socket \+ tcp +ESTAB " 10 || fail "no ESTAB socket shown"
same "established"

exec 3>&- # end of input: the client closes first, its end goes to TIME-WAIT
wait_exit $CPID 10 || fail "the client did not finish"
# Now and then the kernel ends the client's TIME-WAIT at once: a late duplicate ACK from the server draws
# the client's ACK, the server's socket (already closed) answers RST, and Linux (tcp_rfc1337 = 0) drops
# TIME-WAIT on that RST. The capture shows it ("client TIME-WAIT->CLOSED" on the RST); only then is
# the exchange run again, with a new connection, at most twice.
tries=1
until wait_for "$TMP/out" " socket [+~] tcp +TIME-WAIT " 10; do
	[ "$(grep -c 'client TIME-WAIT->CLOSED' "$TMP/out")" -ge $tries ] && [ $tries -lt 3 ] || fail "no TIME-WAIT shown"
	echo "the kernel ended TIME-WAIT on an RST (try $tries); connecting again"
	tries=$((tries + 1))
	$SD client --no-narrate -m again 127.0.0.1 "$P" > /dev/null 2> "$TMP/client.err" || fail "client: $(cat "$TMP/client.err")"
done
same "closed"
grep -qE " socket - tcp +ESTAB .*:$P " "$TMP/out" || fail "the server's connection socket was not shown going away"

kill -INT $SWPID
wait_exit $SWPID 10 || fail "synwatch did not stop on SIGINT"
wait $SWPID
rc=$?
[ $rc -eq 0 ] || fail "synwatch --sockets exited $rc on SIGINT: $(cat "$TMP/err")"
expect_exit 2 'cannot go with -r' $SW --sockets -r pcaps/handshake.pcap
expect_exit 2 '--ports takes' $SW --sockets --ports 0

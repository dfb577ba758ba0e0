# classroom_port.sh — another program's server on the classroom's port: with -p PORT synwatch refuses at once with the fix (exit 2); on the default port it moves to a free one and says which (text, and the panel's footer); --pace outside --classroom is refused.
. tests/lib.sh
need_root
need_cmd ss
[ -x "$SD" ] || fail "$SD is missing; run make"
HOLDERS=""
hold() { # hold PORT: a foreign server listening on 127.0.0.1:PORT
	"$SD" server -p "$1" --no-narrate --discard > /dev/null 2>&1 &
	bg_pid $!
	HOLDERS="$HOLDERS $!"
	_w=100
	while ! ss -Htln "sport = :$1" | grep -q . ; do
		_w=$((_w - 1)); [ $_w -gt 0 ] || fail "the foreign server on $1 did not start"; sleep 0.02
	done
}

# -p PORT taken: exit 2 at once, one line naming the port and the fix; no capture, no sockdemo.
P=$(free_port)
hold "$P"
$SW --classroom -p "$P" --text > "$TMP/out" 2> "$TMP/err"
rc=$?
[ $rc -eq 2 ] || fail "-p $P taken: exit $rc, not 2 ($(cat "$TMP/err"))"
[ "$(wc -l < "$TMP/err")" -eq 1 ] || fail "not one line: $(cat "$TMP/err")"
grep -q "another program has a socket on port $P of lo.*fix: stop it, or pick a free port with -p PORT" "$TMP/err" ||
	fail "message: $(cat "$TMP/err")"
[ ! -s "$TMP/out" ] || fail "output despite the refusal"

# The default port taken: the classroom moves and says so; its scenarios then run there.
if ! ss -Htuan "sport = :8888" | grep -q . ; then hold 8888; fi
chmod 755 "$TMP" && mkdir -m 1777 "$TMP/tmpdir"
TMPDIR="$TMP/tmpdir" timeout 120 $SW --classroom --text > "$TMP/out" 2> "$TMP/err"
rc=$?
[ $rc -eq 0 ] || fail "default port taken: exit $rc ($(cat "$TMP/err"))"
moved=$(sed -n 's/.*port 8888 is taken by another program.*the classroom uses port \([0-9]*\).*/\1/p' "$TMP/err")
[ -n "$moved" ] || fail "no note of the move: $(cat "$TMP/err")"
grep -q "127.0.0.1:$moved: Flags \[S\]" "$TMP/out" || fail "no SYN to the new port $moved"
grep -q "127.0.0.1:8888: Flags" "$TMP/out" && fail "packets to the foreign server on 8888 were in the classroom"

# The panel shows the same note in its footer at start (tui_tmux.sh's exit trap replaces lib.sh's: both
# cleanups run here, and the foreign servers are stopped).
. tests/e2e/lib/tui_tmux.sh
trap 'kill $HOLDERS 2>/dev/null; tui_cleanup; cleanup' EXIT
tui_start 200 30 --classroom
tui_wait "port 8888 is taken by another program" 10 || exit 1
tui_keys q
tui_wait_gone "port 8888 is taken" 5 || exit 1

# Another program takes the port while the scenarios loop: sockdemo stops and the panel says why.
P2=$(free_port)
tui_start 200 30 --classroom -p "$P2" --pace 0.2
tui_wait "TIME-WAIT" 30 || exit 1 # a scenario has run; its listener is closed between scenarios
n=0
while :; do # grab the port in a gap between two scenarios: a holder that is still running got it
	"$SD" server -p "$P2" --no-narrate --discard > /dev/null 2>&1 &
	h=$!
	HOLDERS="$HOLDERS $h"
	sleep 0.2
	kill -0 $h 2>/dev/null && break
	n=$((n + 1)); [ $n -lt 100 ] || { echo "FAIL: could not take port $P2 between scenarios"; exit 1; }
done
tui_wait "sockdemo exited with status 3" 30 || exit 1
tui_keys q

# --pace belongs to --classroom.
$SW -r pcaps/handshake.pcap --pace 1 > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] || fail "--pace without --classroom accepted"
echo "ok: -p taken refused, default moved to $moved and said in text and panel, --pace outside refused"

# sockdemo_pace.sh — --pace waits before each socket call that changes a socket or sends, --pace-file's number applies while a scenario runs, and --loop stops when another program holds the port.
. tests/lib.sh

# --pace 0.25: the client's socket, connect, send and close each wait a quarter second (the handshake
# scenario's client makes 4 paced calls; its events are stamped when each call returned).
PORT=$(free_port)
"$SD" scenario handshake -p "$PORT" --pace 0.25 --no-narrate --events "$TMP/ev" || fail "paced scenario failed"
awk -F'"ts":' '/"role":"client"/ && /"call":"(socket|connect|send|close)"/ { split($2, a, ","); print a[1] }' "$TMP/ev" > "$TMP/ts"
[ "$(wc -l < "$TMP/ts")" -ge 4 ] || fail "client calls missing: $(cat "$TMP/ev")"
awk 'NR > 1 && $1 - prev < 240000 { bad = 1; print "calls " (NR - 1) " and " NR " only " ($1 - prev) " us apart" } { prev = $1 } END { exit bad }' "$TMP/ts" ||
	fail "--pace 0.25 did not space the client's calls"

# --pace-file: 30 s at first (the scenario waits before its first call), then 0: it finishes at once.
PORT=$(free_port)
echo 30 > "$TMP/pace"
"$SD" scenario handshake -p "$PORT" --pace-file "$TMP/pace" --no-narrate --events "$TMP/ev2" &
pid=$!
bg_pid $pid
sleep 0.5 # unpaced, the whole scenario takes about 50 ms
[ -s "$TMP/ev2" ] && fail "a call came before its 30 s wait: $(head -n 1 "$TMP/ev2")"
kill -0 $pid 2>/dev/null || fail "the paced scenario ended early"
echo 0 > "$TMP/pace.new" && mv "$TMP/pace.new" "$TMP/pace"
wait_exit $pid 10 || fail "the scenario did not speed up when the pace file said 0"
wait $pid || fail "the re-paced scenario failed"
grep -q '"call":"close"' "$TMP/ev2" || fail "the re-paced scenario did not finish"

# Another program's server on the port: the loop stops with status 3 (not looping on with clients talking
# to that server).
PORT=$(free_port)
"$SD" server -p "$PORT" --no-narrate --discard 2>/dev/null &
bg_pid $!
wait_port=50
while ! ss -Htln "sport = :$PORT" | grep -q . && [ $wait_port -gt 0 ]; do sleep 0.02; wait_port=$((wait_port - 1)); done
"$SD" scenario all --loop -p "$PORT" --no-narrate 2> "$TMP/err" &
lp=$!
bg_pid $lp
wait_exit $lp 20 || fail "scenario --loop went on with another server on its port"
wait $lp
rc=$?
[ "$rc" -eq 3 ] || fail "exit status $rc, not 3; stderr: $(cat "$TMP/err")"
grep -q 'in use' "$TMP/err" || fail "no 'in use' message: $(cat "$TMP/err")"
echo "ok: --pace spaces calls, --pace-file applies at once, --loop stops on a taken port"

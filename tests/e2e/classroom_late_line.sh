# classroom_late_line.sh — the live merge waits for a writer that returned from a call but has not written
# its line yet (here stopped, as a process descheduled between accept() returning and its events line):
# packets captured meanwhile are held, however long, and come out after that call once its line is read.
. tests/lib.sh
need_root
need_cmd nc
T=build/tools/lateline
[ -x "$T" ] || fail "$T is missing; run make tools"
P=$(free_port)
chmod 755 "$TMP"
: > "$TMP/ev.jsonl"
chmod 666 "$TMP/ev.jsonl"
$SW --events "$TMP/ev.jsonl" --text "udp port $P" > "$TMP/out" 2> "$TMP/err" &
SWPID=$!
bg_pid $SWPID
wait_for "$TMP/err" 'listening on' 10 || fail "synwatch did not start"
$T "$TMP/ev.jsonl" "$P" > "$TMP/lt.out" 2>&1 &
LT=$!
bg_pid $LT
wait_for "$TMP/lt.out" '^ready' 10 || fail "lateline did not start: $(cat "$TMP/lt.out")"
n=0
until [ "$(sed 's/.*) //' "/proc/$LT/stat" 2>/dev/null | cut -c1)" = T ]; do
	n=$((n + 1))
	[ $n -lt 250 ] || fail "lateline never stopped"
	sleep 0.02
done
wait_for "$TMP/out" 'call  server pid [0-9]+: listen\(' 10 || fail "the listen() line was not shown"
for i in 1 2 3; do printf 'x' | nc -u -w0 127.0.0.1 "$P"; done
# Six times the grace: the packets must still be held (their writer may be about to write an earlier call).
sleep 0.6
if grep -q 'UDP' "$TMP/out"; then
	cat "$TMP/out" >&2
	fail "packets were shown while a writer had not written the call it returned before them"
fi
kill -CONT $LT
wait_for "$TMP/lt.out" '^done' 10 || fail "lateline did not finish"
wait_lines "$TMP/out" 'UDP' 3 10 || fail "the held packets never came"
a=$(grep -n -m1 'call  server pid [0-9]*: accept(' "$TMP/out" | cut -d: -f1)
u=$(grep -n -m1 'UDP' "$TMP/out" | cut -d: -f1)
[ -n "$a" ] && [ "$a" -lt "$u" ] || { cat "$TMP/out" >&2; fail "accept() (line $a) is not before the packets (line $u)"; }
kill -INT $SWPID
wait_exit $SWPID 10 || fail "synwatch did not stop"
echo "late line: 3 packets held while the writer was stopped, shown after its accept()"

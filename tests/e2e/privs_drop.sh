# privs_drop.sh — run as root, synwatch becomes nobody with no capabilities once the capture is open; -Z names another user.
. tests/lib.sh
need_root
port=$(free_port)
"$SW" -i lo --text "udp port $port" > "$TMP/out" 2> "$TMP/err" &
sw=$!
bg_pid $sw
wait_for "$TMP/err" "listening on lo" || fail "synwatch did not start"
nobody=$(id -u nobody)
grep -Eq "^Uid:[[:space:]]+$nobody[[:space:]]+$nobody[[:space:]]+$nobody[[:space:]]+$nobody" /proc/$sw/status ||
	fail "still not nobody: $(grep Uid /proc/$sw/status)"
for set in CapEff CapPrm CapInh CapAmb; do
	grep -q "^$set:[[:space:]]*0000000000000000" /proc/$sw/status || fail "$set not empty: $(grep "^$set" /proc/$sw/status)"
done
# Still capturing after the drop.
printf 'x' | nc -u -w0 127.0.0.1 "$port"
wait_for "$TMP/out" ":$port: UDP, length 1" || fail "no packet captured after the drop"
kill -TERM $sw
wait_exit $sw 10 || fail "synwatch did not stop"

expect_exit 1 "cannot switch to user 'no-such-user-xyz'.*-Z USER" "$SW" -i lo -Z no-such-user-xyz -c 1
"$SW" -i lo -Z root --text "udp port $port" > /dev/null 2> "$TMP/err2" &
sw=$!
bg_pid $sw
wait_for "$TMP/err2" "listening on lo" || fail "synwatch -Z root did not start"
grep -Eq "^Uid:[[:space:]]+0[[:space:]]" /proc/$sw/status || fail "-Z root did not keep root"
kill -TERM $sw
echo ok

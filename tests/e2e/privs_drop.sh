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
# Nothing listens there: the client's datagram is answered by ICMP port unreachable (sockdemo exits 4).
"$SD" client --udp --no-narrate -m x 127.0.0.1 "$port" > /dev/null 2>&1
wait_for "$TMP/out" ":$port: UDP, length 2" || fail "no packet captured after the drop"
kill -TERM $sw
wait_exit $sw 10 || fail "synwatch did not stop"

expect_exit 1 "cannot switch to user 'no-such-user-xyz'.*-Z USER" "$SW" -i lo -Z no-such-user-xyz -c 1
# Started through sudo, it becomes the user who ran sudo.
if id -u daemon > /dev/null 2>&1; then
	SUDO_USER=daemon SUDO_UID=$(id -u daemon) "$SW" -i lo --text "udp port $port" > /dev/null 2> "$TMP/err3" &
	sw=$!
	bg_pid $sw
	wait_for "$TMP/err3" "listening on lo" || fail "synwatch did not start"
	grep -Eq "^Uid:[[:space:]]+$(id -u daemon)[[:space:]]" /proc/$sw/status || fail "did not become the sudo user: $(grep Uid /proc/$sw/status)"
	kill -TERM $sw
fi
"$SW" -i lo -Z root --text "udp port $port" > /dev/null 2> "$TMP/err2" &
sw=$!
bg_pid $sw
wait_for "$TMP/err2" "listening on lo" || fail "synwatch -Z root did not start"
grep -Eq "^Uid:[[:space:]]+0[[:space:]]" /proc/$sw/status || fail "-Z root did not keep root"
kill -TERM $sw
echo ok

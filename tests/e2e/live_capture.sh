# live_capture.sh — live on lo with a filter: the TCP handshake, data and FIN and the UDP datagrams are reported; other traffic is not.
. tests/lib.sh
need_root
need_cmd nc
tport=$(free_port)
uport=$((tport + 1))
other=$((tport + 2))

"$SW" -i lo --json "tcp port $tport or udp port $uport" > "$TMP/out.json" 2> "$TMP/err" &
sw=$!
bg_pid $sw
wait_for "$TMP/err" "listening on lo" || fail "synwatch did not start: $(cat "$TMP/err")"

nc -l 127.0.0.1 "$tport" > "$TMP/tcp.recv" &
bg_pid $!
"$SD" server --udp --no-narrate -p "$uport" > /dev/null 2>&1 &
bg_pid $!
n=0
until ss -Hltn "sport = :$tport" | grep -q . && ss -Hlun "sport = :$uport" | grep -q .; do
	n=$((n + 1)); [ $n -lt 500 ] || fail "nc did not listen"; sleep 0.01
done
# Outside the filter: a refused TCP connect and a UDP datagram on other ports.
nc -z 127.0.0.1 "$other" 2>/dev/null
printf 'stray\n' | nc -u -w0 127.0.0.1 "$other" 2>/dev/null
# Inside: one TCP exchange, two datagrams.
printf 'hello\n' | nc -N 127.0.0.1 "$tport"
# Two datagrams, each echoed by the server: four UDP packets.
"$SD" client --udp --no-narrate -m 'dgram1' 127.0.0.1 "$uport" > "$TMP/udp.reply" || fail "UDP exchange failed"
"$SD" client --udp --no-narrate -m 'dgram2!' 127.0.0.1 "$uport" >> "$TMP/udp.reply" || fail "UDP exchange failed"

wait_for "$TMP/out.json" "\"sport\":$uport,.*\"payload\":8" || fail "echo of the second UDP datagram not reported"
wait_for "$TMP/out.json" "\"sport\":$tport.*\"flags\":\"F\\.\"|\"dport\":$tport.*\"flags\":\"F\\.\"" || fail "no FIN reported"
kill -INT $sw
wait_exit $sw 10 || fail "synwatch did not stop on SIGINT"

j=$TMP/out.json
grep -q "\"dport\":$tport,\"seq\":[0-9]*,\"ack\":[0-9]*,\"tcp_flags\":2,\"flags\":\"S\"" "$j" || fail "no SYN to $tport"
grep -q "\"sport\":$tport,.*\"flags\":\"S\\.\"" "$j" || fail "no SYN-ACK from $tport"
grep -q "\"dport\":$tport,.*\"flags\":\"\\.\"" "$j" || fail "no ACK to $tport"
grep -q "\"dport\":$tport,.*\"payload\":6" "$j" || fail "no 6-byte data segment to $tport"
grep -q "\"dport\":$uport,.*\"payload\":7" "$j" || fail "first datagram (7 bytes) missing"
grep -q "\"dport\":$uport,.*\"payload\":8" "$j" || fail "second datagram (8 bytes) missing"
grep -q "\"src\":\"127.0.0.1\"" "$j" || fail "no loopback source address"
grep -q ":$other[,}]" "$j" && fail "port $other is outside the filter but was reported: $(grep ":$other" "$j" | head -n 2)"
# Numbered from 1 without gaps.
last=$(tail -n 1 "$j" | sed 's/^{"n":\([0-9]*\),.*/\1/')
[ "$last" -eq "$(wc -l < "$j")" ] || fail "packet numbers have gaps"
echo ok

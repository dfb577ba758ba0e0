#!/bin/sh
# sockdemo_halfclose.sh — scenario halfclose: client FIN first, the server keeps sending after it, then its FIN.
. tests/e2e/lib/sockdemo.sh
need_capture

family_vars 4
run_scenario halfclose
stop_capture "$CAP" "$PORT" 's>c FP?\.,c>s \.$'
packets "$CAP" "$PORT" > "$PK"
# Nagle may merge the three replies, and the last one may carry the FIN ([FP.]).
expect_flow "halfclose" "$(flow_line -sig "$PK")" '^c>s S,s>c S\.,c>s P\.,c>s F\.,((s>c P\.,)+s>c F\.|(s>c P\.,)*s>c FP\.)$'
expect_flow "halfclose (last ACK)" "$(flow_line "$PK")" ',c>s \.$'
C=$(awk 'NR == 1 { print $3 }' "$PK")
check_events_json "$EV"
check_narration_matches_events "$EV" "$NARR"
expect_eq "client calls" "$(calls_of client | sed 's/\(recv,\)\{1,\}/recv...,/')" "socket,connect,send,shutdown,recv...,close"
expect_ev client shutdown 1 "3 0 null $LO:$C $LO:$PORT" "3, SHUT_WR"
expect_ev server recv 2 "4 0 null $LO:$PORT $LO:$C"
# the server sent 23 + 8 + 21 bytes after the client's FIN, and the client received all 52
expect_eq "server sends after FIN" "$(awk -F'\t' '$1 == "server" && $3 == "send" { s += $5 } END { print s }' "$TMP/ev.tsv")" 52
expect_eq "client received" "$(awk -F'\t' '$1 == "client" && $3 == "recv" { s += $5 } END { print s }' "$TMP/ev.tsv")" 52
grep -qF "shutdown(SHUT_WR): the kernel sent FIN to $LO:$PORT" "$NARR" || fail "shutdown sentence missing"
# Causes before effects across the two processes: the request before the server reads it, the client's
# FIN before the server's end of file, the first reply before the client reads it, the server's close
# (its FIN) before the client's end of file.
expect_order "request" client 'send(3, "request, then my FIN\n"' server 'recv(4, "request, then my FIN\n"'
expect_order "client FIN" client 'shutdown(3, SHUT_WR) = 0' server 'recv(4, "", 4096, 0) = 0'
expect_order "replies" server 'send(4, "reply 1 after your FIN\n"' client 'recv(3, "reply 1 after your FIN\n'
expect_order "server FIN" server 'close(4) = 0' client 'recv(3, "", 4096, 0) = 0'
echo "halfclose: client FIN, then 52 bytes from the server, then its FIN; each cause narrated before its effect"

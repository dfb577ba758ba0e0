#!/bin/sh
# sockdemo_errors.sh — every bad input: one line naming the cause and the fix, and the documented exit code.
. tests/e2e/lib/sockdemo.sh

# check WHAT CODE PATTERN command...: exit code CODE, exactly one line on stderr matching PATTERN, nothing else.
check() {
	what=$1 code=$2 pat=$3
	shift 3
	"$@" > "$TMP/out" 2> "$TMP/err" < /dev/null
	rc=$?
	expect_eq "$what: exit code" "$rc" "$code"
	[ "$(wc -l < "$TMP/err")" -eq 1 ] || fail "$what: expected one line on stderr, got: $(cat "$TMP/err")"
	grep -Eq "$pat" "$TMP/err" || fail "$what: message '$(cat "$TMP/err")' does not match /$pat/"
}

PORT=$(free_port)
"$SD" server -p "$PORT" --no-narrate 2>"$TMP/server.err" &
SERVER_PID=$!
wait_for "grep -q 'serving TCP' '$TMP/server.err'" || fail "server did not start"
check "port in use" 3 "cannot bind 127.0.0.1:$PORT: address already in use.*fix: .*another port with -p" \
	"$SD" server -p "$PORT" --no-narrate
check "scenario on a busy port" 3 "cannot bind 127.0.0.1:$PORT: address already in use" \
	"$SD" scenario handshake -p "$PORT" --no-narrate
kill "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""

check "address not available" 3 "cannot bind 198.51.100.7:$PORT: address not available.*fix: use 127.0.0.1" \
	"$SD" server -b 198.51.100.7 -p "$PORT" --no-narrate
check "unresolvable host" 3 "cannot resolve host 'bad_host!'.*fix: check the spelling" "$SD" client 'bad_host!' -m x --no-narrate
check "IPv4 address with -6" 3 "cannot resolve host '127.0.0.1' as IPv6 \(-6\)" "$SD" client -6 127.0.0.1 -m x --no-narrate
check "refused" 4 "cannot connect to 127.0.0.1:$PORT: connection refused.*fix: start the server" \
	"$SD" client -p "$PORT" -m x --no-narrate
check "UDP refused (ICMP)" 4 "connection refused" "$SD" client --udp -p "$PORT" -m x --no-narrate
check "unknown command" 2 "unknown command 'serve'" "$SD" serve
check "unknown option" 2 "unknown option '--bogus'" "$SD" server --bogus
check "option of another role" 2 "option '--print' does not apply to 'client'" "$SD" client --print
check "bad port" 2 "port '99999' is not a number from 1 to 65535" "$SD" server -p 99999
check "bad port (positional)" 2 "port 'http' is not a number" "$SD" client 127.0.0.1 http
check "missing value" 2 "option '-p' needs a value" "$SD" server -p
check "no scenario" 2 "which scenario\?" "$SD" scenario
check "unknown scenario" 2 "unknown scenario 'syn-flood'; fix: one of handshake" "$SD" scenario syn-flood
check "bad pause" 2 "pause 'soon' is not a number of seconds" "$SD" scenario handshake --pause soon
check "--shutdown with UDP" 2 "half-closes a TCP connection; UDP has none" "$SD" client --udp --shutdown -m x
check "events file" 2 "cannot open events file '$TMP/no/such/dir/e': No such file or directory; fix:" \
	"$SD" client -m x --events "$TMP/no/such/dir/e"
expect_eq "help exits 0" "$("$SD" --help > /dev/null; echo $?)" 0
list=$("$SD" scenario --list)
expect_eq "scenario --list exits 0" $? 0
expect_eq "scenario --list names each scenario, lossy last (run only by name)" \
	"$(printf '%s\n' "$list" | grep -x '[a-z-][a-z-]*' | tr '\n' ' ')" \
	"handshake refused reset halfclose udp unreachable simultaneous-close backlog timewait lossy "

# permission denied on a low port, as an unprivileged user (root may bind anything)
start=$(sysctl -n net.ipv4.ip_unprivileged_port_start 2>/dev/null || echo 1024)
if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && [ "$start" -gt 80 ]; then
	check "low port as a user" 3 "cannot bind 127.0.0.1:80: permission denied.*fix: use a port of 1024 or above" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$SD" server -p 80 --no-narrate
	echo "errors: all exit codes and messages as documented (low port checked as uid 65534)"
else
	echo "errors: all exit codes and messages as documented (low port not checked: needs root, setpriv, unprivileged port start > 80)"
fi

# lib.sh — helpers shared by the end-to-end scripts (sourced, not run): failing, waiting, free ports.
# Scripts run from the repository root with `sh tests/e2e/NAME.sh`.

SW=${SW:-build/synwatch}
SD=${SD:-build/sockdemo}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/synwatch-e2e.XXXXXX")
E2E_PIDS=""
cleanup() {
	for p in $E2E_PIDS; do kill "$p" 2>/dev/null; done
	for p in $E2E_PIDS; do wait "$p" 2>/dev/null; done
	# run-all.sh's sanitizer stage: keep every sanitizer report a script saved under $TMP (a GCC build's
	# UBSan ignores log_path and writes to stderr, which scripts often keep in a file and never show).
	if [ -n "${E2E_SAN_DIR:-}" ]; then
		grep -rlE 'runtime error:|ERROR: (AddressSanitizer|LeakSanitizer)' "$TMP" 2>/dev/null | while read -r _f; do
			cp "$_f" "$E2E_SAN_DIR/saved.$$.$(basename "$_f")"
		done
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "skipped: $*"; exit 77; }

# Remember a background job's pid for cleanup.
bg_pid() { E2E_PIDS="$E2E_PIDS $1"; }

# wait_lines FILE REGEX COUNT [SECONDS]: until at least COUNT lines of FILE match REGEX (default 10 s).
wait_lines() {
	_n=$(( ${4:-10} * 50 ))
	while [ "$_n" -gt 0 ]; do
		_c=$(grep -Ec "$2" "$1" 2>/dev/null)
		[ "${_c:-0}" -ge "$3" ] && return 0 # no file yet: no lines
		sleep 0.02
		_n=$((_n - 1))
	done
	echo "timed out waiting for $3 lines matching /$2/ in $1; it holds $(grep -Ec "$2" "$1" 2>/dev/null):" >&2
	tail -n 20 "$1" >&2 2>/dev/null
	return 1
}

# wait_for FILE REGEX [SECONDS]: until a line of FILE matches REGEX (default 10 s).
wait_for() {
	wait_lines "$1" "$2" 1 "${3:-10}"
}

# wait_exit PID [SECONDS]: until the process is gone.
wait_exit() {
	_n=$(( ${2:-10} * 50 ))
	while kill -0 "$1" 2>/dev/null; do
		[ "$_n" -gt 0 ] || return 1
		sleep 0.02
		_n=$((_n - 1))
	done
	return 0
}

# free_port: a TCP/UDP port on loopback that nothing uses now (from the ephemeral-free range 20000-29999).
free_port() {
	_p=$(( 20000 + ($$ * 7 + $(date +%N | sed 's/^0*//;s/^$/0/') ) % 10000 ))
	_tries=0
	while ss -Htuan "( sport = :$_p or dport = :$_p )" 2>/dev/null | grep -q . ; do
		_p=$(( 20000 + (_p - 20000 + 1) % 10000 ))
		_tries=$((_tries + 1))
		[ $_tries -lt 1000 ] || break
	done
	echo "$_p"
}

# wait_listen PORT: until something listens on TCP port PORT (5 s at most).
wait_listen() {
	_n=0
	until ss -Hltn "sport = :$1" | grep -q .; do
		_n=$((_n + 1)); [ $_n -lt 500 ] || return 1; sleep 0.01
	done
}

need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root for live capture on lo"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed (make test installs it)"; }

# expect_exit CODE PATTERN CMD...: run CMD, check its exit status and that stderr matches PATTERN (one line).
expect_exit() {
	_want=$1 _pat=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	_got=$?
	[ "$_got" -eq "$_want" ] || fail "'$*' exited $_got, want $_want; stderr: $(cat "$TMP/err")"
	grep -Eq -e "$_pat" "$TMP/err" || fail "'$*' stderr does not match /$_pat/: $(cat "$TMP/err")"
	[ "$(wc -l < "$TMP/err")" -le 1 ] || fail "'$*' printed more than one error line: $(cat "$TMP/err")"
}

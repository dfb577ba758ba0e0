#!/bin/sh
# run.sh — `make bench`: times synwatch against libpcap's floor, tcpdump and tshark on generated captures (pcap and pcapng), measures flow-table memory and live-flood drops; writes build/bench/results.{txt,md}.
#
# Run from `make bench` (which builds build/synwatch and build/bench/{gencap,floor,rusage,udpflood}).
# Environment (all optional):
#   BENCH_REPS=5           repetitions per timed command (the median is reported)
#   BENCH_SEED=1           generator seed;  BENCH_PACKETS=2000000 packets in the main capture
#   BENCH_CONNS=10000      concurrent TCP connections;  BENCH_SMALL=100000 packets in the tshark capture
#   BENCH_FLOWS=1000000    concurrent flows in the memory capture (checked against --max-flows 1048576)
#   BENCH_FLOOD_SECS=5     duration of each live UDP flood
#   BENCH_SOAK_SECS=60     duration of the TUI soak (flood with the terminal stalled, then slow)
#   BENCH_PARTS="file pcapng flows live tui soak store"   which parts to run
#   BENCH_TUI_GRAPH=1      the TUI rows (flood and latency) with the panel's graph pane open on a TCP transfer
#                          (build/tools/lossy from `make tools`: one 1448-byte segment each 10 ms) captured
#                          beside the flood
#   BENCH_STORE_BIG=N      also the panel over an N-packet capture (the store part; 10000000: ~4 GB)
#   SW=build/synwatch      the synwatch binary
# Targets are reported PASS/FAIL, not enforced: the exit status is 0 unless a tool failed to run
# (non-zero exit, missing binary) or an output check found the benchmark output differing from a
# normal run's (those make it 1).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
trap 'bench_cleanup' EXIT
trap 'exit 1' INT TERM HUP
bench_cleanup() {
	for _s in $TMUX_SOCKS; do tmux -L "$_s" kill-server 2>/dev/null; done
	cleanup
}

B=build/bench
SW=${SW:-build/synwatch}
REPS=${BENCH_REPS:-5}
SEED=${BENCH_SEED:-1}
PACKETS=${BENCH_PACKETS:-2000000}
CONNS=${BENCH_CONNS:-10000}
SMALL=${BENCH_SMALL:-100000}
FLOWS=${BENCH_FLOWS:-1000000}
FLOOD_SECS=${BENCH_FLOOD_SECS:-5}
SOAK_SECS=${BENCH_SOAK_SECS:-60}
PARTS=${BENCH_PARTS:-file pcapng flows live tui soak store}
MAX_FLOWS=1048576
RSS_LIMIT_KIB=262144 # 256 MiB

RES=$B/results.txt
MD=$B/results.md
RUNS=$B/runs
mkdir -p "$RUNS" || exit 2
: > "$RES"
: > "$B/targets.md"
: > "$B/table.md"
tool_failures=0

say() { printf '%s\n' "$*" | tee -a "$RES"; }
note_failure() { tool_failures=$((tool_failures + 1)); say "ERROR: $*"; }
has_part() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

for t in gencap floor rusage udpflood; do
	[ -x "$B/$t" ] || { echo "run.sh: $B/$t is not built; run 'make bench'" >&2; exit 2; }
done
sw_ok=1
[ -x "$SW" ] || { sw_ok=0; note_failure "$SW is not built: synwatch rows are skipped (run 'make' first)"; }

# ---------- captures (generated once per seed/size, again when gencap is rebuilt) ----------

# capture FILE GENCAP-ARGS...: make FILE unless it exists and is newer than gencap.
capture() {
	_f=$1
	shift
	if [ -s "$_f" ] && [ "$_f" -nt "$B/gencap" ]; then
		return 0
	fi
	"$B/gencap" "$@" -o "$_f.tmp" 2> "$_f.log" && mv "$_f.tmp" "$_f" || { cat "$_f.log" >&2; return 1; }
	sed 's/^/  /' "$_f.log" | tee -a "$RES"
}

F=$B/mix-s$SEED-n$PACKETS-c$CONNS.pcap
FS=$B/mix-s$SEED-n$SMALL-c$CONNS.pcap
F1M=$B/flows-s$SEED-F$FLOWS.pcap

# ---------- timing ----------

# time_cmd NAME STDOUT CMD...: run CMD $REPS times under rusage with stdout to STDOUT and stderr to
# $RUNS/NAME.err. Sets T_NAME (median wall s), M_NAME (peak RSS KiB, max over runs), O_NAME (bytes the
# last run wrote to stdout: wchar less its stderr). Returns 1 (and notes a failure) if a run failed.
# With TC_LIMIT=SECONDS a run still going after that long is stopped: X_NAME=SECONDS, T_NAME empty,
# no more runs, return 2 (not a failure: the command is just slower than the limit).
time_cmd() {
	tc_name=$1 _out=$2
	shift 2
	: > "$RUNS/$tc_name"
	_i=0
	while [ "$_i" -lt "$REPS" ]; do
		"$B/rusage" ${TC_LIMIT:+-t "$TC_LIMIT"} -o "$RUNS/$tc_name.rep" -1 "$_out" -2 "$RUNS/$tc_name.err" -- "$@"
		_st=$?
		cat "$RUNS/$tc_name.rep" >> "$RUNS/$tc_name"
		if [ "$_st" -eq 124 ] && [ -n "${TC_LIMIT:-}" ]; then
			say "  $tc_name: stopped at the ${TC_LIMIT} s limit"
			eval "T_$tc_name= M_$tc_name= O_$tc_name= X_$tc_name=$TC_LIMIT"
			return 2
		fi
		if [ "$_st" -ne 0 ]; then
			note_failure "$tc_name: '$*' exited $_st: $(tail -n 2 "$RUNS/$tc_name.err" | tr '\n' ' ')"
			eval "T_$tc_name= M_$tc_name= O_$tc_name="
			return 1
		fi
		_i=$((_i + 1))
	done
	_errsz=$(wc -c < "$RUNS/$tc_name.err")
	eval "$(awk -v n="$tc_name" -v errsz="$_errsz" '
		{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		  w[NR] = v["wall"]; if (v["maxrss_kib"] + 0 > rss) rss = v["maxrss_kib"] + 0; wc = v["wchar"] }
		END { m = NR; for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (w[j] < w[i]) { t = w[i]; w[i] = w[j]; w[j] = t }
		      med = (m % 2) ? w[(m + 1) / 2] : (w[m / 2] + w[m / 2 + 1]) / 2
		      printf "T_%s=%.6f M_%s=%d O_%s=%d\n", n, med, n, rss, n, wc - errsz }' "$RUNS/$tc_name")"
	say "  $tc_name: $(awk '{ printf "%s%s", (NR > 1 ? ", " : ""), substr($1, 6) }' "$RUNS/$tc_name") s; median $(val T "$tc_name") s, peak RSS $(val M "$tc_name") KiB"
}

val() { eval "printf '%s' \"\${$1_$2:-}\""; }

# ratio A B: A/B with two decimals ("-" when either is missing or B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }
# ge A B: A >= B numerically.
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && b != "" && a + 0 >= b + 0) }'; }

# row LABEL NAME [FLOOR [RATIO_TIME]]: one line of the results table (time, RSS, × floor, fastest
# tcpdump text ÷ this). FLOOR names the floor run to compare with (default floor, the one on F; with
# another floor the tcpdump column is "-"); RATIO_TIME replaces the time in the ratios (tshark's time
# scaled to F).
row() {
	_t=$(val T "$2") _m=$(val M "$2")
	_fl=$(val T "${3:-floor}") _rt=${4:-$_t}
	if [ -z "$_t" ]; then
		_x=$(val X "$2")
		_why=${_x:+"> $_x (stopped)"}
		say "$(printf '%-50s %10s' "$1" "${_why:-not run}")"
		printf '| `%s` | %s | | | |\n' "$1" "${_why:-not run}" >> "$B/table.md"
		return
	fi
	_mib=$(awk -v k="$_m" 'BEGIN { printf "%.1f", k / 1024 }')
	_xf=$(ratio "$_rt" "$_fl")
	_vt=$(ratio "${T_td_fast:-}" "$_rt")
	[ "${3:-floor}" = floor ] || _vt=-
	say "$(printf '%-50s %10s %9s %9s %10s' "$1" "$_t" "$_mib" "$_xf" "$_vt")"
	printf '| `%s` | %s | %s | %s | %s |\n' "$1" "$_t" "$_mib" "$_xf" "$_vt" >> "$B/table.md"
}

# target TEXT OK: record PASS/FAIL for a target.
target() {
	if [ "$2" = 1 ]; then _r=PASS; elif [ "$2" = 0 ]; then _r=FAIL; else _r="NOT MEASURED"; fi
	say "  $_r  $1"
	printf '| %s | %s |\n' "$1" "$_r" >> "$B/targets.md"
}

# ---------- part 1: reading a capture ----------

bench_file() {
	say "== reading a capture: $PACKETS packets (seed $SEED, $CONNS connections), $REPS runs each"
	capture "$F" -s "$SEED" -n "$PACKETS" -c "$CONNS" || { note_failure "gencap failed for $F"; return; }
	capture "$FS" -s "$SEED" -n "$SMALL" -c "$CONNS" || { note_failure "gencap failed for $FS"; return; }
	say "  file: $F ($(wc -c < "$F") bytes); small file for tshark: $FS"
	cat "$F" "$FS" > /dev/null # into the page cache before anything is timed
	TC_LIMIT=

	time_cmd floor /dev/null "$B/floor" "$F"
	if [ "$sw_ok" = 1 ]; then
		time_cmd sw_stats "$RUNS/sw_stats.out" "$SW" -r "$F" --stats
		time_cmd sw_text /dev/null "$SW" -r "$F" --text
		time_cmd sw_json /dev/null "$SW" -r "$F" --json
	fi

	# tcpdump's text configurations, all on F. Without -S tcpdump tracks every TCP connection for
	# relative sequence numbers in a table whose lookups slow down as connections accumulate (on 2M
	# packets / 100k connections a run takes many minutes), so: the -S configurations first, then the
	# others once each (tcpdump -nn, the plain one, $REPS times if it keeps within the limit), each
	# stopped at 3x the fastest so far (at least 10 s). The fastest, median of $REPS, is the comparison.
	time_cmd td_utcS /dev/null env TZ=UTC tcpdump -nn -S -r "$F"
	_reps=$REPS
	REPS=1
	time_cmd td_nnS /dev/null tcpdump -nn -S -r "$F"
	TC_LIMIT=$(awk -v a="${T_td_utcS:-}" -v b="${T_td_nnS:-}" 'BEGIN { m = a; if (m == "" || (b != "" && b + 0 < m + 0)) m = b
		l = int(3 * m + 1); print (l < 10 ? 10 : l) }')
	time_cmd td_utc /dev/null env TZ=UTC tcpdump -nn -r "$F"
	REPS=$_reps
	time_cmd td_nn /dev/null tcpdump -nn -r "$F"
	TC_LIMIT=
	fast= best=
	for c in utcS nnS utc nn; do
		_t=$(val T "td_$c")
		[ -n "$_t" ] || continue
		if [ -z "$best" ] || ! ge "$_t" "$best"; then best=$_t fast=$c; fi
	done
	case $fast in
	nn) fast_label="tcpdump -nn -r F" ;;
	nnS) fast_label="tcpdump -nn -S -r F"; [ "$REPS" -gt 1 ] && time_cmd td_nnS /dev/null tcpdump -nn -S -r "$F" ;;
	utc) fast_label="TZ=UTC tcpdump -nn -r F"; [ "$REPS" -gt 1 ] && time_cmd td_utc /dev/null env TZ=UTC tcpdump -nn -r "$F" ;;
	utcS) fast_label="TZ=UTC tcpdump -nn -S -r F" ;;
	*) fast_label="(no tcpdump text run finished)" ;;
	esac
	say "  fastest tcpdump text configuration: $fast_label"
	eval "T_td_fast=\${T_td_$fast:-} M_td_fast=\${M_td_$fast:-}"
	time_cmd td_write /dev/null tcpdump -r "$F" -w /dev/null

	# tshark on the small file, scaled to the big one by the packet counts.
	time_cmd ts_conv /dev/null tshark -r "$FS" -q -z conv,tcp
	time_cmd ts_fields /dev/null tshark -r "$FS" -T fields -e frame.number -e ip.src -e tcp.srcport
	for n in ts_conv ts_fields; do
		_t=$(val T $n)
		[ -n "$_t" ] && eval "T_${n}_scaled=$(awk -v t="$_t" -v a="$PACKETS" -v b="$SMALL" 'BEGIN { printf "%.3f", t * a / b }')"
	done

	say ""
	say "$(printf '%-50s %10s %9s %9s %10s' "command (F = $PACKETS packets)" "median s" "RSS MiB" "x floor" "tcpdump/x")"
	row "floor (pcap_loop, count only)" floor
	row "synwatch -r F --stats" sw_stats
	row "synwatch -r F --text >/dev/null" sw_text
	row "synwatch -r F --json >/dev/null" sw_json
	for c in utcS nnS utc nn; do
		case $c in
		nn) _l="tcpdump -nn -r F" ;; nnS) _l="tcpdump -nn -S -r F" ;;
		utc) _l="TZ=UTC tcpdump -nn -r F" ;; utcS) _l="TZ=UTC tcpdump -nn -S -r F" ;;
		esac
		_l="$_l >/dev/null"
		[ "$c" = "$fast" ] && _l="$_l (fastest)"
		row "$_l" "td_$c"
	done
	row "tcpdump -r F -w /dev/null" td_write
	row "tshark -q -z conv,tcp (on $SMALL packets)" ts_conv floor "${T_ts_conv_scaled:-}"
	row "tshark -T fields (on $SMALL packets)" ts_fields floor "${T_ts_fields_scaled:-}"
	say "  tshark scaled to $PACKETS packets (its ratios above use these): conv,tcp ${T_ts_conv_scaled:--} s, -T fields ${T_ts_fields_scaled:--} s"

	# synwatch counted every packet?
	if [ -s "$RUNS/sw_stats.out" ]; then
		_np=$(sed -n 's/^packets: //p' "$RUNS/sw_stats.out")
		say "  synwatch --stats: $(tr '\n' ' ' < "$RUNS/sw_stats.out")"
		[ "$_np" = "$PACKETS" ] || note_failure "synwatch --stats counted '$_np' packets, the file has $PACKETS"
	fi

	check_outputs

	say ""
	say "targets (medians, this run):"
	target "--stats ≤ 1.5× floor ($(ratio "${T_sw_stats:-}" "${T_floor:-}")×)" \
		"$(if [ -z "${T_sw_stats:-}" ]; then echo -; else ge "$(awk -v a="$T_floor" 'BEGIN{print a*1.5}')" "$T_sw_stats" && echo 1 || echo 0; fi)"
	target "--text ≥ 5× faster than $fast_label ($(ratio "${T_td_fast:-}" "${T_sw_text:-}")×)" \
		"$(if [ -z "${T_sw_text:-}" ]; then echo -; else ge "$(ratio "$T_td_fast" "$T_sw_text")" 5 && echo 1 || echo 0; fi)"
	target "--json ≥ 3× faster than $fast_label ($(ratio "${T_td_fast:-}" "${T_sw_json:-}")×)" \
		"$(if [ -z "${T_sw_json:-}" ]; then echo -; else ge "$(ratio "$T_td_fast" "$T_sw_json")" 3 && echo 1 || echo 0; fi)"
	target "--json ≥ 50× faster than tshark -T fields, scaled ($(ratio "${T_ts_fields_scaled:-}" "${T_sw_json:-}")×)" \
		"$(if [ -z "${T_sw_json:-}" ] || [ -z "${T_ts_fields_scaled:-}" ]; then echo -; else ge "$(ratio "$T_ts_fields_scaled" "$T_sw_json")" 50 && echo 1 || echo 0; fi)"
}

# The benchmark runs write to /dev/null. Check they wrote exactly what a normal run writes: the bytes
# each timed run passed to write(2) on stdout (the kernel's wchar) equal the size of a run into a
# regular file, and that file hashes the same as a run into a pipe.
check_outputs() {
	[ "$sw_ok" = 1 ] || return 0
	say "  output checks (benchmark output = normal output):"
	for v in text json; do
		_o=$(val O "sw_$v")
		[ -n "$_o" ] || continue
		"$SW" -r "$F" --$v > "$RUNS/normal.$v" 2>/dev/null
		_size=$(wc -c < "$RUNS/normal.$v")
		_hf=$(sha256sum < "$RUNS/normal.$v" | cut -d' ' -f1)
		_hp=$("$SW" -r "$F" --$v 2>/dev/null | sha256sum | cut -d' ' -f1)
		rm -f "$RUNS/normal.$v"
		if [ "$_o" = "$_size" ] && [ "$_hf" = "$_hp" ]; then
			say "    --$v: /dev/null runs wrote $_o bytes = the normal output's $_size; file and pipe sha256 $_hf"
		else
			note_failure "--$v output differs: /dev/null run wrote $_o bytes, normal run $_size; sha256 file $_hf, pipe $_hp"
		fi
	done
}

# ---------- part 1b: the same capture as pcapng ----------

# F converted with editcap -F pcapng (one interface, enhanced packet blocks): synwatch reads it with its
# own pcapng reader, libpcap's floor with libpcap's. A single-interface pcapng prints the text of the pcap.
bench_pcapng() {
	FN=$B/mix-s$SEED-n$PACKETS-c$CONNS.pcapng
	say ""
	say "== reading the capture as pcapng (editcap -F pcapng), $REPS runs each"
	capture "$F" -s "$SEED" -n "$PACKETS" -c "$CONNS" || { note_failure "gencap failed for $F"; return; }
	if ! [ -s "$FN" ] || ! [ "$FN" -nt "$F" ]; then
		editcap -F pcapng "$F" "$FN.tmp" && mv "$FN.tmp" "$FN" || { note_failure "editcap -F pcapng failed for $F"; return; }
	fi
	say "  file: $FN ($(wc -c < "$FN") bytes)"
	cat "$FN" > /dev/null
	TC_LIMIT=
	time_cmd floor_ng /dev/null "$B/floor" "$FN"
	if [ "$sw_ok" = 1 ]; then
		time_cmd sw_ng_stats "$RUNS/sw_ng_stats.out" "$SW" -r "$FN" --stats
		time_cmd sw_ng_text /dev/null "$SW" -r "$FN" --text
	fi
	say ""
	say "$(printf '%-50s %10s %9s %9s %10s' "command (F as pcapng)" "median s" "RSS MiB" "x floor" "")"
	row "floor (pcap_loop, count only) on F.pcapng" floor_ng floor_ng
	row "synwatch -r F.pcapng --stats" sw_ng_stats floor_ng
	row "synwatch -r F.pcapng --text >/dev/null" sw_ng_text floor_ng
	if [ "$sw_ok" = 1 ]; then
		_hp=$("$SW" -r "$F" --text 2>/dev/null | sha256sum | cut -d' ' -f1)
		_hn=$("$SW" -r "$FN" --text 2>/dev/null | sha256sum | cut -d' ' -f1)
		if [ "$_hp" = "$_hn" ]; then
			say "  --text of F.pcapng = --text of F: sha256 $_hn"
		else
			note_failure "--text of F.pcapng (sha256 $_hn) differs from --text of F ($_hp)"
		fi
		_np=$(sed -n 's/^packets: //p' "$RUNS/sw_ng_stats.out")
		[ "$_np" = "$PACKETS" ] || note_failure "synwatch --stats on F.pcapng counted '$_np' packets, the file has $PACKETS"
	fi
	target "pcapng --stats ≤ 1.5× libpcap's floor on the same file ($(ratio "${T_sw_ng_stats:-}" "${T_floor_ng:-}")×)" \
		"$(if [ -z "${T_sw_ng_stats:-}" ]; then echo -; else ge "$(awk -v a="$T_floor_ng" 'BEGIN{print a*1.5}')" "$T_sw_ng_stats" && echo 1 || echo 0; fi)"
	if [ -n "${T_sw_stats:-}" ] && [ -n "${T_sw_ng_stats:-}" ]; then
		say "  --stats on F.pcapng / --stats on F: $(ratio "$T_sw_ng_stats" "$T_sw_stats")"
	fi
}

# ---------- part 2: memory with 1M concurrent flows ----------

bench_flows() {
	say ""
	say "== memory: $FLOWS concurrent flows (one SYN each, never closed), --max-flows $MAX_FLOWS"
	capture "$F1M" -s "$SEED" -F "$FLOWS" || { note_failure "gencap failed for $F1M"; return; }
	cat "$F1M" > /dev/null
	_reps=$REPS
	REPS=$(( REPS < 3 ? REPS : 3 ))
	time_cmd floor_flows /dev/null "$B/floor" "$F1M"
	[ "$sw_ok" = 1 ] && time_cmd sw_flows "$RUNS/sw_flows.out" "$SW" -r "$F1M" --stats --max-flows "$MAX_FLOWS"
	REPS=$_reps
	row "floor on F1M" floor_flows floor_flows
	row "synwatch -r F1M --stats --max-flows $MAX_FLOWS" sw_flows floor_flows
	if [ -s "$RUNS/sw_flows.out" ]; then
		say "  synwatch: $(grep -E '^flows' "$RUNS/sw_flows.out" | tr '\n' ' ')"
		_a=$(sed -n 's/^flows_active: //p' "$RUNS/sw_flows.out")
		[ "$_a" = "$FLOWS" ] || say "  note: flows_active is '$_a', not $FLOWS: the table did not hold every flow"
	fi
	_m=$(val M sw_flows)
	target "$FLOWS concurrent flows in ≤ 256 MiB peak RSS ($(awk -v k="${_m:-0}" 'BEGIN { printf "%.1f", k / 1024 }') MiB)" \
		"$(if [ -z "$_m" ]; then echo -; else ge "$RSS_LIMIT_KIB" "$_m" && echo 1 || echo 0; fi)"
}

# ---------- part 3: live UDP flood on lo ----------

# drops FILE: "captured received dropped" from tcpdump-style closing lines.
drops() {
	printf '%s %s %s\n' "$(sed -n 's/^\([0-9]*\) packets captured$/\1/p' "$1" | tail -n 1)" \
		"$(sed -n 's/^\([0-9]*\) packets received by filter$/\1/p' "$1" | tail -n 1)" \
		"$(sed -n 's/^\([0-9]*\) packets dropped by kernel$/\1/p' "$1" | tail -n 1)"
}

# rss_sampler PID OUT: VmRSS (KiB) of PID once a second into OUT until it exits (background).
rss_sampler() {
	while kill -0 "$1" 2>/dev/null; do
		sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null >> "$2"
		sleep 1
	done
}

# (Variables here avoid _n, _p: tests/lib.sh's wait_for/free_port use them.)
# live_one NAME SIZE CMD...: start CMD (a capture on lo, filter on $port) under rusage, flood for
# FLOOD_SECS with SIZE-byte payloads, let it drain 1 s, SIGINT it; sets L_NAME="captured recv drop sent".
live_one() {
	lv_name=$1 _size=$2
	shift 2
	_err=$RUNS/$lv_name.err
	: > "$_err"
	: > "$RUNS/$lv_name.rss"
	"$B/rusage" -o "$RUNS/$lv_name.rep" -1 /dev/null -2 "$_err" -- "$@" &
	_pid=$!
	bg_pid $_pid
	if ! wait_for "$_err" "listening on" 10 2>/dev/null; then
		kill -INT $_pid 2>/dev/null
		wait $_pid
		note_failure "$lv_name: the capture did not start: $(tail -n 2 "$_err" | tr '\n' ' ')"
		return 1
	fi
	_child=$(pgrep -P $_pid | head -n 1)
	[ -n "$_child" ] && rss_sampler "$_child" "$RUNS/$lv_name.rss" &
	"$B/udpflood" -p "$port" -s "$_size" -d "$FLOOD_SECS" > "$RUNS/$lv_name.flood" 2>&1 || note_failure "$lv_name: udpflood failed: $(cat "$RUNS/$lv_name.flood")"
	sleep 1
	kill -INT $_pid
	wait $_pid
	_st=$?
	wait 2>/dev/null
	[ "$_st" -eq 0 ] || note_failure "$lv_name: '$*' exited $_st: $(tail -n 2 "$_err" | tr '\n' ' ')"
	_sent=$(sed -n 's/.*sent=\([0-9]*\).*/\1/p' "$RUNS/$lv_name.flood")
	_rss=$(awk 'NR == 1 { f = $1 } { l = $1; if ($1 > m) m = $1 } END { printf "%d/%d/%d", f, l, m }' "$RUNS/$lv_name.rss")
	eval "L_$lv_name=\"$(drops "$_err") ${_sent:-0}\""
	say "  $(printf '%-30s' "$*" | cut -c1-60): $(val L "$lv_name" | awk '{ printf "captured %s, received %s, dropped by kernel %s; flood sent %s", $1, $2, $3, $4 }'); RSS first/last/max KiB $_rss; $(cat "$RUNS/$lv_name.rep")"
}

# live_target WHAT "CAPTURED RECEIVED DROPPED SENT" (synwatch) "..." (tcpdump): the floods are separate
# runs of different sizes (the sender's rate depends on the capture competing for the CPU), so the
# kernel drops are compared as a share of what the kernel offered the capture ("received by filter").
live_target() {
	lt_sr=$(echo "$2" | cut -d' ' -f2) lt_sd=$(echo "$2" | cut -d' ' -f3)
	lt_tr=$(echo "$3" | cut -d' ' -f2) lt_td=$(echo "$3" | cut -d' ' -f3)
	if [ -z "$lt_sd" ] || [ -z "$lt_td" ] || [ -z "$lt_sr" ] || [ -z "$lt_tr" ]; then
		target "live flood ${size}-byte: $1 kernel drops ≤ tcpdump's" -
		return
	fi
	lt_sp=$(awk -v d="$lt_sd" -v r="$lt_sr" 'BEGIN { printf "%.2f", (r > 0 ? 100 * d / r : 0) }')
	lt_tp=$(awk -v d="$lt_td" -v r="$lt_tr" 'BEGIN { printf "%.2f", (r > 0 ? 100 * d / r : 0) }')
	target "live flood ${size}-byte: $1 kernel drops $lt_sd ($lt_sp%) ≤ tcpdump's $lt_td ($lt_tp%)" \
		"$(ge "$lt_tp" "$lt_sp" && echo 1 || echo 0)"
}

bench_live() {
	say ""
	if [ "$(id -u)" -ne 0 ]; then
		say "== live flood: not run (capturing on lo needs root)"
		target "live flood: synwatch --text drops ≤ tcpdump's" -
		return
	fi
	say "== live flood on lo: udpflood (sendmmsg, one sender) for $FLOOD_SECS s, capture stopped with SIGINT 1 s after"
	for size in 64 1400; do
		port=$(free_port)
		say " payload $size bytes, udp port $port:"
		[ "$sw_ok" = 1 ] && live_one "live_sw_$size" "$size" "$SW" -i lo --text "udp port $port"
		live_one "live_td_$size" "$size" tcpdump -i lo -nn "udp port $port"
		live_target "synwatch --text" "$(val L "live_sw_$size")" "$(val L "live_td_$size")"
	done
	say "  (tcpdump uses libpcap's default 2 MiB buffer, synwatch its default -B 32768 KiB)"
}

# The TUI under the same flood, in a detached pane of a private tmux server (160x48, TERM=screen);
# drops from its closing lines on stderr, memory sampled once a second; then the latency of one packet
# to the screen. Runs when synwatch has a TUI (--tui in its --help). BENCH_TUI_CMD replaces the
# command (the filter is appended), e.g. to try the harness with tcpdump.
TMUX_SOCK=synwatch-bench-$$
TMUX_SOCKS=$TMUX_SOCK
TMUX_N=0
bt() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }

# tui_sock_next: the next pane gets a server of its own (a new server on the socket of one just killed
# can meet it still exiting: "server exited unexpectedly", and no pane). Call outside $(...).
tui_sock_next() {
	bt kill-server 2>/dev/null
	TMUX_N=$((TMUX_N + 1))
	TMUX_SOCK=synwatch-bench-$$-$TMUX_N
	TMUX_SOCKS="$TMUX_SOCKS $TMUX_SOCK"
}

# tui_graph_open PORT: with BENCH_TUI_GRAPH, a TCP transfer to PORT (lossy -l 0 -w 10000: nothing dropped, a
# 1448-byte segment each 10 ms, for as long as a flood and its drain last) and, once the panel lists
# its data, g: the graph of its flow (the list follows the newest packet, the transfer's). Sets GRAPH_PID.
# Not one a millisecond: the transfer's own 2,000 wakeups a second then take CPU from the capture's reader on
# a 2-core machine (a 1400-byte row lost 0.2-0.6 M packets with that transfer running but not even captured).
# Call outside $(...).
tui_graph_open() {
	build/tools/lossy -p "$1" -l 0 -w 10000 -n $(( (FLOOD_SECS + 8) * 144800 )) > "$RUNS/graph.lossy" 2>&1 &
	GRAPH_PID=$!
	bg_pid $GRAPH_PID
	_g=0
	until bt capture-pane -p -t bench | grep -q 'Len=1448'; do
		_g=$((_g + 1)); [ $_g -lt 100 ] || return 1; sleep 0.05
	done
	bt send-keys -t bench g
	_g=0
	until bt capture-pane -p -t bench | grep -q ' Graph: flow .*Time-sequence'; do
		_g=$((_g + 1)); [ $_g -lt 100 ] || return 1; sleep 0.05
	done
}

tui_graph_close() {
	[ -n "${GRAPH_PID:-}" ] && kill "$GRAPH_PID" 2>/dev/null && wait "$GRAPH_PID" 2>/dev/null
	GRAPH_PID=
}

# tui_filter PORT: the capture filter of a TUI row: the flood's port, and with BENCH_TUI_GRAPH the graphed
# transfer's (GPORT, chosen here).
tui_filter() {
	if [ "${BENCH_TUI_GRAPH:-0}" = 1 ]; then
		GPORT=$(free_port)
		while [ "$GPORT" = "$1" ]; do GPORT=$(free_port); done
		TUI_FILTER="tcp port $GPORT or udp port $1"
	else
		TUI_FILTER="udp port $1"
	fi
}

# tui_pane CMD...: a fresh session running CMD (exec'ed: the pane's pid is CMD's); prints that pid.
tui_pane() {
	bt new-session -d -s bench -x 160 -y 48 "exec env TERM=screen $*" || return 1
	bt set-option -t bench status off > /dev/null
	bt list-panes -t bench -F '#{pane_pid}'
}

live_tui() {
	say ""
	tui_cmd=${BENCH_TUI_CMD:-}
	if [ -z "$tui_cmd" ]; then
		if [ "$sw_ok" = 1 ] && "$SW" --help 2>&1 | grep -q -- '--tui'; then
			tui_cmd="$SW -i lo --tui"
		else
			say "== live flood with the TUI: not run (no synwatch with --tui)"
			target "live flood: synwatch TUI drops ≤ tcpdump's" -
			return
		fi
	fi
	if [ "$(id -u)" -ne 0 ] || ! command -v tmux > /dev/null 2>&1; then
		say "== live flood with the TUI: not run (needs root for lo and tmux)"
		target "live flood: synwatch TUI drops ≤ tcpdump's" -
		return
	fi
	if [ "${BENCH_TUI_GRAPH:-0}" = 1 ] && [ ! -x build/tools/lossy ]; then
		say "== live flood with the TUI's graph pane: not run (build/tools/lossy is not built: make tools)"
		target "live flood: synwatch TUI drops ≤ tcpdump's" -
		return
	fi
	[ "${BENCH_TUI_GRAPH:-0}" = 1 ] &&
		say "   (BENCH_TUI_GRAPH: the graph pane open on a TCP transfer, 1448 bytes each 10 ms, captured beside each flood)"
	say "== live flood with the TUI in tmux (160x48): $tui_cmd"
	for size in 64 1400; do
		port=$(free_port)
		tui_name=live_tui_$size
		tui_err=$RUNS/$tui_name.err
		: > "$tui_err"
		: > "$RUNS/$tui_name.rss"
		tui_sock_next
		tui_filter "$port"
		tui_pid=$(tui_pane "$tui_cmd" "'$TUI_FILTER'" "2> $tui_err")
		if [ -z "$tui_pid" ] || ! wait_for "$tui_err" "listening on" 10 2>/dev/null; then
			note_failure "$tui_name: the TUI did not start: $(tail -n 2 "$tui_err" | tr '\n' ' ')"
			bt kill-server 2>/dev/null
			continue
		fi
		sleep 0.5 # the panel draws its first screen
		if [ "${BENCH_TUI_GRAPH:-0}" = 1 ] && ! tui_graph_open "$GPORT"; then
			note_failure "$tui_name: the graph pane did not open on the TCP transfer"
			tui_graph_close
			bt kill-server 2>/dev/null
			continue
		fi
		rss_sampler "$tui_pid" "$RUNS/$tui_name.rss" &
		"$B/udpflood" -p "$port" -s "$size" -d "$FLOOD_SECS" > "$RUNS/$tui_name.flood" 2>&1 ||
			note_failure "$tui_name: udpflood failed: $(cat "$RUNS/$tui_name.flood")"
		sleep 1
		[ "${BENCH_TUI_GRAPH:-0}" = 1 ] && bt capture-pane -p -t bench > "$RUNS/$tui_name.screen"
		kill -INT "$tui_pid" 2>/dev/null
		wait_exit "$tui_pid" 10 || note_failure "$tui_name: the TUI did not stop within 10 s of SIGINT"
		tui_graph_close
		bt kill-server 2>/dev/null
		wait 2>/dev/null
		tui_sent=$(sed -n 's/.*sent=\([0-9]*\).*/\1/p' "$RUNS/$tui_name.flood")
		tui_rss=$(awk 'NR == 1 { f = $1 } { l = $1; if ($1 > m) m = $1 } END { printf "%d/%d/%d", f, l, m }' "$RUNS/$tui_name.rss")
		set -- $(drops "$tui_err")
		say "  payload $size: captured ${1:-?}, received ${2:-?}, dropped by kernel ${3:-?}; flood sent ${tui_sent:-?}; RSS first/last/max KiB $tui_rss"
		live_target "synwatch TUI" "${1:-} ${2:-} ${3:-} ${tui_sent:-}" "$(val L "live_td_$size")"
	done

	# Latency: one datagram to a fresh port after a second of quiet; time until the pane's output stream
	# (tmux pipe-pane: what the terminal receives) holds the packet's row, "127.0.0.1:PORT" (tcpdump:
	# "127.0.0.1.PORT"). The port alone is no sign: the status line shows the capture filter from the
	# start. udpflood -w/-m sends the datagram and watches the file itself (1 ms polls, its own clock).
	# Three tries, each in a fresh pane; the worst counts.
	case $tui_cmd in *tcpdump*) lat_sep=. ;; *) lat_sep=: ;; esac
	tui_lat=
	for tui_try in 1 2 3; do
		port=$(free_port)
		lat_err=$RUNS/live_tui_latency.err
		lat_out=$RUNS/live_tui_latency.pane
		: > "$lat_out"
		tui_sock_next
		tui_filter "$port"
		tui_pid=$(tui_pane "$tui_cmd" "'$TUI_FILTER'" "2> $lat_err")
		wait_for "$lat_err" "listening on" 10 2>/dev/null
		sleep 1
		# With BENCH_TUI_GRAPH the graph is opened on the transfer, which then stops: the datagram comes
		# after a second of quiet as without it (udpflood looks for the row's text in the terminal's
		# output, and curses sends only the characters that changed: a row of the transfer's at the same
		# place, "127.0.0.1:" and all, would leave the marker split).
		if [ "${BENCH_TUI_GRAPH:-0}" = 1 ]; then
			tui_graph_open "$GPORT" || note_failure "latency try $tui_try: the graph pane did not open on the TCP transfer"
			tui_graph_close
			sleep 1
		fi
		bt pipe-pane -o -t bench "cat >> $lat_out"
		sleep 0.2 # pipe-pane's cat is running
		lat_one=$("$B/udpflood" -p "$port" -s 16 -d 5 -w "$lat_out" -m "127.0.0.1$lat_sep$port" 2>&1 |
			sed -n 's/^latency_ms=\([0-9]*\).*/\1/p')
		tui_graph_close
		bt kill-server 2>/dev/null
		wait 2>/dev/null
		say "  try $tui_try: a datagram to port $port reached the pane after ${lat_one:-(never, 5 s)} ms"
		if [ -z "$lat_one" ]; then
			tui_lat=never
		elif [ "$tui_lat" != never ] && { [ -z "$tui_lat" ] || [ "$lat_one" -gt "$tui_lat" ]; }; then
			tui_lat=$lat_one
		fi
	done
	target "a packet on lo on screen within 50 ms (worst of 3: ${tui_lat:-never} ms)" \
		"$(case $tui_lat in never | '') echo 0 ;; *) [ "$tui_lat" -le 50 ] && echo 1 || echo 0 ;; esac)"
}

# The TUI soak: a 1400-byte flood for SOAK_SECS with the terminal first reading, then stalled (the tmux
# server stopped: the pane's pty fills and synwatch's terminal writes block) for a third of the time,
# then slow (the server stopped and resumed every 0.2 s) for a third, then reading again. Capture must
# not wait on the terminal: kernel drops as a share of what the kernel offered are compared with
# tcpdump's from the live part (1400 bytes); RSS is sampled each second and must be flat once the
# history is full (from 10 s on: growth under 8 MiB); q must quit within 5 s once the flood is over.
# soak_exited PID SECONDS: until PID has exited (a zombie counts: tmux reaps its pane's process when it
# gets round to it, which after a stall can take seconds).
soak_exited() {
	_se=$(( $2 * 100 ))
	while [ "$_se" -gt 0 ]; do
		_st=$(sed -n 's/^[0-9]* ([^)]*) \([A-Z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
		[ -z "$_st" ] || [ "$_st" = Z ] && return 0
		sleep 0.01
		_se=$((_se - 1))
	done
	return 1
}

tui_soak() {
	say ""
	tui_cmd=${BENCH_TUI_CMD:-"$SW -i lo --tui"}
	if [ "$(id -u)" -ne 0 ] || ! command -v tmux > /dev/null 2>&1 || [ "$sw_ok" != 1 ]; then
		say "== TUI soak: not run (needs root for lo, tmux and synwatch)"
		target "TUI soak: memory flat over a ${SOAK_SECS} s flood with a stalled terminal" -
		return
	fi
	third=$((SOAK_SECS / 3))
	[ "$third" -ge 2 ] || third=2
	say "== TUI soak: 1400-byte flood for $SOAK_SECS s; terminal reading, stalled from ${third} s for ${third} s, then slow for ${third} s"
	port=$(free_port)
	soak_err=$RUNS/soak.err
	: > "$soak_err"
	: > "$RUNS/soak.rss"
	tui_sock_next
	tui_pid=$(tui_pane "$tui_cmd" "'udp port $port'" "2> $soak_err")
	if [ -z "$tui_pid" ] || ! wait_for "$soak_err" "listening on" 10 2>/dev/null; then
		note_failure "soak: the TUI did not start: $(tail -n 2 "$soak_err" | tr '\n' ' ')"
		return
	fi
	sleep 0.5
	rss_sampler "$tui_pid" "$RUNS/soak.rss" &
	soak_sampler=$!
	"$B/udpflood" -p "$port" -s 1400 -d "$SOAK_SECS" > "$RUNS/soak.flood" 2>&1 &
	soak_flood=$!
	bg_pid $soak_flood
	server=$(bt display-message -p '#{pid}')
	sleep "$third"
	kill -STOP "$server"
	sleep "$third"
	soak_t=0
	while [ "$soak_t" -lt $((third * 5)) ]; do # slow: 0.1 s reading, 0.1 s stalled
		kill -CONT "$server"
		sleep 0.1
		kill -STOP "$server"
		sleep 0.1
		soak_t=$((soak_t + 1))
	done
	kill -CONT "$server"
	wait "$soak_flood"
	soak_sent=$(sed -n 's/.*sent=\([0-9]*\).*/\1/p' "$RUNS/soak.flood")
	# q once the flood is over: the panel must quit (and restore the terminal) within 5 s.
	soak_q0=$(date +%s%N)
	bt send-keys -t bench q
	if soak_exited "$tui_pid" 5; then
		soak_q=$(( ($(date +%s%N) - soak_q0) / 1000000 ))
	else
		soak_q=
		note_failure "soak: the TUI did not quit within 5 s of q after the flood"
		kill -INT "$tui_pid" 2>/dev/null
		wait_exit "$tui_pid" 10
	fi
	kill "$soak_sampler" 2>/dev/null
	bt kill-server 2>/dev/null
	wait 2>/dev/null
	set -- $(drops "$soak_err")
	soak_rss=$(awk 'NR == 10 { a = $1 } { l = $1; if ($1 > m) m = $1 } END { printf "%d %d %d", a, l, m }' "$RUNS/soak.rss")
	soak_r10=${soak_rss%% *}
	soak_last=$(echo "$soak_rss" | cut -d' ' -f2)
	soak_max=${soak_rss##* }
	say "  captured ${1:-?}, received ${2:-?}, dropped by kernel ${3:-?}; flood sent ${soak_sent:-?}; q quit in ${soak_q:-(no)} ms"
	say "  RSS KiB per second: $(tr '\n' ' ' < "$RUNS/soak.rss")"
	say "  RSS KiB at 10 s $soak_r10, at the end $soak_last, max $soak_max"
	if [ -n "$(val L live_td_1400)" ]; then
		size=1400 live_target "synwatch TUI soak (stalled, slow terminal)" "${1:-} ${2:-} ${3:-} ${soak_sent:-}" "$(val L live_td_1400)"
	else
		soak_pct=$(awk -v d="${3:-0}" -v r="${2:-0}" 'BEGIN { printf "%.2f", (r > 0 ? 100 * d / r : 0) }')
		say "  kernel drops ${soak_pct}% (no tcpdump run to compare: BENCH_PARTS without live)"
	fi
	target "TUI soak: memory flat from 10 s to the end of a ${SOAK_SECS} s flood with a stalled terminal (+$(( (soak_max - soak_r10) / 1024 )) MiB, max $((soak_max / 1024)) MiB)" \
		"$(if [ -z "$soak_r10" ] || [ "$soak_r10" = 0 ]; then echo -; else [ $((soak_max - soak_r10)) -le 8192 ] && echo 1 || echo 0; fi)"
	target "TUI soak: q quits within 5 s after the flood (${soak_q:-no} ms)" "$([ -n "$soak_q" ] && echo 1 || echo 0)"
}

# ---------- part 5: the panel over the whole capture (the packet store) ----------
# synwatch --tui -r F in a tmux pane (160x48): the first screen with packet 1, the index complete (the
# status bar's "indexing" gone), the view filter over every packet (its "N of M packets" message, the
# count checked against tcpdump's), peak RSS (VmHWM) with all of F indexed and filtered. Times are from
# the start of the pane (or the filter's Enter), polled every 10 ms. BENCH_STORE_BIG=N adds the same on
# an N-packet gencap capture (10000000: the 10M-packet row, about 4 GB in build/bench).

# store_wait_ms REGEX SECONDS: poll the pane until REGEX is on it; prints ms since store_t0 (empty: never).
store_wait_ms() {
	_end=$(( $(date +%s) + $2 ))
	while [ "$(date +%s)" -le "$_end" ]; do
		if bt capture-pane -p -t bench | grep -qE -- "$1"; then
			echo $(( ($(date +%s%N) - store_t0) / 1000000 ))
			return 0
		fi
		sleep 0.01
	done
	return 1
}

# store_indexed SCREEN: the panel's index is complete (a replay's status bar says "indexing" no more).
store_indexed() { printf '%s\n' "$1" | grep -q 'REPLAY' && ! printf '%s\n' "$1" | grep -q 'indexing '; }

# store_one FILE PACKETS LABEL: the rows for one capture.
store_one() {
	_f=$1 _n=$2 _l=$3
	cat "$_f" > /dev/null # the page cache, as for the other rows
	_expr='tcp[tcpflags] & tcp-syn != 0'
	_want=$(tcpdump -nr "$_f" "$_expr" 2>/dev/null | wc -l)
	tui_sock_next
	store_t0=$(date +%s%N)
	# A slow replay (x0.0001) keeps packet 1 on screen while the rows come one by one.
	_pid=$(tui_pane "$SW" --tui --speed 0.0001 -r "$_f" "2> $RUNS/store.err")
	[ -n "$_pid" ] || { note_failure "store: the panel did not start on $_f"; return; }
	# The first screen with packet 1, and the index complete (the status bar says "indexing" no more),
	# each at the first look that shows it.
	_first= _index=
	_end=$(( $(date +%s) + 600 ))
	while [ -z "$_first" ] || [ -z "$_index" ]; do
		[ "$(date +%s)" -le "$_end" ] || break
		_scr=$(bt capture-pane -p -t bench)
		_ms=$(( ($(date +%s%N) - store_t0) / 1000000 ))
		[ -z "$_first" ] && printf '%s\n' "$_scr" | grep -qE '^ +1 +0\.000000 ' && _first=$_ms
		[ -z "$_index" ] && store_indexed "$_scr" && _index=$_ms
		sleep 0.01
	done
	# End, then Home: each step's time to the screen showing it.
	store_t0=$(date +%s%N)
	bt send-keys -t bench End
	_endt=$(store_wait_ms "^ *$_n +[0-9]" 60)
	store_t0=$(date +%s%N)
	bt send-keys -t bench Home
	_homet=$(store_wait_ms '^ +1 +0\.000000 ' 60)
	bt send-keys -t bench /
	store_wait_ms 'Filter \(BPF' 5 > /dev/null
	bt send-keys -t bench C-u
	bt send-keys -t bench -l "$_expr"
	store_t0=$(date +%s%N)
	bt send-keys -t bench Enter
	_filter=$(store_wait_ms "view filter \".*\": [0-9]+ of $_n packets" 600)
	_got=$(bt capture-pane -p -t bench | sed -n 's/.*view filter ".*": \([0-9]*\) of .*/\1/p' | head -n 1)
	_hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$_pid/status")
	bt send-keys -t bench q
	wait_exit "$_pid" 10 2>/dev/null
	say "  $_l: first screen with packet 1 ${_first:-never} ms; index complete ${_index:-?} ms; view filter '$_expr' ${_filter:-never} ms ($_got packets, tcpdump $_want); End ${_endt:-never} ms, Home ${_homet:-never} ms; peak RSS ${_hwm:-?} KiB"
	eval "store_first_$4=\${_first:-} store_index_$4=\${_index:-} store_filter_$4=\${_filter:-} store_hwm_$4=\${_hwm:-} store_got_$4=\${_got:-} store_want_$4=\$_want store_end_$4=\${_endt:-} store_home_$4=\${_homet:-}"
}

# store_index_pairs FILE: REPS pairs, each `synwatch -r FILE --stats` then the panel on FILE until its
# index is complete (the status bar says "indexing" no more; from the start of the pane, as store_one
# counts), one right after the other, so that both sides of a pair meet the same load on a shared
# machine. Sets store_pair_stats and store_pair_index (medians, ms) and store_pairs (each pair).
store_index_pairs() {
	_f=$1
	: > "$RUNS/store_pairs"
	_i=0
	while [ "$_i" -lt "$REPS" ]; do
		_t0=$(date +%s%N)
		"$SW" -r "$_f" --stats > /dev/null 2>&1
		_st=$(( ($(date +%s%N) - _t0) / 1000000 ))
		tui_sock_next
		store_t0=$(date +%s%N)
		_pid=$(tui_pane "$SW" --tui --speed 0.0001 -r "$_f" "2> /dev/null")
		_ix=
		while [ -n "$_pid" ] && [ -z "$_ix" ]; do
			_scr=$(bt capture-pane -p -t bench)
			_ms=$(( ($(date +%s%N) - store_t0) / 1000000 ))
			store_indexed "$_scr" && _ix=$_ms
			[ "$_ms" -le 600000 ] || break
			sleep 0.01
		done
		bt send-keys -t bench q
		[ -n "$_pid" ] && wait_exit "$_pid" 10 2>/dev/null
		echo "$_st ${_ix:-}" >> "$RUNS/store_pairs"
		_i=$((_i + 1))
	done
	store_pair_stats=$(awk '{ print $1 }' "$RUNS/store_pairs" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
	store_pair_index=$(awk '$2 != "" { print $2 }' "$RUNS/store_pairs" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
	store_pairs=$(awk '{ printf "%s%s/%s", (NR > 1 ? ", " : ""), ($2 == "" ? "never" : $2), $1 }' "$RUNS/store_pairs")
}

bench_store() {
	say ""
	if [ "$sw_ok" != 1 ] || ! command -v tmux > /dev/null 2>&1; then
		say "== the panel over the whole capture: not run (needs tmux and synwatch)"
		target "panel over F: first screen with packet 1 ≤ 0.3 s" -
		return
	fi
	capture "$F" -s "$SEED" -n "$PACKETS" -c "$CONNS" || { note_failure "gencap failed for $F"; return; }
	say "== the panel over the whole capture F ($PACKETS packets) in tmux (160x48)"
	store_one "$F" "$PACKETS" "F" main
	TC_LIMIT=600
	_r=$REPS
	REPS=1
	time_cmd ts_syn /dev/null tshark -r "$F" -Y 'tcp.flags.syn==1' -T fields -e frame.number
	REPS=$_r
	TC_LIMIT=
	store_index_pairs "$F"
	say "  F: index complete / --stats, $REPS pairs one after the other (ms): $store_pairs; medians ${store_pair_index:-?} / ${store_pair_stats:-?}"
	_stats_ms=$store_pair_stats
	_ts_ms=$(awk -v t="$(val T ts_syn)" 'BEGIN { if (t != "") printf "%d", t * 1000 }')
	_rss_lim=$(( 131072 + PACKETS * 32 / 1024 ))
	target "panel over F: first screen with packet 1 ≤ 0.3 s (${store_first_main:-never} ms)" \
		"$([ -n "$store_first_main" ] && { [ "$store_first_main" -le 300 ] && echo 1 || echo 0; } || echo 0)"
	target "panel over F: index complete ≤ 1.5 × synwatch -r F --stats (medians of $REPS pairs: ${store_pair_index:-?} ms, --stats ${_stats_ms:-?} ms)" \
		"$(if [ -z "$store_pair_index" ] || [ -z "$_stats_ms" ]; then echo -; else [ $((store_pair_index * 2)) -le $((_stats_ms * 3)) ] && echo 1 || echo 0; fi)"
	target "panel over F: view filter over all $PACKETS packets ≤ 1.5 s (${store_filter_main:-never} ms, ${store_got_main:-?} packets = tcpdump's ${store_want_main}; tshark -Y ${_ts_ms:-not run} ms)" \
		"$(if [ -z "$store_filter_main" ] || [ "$store_got_main" != "$store_want_main" ]; then echo 0; else [ "$store_filter_main" -le 1500 ] && echo 1 || echo 0; fi)"
	target "panel over F: peak RSS ≤ 128 MiB + 32 bytes × packets (${store_hwm_main:-?} KiB ≤ $_rss_lim KiB)" \
		"$(if [ -z "$store_hwm_main" ]; then echo -; else [ "$store_hwm_main" -le "$_rss_lim" ] && echo 1 || echo 0; fi)"
	if [ -n "${BENCH_STORE_BIG:-}" ]; then
		FB=$B/store_big_s${SEED}_n${BENCH_STORE_BIG}.pcap
		capture "$FB" -s "$SEED" -n "$BENCH_STORE_BIG" -c "$CONNS" || { note_failure "gencap failed for $FB"; return; }
		store_one "$FB" "$BENCH_STORE_BIG" "F$BENCH_STORE_BIG" big
		_ok=1
		for _v in "$store_filter_big" "$store_end_big" "$store_home_big"; do
			[ -n "$_v" ] && [ "$_v" -le 2000 ] || _ok=0
		done
		[ -n "$store_hwm_big" ] && [ "$store_hwm_big" -le 524288 ] || _ok=0
		target "panel over a $BENCH_STORE_BIG-packet capture: RSS ≤ 512 MiB (${store_hwm_big:-?} KiB); End ${store_end_big:-never} ms, Home ${store_home_big:-never} ms, filter ${store_filter_big:-never} ms, each ≤ 2 s" "$_ok"
	else
		target "panel over a 10M-packet capture: RSS ≤ 512 MiB, End/Home/filter ≤ 2 s (BENCH_STORE_BIG=10000000)" -
	fi
}

# ---------- the summary ----------

machine() {
	_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	_mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	printf '%s, %s, %s cores, %s RAM, Linux %s; %s; %s; %s\n' "$(uname -m)" "${_cpu:-unknown CPU}" "$(nproc)" \
		"$_mem" "$(uname -r)" "$(tcpdump --version 2>&1 | head -n 1)" "$(tcpdump --version 2>&1 | sed -n 2p)" \
		"$(tshark --version 2>/dev/null | head -n 1 | sed 's/ (Git.*//')"
}

summary() {
	{
		echo "### Benchmark ($(date -u +%Y-%m-%d), \`make bench\`)"
		echo
		echo "Machine: $(machine)"
		echo
		echo "Capture F: $PACKETS generated packets (seed $SEED, $CONNS concurrent TCP connections, ~20% DNS-like UDP,"
		echo "~2% ICMP port unreachable, ~10% IPv6, $(wc -c 2>/dev/null < "$F" || echo ?) bytes). Medians of $REPS runs; peak RSS"
		echo "from wait4's ru_maxrss. tshark ran on $SMALL packets: its ratios use its time scaled by the packet counts."
		echo "F1M: $FLOWS SYNs from distinct clients (its rows compare with the floor on F1M)."
		echo
		echo "| command | median s | peak RSS MiB | × floor | fastest tcpdump text ÷ this |"
		echo "|---|---|---|---|---|"
		cat "$B/table.md"
		echo
		echo "| target | result |"
		echo "|---|---|"
		cat "$B/targets.md"
		echo
		echo "Full log: build/bench/results.txt."
	} > "$MD"
}

say "synwatch benchmark — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
say "machine: $(machine)"
has_part file && bench_file
has_part pcapng && bench_pcapng
has_part flows && bench_flows
has_part live && bench_live
has_part tui && live_tui
has_part soak && tui_soak
has_part store && bench_store
summary
say ""
say "results: $RES, summary: $MD"
if [ "$tool_failures" -ne 0 ]; then
	say "$tool_failures tool failure(s) above"
	exit 1
fi
exit 0

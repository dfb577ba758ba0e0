#!/bin/sh
# check-layout.sh — keeps the folder map of README "Design" true: which folder's files may include which
# folder's headers, and which system libraries (libpcap, curses) each folder may use. Prints one line per
# breach and "layout: N passed, M failed".
cd "$(dirname "$0")/.." || exit 2

# Folders from the bottom up; a folder may include its own headers, include/ (the contracts) and the
# folders listed for it. Nothing may include a folder above it.
allowed() {
	case $1 in
	include) echo "" ;;
	common) echo "common" ;;
	capture/decode) echo "common decode" ;;
	capture/track) echo "common decode track" ;;
	capture/source) echo "common decode track source" ;;
	capture/calls) echo "common decode track calls" ;;
	capture/store) echo "common decode track source calls store" ;;
	capture/graph) echo "common decode track graph" ;;
	capture/view) echo "common decode track calls graph view" ;;
	capture/tui) echo "common decode track source calls graph view store tui" ;;
	capture/app) echo "common decode track source calls graph view store tui app" ;;
	demo) echo "common demo" ;;
	*) echo "?" ;;
	esac
}
# System headers only some folders may include: libpcap (capture sources, BPF, DLT names, the program);
# curses only in the panel's terminal file (the panes draw into a line sink).
pcap_ok="capture/source capture/decode capture/app"
curses_ok="capture/tui/tui_term.c"

# Known breaches being removed; each line "FILE INCLUDE". Empty when the layout holds everywhere.
PENDING=""

pass=0 fail=0
breach() {
	if printf '%s\n' "$PENDING" | grep -qxF "$1 $2"; then
		return
	fi
	echo "FAIL layout: $1 includes $2 ($3)"
	fail=$((fail + 1))
	bad=1
}
for f in $(git ls-files 'include/*.[ch]' 'common/*.[ch]' 'capture/*.[ch]' 'demo/*.[ch]'); do
	dir=$(dirname "$f")
	ok=$(allowed "$dir")
	bad=0
	if [ "$ok" = "?" ]; then
		echo "FAIL layout: $f is in $dir, which README's map does not name"
		fail=$((fail + 1))
		continue
	fi
	for inc in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$f"); do
		case $inc in
		*/*) top=${inc%%/*}
			case " $ok " in *" $top "*) ;; *) breach "$f" "$inc" "$dir may not include $top/" ;; esac ;;
		*) # a bare name: a contract in include/, or a header beside the file (demo/)
			if [ ! -f "include/$inc" ] && [ ! -f "$dir/$inc" ]; then
				breach "$f" "$inc" "no such header in include/ or $dir/"
			elif [ ! -f "include/$inc" ] && [ "$dir" != demo ]; then
				breach "$f" "$inc" "a module header is included by its folder: $(basename "$dir")/$inc"
			fi ;;
		esac
	done
	for inc in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*<\([^>]*\)>.*/\1/p' "$f"); do
		case $inc in
		pcap.h|pcap/*) case " $pcap_ok " in *" $dir "*) ;; *) breach "$f" "<$inc>" "libpcap only in $pcap_ok" ;; esac ;;
		curses.h|ncurses.h|ncursesw/*|term.h) case " $curses_ok " in *" $f "*) ;; *) breach "$f" "<$inc>" "curses only in $curses_ok" ;; esac ;;
		esac
	done
	[ "$bad" -eq 0 ] && pass=$((pass + 1))
done
echo "layout: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

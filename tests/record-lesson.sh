#!/bin/sh
# record-lesson.sh — records the classroom scenarios once into pcaps/lesson.pcapng (make lesson): a lesson that replays without root.
# Needs root (live capture on lo). Uses port 8888 (LESSON_PORT=N to change). Runs `synwatch --classroom -w`: one round of
# every sockdemo scenario, its socket calls, socket-table changes and each packet's comment in the file.
cd "$(dirname "$0")/.." || exit 2
PORT=${LESSON_PORT:-8888}
OUT=${LESSON_OUT:-pcaps/lesson.pcapng}
[ "$(id -u)" -eq 0 ] || { echo "record-lesson: capturing needs root; fix: sudo make lesson" >&2; exit 1; }
if [ -n "$(ss -Hltun "( sport = :$PORT )")" ]; then
	echo "record-lesson: port $PORT is in use; fix: stop what listens there, or LESSON_PORT=N make lesson" >&2
	exit 1
fi
build/synwatch --classroom -p "$PORT" -w "$OUT" > /dev/null || exit 1
echo "record-lesson: $OUT recorded; replay it anywhere, no root needed: synwatch -r $OUT (--tui for the panel)"

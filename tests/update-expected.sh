#!/bin/sh
# update-expected.sh — rewrites the expected outputs listed in pcaps/TESTLIST from the current build (review the diff before committing).
cd "$(dirname "$0")/.." || exit 2
while read -r name capture expected options; do
	case $name in '' | '#'*) continue ;; esac
	# shellcheck disable=SC2086
	TZ=UTC build/synwatch -r "pcaps/$capture" $options > "pcaps/$expected" 2>/dev/null
	echo "wrote pcaps/$expected"
done < pcaps/TESTLIST

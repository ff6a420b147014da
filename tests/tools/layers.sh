#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# layers.sh - checks that the code keeps its layers (run by `make lint`): each folder of src/
# and include/ is a layer, and a file includes only headers of its own layer or of the layers
# before it, in this order:
#   base -> cgroup -> names -> sample -> events -> output -> record -> ui -> launch
# include/options.h (the parsed command line) sits between sample and events; the entry
# (src/main.c, src/options.c, src/version.c) may include any layer.  Prints each include
# that goes up a layer, and exits 1 when there is one.
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
order=(base cgroup names sample options events output record ui launch)

rank()
{
	local i
	for i in "${!order[@]}"; do
		[ "${order[$i]}" = "$1" ] && { echo "$i"; return; }
	done
	echo 99
}

bad=0
cd "$top" || exit 1
for f in src/*/*.c include/*/*.h include/options.h; do
	case $f in
	include/options.h) own=options ;;
	*) own=${f#*/}; own=${own%%/*} ;;
	esac
	r=$(rank "$own")
	while IFS= read -r h; do
		case $h in
		options.h) l=options ;;
		*/*) l=${h%%/*} ;;
		*) continue ;;
		esac
		if [ "$(rank "$l")" -gt "$r" ]; then
			echo "$f: includes $h: layer $l is above $own"
			bad=1
		fi
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
exit $bad

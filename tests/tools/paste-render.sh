#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# paste-render.sh - renders a saved kernel log as people paste it, for the tests of
# `cgtop --events --kmsg-file` on pasted logs and for tests/tools/capture-paste.sh:
#
#   paste-render.sh SPEC <clean.txt >pasted.txt
#   paste-render.sh --list          the renderings the tests use, one SPEC a line
#
# SPEC is one step or several joined by '+', applied left to right:
#   crlf         CRLF line ends (a log saved on Windows, a mail body)
#   indent4      four blanks before every line (a Markdown code block)
#   tab          a tab before every line (the other Markdown code block)
#   quote        "> " before every line (a log quoted in an e-mail reply)
#   quote2       ">> " (quoted twice)      quote-nested  "> > "
#   quote-indent "> " and four blanks (a code block inside a quote)
#   wrapN        cut every line at N bytes, as fold -w N and a terminal do
#   wordwrapN    break at the last blank before N, keeping the blank at the end
#                of the line (fold -s -w N, format=flowed mail); a word longer
#                than N is cut
#   mailwrapN    break at the last blank before column N+1 and drop that blank
#                (mail clients that send without format=flowed); a word longer
#                than N is cut
# So "wrap80+quote" is a log wrapped at 80 columns, then quoted in a reply (every
# piece quoted), and "quote+wrap80" a quoted log that the reply wrapped again
# (the pieces after the first unquoted).
set -u -o pipefail
export LC_ALL=C

list()
{
	cat <<-'EOF'
		crlf
		indent4
		tab
		quote
		quote2
		quote-nested
		quote-indent
		wrap80
		wordwrap80
		mailwrap80
		wrap80+quote
		quote+wrap80
		wrap80+indent4
		indent4+wrap80
		tab+wrap80
		wordwrap80+quote
		mailwrap80+quote
		wrap80+quote+crlf
		crlf+quote-indent
		wrap72+quote2
	EOF
}

step()
{
	case $1 in
	crlf) sed 's/$/\r/' ;;
	indent4) sed 's/^/    /' ;;
	tab) sed 's/^/\t/' ;;
	quote) sed 's/^/> /' ;;
	quote2) sed 's/^/>> /' ;;
	quote-nested) sed 's/^/> > /' ;;
	quote-indent) sed 's/^/>     /' ;;
	wrap[0-9]*) fold -w "${1#wrap}" ;;
	wordwrap[0-9]*) fold -s -w "${1#wordwrap}" ;;
	mailwrap[0-9]*)
		awk -v w="${1#mailwrap}" '{
			line = $0
			while (length(line) > w) {
				cut = 0
				for (i = w + 1; i > 1; i--)
					if (substr(line, i, 1) == " ") { cut = i; break }
				if (cut) {
					print substr(line, 1, cut - 1)
					line = substr(line, cut + 1)
				} else {
					print substr(line, 1, w)
					line = substr(line, w + 1)
				}
			}
			print line
		}'
		;;
	*)
		echo "paste-render.sh: unknown step '$1'" >&2
		return 2
		;;
	esac
}

render()
{
	local spec=$1 first rest

	first=${spec%%+*}
	if [ "$first" = "$spec" ]; then
		step "$first"
	else
		rest=${spec#*+}
		step "$first" | render "$rest"
	fi
}

case ${1:-} in
--list) list ;;
'' | -h | --help)
	sed -n '3,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'
	[ $# -gt 0 ]
	;;
*) render "$1" ;;
esac

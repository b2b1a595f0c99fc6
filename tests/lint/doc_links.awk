# Part of doc_links.sh: prints file:line:document:sections for each document a file names
# outside a C or JS string (an output string, such as a help text or a report, names what the
# user reads, and changing it would change the output).  sections lists, separated by |, the
# sections cited right after the name, on its line or the next (a wrapped comment): "3.2" for
# "§3.2", "rule 7" for "rule 7", "E4", "named Sync options" for "Sync options" in quotes; a
# range "§3.2-3.4" or "rules 1-9" gives both ends.

FNR == 1 && NR > 1 { scan() }
{ text[FNR] = $0; n = FNR; name = FILENAME }
END { scan() }

function scan(   i, line, pre, ref, after, next_line, quotes) {
	for (i = 1; i <= n; i++) {
		line = text[i]; pre = ""
		while (match(line, /[A-Za-z0-9_.\/-]*[A-Za-z0-9_-]\.md([^A-Za-z0-9_]|$)/)) {
			ref = substr(line, RSTART, RLENGTH)
			sub(/[^A-Za-z0-9_]$/, "", ref)
			pre = pre substr(line, 1, RSTART - 1)
			quotes = gsub(/"/, "\"", pre)
			pre = pre ref
			line = substr(line, RSTART + length(ref))
			if (name ~ /\.(c|h|js)$/ && quotes % 2 == 1)
				continue
			next_line = i < n ? text[i + 1] : ""
			sub(/^[ \t]*(\*|\/\/|#)?[ \t]*/, "", next_line)
			after = line " " next_line
			print name ":" i ":" ref ":" sections(after)
		}
	}
	delete text
	n = 0
}

# The sections cited at the start of s, up to the end of the citation.
function sections(s,   out, m, part, k, parts, np, t) {
	gsub(/–/, "-", s)
	if (match(s, /\.md|\)|;|\. /))
		s = substr(s, 1, RSTART - 1)
	out = ""
	t = s
	while (match(t, /"[^"]+"/)) {
		m = substr(t, RSTART + 1, RLENGTH - 2)
		sub(/,? *(\.\.\.|…)$/, "", m)
		out = out "|named " m
		t = substr(t, RSTART + RLENGTH)
	}
	while (match(s, /§ ?[0-9]+(\.[0-9]+)?(-(§)? ?[0-9]+(\.[0-9]+)?)?/)) {
		m = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
		gsub(/[§ ]/, "", m)
		np = split(m, parts, "-")
		for (k = 1; k <= np; k++) out = out "|" parts[k]
	}
	return substr(out, 2) rules(s)
}

# "|rule N" for "rule N" / "rules N-M" / "rules N and M", "|EN" for "EN", in s.
function rules(s,   out, m, parts, np, k) {
	out = ""
	while (match(s, /[Rr]ules? [0-9]+((-| and |, )[0-9]+)*/)) {
		m = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
		sub(/^[Rr]ules? /, "", m)
		gsub(/ and |, /, "-", m)
		np = split(m, parts, "-")
		for (k = 1; k <= np; k++) out = out "|rule " parts[k]
	}
	while (match(s, /(^|[^A-Za-z0-9])E[1-9]/)) {
		m = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
		sub(/^[^E]/, "", m)
		out = out "|" m
	}
	return out
}

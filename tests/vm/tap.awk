# Turn the TAP output of one suite into result lines:
#   PASS|FAIL|SKIP <label> <suite>: <test>[ (<reason>)]
# Variables (-v): label, suite, rc (exit status; empty if the suite never
# finished), timeout (seconds if it was killed by the timeout).
# Only top-level "ok"/"not ok" lines count; "#" lines are diagnostics.

function emit(kind, name) {
	print kind " " label " " suite ": " name
	count[kind]++
}

# The text of a "# SKIP reason" directive, or "" if there is none.
function skip_reason(d) {
	sub(/^[Ss][Kk][Ii][Pp][^ ]* */, "", d)
	return d
}

{ sub(/\r+$/, "") }

/^1\.\.[0-9]+/ {
	n = $0
	sub(/^1\.\./, "", n)
	planned += n + 0
	plans++
	if (n + 0 == 0 && $0 ~ /# *[Ss][Kk][Ii][Pp]/) {
		skipall = $0
		sub(/^[^#]*# */, "", skipall)
		skipall = skip_reason(skipall)
		if (skipall == "")
			skipall = "no reason given"
	}
	next
}

# kselftest_harness names the running test here; its "ok N # SKIP" lines
# carry no name.
/^#[ \t]+RUN[ \t]/ {
	lastrun = $0
	sub(/^#[ \t]+RUN[ \t]+/, "", lastrun)
	sub(/[ \t]*\.\.\.$/, "", lastrun)
	next
}

/^(not )?ok([ \t]|$)/ {
	bad = ($0 ~ /^not /)
	line = $0
	sub(/^(not )?ok[ \t]*/, "", line)
	sub(/^[0-9]+[ \t]*/, "", line)
	sub(/^-[ \t]*/, "", line)
	directive = ""
	if (line ~ /^#/) {
		directive = line
		line = ""
	} else if ((i = index(line, " # ")) > 0) {
		directive = substr(line, i + 3)
		line = substr(line, 1, i - 1)
	}
	sub(/^#[ \t]*/, "", directive)
	results++
	if (line == "")
		line = (lastrun != "" ? lastrun : "test " results)
	lastrun = ""
	if (directive ~ /^[Ss][Kk][Ii][Pp]/) {
		reason = skip_reason(directive)
		emit("SKIP", line (reason != "" ? " (" reason ")" : ""))
	} else if (directive ~ /^[Tt][Oo][Dd][Oo]/) {
		emit("SKIP", line " (TODO)")
	} else if (bad) {
		emit("FAIL", line)
	} else {
		emit("PASS", line)
	}
	next
}

/^Bail out!/ {
	emit("FAIL", "bailed out: " substr($0, 11))
	bailed = 1
}

END {
	if (skipall != "" && results == 0)
		emit("SKIP", "all tests (" skipall ")")
	if (timeout != "")
		emit("FAIL", "timed out after " timeout " s")
	else if (rc == "")
		emit("FAIL", "did not finish (guest crashed, hung or ran out of time)")
	else if (plans == 0 && results == 0) {
		if (rc == 4)
			emit("SKIP", "whole suite (exit status 4)")
		else
			emit("FAIL", "no TAP plan or results (exit status " rc ")")
	} else if (plans > 0 && results != planned && !bailed)
		emit("FAIL", "planned " planned " tests, reported " results " (exit status " rc ")")
	else if (rc != 0 && rc != 4 && count["FAIL"] == 0)
		emit("FAIL", "exit status " rc)
}

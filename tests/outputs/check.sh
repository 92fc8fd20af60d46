#!/usr/bin/env bash
# The senders and the metrics against real consumers, on the host, on the
# loopback only (a few seconds):
#   syslog  rsyslogd (Debian's rsyslog), run with its own configuration:
#           examples/rsyslog/procmem-guard.conf as shipped (two paths
#           changed), on a Unix socket and on udp:127.0.0.1; its parsed
#           structured data (mmpstrucdata) must give back every value,
#           hostile bytes and a 4,000-byte path included
#   post    a local HTTP server (outputs.py receiver) that applies
#           Falcosidekick's own input validation: every finding in the
#           falco format taken, on one kept-alive connection, Content-Type
#           application/json; 503s retried; the server killed mid-stream:
#           the retries shown, an invalid line rejected, the losses counted
#           exactly; and a stand-in of Elasticsearch's _doc endpoint for
#           the ecs format
#   metrics prometheus-node-exporter (Debian's), textfile collector only,
#           on 127.0.0.1: the scraped values are the ones given
# The programs: build/outputs/pmg_outputs (tests/outputs/pmg_outputs.c,
# the CLI's own senders and metrics code, fed synthetic findings and
# counters) and tests/outputs/outputs.py. One line per result:
#   PASS|FAIL outputs <test>: <what>
# Needs root (apt-get) and `make tests` done. Exit status 0: the lines are
# the verdict.
# shellcheck source-path=SCRIPTDIR
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$top/tests/outputs
# shellcheck source=../vm/lib.sh
. "$top/tests/vm/lib.sh"

bin=$top/build/outputs/pmg_outputs
py=$here/outputs.py
tmp=$(mktemp -d)
pids=()
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

pass() { echo "PASS outputs $1: $2"; }
# fail TEST WHAT [FILE...]: the line, then each file indented.
fail() {
	local t=$1 w=$2 f
	shift 2
	echo "FAIL outputs $t: $w"
	for f in "$@"; do
		[ -s "$f" ] && tail -n 40 "$f" | sed 's/^/    | /'
	done
}

# Wait up to 10 s for the command "$@" to succeed.
wait_for() {
	local _
	for _ in $(seq 100); do
		"$@" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

if ! pmg_apt_install rsyslog prometheus-node-exporter curl python3 >"$tmp/apt" 2>&1; then
	fail deps "apt-get could not install rsyslog, prometheus-node-exporter, curl, python3" "$tmp/apt"
	exit 0
fi
if [ ! -x "$bin" ]; then
	fail deps "$bin is missing: run make tests"
	exit 0
fi

# --- syslog -> rsyslogd ----------------------------------------------------------
rs=$tmp/rsyslog
mkdir -p "$rs"
udp_port=$(python3 "$py" free-port)
{
	echo "global(workDirectory=\"$rs\")"
	echo 'module(load="imuxsock" SysSock.Use="off")'
	echo 'module(load="imudp")'
	echo "input(type=\"imudp\" address=\"127.0.0.1\" port=\"$udp_port\" ruleset=\"procmem-guard\")"
	sed -e "s|/run/procmem-guard-syslog.sock|$rs/log.sock|" \
		-e "s|/var/log/procmem-guard.json|$rs/out.json|" \
		"$top/examples/rsyslog/procmem-guard.conf"
} >"$rs/rsyslog.conf"
python3 "$py" syslog-gen "$rs"

# run_syslog NAME TARGET FACILITY: send the cases, check what rsyslog made of them.
run_syslog() {
	local name=$1 target=$2 facility=$3 n
	: >"$rs/out.json"
	if ! "$bin" syslog "$target" --facility "$facility" <"$rs/syslog.in" \
		>"$rs/$name.stats" 2>"$rs/$name.err"; then
		fail "$name" "pmg_outputs syslog failed" "$rs/$name.err"
		return
	fi
	n=$(wc -l <"$rs/syslog.in")
	wait_for test "$(wc -l <"$rs/out.json")" -ge "$n"
	if python3 "$py" syslog-check "$rs" "$rs/out.json" "$facility" 8096 >"$rs/$name.check" 2>&1; then
		pass "$name" "$n messages to $target, parsed by rsyslogd: every header field and structured data value as sent ($(grep -c '^ok' "$rs/$name.check") cases)"
	else
		fail "$name" "rsyslogd did not get back what was sent to $target" "$rs/$name.check" "$rs/$name.err" "$rs/rsyslogd.log"
	fi
}

if ! rsyslogd -N1 -f "$rs/rsyslog.conf" >"$rs/rsyslogd.log" 2>&1; then
	fail syslog "rsyslogd refuses examples/rsyslog/procmem-guard.conf" "$rs/rsyslogd.log"
else
	rsyslogd -n -f "$rs/rsyslog.conf" -i "$rs/rsyslogd.pid" >>"$rs/rsyslogd.log" 2>&1 &
	pids+=($!)
	if ! wait_for test -S "$rs/log.sock"; then
		fail syslog "rsyslogd did not open its socket" "$rs/rsyslogd.log"
	else
		# imudp may come up after imuxsock: wait until a probe gets through.
		probe='{"type":"listener","line":"","event":"probe"}'
		wait_for sh -c "echo '$probe' | '$bin' syslog udp:127.0.0.1:$udp_port >/dev/null 2>&1 &&
			grep -q probe '$rs/out.json'"
		run_syslog syslog-unix "$rs/log.sock" authpriv
		run_syslog syslog-udp "udp:127.0.0.1:$udp_port" local3
	fi
fi

# --- post -> an HTTP server with Falcosidekick's validation -------------------------
ht=$tmp/http
mkdir -p "$ht"
# start_receiver NAME [--exit-after N | --busy N]: the port in $port.
start_receiver() {
	local name=$1
	shift
	rm -f "$ht/$name.port"
	python3 "$py" receiver "$ht/$name.port" "$ht/$name.log" "$@" 2>"$ht/$name.rerr" &
	pids+=($!)
	wait_for test -s "$ht/$name.port"
	port=$(cat "$ht/$name.port")
}

# jq over the receiver's log: jq -s EXPR.
rlog() { jq -rs "$2" "$ht/$1.log"; }

# Findings in the falco format, made by listen's own formatter: every one
# accepted, on one connection.
start_receiver all
python3 "$py" finding-events 50 >"$ht/all.in"
"$bin" post "http://127.0.0.1:$port/" --format falco <"$ht/all.in" >"$ht/all.out" 2>"$ht/all.err"
stats=$(tail -n 1 "$ht/all.out")
got=$(rlog all '[.[] | select(.code == 200)] | length')
conns=$(rlog all '[.[].conn] | unique | length')
types=$(rlog all '[.[].content_type] | unique | join(",")')
why=$(rlog all '[.[] | select(.code != 200) | .why] | join(",")')
if [ "$stats" = '{"stats":{"queued":50,"delivered":50,"retries":0,"queue_full":0,"failed":0,"rejected":0,"unsent":0,"dropped":0}}' ] &&
	[ "$got" = 50 ] && [ "$conns" = 1 ] && [ "$types" = application/json ]; then
	pass post "50 findings in the falco format (hostile strings, three signatures) all accepted by Falcosidekick's input validation, on 1 kept-alive connection, application/json"
else
	fail post "stats $stats, accepted $got, connections $conns, types $types, refused for: $why" "$ht/all.out" "$ht/all.err"
fi

# 503 twice: retried, then delivered.
start_receiver busy --busy 2
python3 "$py" falco-lines 3 0 >"$ht/busy.in"
"$bin" post "http://127.0.0.1:$port/" --backoff 10 <"$ht/busy.in" >"$ht/busy.out" 2>"$ht/busy.err"
stats=$(tail -n 1 "$ht/busy.out")
if [ "$stats" = '{"stats":{"queued":3,"delivered":3,"retries":2,"queue_full":0,"failed":0,"rejected":0,"unsent":0,"dropped":0}}' ] &&
	[ "$(rlog busy '[.[] | select(.code == 503)] | length')" = 2 ] &&
	grep -q 'HTTP 503.*retry 2 of 3 in 20 ms' "$ht/busy.err" &&
	grep -q 'delivered after 2 retries' "$ht/busy.err"; then
	pass post-retry "two 503 answers retried after 10 and 20 ms, then delivered; nothing lost"
else
	fail post-retry "stats $stats" "$ht/busy.out" "$ht/busy.err"
fi

# The server dies after 10 accepted findings; 40 are sent, the 5th invalid.
start_receiver kill --exit-after 10
python3 "$py" falco-lines 40 5 >"$ht/kill.in"
"$bin" post "http://127.0.0.1:$port/" --retries 2 --backoff 20 --queue 16 --pace 1 \
	<"$ht/kill.in" >"$ht/kill.out" 2>"$ht/kill.err"
stats=$(tail -n 1 "$ht/kill.out")
s() { jq -r ".stats.$1" <<<"$stats"; }
got=$(rlog kill '[.[] | select(.code == 200)] | length')
reported=$(jq -s '[.[] | select(.event == "listener") | .dropped] | add' "$ht/kill.out")
gaveup=$(grep -c 'gave up after 3 attempts: line dropped' "$ht/kill.err")
retries=$(grep -c '; retry [12] of 2 in' "$ht/kill.err")
if [ "$got" = 10 ] && [ "$(s delivered)" = 10 ] && [ "$(s rejected)" = 1 ] &&
	[ "$(s dropped)" = 30 ] && [ "$reported" = 30 ] &&
	[ "$(rlog kill '[.[] | select(.code == 400) | .why] | join(",")')" = time ] &&
	grep -q 'HTTP 400 (Please send a valid request body): line rejected' "$ht/kill.err" &&
	[ $(($(s queued) + $(s queue_full))) = 40 ] &&
	[ $(($(s failed) + $(s queue_full) + $(s unsent))) = 29 ] &&
	[ "$gaveup" = "$(s failed)" ] && [ "$(s failed)" -gt 0 ] &&
	[ "$retries" = "$(s retries)" ] && [ "$retries" = $((2 * $(s failed))) ]; then
	pass post-killed "server gone after 10 of 40: 10 delivered, 1 rejected with 400 (no time), $(s failed) given up after 2 retries each ($retries retry lines), $(s queue_full) on a full queue; 30 lost = the sum of the listener events' dropped"
else
	fail post-killed "server took $got; stats $stats; listener events say $reported dropped; $gaveup given up, $retries retry lines" "$ht/kill.out" "$ht/kill.err"
fi

# An Elasticsearch _doc endpoint: 201 Created, credentials from a file.
start_receiver es --es
python3 "$py" finding-events 5 >"$ht/es.in"
printf '# credentials\nAuthorization: ApiKey dGVzdDp0ZXN0\n' >"$ht/es.headers"
"$bin" post "http://127.0.0.1:$port/procmem-guard/_doc" --format ecs --header "@$ht/es.headers" \
	<"$ht/es.in" >"$ht/es.out" 2>"$ht/es.err"
stats=$(tail -n 1 "$ht/es.out")
auth=$(rlog es '[.[].authorization] | unique | join(",")')
if [ "$stats" = '{"stats":{"queued":5,"delivered":5,"retries":0,"queue_full":0,"failed":0,"rejected":0,"unsent":0,"dropped":0}}' ] &&
	[ "$(rlog es '[.[] | select(.code == 201 and .path == "/procmem-guard/_doc")] | length')" = 5 ] &&
	[ "$auth" = "ApiKey dGVzdDp0ZXN0" ]; then
	pass post-elastic "5 findings in the ecs format POSTed to /procmem-guard/_doc, 201 Created taken as delivered, the Authorization header from the --post-header @FILE on each"
else
	fail post-elastic "stats $stats, authorization: $auth" "$ht/es.out" "$ht/es.err"
fi

# --- metrics -> prometheus-node-exporter ----------------------------------------------
ne=$tmp/node-exporter
mkdir -p "$ne/tf"
python3 "$py" status-gen >"$ne/status.json"
ne_port=$(python3 "$py" free-port)
if ! "$bin" prom --textfile "$ne/tf" <"$ne/status.json" 2>"$ne/prom.err"; then
	fail metrics "pmg_outputs prom --textfile failed" "$ne/prom.err"
else
	prometheus-node-exporter --web.listen-address="127.0.0.1:$ne_port" \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$ne/tf" --web.disable-exporter-metrics \
		>"$ne/node-exporter.log" 2>&1 &
	pids+=($!)
	if ! wait_for curl -sf -o "$ne/scrape" "http://127.0.0.1:$ne_port/metrics"; then
		fail metrics "node_exporter did not answer" "$ne/node-exporter.log"
	elif [ "$(find "$ne/tf" -mindepth 1 -printf '%f %m\n')" != "procmem_guard.prom 644" ]; then
		fail metrics "the textfile directory holds: $(find "$ne/tf" -mindepth 1 -printf '%f (%m) ')"
	elif python3 "$py" prom-check "$ne/status.json" "$ne/tf/procmem_guard.prom" "$ne/scrape" >"$ne/check" 2>&1; then
		pass metrics "procmem_guard.prom (0644, no temporary file left) follows the text format 0.0.4; node_exporter's scrape has every counter and setting as given, build_info's escaped label back as it was"
	else
		fail metrics "the scrape does not have the values given" "$ne/check" "$ne/node-exporter.log"
	fi
	# Not loaded: the file says so, and node_exporter takes it.
	echo '{"loaded":false}' | "$bin" prom --textfile "$ne/tf" 2>"$ne/prom.err"
	if wait_for sh -c "curl -sf '127.0.0.1:$ne_port/metrics' | grep -qx 'procmem_guard_module_loaded 0'" &&
		curl -sf "127.0.0.1:$ne_port/metrics" | grep -qx 'node_textfile_scrape_error 0' &&
		! curl -sf "127.0.0.1:$ne_port/metrics" | grep -q '^procmem_guard_findings_total'; then
		pass metrics-unloaded "module not loaded: procmem_guard_module_loaded 0 and no counters, scraped without error"
	else
		fail metrics-unloaded "the scrape after writing a not-loaded status" "$ne/prom.err" "$ne/node-exporter.log"
	fi
fi
exit 0

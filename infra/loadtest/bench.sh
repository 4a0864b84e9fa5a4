#!/usr/bin/env bash
# tokengate benchmark / load-test harness. See infra/loadtest/README.md.
#
# Mode 1, local comparison (no arguments): starts the inference simulator and the gateway on loopback
# ports, then measures the simulator directly ("direct") and through the gateway ("gateway"):
# saturation throughput and CPU per request (wrk), fixed-rate latency and TTFB (LoadGen.java), memory,
# and start-to-first-completion time. Prints a comparison table and writes target/bench/summary.json.
#
#   infra/loadtest/bench.sh
#   DURATION=30 RATE_DURATION=60 infra/loadtest/bench.sh
#
# Mode 2, against a deployed tokengate: no processes are started, LoadGen drives a fixed-rate traffic
# mix, optionally followed by a wrk saturation run.
#
#   TOKENGATE_API_KEY=sk-... infra/loadtest/bench.sh --url https://gw.example.com --model my-model
#   infra/loadtest/bench.sh --url https://gw.example.com --api-key sk-... --model my-model \
#       --rate 50 --duration 60 --stream-share 0.3 --prompt-tokens 200 --max-tokens 100 --saturate
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
BENCH_DIR="$REPO_ROOT/target/bench"
LUA_SCRIPT="$SCRIPT_DIR/chat.lua"
LOADGEN_SRC="$SCRIPT_DIR/LoadGen.java"

# ---- Local-mode parameters (environment overrides) ------------------------------------------------
DURATION=${DURATION:-15}              # seconds of each measured wrk saturation run
WARMUP=${WARMUP:-5}                   # seconds of warm-up before each measured run (wrk and LoadGen)
RATE=${RATE:-100}                     # requests/s of the fixed-rate latency runs
RATE_DURATION=${RATE_DURATION:-20}    # seconds of each measured fixed-rate run
CONNECTIONS=${CONNECTIONS:-64}        # wrk connections
THREADS=${THREADS:-2}                 # wrk threads
OUTPUT_TOKENS=${OUTPUT_TOKENS:-16}    # simulator --output-tokens and max_tokens of every request
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-120}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
SIM_JAVA_OPTS=${SIM_JAVA_OPTS:-}
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx512m}
MODEL=${MODEL:-sim-llama}

# ==================================================================================================
# Generic helpers
# ==================================================================================================

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    cat <<'EOF'

Mode 2 options:
  --url URL            gateway base URL (required); /v1/chat/completions is appended
  --api-key KEY        API key (or set TOKENGATE_API_KEY, which keeps it out of the process list)
  --model NAME         model to request (required)
  --rate R             fixed-rate requests/s (default 10)
  --duration S         measured seconds (default 30)
  --warmup S           warm-up seconds at the same rate, not measured (default 0)
  --stream-share F     probability 0..1 that a request is streaming (default 0)
  --prompt-tokens N    approximate prompt size in tokens (default 200)
  --max-tokens N       max_tokens of each request (default 100)
  --concurrency N      max in-flight requests of LoadGen; wrk connections with --saturate (default 64)
  --timeout S          per-request read timeout (default 120)
  --saturate           afterwards run wrk at full speed for --duration seconds with --concurrency connections
Local mode environment: DURATION WARMUP RATE RATE_DURATION CONNECTIONS THREADS OUTPUT_TOKENS
  GATEWAY_JAVA_OPTS SIM_JAVA_OPTS TOKENGATE_API_KEY BUILD=1 (force a Maven build first)
EOF
}

# Processes this script started; all of them are stopped on exit, whatever the exit reason.
STARTED_PIDS=()
OUTPUTS_STARTED=0 # 1 once target/bench/ is being written (then a failure points there)

track() { STARTED_PIDS+=("$1"); }

untrack() {
    local keep=() p
    for p in "${STARTED_PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
    STARTED_PIDS=("${keep[@]}")
}

cleanup() {
    local rc=$? p
    trap - EXIT INT TERM
    # A signal may arrive inside a redirected function call: report on the script's own stdout/stderr.
    exec 1>&"$STDOUT_FD" 2>&"$STDERR_FD"
    if ((${#STARTED_PIDS[@]})); then
        for p in "${STARTED_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
        for _ in $(seq 1 50); do # up to 5 s for a clean shutdown
            local alive=0
            for p in "${STARTED_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
            ((alive)) || break
            sleep 0.1
        done
        for p in "${STARTED_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
        wait 2>/dev/null || true
    fi
    trim_log "$BENCH_DIR/gateway.log"
    trim_log "$BENCH_DIR/simulator.log"
    if ((rc != 0 && OUTPUTS_STARTED)); then
        log "failed (exit $rc); raw outputs and process logs are in ${BENCH_DIR#"$REPO_ROOT"/}/"
    fi
    exit "$rc"
}

# Keeps a huge process log (e.g. a gateway access log written at saturation) to its first and last lines.
trim_log() {
    local f=$1 size max=$((64 * 1024 * 1024))
    [[ -f $f ]] || return 0
    size=$(stat -c %s "$f")
    ((size > max)) || return 0
    { head -n 2000 "$f"; echo "... [bench.sh: $size bytes, middle truncated] ..."; tail -n 2000 "$f"; } >"$f.tmp" &&
        mv "$f.tmp" "$f"
}

# Runs a command in the background, tracked for cleanup, and waits for it (so that an interrupted
# script never leaves wrk or LoadGen behind). Returns the command's exit status.
run_tracked() {
    "$@" &
    local pid=$! rc=0
    track "$pid"
    wait "$pid" || rc=$?
    untrack "$pid"
    return "$rc"
}

now_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$t"; }

# Floating-point arithmetic via awk; prints "" when any operand is empty or the result is undefined.
# usage: calc FORMAT EXPR VAR...   (the expression uses a, b, c for the operands)
calc() {
    local fmt=$1 expr=$2
    shift 2
    local v
    for v in "$@"; do [[ -n $v && $v != null ]] || { echo ""; return 0; }; done
    awk -v a="${1:-0}" -v b="${2:-0}" -v c="${3:-0}" "BEGIN { x = ($expr); if (x != x) print \"\"; else printf \"$fmt\", x }" 2>/dev/null || echo ""
}

# Value of key=value inside a line of space-separated pairs.
kv() { local line=$1 key=$2 pair; for pair in $line; do [[ $pair == "$key="* ]] && { echo "${pair#*=}"; return 0; }; done; echo ""; }

resolve_java() {
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA="$JAVA_HOME/bin/java"
    elif command -v java >/dev/null; then JAVA=$(command -v java)
    else die "no java found: set JAVA_HOME to a JDK 21+"; fi
    local version major
    version=$("$JAVA" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')
    major=${version%%.*}
    [[ $major =~ ^[0-9]+$ ]] && ((major >= 21)) || die "$JAVA is Java '$version'; JDK 21+ is required (set JAVA_HOME)"
    JAVA_VERSION=$version
}

require_wrk() { command -v wrk >/dev/null || die "wrk not found: install it (Debian/Ubuntu: apt-get install -y wrk)"; }

# JSON request bodies (the prompt is short filler; max_tokens fixes the completion length).
chat_body() { # model max_tokens stream(true|false) [prompt]
    local prompt=${4:-Say something about gateways.}
    local s=""
    [[ $3 == true ]] && s=',"stream":true'
    printf '{"model":"%s","messages":[{"role":"user","content":"%s"}],"max_tokens":%d%s}' "$1" "$prompt" "$2" "$s"
}

# Filler text of about N tokens (~4 characters per token), same as LoadGen.
filler() {
    local n=$(($1 * 4)) words="the quick brown fox jumps over the lazy dog while a gateway relays tokens " s=""
    while ((${#s} < n)); do s+=$words; done
    s=${s:0:n}
    echo "${s%" "}"
}

# Normalizes a base URL to the chat completions endpoint, as LoadGen does.
completions_url() {
    local u=${1%/}
    case $u in
        */chat/completions) echo "$u" ;;
        */v1) echo "$u/chat/completions" ;;
        *) echo "$u/v1/chat/completions" ;;
    esac
}

# ==================================================================================================
# Process handling and /proc measurements (local mode)
# ==================================================================================================

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        port_in_use "$p" || { echo "$p"; return 0; }
    done
    die "no free loopback port found"
}

# One chat completion over a fresh loopback connection; prints the HTTP status (empty if none).
probe_status() { # port body
    local port=$1 body=$2 auth=""
    [[ -n ${TOKENGATE_API_KEY:-} ]] && auth="Authorization: Bearer $TOKENGATE_API_KEY"$'\r\n'
    (
        exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
        LC_ALL=C printf 'POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
            "$port" "$auth" "${#body}" "$body" >&3
        IFS=' ' read -r -t 10 _ status _ <&3 || true
        echo "${status:-}"
    ) 2>/dev/null || true
}

# GET a path over loopback and print the response body (used for /sim/stats).
http_get_body() { # port path
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$2" "$1" >&3
        timeout 5 cat <&3 | sed '1,/^\r\{0,1\}$/d'
    ) 2>/dev/null || true
}

# Polls a completion every ~10 ms until it answers 200; prints milliseconds since START_US.
wait_first_completion() { # pid port start_us name logfile
    local pid=$1 port=$2 start_us=$3 name=$4 logfile=$5 status deadline body
    body=$(chat_body "$MODEL" "$OUTPUT_TOKENS" false)
    deadline=$(($(now_us) + STARTUP_TIMEOUT * 1000000))
    while true; do
        status=$(probe_status "$port" "$body")
        if [[ $status == 200 ]]; then
            echo $((($(now_us) - start_us + 500) / 1000))
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$logfile" >&2 || true
            die "$name exited before serving a completion (log: $logfile)"
        fi
        if (($(now_us) > deadline)); then
            tail -n 30 "$logfile" >&2 || true
            die "$name gave no successful completion within ${STARTUP_TIMEOUT}s (last status '${status}', log: $logfile)"
        fi
        sleep 0.01
    done
}

cpu_ticks() { # utime + stime of a process (all threads), in clock ticks
    local stat f
    stat=$(<"/proc/$1/stat")
    stat=${stat##*) }          # drop "pid (comm) " - comm may contain spaces
    read -r -a f <<<"$stat"    # f[0] is field 3 (state); utime is field 14, stime field 15
    echo $((f[11] + f[12]))
}

proc_status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; } # pid VmRSS|VmHWM

kib_to_mib() { calc '%.1f' 'a / 1024' "$1"; }

start_simulator() {
    SIM_PORT=$(free_port)
    local logfile="$BENCH_DIR/simulator.log" start_us
    log "starting simulator on 127.0.0.1:$SIM_PORT"
    start_us=$(now_us)
    # shellcheck disable=SC2086  # SIM_JAVA_OPTS is a list of options
    "$JAVA" $SIM_JAVA_OPTS -cp "$REPO_ROOT/target/quarkus-app/lib/main/*:$REPO_ROOT/target/quarkus-app/app/*" \
        io.tokengate.sim.SimulatorMain --port "$SIM_PORT" --ttft-ms 0 --itl-ms 0 --output-tokens "$OUTPUT_TOKENS" \
        >"$logfile" 2>&1 &
    SIM_PID=$!
    track "$SIM_PID"
    R[direct.startup_ms]=$(wait_first_completion "$SIM_PID" "$SIM_PORT" "$start_us" simulator "$logfile")
    grep -q "simulator listening on http://127.0.0.1:$SIM_PORT" "$logfile" ||
        log "warning: simulator did not print 'simulator listening on http://127.0.0.1:$SIM_PORT'"
    R[direct.rss_start_kib]=$(proc_status_kib "$SIM_PID" VmRSS)
    log "simulator pid $SIM_PID: first completion after ${R[direct.startup_ms]} ms, RSS $(kib_to_mib "${R[direct.rss_start_kib]}") MiB"
}

start_gateway() {
    GW_PORT=$(free_port)
    local logfile="$BENCH_DIR/gateway.log" start_us opts=()
    read -r -a opts <<<"$GATEWAY_JAVA_OPTS"
    log "starting gateway on 127.0.0.1:$GW_PORT${GATEWAY_JAVA_OPTS:+ with options: $GATEWAY_JAVA_OPTS}"
    start_us=$(now_us)
    # The embedded profile defines the sim models and a demo tenant; its key is the benchmark's API key
    # (passed through the environment, not the command line).
    TOKENGATE_BOOTSTRAP_DEMO_KEY="$TOKENGATE_API_KEY" \
    "$JAVA" -Dquarkus.profile=embedded "${opts[@]}" -Dquarkus.http.port="$GW_PORT" -Dquarkus.http.host=127.0.0.1 \
        -Dtokengate.simulator.enabled=false \
        "-Dtokengate.pools.sim.endpoints[0].url=http://127.0.0.1:$SIM_PORT" \
        -jar "$REPO_ROOT/target/quarkus-app/quarkus-run.jar" >"$logfile" 2>&1 &
    GW_PID=$!
    track "$GW_PID"
    R[gateway.startup_ms]=$(wait_first_completion "$GW_PID" "$GW_PORT" "$start_us" gateway "$logfile")
    R[gateway.rss_start_kib]=$(proc_status_kib "$GW_PID" VmRSS)
    log "gateway pid $GW_PID: first completion after ${R[gateway.startup_ms]} ms, RSS $(kib_to_mib "${R[gateway.rss_start_kib]}") MiB"
}

# ==================================================================================================
# Measurements (local mode)
# ==================================================================================================

declare -A R=() # results, e.g. R[gateway.sat.stream.rps]

# wrk at full speed; the raw output (with chat.lua's BENCH_RESULT line) goes to OUTFILE.
run_wrk() { # url body duration_s connections threads outfile
    BENCH_BODY=$2 BENCH_STREAM_SHARE=0 run_tracked \
        wrk -t"$5" -c"$4" -d"$3"s --timeout 10s -s "$LUA_SCRIPT" "$1" >"$6" 2>&1 ||
        { cat "$6" >&2; die "wrk failed (output: $6)"; }
    grep -q '^BENCH_RESULT' "$6" || die "no BENCH_RESULT line in $6"
}

# Saturation run of one target and one request kind, with CPU accounting of simulator and gateway.
saturation() { # target(direct|gateway) port kind(plain|stream)
    local target=$1 port=$2 kind=$3 url body line sim0 sim1 gw0=0 gw1=0 n secs
    url="http://127.0.0.1:$port/v1/chat/completions"
    body=$(chat_body "$MODEL" "$OUTPUT_TOKENS" "$([[ $kind == stream ]] && echo true || echo false)")
    log "$target $kind: wrk warm-up ${WARMUP}s, then ${DURATION}s with $CONNECTIONS connections / $THREADS threads"
    run_wrk "$url" "$body" "$WARMUP" "$CONNECTIONS" "$THREADS" "$BENCH_DIR/wrk-$target-$kind-warmup.txt"

    sim0=$(cpu_ticks "$SIM_PID")
    [[ $target == gateway ]] && gw0=$(cpu_ticks "$GW_PID")
    run_wrk "$url" "$body" "$DURATION" "$CONNECTIONS" "$THREADS" "$BENCH_DIR/wrk-$target-$kind.txt"
    sim1=$(cpu_ticks "$SIM_PID")
    [[ $target == gateway ]] && gw1=$(cpu_ticks "$GW_PID")
    line=$(grep '^BENCH_RESULT' "$BENCH_DIR/wrk-$target-$kind.txt")

    n=$(kv "$line" requests)
    local p="$target.sat.$kind"
    R[$p.requests]=$n
    R[$p.rps]=$(kv "$line" rps)
    R[$p.errors]=$(($(kv "$line" non2xx) + $(kv "$line" socket_errors)))
    R[$p.error_detail]="non2xx=$(kv "$line" non2xx) socket=$(kv "$line" socket_errors) $(kv "$line" by_status)"
    R[$p.p50_ms]=$(calc '%.3f' 'a / 1000' "$(kv "$line" p50_us)")
    R[$p.p99_ms]=$(calc '%.3f' 'a / 1000' "$(kv "$line" p99_us)")
    # CPU ms per completed request: ticks * 1000 / CLK_TCK / requests
    R[$p.sim_cpu_ms_per_req]=$(calc '%.4f' "a * 1000 / $CLK_TCK / b" "$((sim1 - sim0))" "$n")
    if [[ $target == gateway ]]; then
        R[$p.cpu_ms_per_req]=$(calc '%.4f' "a * 1000 / $CLK_TCK / b" "$((gw1 - gw0))" "$n")
    else
        R[$p.cpu_ms_per_req]=${R[$p.sim_cpu_ms_per_req]}
    fi
    secs=$(calc '%.1f' 'a / 1000000' "$(kv "$line" duration_us)")
    log "  ${R[$p.rps]} req/s ($n in ${secs}s), errors ${R[$p.errors]}, CPU ms/req: serving ${R[$p.cpu_ms_per_req]}, simulator ${R[$p.sim_cpu_ms_per_req]}"
}

# Fixed-rate open-loop run with LoadGen (latency and TTFB percentiles).
fixed_rate() { # target port kind(plain|stream)
    local target=$1 port=$2 kind=$3 share=0 envf json
    [[ $kind == stream ]] && share=1
    envf="$BENCH_DIR/loadgen-$target-$kind.env"
    json="$BENCH_DIR/loadgen-$target-$kind.json"
    log "$target $kind: LoadGen ${RATE} req/s open loop, warm-up ${WARMUP}s, then ${RATE_DURATION}s"
    # shellcheck disable=SC2086  # LOADGEN_JAVA_OPTS is a list of options
    run_tracked "$JAVA" $LOADGEN_JAVA_OPTS "$LOADGEN_SRC" --url "http://127.0.0.1:$port" --model "$MODEL" \
        --rate "$RATE" --duration "$RATE_DURATION" --warmup "$WARMUP" --stream-share "$share" \
        --prompt-tokens 8 --max-tokens "$OUTPUT_TOKENS" --concurrency "$CONNECTIONS" --timeout 30 \
        --label "$target-$kind" --env-out "$envf" >"$json" 2>"$BENCH_DIR/loadgen-$target-$kind.txt" ||
        { cat "$BENCH_DIR/loadgen-$target-$kind.txt" >&2; die "LoadGen failed"; }
    # shellcheck disable=SC1090
    source "$envf"
    local cls=LG_NS p="$target.rate.$kind" q
    [[ $kind == stream ]] && cls=LG_ST
    R[$p.sent]=$LG_SENT
    R[$p.errors]=$LG_ERRORS
    R[$p.error_detail]=$LG_ERRORS_BY_KIND
    R[$p.achieved_rps]=$LG_ACHIEVED_RPS
    R[$p.late_starts]=$LG_LATE_STARTS
    for q in P50 P90 P99 P999; do
        local v="${cls}_${q}_US" t="${cls}_TTFB_${q}_US"
        R[$p.${q,,}_ms]=$(calc '%.3f' 'a / 1000' "${!v}")
        [[ $kind == stream ]] && R[$p.ttfb_${q,,}_ms]=$(calc '%.3f' 'a / 1000' "${!t}")
    done
    log "  p50 ${R[$p.p50_ms]} ms, p90 ${R[$p.p90_ms]} ms, p99 ${R[$p.p99_ms]} ms${R[$p.ttfb_p50_ms]:+, TTFB p50 ${R[$p.ttfb_p50_ms]} ms / p99 ${R[$p.ttfb_p99_ms]} ms}, errors $LG_ERRORS, late starts $LG_LATE_STARTS"
    if ((LG_LATE_STARTS * 100 > LG_SENT)); then
        log "  warning: more than 1% of the requests started over 1 ms late (busy machine?); tail latencies are suspect"
    fi
}

# ==================================================================================================
# Reporting (local mode)
# ==================================================================================================

v() { echo "${R[$1]:-}"; }                           # result or ""
show() { [[ -n $1 ]] && echo "$1" || echo "n/a"; }   # table cell
jn() { local x=${R[$1]:-}; [[ -n $x ]] && echo "$x" || echo null; } # JSON number

diff_cell() { local d; d=$(calc '%+.3f' 'b - a' "$1" "$2"); show "$d"; }
ratio_cell() { local r; r=$(calc '%.2f' 'b / a' "$1" "$2"); [[ -n $r ]] && echo "x$r" || echo "n/a"; }

row() { printf '%-46s %12s %12s %14s\n' "$1" "$(show "$2")" "$(show "$3")" "$4"; }

compute_comparison() {
    local k q
    for k in plain stream; do
        R[cmp.$k.throughput_ratio]=$(calc '%.3f' 'b / a' "$(v direct.sat.$k.rps)" "$(v gateway.sat.$k.rps)")
        R[cmp.$k.cpu_ratio]=$(calc '%.3f' 'b / a' "$(v direct.sat.$k.cpu_ms_per_req)" "$(v gateway.sat.$k.cpu_ms_per_req)")
        for q in p50 p90 p99; do
            R[cmp.$k.added_${q}_ms]=$(calc '%.3f' 'b - a' "$(v direct.rate.$k.${q}_ms)" "$(v gateway.rate.$k.${q}_ms)")
        done
    done
    for q in p50 p90 p99; do
        R[cmp.stream.added_ttfb_${q}_ms]=$(calc '%.3f' 'b - a' "$(v direct.rate.stream.ttfb_${q}_ms)" "$(v gateway.rate.stream.ttfb_${q}_ms)")
    done
    for k in rss_start rss_peak; do
        R[direct.${k}_mib]=$(kib_to_mib "$(v direct.${k}_kib)")
        R[gateway.${k}_mib]=$(kib_to_mib "$(v gateway.${k}_kib)")
    done
}

print_summary() {
    local k label q
    echo
    echo "tokengate benchmark summary  ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, Java $JAVA_VERSION)"
    echo "direct = simulator alone, gateway = client -> gateway -> simulator; simulator: ttft 0, itl 0, $OUTPUT_TOKENS tokens"
    printf '%-46s %12s %12s %14s\n' "metric" "direct" "gateway" "difference"
    printf '%s\n' "$(printf '%.0s-' {1..87})"
    echo "saturation (wrk, $CONNECTIONS connections, $THREADS threads, ${DURATION}s)"
    for k in plain stream; do
        label=$([[ $k == plain ]] && echo non-stream || echo "stream ($OUTPUT_TOKENS tokens)")
        row "  $label req/s" "$(v direct.sat.$k.rps)" "$(v gateway.sat.$k.rps)" "$(ratio_cell "$(v direct.sat.$k.rps)" "$(v gateway.sat.$k.rps)")"
        row "  $label errors" "$(v direct.sat.$k.errors)" "$(v gateway.sat.$k.errors)" ""
    done
    echo "CPU per request at saturation (ms; direct column = simulator, gateway column = gateway process)"
    for k in plain stream; do
        label=$([[ $k == plain ]] && echo non-stream || echo stream)
        row "  $label serving process CPU ms/req" "$(v direct.sat.$k.cpu_ms_per_req)" "$(v gateway.sat.$k.cpu_ms_per_req)" "$(ratio_cell "$(v direct.sat.$k.cpu_ms_per_req)" "$(v gateway.sat.$k.cpu_ms_per_req)")"
        row "  $label simulator CPU ms/req" "$(v direct.sat.$k.sim_cpu_ms_per_req)" "$(v gateway.sat.$k.sim_cpu_ms_per_req)" ""
    done
    echo "fixed-rate latency (LoadGen, $RATE req/s open loop, ${RATE_DURATION}s; ms)"
    for k in plain stream; do
        label=$([[ $k == plain ]] && echo non-stream || echo stream)
        for q in p50 p90 p99; do
            row "  $label $q" "$(v direct.rate.$k.${q}_ms)" "$(v gateway.rate.$k.${q}_ms)" "$(diff_cell "$(v direct.rate.$k.${q}_ms)" "$(v gateway.rate.$k.${q}_ms)")"
        done
    done
    for q in p50 p90 p99; do
        row "  stream TTFB $q" "$(v direct.rate.stream.ttfb_${q}_ms)" "$(v gateway.rate.stream.ttfb_${q}_ms)" "$(diff_cell "$(v direct.rate.stream.ttfb_${q}_ms)" "$(v gateway.rate.stream.ttfb_${q}_ms)")"
    done
    for k in plain stream; do
        label=$([[ $k == plain ]] && echo non-stream || echo stream)
        row "  $label errors / late starts" "$(v direct.rate.$k.errors) / $(v direct.rate.$k.late_starts)" "$(v gateway.rate.$k.errors) / $(v gateway.rate.$k.late_starts)" ""
    done
    echo "process (direct column = simulator process)"
    row "  start to first completion (ms)" "$(v direct.startup_ms)" "$(v gateway.startup_ms)" ""
    row "  RSS after start (MiB)" "$(v direct.rss_start_mib)" "$(v gateway.rss_start_mib)" ""
    row "  RSS peak, VmHWM (MiB)" "$(v direct.rss_peak_mib)" "$(v gateway.rss_peak_mib)" ""
    echo
    echo "raw outputs: ${BENCH_DIR#"$REPO_ROOT"/}/   summary: ${BENCH_DIR#"$REPO_ROOT"/}/summary.json"
}

write_summary_json() {
    local out="$BENCH_DIR/summary.json" commit
    commit=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo "")
    target_json() { # direct|gateway
        local t=$1 k
        printf '{"startup_ms":%s,"rss_after_start_mib":%s,"rss_peak_mib":%s,' \
            "$(jn "$t.startup_ms")" "$(jn "$t.rss_start_mib")" "$(jn "$t.rss_peak_mib")"
        printf '"saturation":{'
        for k in plain stream; do
            [[ $k == stream ]] && printf ','
            printf '"%s":{"rps":%s,"requests":%s,"errors":%s,"p50_ms":%s,"p99_ms":%s,"cpu_ms_per_req":%s,"simulator_cpu_ms_per_req":%s}' \
                "$([[ $k == plain ]] && echo nonstream || echo stream)" \
                "$(jn "$t.sat.$k.rps")" "$(jn "$t.sat.$k.requests")" "$(jn "$t.sat.$k.errors")" \
                "$(jn "$t.sat.$k.p50_ms")" "$(jn "$t.sat.$k.p99_ms")" \
                "$(jn "$t.sat.$k.cpu_ms_per_req")" "$(jn "$t.sat.$k.sim_cpu_ms_per_req")"
        done
        printf '},"fixed_rate":{'
        printf '"nonstream":{"sent":%s,"errors":%s,"late_starts":%s,"p50_ms":%s,"p90_ms":%s,"p99_ms":%s,"p999_ms":%s},' \
            "$(jn "$t.rate.plain.sent")" "$(jn "$t.rate.plain.errors")" "$(jn "$t.rate.plain.late_starts")" \
            "$(jn "$t.rate.plain.p50_ms")" "$(jn "$t.rate.plain.p90_ms")" "$(jn "$t.rate.plain.p99_ms")" "$(jn "$t.rate.plain.p999_ms")"
        printf '"stream":{"sent":%s,"errors":%s,"late_starts":%s,"p50_ms":%s,"p90_ms":%s,"p99_ms":%s,"p999_ms":%s,"ttfb_p50_ms":%s,"ttfb_p90_ms":%s,"ttfb_p99_ms":%s}}}' \
            "$(jn "$t.rate.stream.sent")" "$(jn "$t.rate.stream.errors")" "$(jn "$t.rate.stream.late_starts")" \
            "$(jn "$t.rate.stream.p50_ms")" "$(jn "$t.rate.stream.p90_ms")" "$(jn "$t.rate.stream.p99_ms")" "$(jn "$t.rate.stream.p999_ms")" \
            "$(jn "$t.rate.stream.ttfb_p50_ms")" "$(jn "$t.rate.stream.ttfb_p90_ms")" "$(jn "$t.rate.stream.ttfb_p99_ms")"
    }
    {
        printf '{"tool":"tokengate-bench","mode":"local","timestamp":"%s","git_commit":"%s","cpus":%d,"java":"%s",' \
            "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$commit" "$(nproc)" "$JAVA_VERSION"
        printf '"params":{"duration_s":%s,"warmup_s":%s,"connections":%s,"threads":%s,"rate":%s,"rate_duration_s":%s,"output_tokens":%s,"gateway_java_opts":"%s"},' \
            "$DURATION" "$WARMUP" "$CONNECTIONS" "$THREADS" "$RATE" "$RATE_DURATION" "$OUTPUT_TOKENS" "${GATEWAY_JAVA_OPTS//\"/\\\"}"
        printf '"direct":%s,"gateway":%s,' "$(target_json direct)" "$(target_json gateway)"
        printf '"comparison":{"throughput_ratio_nonstream":%s,"throughput_ratio_stream":%s,' \
            "$(jn cmp.plain.throughput_ratio)" "$(jn cmp.stream.throughput_ratio)"
        printf '"cpu_ratio_nonstream":%s,"cpu_ratio_stream":%s,' "$(jn cmp.plain.cpu_ratio)" "$(jn cmp.stream.cpu_ratio)"
        printf '"added_p50_ms_nonstream":%s,"added_p90_ms_nonstream":%s,"added_p99_ms_nonstream":%s,' \
            "$(jn cmp.plain.added_p50_ms)" "$(jn cmp.plain.added_p90_ms)" "$(jn cmp.plain.added_p99_ms)"
        printf '"added_p50_ms_stream":%s,"added_p90_ms_stream":%s,"added_p99_ms_stream":%s,' \
            "$(jn cmp.stream.added_p50_ms)" "$(jn cmp.stream.added_p90_ms)" "$(jn cmp.stream.added_p99_ms)"
        printf '"added_ttfb_p50_ms":%s,"added_ttfb_p90_ms":%s,"added_ttfb_p99_ms":%s}}\n' \
            "$(jn cmp.stream.added_ttfb_p50_ms)" "$(jn cmp.stream.added_ttfb_p90_ms)" "$(jn cmp.stream.added_ttfb_p99_ms)"
    } >"$out"
}

# ==================================================================================================
# Mode 1: local comparison
# ==================================================================================================

ensure_build() {
    if [[ ${BUILD:-0} == 1 || ! -f $REPO_ROOT/target/quarkus-app/quarkus-run.jar ]]; then
        log "building: ./mvnw -B -q package -DskipTests"
        (cd "$REPO_ROOT" && ./mvnw -B -q package -DskipTests) || die "build failed"
    fi
    [[ -f $REPO_ROOT/target/quarkus-app/quarkus-run.jar ]] || die "target/quarkus-app/quarkus-run.jar missing after build"
}

local_mode() {
    resolve_java
    require_wrk
    ensure_build
    # Local runs authenticate like production: a throwaway key for the demo tenant of this run.
    export TOKENGATE_API_KEY=${TOKENGATE_API_KEY:-sk-tg-benchlocal01-$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 43)}
    CLK_TCK=$(getconf CLK_TCK)
    mkdir -p "$BENCH_DIR"
    OUTPUTS_STARTED=1
    rm -f "$BENCH_DIR"/wrk-*.txt "$BENCH_DIR"/loadgen-*.{env,json,txt} "$BENCH_DIR"/summary.json

    log "local comparison: saturation ${DURATION}s (+${WARMUP}s warm-up) x4, fixed rate ${RATE}/s ${RATE_DURATION}s (+${WARMUP}s) x4"
    start_simulator
    start_gateway

    # Direct and gateway runs of the same test follow each other, so that drifting background load on the
    # machine affects both sides alike. Saturation first: it also warms up (JIT) both processes.
    local kind
    for kind in plain stream; do
        saturation direct "$SIM_PORT" "$kind"
        saturation gateway "$GW_PORT" "$kind"
    done
    for kind in plain stream; do
        fixed_rate direct "$SIM_PORT" "$kind"
        fixed_rate gateway "$GW_PORT" "$kind"
    done

    R[direct.rss_peak_kib]=$(proc_status_kib "$SIM_PID" VmHWM)
    R[gateway.rss_peak_kib]=$(proc_status_kib "$GW_PID" VmHWM)
    http_get_body "$SIM_PORT" /sim/stats >"$BENCH_DIR/sim-stats.json"

    compute_comparison
    write_summary_json
    print_summary | tee "$BENCH_DIR/summary.txt"
}

# ==================================================================================================
# Mode 2: against a deployed tokengate
# ==================================================================================================

remote_mode() {
    local url="" model="" rate=10 duration=30 warmup=0 share=0 prompt_tokens=200 max_tokens=100
    local concurrency=64 timeout=120 saturate=0
    while (($#)); do
        case $1 in
            --url) url=$2 ;;
            --api-key) export TOKENGATE_API_KEY=$2 ;;
            --model) model=$2 ;;
            --rate) rate=$2 ;;
            --duration) duration=$2 ;;
            --warmup) warmup=$2 ;;
            --stream-share) share=$2 ;;
            --prompt-tokens) prompt_tokens=$2 ;;
            --max-tokens) max_tokens=$2 ;;
            --concurrency) concurrency=$2 ;;
            --timeout) timeout=$2 ;;
            --saturate) saturate=1; shift; continue ;;
            -h | --help) usage; exit 0 ;;
            *) die "unknown option '$1' (see --help)" ;;
        esac
        (($# >= 2)) || die "missing value for $1"
        shift 2
    done
    [[ -n $url ]] || die "--url is required (see --help)"
    [[ -n $model ]] || die "--model is required (see --help)"
    [[ $url == http://* || $url == https://* ]] || die "--url must start with http:// or https://"
    resolve_java
    ((saturate)) && require_wrk
    mkdir -p "$BENCH_DIR"
    OUTPUTS_STARTED=1

    local endpoint json total
    endpoint=$(completions_url "$url")
    json="$BENCH_DIR/remote-loadgen.json"
    total=$(calc '%.0f' 'a * (b + c)' "$rate" "$duration" "$warmup")
    log "target $endpoint, model $model, API key: $([[ -n ${TOKENGATE_API_KEY:-} ]] && echo set || echo none)"
    log "fixed rate: $rate req/s for ${duration}s (+${warmup}s warm-up) = about $total requests, stream share $share, ~$prompt_tokens prompt tokens, max_tokens $max_tokens"
    # shellcheck disable=SC2086  # LOADGEN_JAVA_OPTS is a list of options
    run_tracked "$JAVA" $LOADGEN_JAVA_OPTS "$LOADGEN_SRC" --url "$endpoint" --model "$model" \
        --rate "$rate" --duration "$duration" --warmup "$warmup" --stream-share "$share" \
        --prompt-tokens "$prompt_tokens" --max-tokens "$max_tokens" --concurrency "$concurrency" \
        --timeout "$timeout" --label remote --progress 10 --env-out "$BENCH_DIR/remote-loadgen.env" 2>&1 >"$json" ||
        die "LoadGen failed"
    log "LoadGen result: ${json#"$REPO_ROOT"/}"

    if ((saturate)); then
        local threads line body stream_body prompt
        threads=$(nproc)
        ((threads > concurrency)) && threads=$concurrency
        ((threads > 4)) && threads=4
        prompt=$(filler "$prompt_tokens")
        body=$(chat_body "$model" "$max_tokens" false "$prompt")
        stream_body=$(chat_body "$model" "$max_tokens" true "$prompt")
        log "saturation: wrk ${duration}s with $concurrency connections, $threads threads, stream share $share"
        BENCH_BODY=$body BENCH_STREAM_BODY=$stream_body BENCH_STREAM_SHARE=$share run_tracked \
            wrk -t"$threads" -c"$concurrency" -d"${duration%.*}"s --timeout "${timeout%.*}"s -s "$LUA_SCRIPT" "$endpoint" \
            >"$BENCH_DIR/remote-wrk.txt" 2>&1 || { cat "$BENCH_DIR/remote-wrk.txt" >&2; die "wrk failed"; }
        line=$(grep '^BENCH_RESULT' "$BENCH_DIR/remote-wrk.txt") || die "no BENCH_RESULT in remote-wrk.txt"
        local by_status
        by_status=$(kv "$line" by_status)
        echo "[saturation] $endpoint  wrk, $concurrency connections, ${duration%.*}s, stream share $share"
        echo "  $(kv "$line" requests) requests, $(kv "$line" rps) req/s, non-2xx $(kv "$line" non2xx)${by_status:+ ($by_status)}," \
            "socket errors $(kv "$line" socket_errors)"
        echo "  latency (whole response, all requests): p50 $(calc '%.3f' 'a/1000' "$(kv "$line" p50_us)") ms," \
            "p90 $(calc '%.3f' 'a/1000' "$(kv "$line" p90_us)") ms, p99 $(calc '%.3f' 'a/1000' "$(kv "$line" p99_us)") ms"
        log "wrk output: ${BENCH_DIR#"$REPO_ROOT"/}/remote-wrk.txt"
    fi
}

# ==================================================================================================

main() {
    exec {STDOUT_FD}>&1 {STDERR_FD}>&2
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    cd "$REPO_ROOT"
    if (($# == 0)); then
        local_mode
    elif [[ $1 == -h || $1 == --help ]]; then
        usage
    else
        remote_mode "$@"
    fi
}

main "$@"

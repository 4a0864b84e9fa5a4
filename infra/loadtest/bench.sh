#!/usr/bin/env bash
# tokengate benchmark / load-test harness. See infra/loadtest/README.md.
#
# Mode 1, local comparison (no arguments): starts the inference simulator and the gateway on loopback
# ports, then measures the simulator directly ("direct") and through the gateway ("gateway"):
# saturation throughput and CPU per request (wrk), fixed-rate latency and TTFB (LoadGen.java), memory,
# and start-to-first-completion time. With GOVERNANCE=1 (the default) also a third target, "governed": a
# second gateway with Redis storage (a local redis-server) and a tenant with RPM, TPM and token-budget
# limits, so API key auth, limit admission/settlement and the usage ledger are all on the request path.
# Prints a comparison table and writes target/bench/summary.json.
#
#   infra/loadtest/bench.sh
#   DURATION=30 RATE_DURATION=60 infra/loadtest/bench.sh
#   GOVERNANCE=0 infra/loadtest/bench.sh        # direct and gateway only, no Redis
#
# Mode 2, against a deployed tokengate: no processes are started, LoadGen drives a fixed-rate traffic
# mix, optionally followed by a wrk saturation run.
#
#   TOKENGATE_API_KEY=sk-... infra/loadtest/bench.sh --url https://gw.example.com --model my-model
#   infra/loadtest/bench.sh --url https://gw.example.com --api-key sk-... --model my-model \
#       --rate 50 --duration 60 --stream-share 0.3 --prompt-tokens 200 --max-tokens 100 --saturate
#
# Cold start with and without the JDK AOT cache (runs infra/loadtest/coldstart.sh; see its --help):
#   infra/loadtest/bench.sh --coldstart
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
GOVERNANCE=${GOVERNANCE:-1}           # 1: also measure the "governed" target (gateway + Redis + limits)

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
  GOVERNANCE=0|1 (default 1: third target "governed", needs redis-server on PATH or the embedded-redis test
  dependency, which Maven resolves) REDIS_SERVER (path of a redis-server binary to use)
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
    trim_log "$BENCH_DIR/governed.log"
    trim_log "$BENCH_DIR/simulator.log"
    rm -f "$BENCH_DIR/pepper.txt" # the governed gateway's key pepper: a secret, only needed while it runs
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

# The JDK 21+ that ./tokengate picks (JAVA_HOME, PATH, then the usual install locations); it explains a failure.
resolve_java() {
    local home
    home=$("$REPO_ROOT/tokengate" java-home) || exit 1
    JAVA="$home/bin/java"
    JAVA_VERSION=$("$JAVA" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')
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

# Random alphanumeric string of N (<= 100) characters.
random_token() {
    local s
    s=$(head -c 96 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9')
    echo "${s:0:$1}"
}

# Starts a gateway process in the embedded profile, pointed at the simulator, with GATEWAY_JAVA_OPTS and
# the extra arguments; sets LAUNCHED_PID. The embedded profile defines the sim models and a demo tenant
# whose key is the benchmark's API key (passed through the environment, not the command line). The demo
# tenant's start-up message would print that key: DemoBootstrap logs at WARN only, so no key is in a log.
# Its management port (/q/metrics, /q/health) is a free one too, kept in MGMT_PORT[<port>].
declare -A MGMT_PORT=()
launch_gateway() { # port logfile [extra java arguments...]
    local port=$1 logfile=$2 opts=()
    shift 2
    read -r -a opts <<<"$GATEWAY_JAVA_OPTS"
    MGMT_PORT[$port]=$(free_port)
    TOKENGATE_BOOTSTRAP_DEMO_KEY="$TOKENGATE_API_KEY" \
    "$JAVA" -Dquarkus.profile=embedded "${opts[@]}" -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 \
        -Dquarkus.management.port="${MGMT_PORT[$port]}" -Dquarkus.management.host=127.0.0.1 \
        -Dtokengate.simulator.enabled=false \
        "-Dtokengate.pools.sim.endpoints[0].url=http://127.0.0.1:$SIM_PORT" \
        '-Dquarkus.log.category."io.tokengate.admin.DemoBootstrap".level=WARN' \
        "$@" -jar "$REPO_ROOT/target/quarkus-app/quarkus-run.jar" >"$logfile" 2>&1 &
    LAUNCHED_PID=$!
    track "$LAUNCHED_PID"
}

start_gateway() {
    GW_PORT=$(free_port)
    local logfile="$BENCH_DIR/gateway.log" start_us
    log "starting gateway on 127.0.0.1:$GW_PORT${GATEWAY_JAVA_OPTS:+ with options: $GATEWAY_JAVA_OPTS}"
    start_us=$(now_us)
    launch_gateway "$GW_PORT" "$logfile"
    GW_PID=$LAUNCHED_PID
    R[gateway.startup_ms]=$(wait_first_completion "$GW_PID" "$GW_PORT" "$start_us" gateway "$logfile")
    R[gateway.rss_start_kib]=$(proc_status_kib "$GW_PID" VmRSS)
    log "gateway pid $GW_PID: first completion after ${R[gateway.startup_ms]} ms, RSS $(kib_to_mib "${R[gateway.rss_start_kib]}") MiB"
}

# A redis-server binary: REDIS_SERVER, redis-server on PATH, or the Linux x86-64 binary inside the
# embedded-redis jar (a test dependency; Maven says where its local repository keeps it), extracted to
# target/bench/.
find_redis_server() {
    if [[ -n ${REDIS_SERVER:-} ]]; then
        [[ -x $REDIS_SERVER ]] || die "REDIS_SERVER=$REDIS_SERVER is not an executable file"
        echo "$REDIS_SERVER"
        return 0
    fi
    if command -v redis-server >/dev/null; then command -v redis-server; return 0; fi
    local jar entry=redis-server-6.2.6-v5-linux-amd64 bin="$BENCH_DIR/redis-server"
    [[ $(uname -s)/$(uname -m) == Linux/x86_64 ]] ||
        die "no redis-server on PATH (the embedded-redis fallback is Linux x86-64 only): install Redis, set REDIS_SERVER, or run with GOVERNANCE=0"
    jar=$(embedded_redis_jar)
    [[ -f $jar ]] ||
        die "no redis-server on PATH and Maven could not resolve the embedded-redis jar (install Redis, set REDIS_SERVER, or use GOVERNANCE=0)"
    command -v unzip >/dev/null || die "unzip is needed to extract redis-server from $jar (or install Redis, or GOVERNANCE=0)"
    if [[ ! -x $bin || $jar -nt $bin ]]; then
        unzip -p "$jar" "$entry" >"$bin.tmp" && [[ -s $bin.tmp ]] || { rm -f "$bin.tmp"; die "could not extract $entry from $jar"; }
        chmod +x "$bin.tmp"
        mv "$bin.tmp" "$bin"
    fi
    echo "$bin"
}

# Path of the embedded-redis jar as Maven resolves it (its own local repository and settings; MAVEN_ARGS and
# MAVEN_OPTS apply), downloading it if needed. Nothing is assumed about where the repository lives.
embedded_redis_jar() {
    local out="$BENCH_DIR/embedded-redis.classpath"
    mkdir -p "$BENCH_DIR"
    rm -f "$out"
    (cd "$REPO_ROOT" && ./tokengate mvn -B -q dependency:build-classpath -DincludeArtifactIds=embedded-redis \
        -Dmdep.outputFile="$out") >&2 || return 0
    [[ -f $out ]] && cat "$out"
    return 0
}

redis_ping() { # port; true when Redis answers PING with +PONG
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf 'PING\r\n' >&3
        IFS= read -r -t 2 line <&3 && [[ $line == +PONG* ]]
    ) 2>/dev/null
}

start_redis() {
    local bin logfile="$BENCH_DIR/redis.log" deadline
    bin=$(find_redis_server)
    REDIS_PORT=$(free_port)
    R[governed.redis_version]=$("$bin" --version 2>/dev/null | sed -n 's/.* v=\([^ ]*\).*/\1/p')
    log "starting redis-server ${R[governed.redis_version]} ($bin) on 127.0.0.1:$REDIS_PORT"
    "$bin" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$BENCH_DIR" >"$logfile" 2>&1 &
    REDIS_PID=$!
    track "$REDIS_PID"
    deadline=$(($(now_us) + 10000000))
    until redis_ping "$REDIS_PORT"; do
        if ! kill -0 "$REDIS_PID" 2>/dev/null; then
            tail -n 20 "$logfile" >&2 || true
            die "redis-server exited at start (log: $logfile)"
        fi
        (($(now_us) < deadline)) || die "redis-server did not answer PING within 10 s (log: $logfile)"
        sleep 0.02
    done
}

# POST a JSON body to the governed gateway's admin API with the admin key (over /dev/tcp: the key is on
# no command line). Prints the HTTP status on the first line, then the response body.
admin_post() { # port path json
    local port=$1 path=$2 body=$3
    (
        exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
        LC_ALL=C printf 'POST %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
            "$path" "$port" "$GOV_ADMIN_KEY" "${#body}" "$body" >&3
        IFS=' ' read -r -t 10 _ status _ <&3 || true
        echo "${status:-}"
        timeout 10 cat <&3 | sed '1,/^\r\{0,1\}$/d'
    ) 2>/dev/null || true
}

# The governed target's tenant: every limit kind on, set far above what a run can use, so that each request
# pays for the checks (RPM + TPM + budget reserve, then settle; usage ledger entry) but is never refused.
GOV_TENANT_JSON='{"id":"bench","allowed_models":["*"],"limits":{"requests_per_minute":100000000,"tokens_per_minute":100000000000,"token_budget":{"limit":1000000000000,"period":"month"}}}'

start_governed() {
    GOV_PORT=$(free_port)
    local logfile="$BENCH_DIR/governed.log" start_us resp status rest
    GOV_ADMIN_KEY=$(random_token 43)
    rm -f "$BENCH_DIR/pepper.txt"
    (umask 077 && random_token 32 >"$BENCH_DIR/pepper.txt")
    log "starting governed gateway on 127.0.0.1:$GOV_PORT (storage: Redis 127.0.0.1:$REDIS_PORT)"
    start_us=$(now_us)
    TOKENGATE_ADMIN_API_KEY=$GOV_ADMIN_KEY launch_gateway "$GOV_PORT" "$logfile" \
        -Dtokengate.storage.kind=redis "-Dtokengate.storage.redis-url=redis://127.0.0.1:$REDIS_PORT" \
        "-Dtokengate.auth.key-pepper-ref=file:$BENCH_DIR/pepper.txt"
    GOV_PID=$LAUNCHED_PID
    # Start-up is measured like the gateway's: to the first completion with the demo tenant's key (now
    # looked up in Redis); the demo tenant has no limits, so the governed tenant is created next.
    R[governed.startup_ms]=$(wait_first_completion "$GOV_PID" "$GOV_PORT" "$start_us" "governed gateway" "$logfile")
    R[governed.rss_start_kib]=$(proc_status_kib "$GOV_PID" VmRSS)
    log "governed gateway pid $GOV_PID: first completion after ${R[governed.startup_ms]} ms, RSS $(kib_to_mib "${R[governed.rss_start_kib]}") MiB"

    resp=$(admin_post "$GOV_PORT" /admin/v1/tenants "$GOV_TENANT_JSON")
    status=${resp%%$'\n'*}
    [[ $status == 201 ]] || die "POST /admin/v1/tenants answered HTTP ${status:-none}: ${resp#*$'\n'}"
    resp=$(admin_post "$GOV_PORT" /admin/v1/tenants/bench/keys '{"name":"bench"}')
    status=${resp%%$'\n'*}
    [[ $status == 201 ]] || die "POST /admin/v1/tenants/bench/keys answered HTTP ${status:-none}"
    rest=${resp#*\"key\":\"}
    [[ $rest != "$resp" ]] && GOV_API_KEY=${rest%%\"*}
    [[ ${GOV_API_KEY:-} == sk-tg-* ]] || die "no API key in the answer of POST /admin/v1/tenants/bench/keys"
    status=$(TOKENGATE_API_KEY=$GOV_API_KEY probe_status "$GOV_PORT" "$(chat_body "$MODEL" "$OUTPUT_TOKENS" false)")
    [[ $status == 200 ]] || die "a completion with the governed tenant's key answered HTTP ${status:-none} (log: $logfile)"
    log "governed tenant 'bench' (RPM, TPM and monthly token budget; limits never reached) and its key created"
}

# Pid of the process that serves a target, and the API key its requests carry.
serving_pid() { case $1 in gateway) echo "$GW_PID" ;; governed) echo "$GOV_PID" ;; *) echo "$SIM_PID" ;; esac; }
target_key() { case $1 in governed) echo "$GOV_API_KEY" ;; *) echo "$TOKENGATE_API_KEY" ;; esac; }

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

# Saturation run of one target and one request kind, with CPU accounting of the simulator, the serving
# gateway and (governed target) Redis.
saturation() { # target(direct|gateway|governed) port kind(plain|stream)
    local target=$1 port=$2 kind=$3 url body line sim0 sim1 gw0=0 gw1=0 rd0=0 rd1=0 n secs key pid
    url="http://127.0.0.1:$port/v1/chat/completions"
    body=$(chat_body "$MODEL" "$OUTPUT_TOKENS" "$([[ $kind == stream ]] && echo true || echo false)")
    key=$(target_key "$target")
    pid=$(serving_pid "$target")
    log "$target $kind: wrk warm-up ${WARMUP}s, then ${DURATION}s with $CONNECTIONS connections / $THREADS threads"
    TOKENGATE_API_KEY=$key run_wrk "$url" "$body" "$WARMUP" "$CONNECTIONS" "$THREADS" "$BENCH_DIR/wrk-$target-$kind-warmup.txt"

    sim0=$(cpu_ticks "$SIM_PID")
    gw0=$(cpu_ticks "$pid")
    [[ $target == governed ]] && rd0=$(cpu_ticks "$REDIS_PID")
    TOKENGATE_API_KEY=$key run_wrk "$url" "$body" "$DURATION" "$CONNECTIONS" "$THREADS" "$BENCH_DIR/wrk-$target-$kind.txt"
    sim1=$(cpu_ticks "$SIM_PID")
    gw1=$(cpu_ticks "$pid")
    [[ $target == governed ]] && rd1=$(cpu_ticks "$REDIS_PID")
    line=$(grep '^BENCH_RESULT' "$BENCH_DIR/wrk-$target-$kind.txt")
    if [[ $target != direct ]]; then # the gateway's own account of the run: requests by status and error code
        curl -s "http://127.0.0.1:${MGMT_PORT[$port]}/q/metrics" \
            | grep -E '^(tokengate_requests_total|gen_ai_client_operation_duration_seconds_count|tokengate_upstream_|tokengate_limits_store)' \
            >"$BENCH_DIR/metrics-$target-$kind.txt" || true
    fi

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
    # For direct the serving process is the simulator (same ticks).
    R[$p.cpu_ms_per_req]=$(calc '%.4f' "a * 1000 / $CLK_TCK / b" "$((gw1 - gw0))" "$n")
    [[ $target == governed ]] && R[$p.redis_cpu_ms_per_req]=$(calc '%.4f' "a * 1000 / $CLK_TCK / b" "$((rd1 - rd0))" "$n")
    secs=$(calc '%.1f' 'a / 1000000' "$(kv "$line" duration_us)")
    log "  ${R[$p.rps]} req/s ($n in ${secs}s), errors ${R[$p.errors]}, CPU ms/req: serving ${R[$p.cpu_ms_per_req]}, simulator ${R[$p.sim_cpu_ms_per_req]}${R[$p.redis_cpu_ms_per_req]:+, redis ${R[$p.redis_cpu_ms_per_req]}}"
}

# Fixed-rate open-loop run with LoadGen (latency and TTFB percentiles).
fixed_rate() { # target port kind(plain|stream)
    local target=$1 port=$2 kind=$3 share=0 envf json key
    [[ $kind == stream ]] && share=1
    key=$(target_key "$target")
    envf="$BENCH_DIR/loadgen-$target-$kind.env"
    json="$BENCH_DIR/loadgen-$target-$kind.json"
    log "$target $kind: LoadGen ${RATE} req/s open loop, warm-up ${WARMUP}s, then ${RATE_DURATION}s"
    # shellcheck disable=SC2086  # LOADGEN_JAVA_OPTS is a list of options
    TOKENGATE_API_KEY=$key run_tracked "$JAVA" $LOADGEN_JAVA_OPTS "$LOADGEN_SRC" --url "http://127.0.0.1:$port" --model "$MODEL" \
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

# b / a when both are set and a > 0, else "" (the ratio of two added latencies is meaningless otherwise).
pos_ratio() { # format a b
    [[ -n $2 && -n $3 ]] && awk -v a="$2" 'BEGIN { exit !(a + 0 > 0) }' && calc "$1" 'b / a' "$2" "$3" || echo ""
}

# One table line. With GOVERNANCE=1: direct, gateway, governed, gateway vs direct, governed vs direct,
# governed / gateway; otherwise the original three value columns.
row() { # label direct gateway governed gw_vs_direct gov_vs_direct gov_vs_gw
    local line
    if ((GOVERNANCE)); then
        line=$(printf '%-44s %11s %11s %11s %12s %12s %9s' "$1" "$(show "$2")" "$(show "$3")" "$(show "$4")" "$5" "$6" "$7")
    else
        line=$(printf '%-46s %12s %12s %14s' "$1" "$(show "$2")" "$(show "$3")" "$5")
    fi
    echo "${line%"${line##*[! ]}"}" # without trailing blanks
}

# A metric row from R[<target>.<key>]; mode ratio: xN differences (and governed / gateway), diff: +ms
# differences (governed / gateway only when given as $4), plain: values only.
mrow() { # label key mode [gov_vs_gw cell]
    local d g o
    d=$(v "direct.$2") g=$(v "gateway.$2") o=$(v "governed.$2")
    case $3 in
        ratio) row "$1" "$d" "$g" "$o" "$(ratio_cell "$d" "$g")" "$(ratio_cell "$d" "$o")" "$(ratio_cell "$g" "$o")" ;;
        diff) row "$1" "$d" "$g" "$o" "$(diff_cell "$d" "$g")" "$(diff_cell "$d" "$o")" "${4:-}" ;;
        *) row "$1" "$d" "$g" "$o" "" "" "" ;;
    esac
}

x_cell() { local r; r=$(calc '%.2f' 'a' "$1"); [[ -n $r ]] && echo "x$r" || echo "n/a"; } # ratio as xN.NN

compute_comparison() {
    local k q t c targets=(gateway)
    ((GOVERNANCE)) && targets+=(governed)
    for t in "${targets[@]}"; do
        c=cmp
        [[ $t == governed ]] && c=cmpg
        for k in plain stream; do
            R[$c.$k.throughput_ratio]=$(calc '%.3f' 'b / a' "$(v direct.sat.$k.rps)" "$(v $t.sat.$k.rps)")
            R[$c.$k.cpu_ratio]=$(calc '%.3f' 'b / a' "$(v direct.sat.$k.cpu_ms_per_req)" "$(v $t.sat.$k.cpu_ms_per_req)")
            for q in p50 p90 p99; do
                R[$c.$k.added_${q}_ms]=$(calc '%.3f' 'b - a' "$(v direct.rate.$k.${q}_ms)" "$(v $t.rate.$k.${q}_ms)")
            done
        done
        for q in p50 p90 p99; do
            R[$c.stream.added_ttfb_${q}_ms]=$(calc '%.3f' 'b - a' "$(v direct.rate.stream.ttfb_${q}_ms)" "$(v $t.rate.stream.ttfb_${q}_ms)")
        done
    done
    for t in direct "${targets[@]}"; do
        for k in rss_start rss_peak; do
            R[$t.${k}_mib]=$(kib_to_mib "$(v $t.${k}_kib)")
        done
    done
    if ((GOVERNANCE)); then
        R[governed.redis_rss_peak_mib]=$(kib_to_mib "$(v governed.redis_rss_peak_kib)")
        # What governance costs on top of the plain gateway.
        for k in plain stream; do
            R[gvg.$k.throughput_ratio]=$(calc '%.3f' 'b / a' "$(v gateway.sat.$k.rps)" "$(v governed.sat.$k.rps)")
            R[gvg.$k.cpu_ratio]=$(calc '%.3f' 'b / a' "$(v gateway.sat.$k.cpu_ms_per_req)" "$(v governed.sat.$k.cpu_ms_per_req)")
            R[gvg.$k.added_p99_ratio]=$(pos_ratio '%.3f' "$(v cmp.$k.added_p99_ms)" "$(v cmpg.$k.added_p99_ms)")
        done
        R[gvg.stream.added_ttfb_p99_ratio]=$(pos_ratio '%.3f' "$(v cmp.stream.added_ttfb_p99_ms)" "$(v cmpg.stream.added_ttfb_p99_ms)")
    fi
}

print_summary() {
    local k label q w=87
    ((GOVERNANCE)) && w=117
    echo
    echo "tokengate benchmark summary  ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, Java $JAVA_VERSION)"
    echo "direct = simulator alone, gateway = client -> gateway -> simulator; simulator: ttft 0, itl 0, $OUTPUT_TOKENS tokens"
    if ((GOVERNANCE)); then
        echo "governed = client -> gateway with Redis storage (redis-server ${R[governed.redis_version]:-?}), API key auth, RPM + TPM + token budget, usage ledger -> simulator"
        printf '%-44s %11s %11s %11s %12s %12s %9s\n' "metric" "direct" "gateway" "governed" "gw-direct" "gov-direct" "gov/gw"
    else
        printf '%-46s %12s %12s %14s\n' "metric" "direct" "gateway" "difference"
    fi
    printf '%s\n' "$(printf '%*s' "$w" '' | tr ' ' -)"
    echo "saturation (wrk, $CONNECTIONS connections, $THREADS threads, ${DURATION}s)"
    for k in plain stream; do
        label=$([[ $k == plain ]] && echo non-stream || echo "stream ($OUTPUT_TOKENS tokens)")
        mrow "  $label req/s" "sat.$k.rps" ratio
        mrow "  $label errors" "sat.$k.errors" plain
    done
    if ((GOVERNANCE)); then
        echo "CPU per request at saturation (ms; direct column = simulator, gateway/governed columns = that gateway process)"
    else
        echo "CPU per request at saturation (ms; direct column = simulator, gateway column = gateway process)"
    fi
    for k in plain stream; do
        label=$([[ $k == plain ]] && echo non-stream || echo stream)
        mrow "  $label serving process CPU ms/req" "sat.$k.cpu_ms_per_req" ratio
        mrow "  $label simulator CPU ms/req" "sat.$k.sim_cpu_ms_per_req" plain
        ((GOVERNANCE)) && row "  $label Redis server CPU ms/req" "-" "-" "$(v governed.sat.$k.redis_cpu_ms_per_req)" "" "" ""
    done
    echo "fixed-rate latency (LoadGen, $RATE req/s open loop, ${RATE_DURATION}s; ms)"
    for k in plain stream; do
        label=$([[ $k == plain ]] && echo non-stream || echo stream)
        for q in p50 p90 p99; do
            if [[ $q == p99 ]]; then
                mrow "  $label $q" "rate.$k.${q}_ms" diff "$(x_cell "$(v gvg.$k.added_p99_ratio)")"
            else
                mrow "  $label $q" "rate.$k.${q}_ms" diff
            fi
        done
    done
    for q in p50 p90 p99; do
        if [[ $q == p99 ]]; then
            mrow "  stream TTFB $q" "rate.stream.ttfb_${q}_ms" diff "$(x_cell "$(v gvg.stream.added_ttfb_p99_ratio)")"
        else
            mrow "  stream TTFB $q" "rate.stream.ttfb_${q}_ms" diff
        fi
    done
    for k in plain stream; do
        label=$([[ $k == plain ]] && echo non-stream || echo stream)
        row "  $label errors / late starts" "$(v direct.rate.$k.errors) / $(v direct.rate.$k.late_starts)" \
            "$(v gateway.rate.$k.errors) / $(v gateway.rate.$k.late_starts)" \
            "$(v governed.rate.$k.errors) / $(v governed.rate.$k.late_starts)" "" "" ""
    done
    echo "process (direct column = simulator process)"
    mrow "  start to first completion (ms)" startup_ms plain
    mrow "  RSS after start (MiB)" rss_start_mib plain
    mrow "  RSS peak, VmHWM (MiB)" rss_peak_mib plain
    ((GOVERNANCE)) && row "  Redis server RSS peak, VmHWM (MiB)" "-" "-" "$(v governed.redis_rss_peak_mib)" "" "" ""
    if ((GOVERNANCE)); then
        echo "gw-direct, gov-direct: xN = ratio to direct (req/s, CPU), +ms = added latency; gov/gw: governed / gateway"
        echo "  (req/s and CPU: ratio of the values; p99 rows: ratio of the added p99 latencies)"
    fi
    echo
    echo "raw outputs: ${BENCH_DIR#"$REPO_ROOT"/}/   summary: ${BENCH_DIR#"$REPO_ROOT"/}/summary.json"
}

write_summary_json() {
    local out="$BENCH_DIR/summary.json" commit
    commit=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo "")
    target_json() { # direct|gateway|governed
        local t=$1 k redis=""
        printf '{"startup_ms":%s,"rss_after_start_mib":%s,"rss_peak_mib":%s,' \
            "$(jn "$t.startup_ms")" "$(jn "$t.rss_start_mib")" "$(jn "$t.rss_peak_mib")"
        if [[ $t == governed ]]; then
            printf '"redis_version":"%s","redis_rss_peak_mib":%s,' "$(v governed.redis_version)" "$(jn governed.redis_rss_peak_mib)"
        fi
        printf '"saturation":{'
        for k in plain stream; do
            [[ $k == stream ]] && printf ','
            [[ $t == governed ]] && redis=",\"redis_cpu_ms_per_req\":$(jn "$t.sat.$k.redis_cpu_ms_per_req")"
            printf '"%s":{"rps":%s,"requests":%s,"errors":%s,"p50_ms":%s,"p99_ms":%s,"cpu_ms_per_req":%s,"simulator_cpu_ms_per_req":%s%s}' \
                "$([[ $k == plain ]] && echo nonstream || echo stream)" \
                "$(jn "$t.sat.$k.rps")" "$(jn "$t.sat.$k.requests")" "$(jn "$t.sat.$k.errors")" \
                "$(jn "$t.sat.$k.p50_ms")" "$(jn "$t.sat.$k.p99_ms")" \
                "$(jn "$t.sat.$k.cpu_ms_per_req")" "$(jn "$t.sat.$k.sim_cpu_ms_per_req")" "$redis"
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
    comparison_json() { # cmp|cmpg: the target against direct
        local c=$1
        printf '{"throughput_ratio_nonstream":%s,"throughput_ratio_stream":%s,' \
            "$(jn $c.plain.throughput_ratio)" "$(jn $c.stream.throughput_ratio)"
        printf '"cpu_ratio_nonstream":%s,"cpu_ratio_stream":%s,' "$(jn $c.plain.cpu_ratio)" "$(jn $c.stream.cpu_ratio)"
        printf '"added_p50_ms_nonstream":%s,"added_p90_ms_nonstream":%s,"added_p99_ms_nonstream":%s,' \
            "$(jn $c.plain.added_p50_ms)" "$(jn $c.plain.added_p90_ms)" "$(jn $c.plain.added_p99_ms)"
        printf '"added_p50_ms_stream":%s,"added_p90_ms_stream":%s,"added_p99_ms_stream":%s,' \
            "$(jn $c.stream.added_p50_ms)" "$(jn $c.stream.added_p90_ms)" "$(jn $c.stream.added_p99_ms)"
        printf '"added_ttfb_p50_ms":%s,"added_ttfb_p90_ms":%s,"added_ttfb_p99_ms":%s}' \
            "$(jn $c.stream.added_ttfb_p50_ms)" "$(jn $c.stream.added_ttfb_p90_ms)" "$(jn $c.stream.added_ttfb_p99_ms)"
    }
    {
        printf '{"tool":"tokengate-bench","mode":"local","timestamp":"%s","git_commit":"%s","cpus":%d,"java":"%s",' \
            "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$commit" "$(nproc)" "$JAVA_VERSION"
        printf '"params":{"duration_s":%s,"warmup_s":%s,"connections":%s,"threads":%s,"rate":%s,"rate_duration_s":%s,"output_tokens":%s,"governance":%s,"gateway_java_opts":"%s"},' \
            "$DURATION" "$WARMUP" "$CONNECTIONS" "$THREADS" "$RATE" "$RATE_DURATION" "$OUTPUT_TOKENS" "$GOVERNANCE" "${GATEWAY_JAVA_OPTS//\"/\\\"}"
        printf '"direct":%s,"gateway":%s,' "$(target_json direct)" "$(target_json gateway)"
        if ((GOVERNANCE)); then
            printf '"governed":%s,' "$(target_json governed)"
        else
            printf '"governed":null,'
        fi
        printf '"comparison":%s,' "$(comparison_json cmp)"
        if ((GOVERNANCE)); then
            printf '"comparison_governed":%s,' "$(comparison_json cmpg)"
            printf '"governed_vs_gateway":{"throughput_ratio_nonstream":%s,"throughput_ratio_stream":%s,"cpu_ratio_nonstream":%s,"cpu_ratio_stream":%s,"added_p99_ratio_nonstream":%s,"added_p99_ratio_stream":%s,"added_ttfb_p99_ratio":%s}}\n' \
                "$(jn gvg.plain.throughput_ratio)" "$(jn gvg.stream.throughput_ratio)" "$(jn gvg.plain.cpu_ratio)" "$(jn gvg.stream.cpu_ratio)" \
                "$(jn gvg.plain.added_p99_ratio)" "$(jn gvg.stream.added_p99_ratio)" "$(jn gvg.stream.added_ttfb_p99_ratio)"
        else
            printf '"comparison_governed":null,"governed_vs_gateway":null}\n'
        fi
    } >"$out"
}

# ==================================================================================================
# Mode 1: local comparison
# ==================================================================================================

ensure_build() {
    if [[ ${BUILD:-0} == 1 || ! -f $REPO_ROOT/target/quarkus-app/quarkus-run.jar ]]; then
        log "building: ./tokengate build -q"
        (cd "$REPO_ROOT" && ./tokengate build -q) || die "build failed"
    fi
    [[ -f $REPO_ROOT/target/quarkus-app/quarkus-run.jar ]] || die "target/quarkus-app/quarkus-run.jar missing after build"
}

local_mode() {
    [[ $GOVERNANCE == 0 || $GOVERNANCE == 1 ]] || die "GOVERNANCE must be 0 or 1, not '$GOVERNANCE'"
    resolve_java
    require_wrk
    ensure_build
    # Local runs authenticate like production: a throwaway key for the demo tenant of this run.
    export TOKENGATE_API_KEY=${TOKENGATE_API_KEY:-sk-tg-benchlocal01-$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 43)}
    CLK_TCK=$(getconf CLK_TCK)
    mkdir -p "$BENCH_DIR"
    OUTPUTS_STARTED=1
    rm -f "$BENCH_DIR"/wrk-*.txt "$BENCH_DIR"/loadgen-*.{env,json,txt} "$BENCH_DIR"/summary.json \
        "$BENCH_DIR"/{governed,redis}.log

    local runs=$((2 * (2 + GOVERNANCE))) # 2 request kinds x targets
    log "local comparison: saturation ${DURATION}s (+${WARMUP}s warm-up) x$runs, fixed rate ${RATE}/s ${RATE_DURATION}s (+${WARMUP}s) x$runs"
    start_simulator
    start_gateway
    if ((GOVERNANCE)); then
        start_redis
        start_governed
    fi

    # The runs of the same test on each target follow each other, so that drifting background load on the
    # machine affects all sides alike. Saturation first: it also warms up (JIT) the processes.
    local kind
    for kind in plain stream; do
        saturation direct "$SIM_PORT" "$kind"
        saturation gateway "$GW_PORT" "$kind"
        if ((GOVERNANCE)); then saturation governed "$GOV_PORT" "$kind"; fi
    done
    for kind in plain stream; do
        fixed_rate direct "$SIM_PORT" "$kind"
        fixed_rate gateway "$GW_PORT" "$kind"
        if ((GOVERNANCE)); then fixed_rate governed "$GOV_PORT" "$kind"; fi
    done

    R[direct.rss_peak_kib]=$(proc_status_kib "$SIM_PID" VmHWM)
    R[gateway.rss_peak_kib]=$(proc_status_kib "$GW_PID" VmHWM)
    if ((GOVERNANCE)); then
        R[governed.rss_peak_kib]=$(proc_status_kib "$GOV_PID" VmHWM)
        R[governed.redis_rss_peak_kib]=$(proc_status_kib "$REDIS_PID" VmHWM)
    fi
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
    [[ ${1:-} == --coldstart ]] && { shift; exec "$SCRIPT_DIR/coldstart.sh" "$@"; }
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

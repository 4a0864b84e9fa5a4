#!/usr/bin/env bash
# Cold start of the packaged gateway: time from process start to the first successful chat completion, and
# resident memory right after it, without and with the JDK AOT cache. See infra/loadtest/README.md,
# section "Cold start".
#
#   ./mvnw -B package -Paot -DskipTests     # aot-jar packaging + target/quarkus-app/app.aot (training run)
#   infra/loadtest/coldstart.sh
#   RUNS=10 SETS="default tuned" infra/loadtest/coldstart.sh
#   TUNED_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1" SETS=tuned infra/loadtest/coldstart.sh
#
# Each run starts `java <set options> [-XX:AOTCache=app.aot -XX:AOTMode=on] -jar quarkus-run.jar` from the
# application directory (the form the cache was trained with) in the 'embedded' profile (built-in simulator,
# demo tenant with a fixed key) on free loopback ports, and from the moment before the fork polls
# POST /v1/chat/completions about every 10 ms (bash /dev/tcp in a subshell, no curl) until one answers 200
# with a completion (the simulator answers at once: time-to-first-token and inter-token latency 0 ms, so the
# time is the gateway's). Then it reads VmRSS from /proc/PID/status and stops the process (SIGTERM).
# Modes: 'plain' (no AOT flags) and 'aot' (-XX:AOTCache=...; -XX:AOTMode=on makes an unusable cache an
# error instead of a silent slow start). The two modes of a set get identical JVM options. Runs are
# interleaved (run 1 of every set and mode, then run 2, ...) so that background load affects all alike.
# Prints median and min per set and mode, the aot/plain ratios, and writes target/bench/coldstart.json.
#
# Environment:
#   RUNS           starts per set and mode (default 5)
#   SETS           option sets to measure, in order (default "default tuned")
#   DEFAULT_OPTS   JVM options of set 'default' (default: none)
#   TUNED_OPTS     JVM options of set 'tuned' (default "-XX:+UseSerialGC -XX:TieredStopAtLevel=1")
#   OPTS_<NAME>    JVM options of any other set NAME listed in SETS (e.g. SETS=x OPTS_x="-Xmx128m")
#   MODES          default "plain aot"
#   APP_DIR        application directory with quarkus-run.jar and the cache (default target/quarkus-app)
#   PLAIN_APP_DIR  application directory of the 'plain' mode (default APP_DIR). After -Paot, APP_DIR holds
#                  the aot-jar layout, which without its cache needs more CPU and memory than the default
#                  fast-jar; to compare against what a build without -Paot ships, keep a default build:
#                    ./mvnw -B package -DskipTests && rm -rf target/quarkus-app-fastjar &&
#                      cp -a target/quarkus-app target/quarkus-app-fastjar
#                    ./mvnw -B package -Paot -DskipTests
#                    PLAIN_APP_DIR=target/quarkus-app-fastjar infra/loadtest/coldstart.sh
#   AOT_FILE       the cache, relative to APP_DIR (default app.aot). It only loads with the JDK build that
#                  wrote it, from the same directory layout (-jar quarkus-run.jar run in APP_DIR) and with
#                  jar files of unchanged size and modification time (copy the directory with cp -a)
#   STARTUP_TIMEOUT  seconds per start (default 60)
#   JAVA_HOME      the JDK (must be the exact build that wrote the cache)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
BENCH_DIR="$REPO_ROOT/target/bench"

RUNS=${RUNS:-5}
SETS=${SETS:-default tuned}
DEFAULT_OPTS=${DEFAULT_OPTS:-}
TUNED_OPTS=${TUNED_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}
MODES=${MODES:-plain aot}
APP_DIR=${APP_DIR:-$REPO_ROOT/target/quarkus-app}
PLAIN_APP_DIR=${PLAIN_APP_DIR:-$APP_DIR}
AOT_FILE=${AOT_FILE:-app.aot}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-60}
TARGET_MS=1000  # the issue's targets: first completion with the AOT cache under 1 s,
TARGET_MIB=150  # and under 150 MiB RSS after start
# The demo tenant's key (embedded profile): fixed, passed through the environment, logged by nobody.
KEY=sk-tg-coldstart001-ColdStartBenchOnlyNotASecret000000000000

log() { printf '[coldstart %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 0
fi
(($# == 0)) || die "no arguments expected (see --help); configuration is by environment variables"

if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA="$JAVA_HOME/bin/java"
elif command -v java >/dev/null; then JAVA=$(command -v java)
else die "no java found: set JAVA_HOME to a JDK 25"; fi
JAVA_VERSION=$("$JAVA" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
APP_DIR=$(cd "$APP_DIR" 2>/dev/null && pwd) || die "APP_DIR $APP_DIR does not exist: build first"
PLAIN_APP_DIR=$(cd "$PLAIN_APP_DIR" 2>/dev/null && pwd) || die "PLAIN_APP_DIR does not exist"
for mode in $MODES; do
    case $mode in
        plain) [[ -f $PLAIN_APP_DIR/quarkus-run.jar ]] || die "$PLAIN_APP_DIR/quarkus-run.jar is missing: build first" ;;
        aot)
            [[ -f $APP_DIR/quarkus-run.jar ]] || die "$APP_DIR/quarkus-run.jar is missing: build first"
            [[ -f $APP_DIR/$AOT_FILE ]] ||
                die "$APP_DIR/$AOT_FILE is missing: build with the AOT profile (./mvnw -B package -Paot -DskipTests), or MODES=plain"
            [[ ${JAVA_VERSION%%.*} -ge 25 ]] || die "$JAVA is Java $JAVA_VERSION: the AOT cache needs the JDK 25 that wrote it"
            ;;
        *) die "unknown mode '$mode' (plain, aot)" ;;
    esac
done
set_opts() { # set name -> its JVM options
    case $1 in
        default) echo "$DEFAULT_OPTS" ;;
        tuned) echo "$TUNED_OPTS" ;;
        *) local v="OPTS_$1"; [[ $1 =~ ^[A-Za-z0-9_]+$ && -n ${!v+x} ]] || die "set '$1' has no options: set OPTS_$1"; echo "${!v}" ;;
    esac
}
for set in $SETS; do set_opts "$set" >/dev/null; done

mkdir -p "$BENCH_DIR"
PID=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $PID ]]; then kill -KILL "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$t"; }

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
    done
    die "no free loopback port found"
}

BODY='{"model":"sim-llama","messages":[{"role":"user","content":"hi"}],"max_tokens":4}'
REQUEST=$(LC_ALL=C printf 'POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$KEY" "${#BODY}" "$BODY")

# One completion attempt; prints "refused" (nothing listens yet), or the HTTP status ("200" only when the
# body is a chat completion), or "none" (connected, no answer).
attempt() { # port
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || { echo refused; exit 0; }
        printf '%s' "$REQUEST" >&3
        local status="" line="" ok=0
        IFS=' ' read -r -t 10 _ status _ <&3 || true
        while IFS= read -r -t 10 line <&3 || [[ -n $line ]]; do # Connection: close, so read to the end
            [[ $line == *'"choices"'* ]] && ok=1
            line=""
        done
        [[ $status == 200 && $ok == 0 ]] && status="200-without-completion"
        echo "${status:-none}"
    ) 2>/dev/null || echo none
}

# CPU time (user + system, all threads) of a process so far, in ms: less disturbed by other load than wall time.
cpu_ms() {
    local stat f
    stat=$(<"/proc/$1/stat")
    stat=${stat##*) }       # drop "pid (comm) "
    read -r -a f <<<"$stat" # f[0] is field 3 (state); utime is field 14, stime field 15
    echo $(((f[11] + f[12]) * 1000 / CLK_TCK))
}
CLK_TCK=$(getconf CLK_TCK)

# Starts one gateway and measures it; sets M_MS (first completion), M_LISTEN (start of the first attempt
# that found the port open), M_CPU (CPU ms of the process at the first completion),
# M_RSS_KIB and M_STARTED (Quarkus' "started in", main() to ready without JVM boot and first request), in ms.
measure() { # mode set_options logfile
    local mode=$1 opts=() dir=$PLAIN_APP_DIR aot=() port sim_port start t0 now result listen_ms="" started
    read -r -a opts <<<"$2"
    if [[ $mode == aot ]]; then dir=$APP_DIR; aot=(-XX:AOTCache="$AOT_FILE" -XX:AOTMode=on); fi
    port=$(free_port)
    sim_port=$(free_port)
    start=$(now_us)
    (cd "$dir" && TOKENGATE_BOOTSTRAP_DEMO_KEY=$KEY exec "$JAVA" "${opts[@]}" "${aot[@]}" \
        -Dquarkus.profile=embedded -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
        -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$(free_port)" \
        -Dtokengate.simulator.port="$sim_port" -Dtokengate.simulator.time-to-first-token=0ms \
        -Dtokengate.simulator.inter-token-latency=0ms '-Dquarkus.log.category."io.tokengate.admin.DemoBootstrap".level=WARN' \
        -jar quarkus-run.jar) >"$3" 2>&1 &
    PID=$!
    while true; do
        t0=$(now_us)
        result=$(attempt "$port")
        now=$(now_us)
        # the port opened before this attempt started (and after the previous one, ~10 ms earlier)
        [[ -z $listen_ms && $result != refused ]] && listen_ms=$(((t0 - start + 500) / 1000))
        [[ $result == 200 ]] && break
        if ! kill -0 "$PID" 2>/dev/null; then
            tail -n 20 "$3" >&2
            die "$mode gateway exited before a completion (log: $3)"
        fi
        ((now - start < STARTUP_TIMEOUT * 1000000)) || { tail -n 20 "$3" >&2; die "$mode: no completion within ${STARTUP_TIMEOUT}s (last: $result; log: $3)"; }
        sleep 0.01
    done
    M_MS=$(((now - start + 500) / 1000))
    M_LISTEN=${listen_ms:-null}
    M_RSS_KIB=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$PID/status")
    M_CPU=$(cpu_ms "$PID")
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=""
    started=$(sed -n 's/.* started in \([0-9.]*\)s\..*/\1/p' "$3" | head -n 1)
    M_STARTED=null
    [[ -n $started ]] && M_STARTED=$(awk -v s="$started" 'BEGIN { printf "%d", s * 1000 }')
    return 0
}

# aot-jar (every lib/main jar on the manifest Class-Path: the JDK's class loader, which the cache needs) or
# fast-jar (only lib/boot there; Quarkus' own class loader). Manifest lines are wrapped at 72 bytes.
layout() {
    local m
    m=$(unzip -p "$1/quarkus-run.jar" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r' | sed ':a;N;$!ba;s/\n //g') || true
    [[ $m == *lib/main/* ]] && echo aot-jar || echo fast-jar
}
PLAIN_LAYOUT=$(layout "$PLAIN_APP_DIR")
AOT_LAYOUT=$(layout "$APP_DIR")

declare -A SAMPLES # key "set.mode.metric" -> space-separated samples
log "java $JAVA_VERSION ($JAVA), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "aot: $APP_DIR ($AOT_LAYOUT) with $AOT_FILE ($(($(stat -c %s "$APP_DIR/$AOT_FILE" 2>/dev/null || echo 0) / 1048576)) MiB); plain: $PLAIN_APP_DIR ($PLAIN_LAYOUT)"
[[ " $MODES " == *" plain "* && $PLAIN_LAYOUT == aot-jar ]] &&
    log "note: 'plain' runs the aot-jar layout without its cache, not the default fast-jar build (see PLAIN_APP_DIR)"
for set in $SETS; do log "set '$set': $(set_opts "$set" | sed 's/^$/(no options)/')"; done
for run in $(seq 1 "$RUNS"); do
    for set in $SETS; do
        opts=$(set_opts "$set")
        for mode in $MODES; do
            measure "$mode" "$opts" "$BENCH_DIR/coldstart-$set-$mode.log"
            rss_mib=$(awk -v k="$M_RSS_KIB" 'BEGIN { printf "%.1f", k / 1024 }')
            SAMPLES[$set.$mode.ms]+="$M_MS "
            SAMPLES[$set.$mode.listen]+="$M_LISTEN "
            SAMPLES[$set.$mode.rss]+="$rss_mib "
            SAMPLES[$set.$mode.started]+="$M_STARTED "
            SAMPLES[$set.$mode.cpu]+="$M_CPU "
            log "run $run/$RUNS $set/$mode: first completion $M_MS ms (listening after $M_LISTEN ms, Quarkus 'started in' $M_STARTED ms), CPU $M_CPU ms, RSS $rss_mib MiB"
        done
    done
done

median() { tr ' ' '\n' | grep -v -e '^$' -e null | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "null"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { tr ' ' '\n' | grep -v -e '^$' -e null | sort -g | head -n 1 | grep . || echo null; }
ratio() { [[ $1 != null && $2 != null ]] && awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "null" }' || echo null; }
json_array() { local s; s=$(echo "$1" | xargs | tr ' ' ','); echo "[${s}]"; }

declare -A STAT
for set in $SETS; do
    for mode in $MODES; do
        for m in ms listen rss started cpu; do
            STAT[$set.$mode.$m.median]=$(echo "${SAMPLES[$set.$mode.$m]}" | median)
            STAT[$set.$mode.$m.min]=$(echo "${SAMPLES[$set.$mode.$m]}" | minimum)
        done
    done
done

# ---- table ----
{
    echo
    printf '%-9s %-6s %12s %12s %13s %13s %10s %10s %10s\n' set mode "first ms p50" "first ms min" "RSS MiB p50" "RSS MiB min" "listen p50" "started p50" "CPU ms p50"
    for set in $SETS; do
        for mode in $MODES; do
            printf '%-9s %-6s %12s %12s %13s %13s %10s %10s %10s\n' "$set" "$mode" "${STAT[$set.$mode.ms.median]}" "${STAT[$set.$mode.ms.min]}" \
                "${STAT[$set.$mode.rss.median]}" "${STAT[$set.$mode.rss.min]}" "${STAT[$set.$mode.listen.median]}" "${STAT[$set.$mode.started.median]}" \
                "${STAT[$set.$mode.cpu.median]}"
        done
        if [[ " $MODES " == *" plain "* && " $MODES " == *" aot "* ]]; then
            printf '%-9s %-6s %12s %12s %13s %13s\n' "$set" "aot/plain" "x$(ratio "${STAT[$set.plain.ms.median]}" "${STAT[$set.aot.ms.median]}")" \
                "x$(ratio "${STAT[$set.plain.ms.min]}" "${STAT[$set.aot.ms.min]}")" \
                "x$(ratio "${STAT[$set.plain.rss.median]}" "${STAT[$set.aot.rss.median]}")" "x$(ratio "${STAT[$set.plain.rss.min]}" "${STAT[$set.aot.rss.min]}")"
        fi
    done
    echo "first = process start to first chat completion (ms); listen = to the first attempt that found the port open;"
    echo "started = Quarkus' 'started in' (main() to ready); CPU = user+system CPU of the process at the first completion"
    echo "plain: $PLAIN_LAYOUT without a cache; aot: $AOT_LAYOUT with $AOT_FILE"
    echo "targets: aot first completion < ${TARGET_MS} ms, RSS after start < ${TARGET_MIB} MiB"
} | tee "$BENCH_DIR/coldstart.txt"

# ---- JSON ----
{
    printf '{"tool":"tokengate-coldstart","timestamp":"%s","git_commit":"%s","cpus":%d,"java":"%s","runs":%d,' \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$(nproc)" "$JAVA_VERSION" "$RUNS"
    printf '"app_dir":"%s","plain_app_dir":"%s","aot_layout":"%s","plain_layout":"%s","aot_file":"%s","aot_file_mib":%s,"targets":{"aot_first_completion_ms":%d,"rss_after_start_mib":%d},"sets":{' \
        "${APP_DIR#"$REPO_ROOT"/}" "${PLAIN_APP_DIR#"$REPO_ROOT"/}" "$AOT_LAYOUT" "$PLAIN_LAYOUT" "$AOT_FILE" \
        "$(awk -v b="$(stat -c %s "$APP_DIR/$AOT_FILE" 2>/dev/null || echo 0)" 'BEGIN { printf "%.1f", b / 1048576 }')" "$TARGET_MS" "$TARGET_MIB"
    first_set=1
    for set in $SETS; do
        ((first_set)) || printf ','
        first_set=0
        printf '"%s":{"java_opts":"%s"' "$set" "$(set_opts "$set" | sed 's/\\/\\\\/g; s/"/\\"/g')"
        for mode in $MODES; do
            printf ',"%s":{' "$mode"
            printf '"first_completion_ms":{"median":%s,"min":%s,"samples":%s},' "${STAT[$set.$mode.ms.median]}" "${STAT[$set.$mode.ms.min]}" "$(json_array "${SAMPLES[$set.$mode.ms]}")"
            printf '"listen_ms":{"median":%s,"min":%s,"samples":%s},' "${STAT[$set.$mode.listen.median]}" "${STAT[$set.$mode.listen.min]}" "$(json_array "${SAMPLES[$set.$mode.listen]}")"
            printf '"quarkus_started_ms":{"median":%s,"min":%s,"samples":%s},' "${STAT[$set.$mode.started.median]}" "${STAT[$set.$mode.started.min]}" "$(json_array "${SAMPLES[$set.$mode.started]}")"
            printf '"cpu_ms":{"median":%s,"min":%s,"samples":%s},' "${STAT[$set.$mode.cpu.median]}" "${STAT[$set.$mode.cpu.min]}" "$(json_array "${SAMPLES[$set.$mode.cpu]}")"
            printf '"rss_after_start_mib":{"median":%s,"min":%s,"samples":%s}}' "${STAT[$set.$mode.rss.median]}" "${STAT[$set.$mode.rss.min]}" "$(json_array "${SAMPLES[$set.$mode.rss]}")"
        done
        if [[ " $MODES " == *" plain "* && " $MODES " == *" aot "* ]]; then
            printf ',"ratio_aot_to_plain":{"first_completion_ms_median":%s,"first_completion_ms_min":%s,"rss_mib_median":%s}' \
                "$(ratio "${STAT[$set.plain.ms.median]}" "${STAT[$set.aot.ms.median]}")" "$(ratio "${STAT[$set.plain.ms.min]}" "${STAT[$set.aot.ms.min]}")" \
                "$(ratio "${STAT[$set.plain.rss.median]}" "${STAT[$set.aot.rss.median]}")"
        fi
        printf '}'
    done
    printf '}}\n'
} >"$BENCH_DIR/coldstart.json"
if command -v jq >/dev/null; then jq -e . "$BENCH_DIR/coldstart.json" >/dev/null || die "wrote invalid JSON: $BENCH_DIR/coldstart.json"; fi
log "results: ${BENCH_DIR#"$REPO_ROOT"/}/coldstart.json (table: coldstart.txt, last process logs: coldstart-<set>-<mode>.log)"

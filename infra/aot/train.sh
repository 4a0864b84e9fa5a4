#!/usr/bin/env bash
# AOT cache training run (JDK 25, JEP 483/514/515) for the packaged gateway. Run by the Maven profile
# 'aot' at the end of 'package' (./mvnw -B package -Paot -DskipTests); can also be run by hand after such
# a build. See infra/loadtest/README.md, section "Cold start".
#
# Starts target/quarkus-app/quarkus-run.jar FROM ITS OWN DIRECTORY (java -jar quarkus-run.jar: the cache
# records the class path as given, so the runtime must use the same form: cd to the app directory and
# `java -XX:AOTCache=app.aot -jar quarkus-run.jar`) with -XX:AOTCacheOutput=app.aot, in the 'embedded'
# profile (built-in simulator, demo tenant) on free loopback ports; waits for the first chat completion,
# sends a small mix of requests (chat, streaming chat, completions, embeddings, models, health, metrics, an
# unknown model, a bad key), then stops the gateway with SIGTERM. On exit the JVM assembles the cache
# (a child JVM, a few seconds) into app.aot next to quarkus-run.jar.
#
#   infra/aot/train.sh [APP_DIR]                 # default target/quarkus-app
#   TRAIN_JAVA_OPTS="-XX:+UseSerialGC" infra/aot/train.sh
#
# Environment: JAVA_HOME (the JDK that will run the app: the cache only loads on the exact same JDK build),
# TRAIN_JAVA_OPTS (extra JVM options of the training run; not needed: a cache trained with the default G1
# also loads with SerialGC, ParallelGC and -XX:TieredStopAtLevel=1, though not with ZGC), TRAIN_REQUESTS
# (requests of each kind, default 10), STARTUP_TIMEOUT (s, default 120), AOT_FILE (default app.aot, in the
# application directory), TRAIN_LOG (default target/aot-training.log).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
APP_DIR=$(cd "${1:-$REPO_ROOT/target/quarkus-app}" && pwd)
TRAIN_JAVA_OPTS=${TRAIN_JAVA_OPTS:-}
TRAIN_REQUESTS=${TRAIN_REQUESTS:-10}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-120}
AOT_FILE=${AOT_FILE:-app.aot}
LOG=${TRAIN_LOG:-$(dirname "$APP_DIR")/aot-training.log} # outside the app directory (not copied into an image)

log() { printf '[aot-train %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=$(command -v java) || die "no java"; fi
version=$("$JAVA" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')
((${version%%.*} >= 25)) || die "$JAVA is Java $version; the AOT cache needs JDK 25+ (set JAVA_HOME)"
[[ -f $APP_DIR/quarkus-run.jar ]] || die "$APP_DIR/quarkus-run.jar is missing: build first (./mvnw -B package -Paot -DskipTests)"
# aot-jar: every lib/main jar on the manifest Class-Path (manifest lines are wrapped at 72 bytes)
manifest=$(unzip -p "$APP_DIR/quarkus-run.jar" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r' | sed ':a;N;$!ba;s/\n //g') || true
[[ $manifest == *lib/main/* ]] ||
    log "warning: quarkus-run.jar is not an aot-jar (lib/main not on its Class-Path): classes loaded by Quarkus' own class loader are not cached; build with -Paot"

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
    done
    die "no free loopback port"
}

# One HTTP/1.0 request over /dev/tcp (no curl needed); prints the status code ("" when no answer).
http() { # method path [body] [auth] [port: the public one unless given]
    local method=$1 path=$2 body=${3:-} auth=${4-$KEY} port=${5:-$PORT} status
    [[ -n $auth ]] && auth="Authorization: Bearer $auth"$'\r\n'
    (
        exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
        LC_ALL=C printf '%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
            "$method" "$path" "$auth" "${#body}" "$body" >&3
        IFS=' ' read -r -t 30 _ status _ <&3 || true
        while IFS= read -r -t 30 _ <&3; do :; done # the whole response (HTTP/1.0: the server closes)
        echo "${status:-}"
    ) 2>/dev/null || true
}

chat() { printf '{"model":"%s","messages":[{"role":"user","content":"%s"}],"max_tokens":%d%s}' "$1" "$2" "$3" "${4:-}"; }

PORT=$(free_port)
MGMT_PORT=$(free_port) # /q/health and /q/metrics: the management interface, not the public port
SIM_PORT=$(free_port)
secret=$(head -c 48 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9')
KEY="sk-tg-aottraining1-${secret:0:40}" # the demo tenant's key of this run only (environment, never logged)
rm -f "$APP_DIR/$AOT_FILE" "$APP_DIR/$AOT_FILE.config"

log "training run: $JAVA $TRAIN_JAVA_OPTS -XX:AOTCacheOutput=$AOT_FILE -jar quarkus-run.jar (in $APP_DIR, profile embedded, port $PORT)"
start=${EPOCHREALTIME/[.,]/}
# shellcheck disable=SC2086  # TRAIN_JAVA_OPTS is a list of options
(cd "$APP_DIR" && TOKENGATE_BOOTSTRAP_DEMO_KEY=$KEY exec "$JAVA" $TRAIN_JAVA_OPTS -XX:AOTCacheOutput="$AOT_FILE" \
    -Dquarkus.profile=embedded -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$MGMT_PORT" \
    -Dtokengate.simulator.port="$SIM_PORT" '-Dquarkus.log.category."io.tokengate.admin.DemoBootstrap".level=WARN' \
    -jar quarkus-run.jar) >"$LOG" 2>&1 &
PID=$!
trap 'kill -KILL "$PID" 2>/dev/null || true' EXIT

deadline=$((SECONDS + STARTUP_TIMEOUT))
until [[ $(http POST /v1/chat/completions "$(chat sim-llama hi 4)") == 200 ]]; do
    kill -0 "$PID" 2>/dev/null || { tail -n 30 "$LOG" >&2; die "the gateway exited during the training run (log: $LOG)"; }
    ((SECONDS < deadline)) || { tail -n 30 "$LOG" >&2; die "no completion within ${STARTUP_TIMEOUT}s (log: $LOG)"; }
    sleep 0.02
done
log "first completion after $(((${EPOCHREALTIME/[.,]/} - start) / 1000)) ms; sending the training requests"

bad=0
expect() { # expected-status actual-status what
    [[ $2 == "$1" ]] || { log "warning: $3 answered '${2}' (expected $1)"; bad=$((bad + 1)); }
}
for i in $(seq 1 "$TRAIN_REQUESTS"); do
    expect 200 "$(http POST /v1/chat/completions "$(chat sim-llama "training request $i" 16)")" chat
    expect 200 "$(http POST /v1/chat/completions "$(chat sim-llama "training stream $i" 16 ',"stream":true,"stream_options":{"include_usage":true}')")" "streaming chat"
    expect 200 "$(http POST /v1/completions '{"model":"sim-llama","prompt":"say hi","max_tokens":8}')" completions
    expect 200 "$(http POST /v1/embeddings '{"model":"sim-embed","input":["a","b"]}')" embeddings
    expect 200 "$(http GET /v1/models)" models
done
expect 200 "$(http GET /v1/models/sim-llama)" "GET /v1/models/sim-llama"
expect 404 "$(http POST /v1/chat/completions "$(chat no-such-model hi 4)")" "unknown model"
expect 401 "$(http POST /v1/chat/completions "$(chat sim-llama hi 4)" sk-tg-aottraining1-wrongsecret)" "bad key"
expect 200 "$(http GET /q/health/ready '' '' "$MGMT_PORT")" readiness
expect 200 "$(http GET /q/metrics '' '' "$MGMT_PORT")" metrics
expect 404 "$(http GET /q/metrics '' '')" "metrics on the public port"
((bad == 0)) || log "warning: $bad training requests did not answer as expected (the cache is still written)"

log "stopping the gateway (SIGTERM); the JVM now assembles $AOT_FILE"
kill -TERM "$PID"
deadline=$((SECONDS + 300)) # the JVM's shutdown plus the child JVM that writes the cache: seconds, normally
while kill -0 "$PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
kill -0 "$PID" 2>/dev/null && { tail -n 30 "$LOG" >&2; die "the training JVM did not exit within 300 s of SIGTERM (log: $LOG)"; }
wait "$PID" || true # 143 after SIGTERM
trap - EXIT
[[ -s $APP_DIR/$AOT_FILE ]] || { tail -n 30 "$LOG" >&2; die "no $APP_DIR/$AOT_FILE was written (log: $LOG)"; }
log "wrote $APP_DIR/$AOT_FILE ($(($(stat -c %s "$APP_DIR/$AOT_FILE") / 1048576)) MiB) for $("$JAVA" -version 2>&1 | sed -n 2p); log: $LOG"
log "run it with: cd $(realpath --relative-to="$PWD" "$APP_DIR" 2>/dev/null || echo "$APP_DIR") && java -XX:AOTCache=$AOT_FILE -jar quarkus-run.jar"

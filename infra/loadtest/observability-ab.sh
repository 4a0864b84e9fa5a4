#!/usr/bin/env bash
# What observability costs: runs the local benchmark (bench.sh, direct vs gateway, no Redis) with per-request
# metrics, tracing and access logs OFF, then ON (metrics, traces sampled at 10% and exported over OTLP/HTTP to a
# local sink, JSON access log), ROUNDS times alternating (off, on, off, on, ...), and prints the gateway's CPU per
# request and latency percentiles of each run. Results: target/bench/observability-ab.txt.
#
#   infra/loadtest/observability-ab.sh
#   ROUNDS=3 DURATION=10 RATE_DURATION=15 infra/loadtest/observability-ab.sh
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
OUT="$REPO_ROOT/target/bench"
ROUNDS=${ROUNDS:-2}
BASE_OPTS=${GATEWAY_JAVA_OPTS:--XX:+UseSerialGC -Xmx256m}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$OUT"
SINK_PORT=$(( 20000 + RANDOM % 20000 ))
"$JAVA" "$SCRIPT_DIR/OtlpSink.java" "$SINK_PORT" >"$OUT/otlp-sink.log" 2>&1 &
SINK_PID=$!
trap 'kill $SINK_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$SINK_PORT/stats" >/dev/null && break; sleep 0.2; done

OFF="-Dtokengate.metrics.enabled=false -Dtokengate.access-log.enabled=false -Dquarkus.otel.sdk.disabled=true"
ON="-Dtokengate.metrics.enabled=true -Dtokengate.access-log.enabled=true -Dquarkus.otel.sdk.disabled=false \
-Dquarkus.otel.traces.sampler.arg=0.1 -Dquarkus.otel.exporter.otlp.traces.protocol=http/protobuf \
-Dquarkus.otel.exporter.otlp.traces.endpoint=http://127.0.0.1:$SINK_PORT"
: >"$OUT/observability-ab.txt"
for round in $(seq 1 "$ROUNDS"); do
  for mode in off on; do
    opts=$OFF; [[ $mode == on ]] && opts=$ON
    echo "[observability-ab] round $round: $mode" >&2
    GOVERNANCE=0 GATEWAY_JAVA_OPTS="$BASE_OPTS $opts" "$SCRIPT_DIR/bench.sh" >"$OUT/ab-$mode-$round.txt" 2>"$OUT/ab-$mode-$round.log"
    cp "$OUT/summary.json" "$OUT/ab-$mode-$round.json"
    echo "== round $round, observability $mode" >>"$OUT/observability-ab.txt"
    grep -E "CPU|p50|p99|TTFB|throughput|req/s" "$OUT/ab-$mode-$round.txt" >>"$OUT/observability-ab.txt" || true
  done
done
echo "== OTLP sink: $(curl -s "http://127.0.0.1:$SINK_PORT/stats")" >>"$OUT/observability-ab.txt"
cat "$OUT/observability-ab.txt"

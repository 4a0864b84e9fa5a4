package io.tokengate.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;

/**
 * The simulator's own endpoints (each also reachable through a {@link Simulator} method):
 * <ul>
 * <li>{@code GET /sim/stats}: {@code requests, completed, aborted, errors, streamed_tokens, in_flight, wakes,
 * health_checks, prefix_cache_queries, prefix_cache_hits, prefix_cache_hit_blocks}.</li>
 * <li>{@code POST /sim/reset} (204): zeroes the counters (not the {@code in_flight} gauge), restores the start
 * settings, turns every instance-wide fault off, goes back to sleep if it started asleep (else ready at once),
 * empties the prefix cache, forgets the last request.</li>
 * <li>{@code GET /sim/last-request}: the last {@code /v1} request as received.</li>
 * <li>{@code POST|GET /sim/wake}: counts a wake ({@code wakes}); when asleep, starts waking and becomes ready after
 * {@code wake_delay_ms} (at once when 0). Answers 202 {@code {"state":"waking","wake_delay_ms":N}} while waking,
 * else 200 {@code {"state":"ready",...}}; a wake while waking or ready changes nothing.</li>
 * <li>{@code POST /sim/sleep} (200 {@code {"state":"asleep"}}): falls asleep at once.</li>
 * <li>{@code GET /sim/config}; {@code PUT /sim/config} with any of these fields (an invalid one: 400, nothing
 * changed), answering the resulting config:
 * <ul>
 * <li>settings: {@code ttft_ms}, {@code itl_ms}, {@code output_tokens}, {@code error_rate}, {@code wake_delay_ms};</li>
 * <li>{@code fail_next: N} fails the next N {@code /v1} POSTs (0 cancels; replaces a running countdown) with
 * {@code fail_status} (default 500) and, with {@code fail_retry_after: S}, a {@code Retry-After: S} header;</li>
 * <li>{@code fail_status_always: 503} fails every {@code /v1} request until {@code fail_status_always: 0}, with
 * {@code Retry-After} when {@code fail_retry_after} comes along;</li>
 * <li>{@code hang_all: true|false}: {@code /v1} requests get no answer until the caller goes away;</li>
 * <li>{@code fail_health: true|false}: {@code GET /health} answers 503 while {@code /v1} still works;</li>
 * <li>{@code asleep: true} falls asleep, {@code asleep: false} is ready at once (no wake delay, no wake counted).</li>
 * </ul>
 * The config shows the live values, {@code state} ({@code ready|waking|asleep}) and {@code fail_next} as the
 * failures left.</li>
 * </ul>
 * Failures are OpenAI-format errors ({@code "code":"simulated_<status>"}); asleep or waking, {@code /v1} and
 * {@code /health} answer 503 with {@code "code":"model_not_loaded"} and an {@code X-Sim-State} header.
 */
final class ControlHandler {

    private final SimState state;

    ControlHandler(SimState state) {
        this.state = state;
    }

    void handle(HttpServerRequest request, String path) {
        HttpServerResponse response = request.response();
        HttpMethod method = request.method();
        switch (path) {
            case "/sim/stats" -> only(HttpMethod.GET, method, response,
                    () -> Replies.json(response, 200, Buffer.buffer(state.counters().toJson())));
            case "/sim/reset" -> only(HttpMethod.POST, method, response, () -> {
                state.reset();
                response.setStatusCode(204).end();
            });
            case "/sim/last-request" -> only(HttpMethod.GET, method, response, () -> lastRequest(response));
            case "/sim/config" -> config(request, response);
            case "/sim/wake" -> {
                if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.POST)) {
                    wake(response);
                } else {
                    Replies.error(response, 405, "Use POST or GET", "method_not_allowed");
                }
            }
            case "/sim/sleep" -> only(HttpMethod.POST, method, response, () -> {
                state.readiness().sleep();
                Replies.json(response, 200, Buffer.buffer(phaseJson()));
            });
            default -> Replies.error(response, 404, "Unknown simulator endpoint " + path, "not_found");
        }
    }

    private static void only(HttpMethod expected, HttpMethod actual, HttpServerResponse response, Runnable action) {
        if (expected.equals(actual)) {
            action.run();
        } else {
            Replies.error(response, 405, "Use " + expected.name(), "method_not_allowed");
        }
    }

    private void wake(HttpServerResponse response) {
        SimReadiness.Phase phase = state.wake();
        Replies.json(response, phase == SimReadiness.Phase.WAKING ? 202 : 200, Buffer.buffer(phaseJson()));
    }

    private String phaseJson() {
        return Json.MAPPER.createObjectNode().put("state", state.readiness().phase().json())
                .put("wake_delay_ms", state.settings().wakeDelay().toMillis()).toString();
    }

    private void lastRequest(HttpServerResponse response) {
        LastRequest last = state.last();
        if (last == null) {
            Replies.error(response, 404, "No /v1 request received yet", "not_found");
        } else {
            Replies.json(response, 200, Buffer.buffer(last.toJson()));
        }
    }

    private void config(HttpServerRequest request, HttpServerResponse response) {
        if (request.method().equals(HttpMethod.GET)) {
            Replies.json(response, 200, Buffer.buffer(configJson()));
            return;
        }
        only(HttpMethod.PUT, request.method(), response, () -> request.body().onSuccess(body -> {
            JsonNode changes = Json.parse(body);
            if (changes == null || !changes.isObject()) {
                Replies.error(response, 400, "Body must be a JSON object", null);
                return;
            }
            try {
                Runnable faults = faultChanges(changes);
                state.update(current -> apply(current, changes));
                faults.run();
                Replies.json(response, 200, Buffer.buffer(configJson()));
            } catch (IllegalArgumentException e) {
                Replies.error(response, 400, e.getMessage(), null);
            }
        }));
    }

    private static SimulatorSettings apply(SimulatorSettings s, JsonNode changes) {
        SimulatorSettings next = s;
        if (changes.hasNonNull("ttft_ms")) {
            next = next.withTimeToFirstToken(Duration.ofMillis(longField(changes, "ttft_ms")));
        }
        if (changes.hasNonNull("itl_ms")) {
            next = next.withInterTokenLatency(Duration.ofMillis(longField(changes, "itl_ms")));
        }
        if (changes.hasNonNull("output_tokens")) {
            next = next.withOutputTokens((int) longField(changes, "output_tokens"));
        }
        if (changes.hasNonNull("error_rate")) {
            next = next.withErrorRate(changes.get("error_rate").asDouble());
        }
        if (changes.hasNonNull("wake_delay_ms")) {
            next = next.withWakeDelay(Duration.ofMillis(longField(changes, "wake_delay_ms")));
        }
        return next;
    }

    /** Validates the instance-wide fault fields; the result applies them (and cannot fail). */
    private Runnable faultChanges(JsonNode changes) {
        boolean failNext = changes.hasNonNull("fail_next");
        boolean always = changes.hasNonNull("fail_status_always");
        int count = failNext ? (int) longField(changes, "fail_next") : 0;
        int status = changes.hasNonNull("fail_status") ? (int) longField(changes, "fail_status") : 500;
        int retryAfter = changes.hasNonNull("fail_retry_after") ? (int) longField(changes, "fail_retry_after") : -1;
        int alwaysStatus = always ? (int) longField(changes, "fail_status_always") : 0;
        if (!failNext && !always && (changes.hasNonNull("fail_status") || changes.hasNonNull("fail_retry_after"))) {
            throw new IllegalArgumentException("fail_status and fail_retry_after go with fail_next or fail_status_always");
        }
        if (failNext) {
            SimFaults.requireCount(count);
            SimFaults.requireStatus(status);
        }
        if (always && alwaysStatus != 0) {
            SimFaults.requireStatus(alwaysStatus);
        }
        if (retryAfter < -1) {
            throw new IllegalArgumentException("fail_retry_after must be >= 0: " + retryAfter);
        }
        Boolean hangAll = boolField(changes, "hang_all");
        Boolean failHealth = boolField(changes, "fail_health");
        Boolean asleep = boolField(changes, "asleep");
        SimFaults faults = state.faults();
        return () -> {
            if (failNext) {
                faults.failNext(count, status, retryAfter);
            }
            if (always) {
                faults.failAll(alwaysStatus, retryAfter);
            }
            if (hangAll != null) {
                faults.hangAll(hangAll);
            }
            if (failHealth != null) {
                faults.failHealth(failHealth);
            }
            if (asleep != null) {
                if (asleep) {
                    state.readiness().sleep();
                } else {
                    state.readiness().forceReady();
                }
            }
        };
    }

    private static long longField(JsonNode changes, String field) {
        JsonNode v = changes.get(field);
        if (!v.isNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be a number: " + v);
        }
        return v.asLong();
    }

    /** The boolean field, null when absent. */
    private static Boolean boolField(JsonNode changes, String field) {
        JsonNode v = changes.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false: " + v);
        }
        return v.booleanValue();
    }

    private String configJson() {
        SimulatorSettings s = state.settings();
        SimFaults faults = state.faults();
        ObjectNode node = Json.MAPPER.createObjectNode().put("ttft_ms", s.timeToFirstToken().toMillis())
                .put("itl_ms", s.interTokenLatency().toMillis()).put("output_tokens", s.outputTokens())
                .put("error_rate", s.errorRate());
        s.models().forEach(node.putArray("models")::add);
        node.put("state", state.readiness().phase().json()).put("wake_delay_ms", s.wakeDelay().toMillis());
        SimFaults.Failure next = faults.nextFailure();
        node.put("fail_next", faults.failNextRemaining()).put("fail_status", next.status());
        if (next.retryAfter() >= 0) {
            node.put("fail_retry_after", next.retryAfter());
        } else {
            node.putNull("fail_retry_after");
        }
        SimFaults.Failure always = faults.always();
        node.put("fail_status_always", always == null ? 0 : always.status());
        return node.put("hang_all", faults.hangAll()).put("fail_health", faults.failHealth()).toString();
    }
}

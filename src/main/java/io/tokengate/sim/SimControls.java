package io.tokengate.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/**
 * Per-request behaviour read from the extra top-level body field {@code "sim"}; -1 means "not set". These act on the
 * one request that carries them, after the instance-wide state had its say (asleep, {@code fail_next},
 * {@code fail_status_always}, {@code hang_all}: see {@link ControlHandler} and {@link SimRouter}), which is what to use
 * when the requests come from the gateway and carry no {@code "sim"} field. Chat and text completions are looked up
 * in the prefix cache before these apply.
 *
 * @param ttftMs overrides the time to first token
 * @param itlMs overrides the inter-token latency
 * @param outputTokens overrides the default completion length
 * @param fail answer this HTTP status with an OpenAI-format error (0: no)
 * @param retryAfter seconds for a {@code Retry-After} header on the {@code fail} answer
 * @param cutAfter content chunks to send before closing the connection abruptly (no finish_reason, no [DONE]; at
 *     most all of them); a non-streaming answer announces its length, writes half of its body, then closes
 * @param hang never answer until the caller goes away
 * @param garbage answer 200 with a body that is not JSON
 * @param noUsage send no {@code usage}, not even when the stream asked for it
 */
record SimControls(long ttftMs, long itlMs, int outputTokens, int fail, int retryAfter, int cutAfter, boolean hang,
        boolean garbage, boolean noUsage) {

    static final SimControls NONE = new SimControls(-1, -1, -1, 0, -1, -1, false, false, false);

    private static final Buffer GARBAGE = Buffer.buffer("<html><body>502 Bad Gateway</body></html> {\"choices\":[");

    /** These controls, cutting after {@code chunks} when the request itself names no {@code cut_after}. */
    SimControls orCutAfter(int chunks) {
        return chunks < 0 || cutAfter >= 0 ? this
                : new SimControls(ttftMs, itlMs, outputTokens, fail, retryAfter, chunks, hang, garbage, noUsage);
    }

    static SimControls of(JsonNode root) {
        JsonNode sim = root.get("sim");
        if (sim == null || !sim.isObject()) {
            return NONE;
        }
        return new SimControls(Json.intField(sim, "ttft_ms", -1), Json.intField(sim, "itl_ms", -1),
                Json.intField(sim, "output_tokens", -1), failStatus(sim),
                Json.intField(sim, "retry_after", -1), Json.intField(sim, "cut_after", -1),
                Json.boolField(sim, "hang"), Json.boolField(sim, "garbage"), Json.boolField(sim, "no_usage"));
    }

    private static int failStatus(JsonNode sim) {
        int status = Json.intField(sim, "fail", 0);
        return status == 0 || (status >= 200 && status <= 599) ? status : 500;
    }

    /** Applies {@code fail}, {@code hang} and {@code garbage}; true when the exchange needs nothing more. */
    boolean intercept(Exchange exchange) {
        if (fail > 0) {
            if (retryAfter >= 0) {
                exchange.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfter));
            }
            exchange.sendError(fail, "simulated failure", "simulated_" + fail);
            return true;
        }
        if (garbage) {
            exchange.send(200, Replies.APPLICATION_JSON, GARBAGE.copy());
            return true;
        }
        return hang;
    }
}

package io.tokengate.observability;

import io.tokengate.config.EndpointId;
import io.tokengate.config.GatewayConfig;
import io.tokengate.error.Json;
import io.tokengate.request.Arrival;
import io.tokengate.request.Outcome;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * One structured JSON line per request on the {@code tokengate.access} logger. Never carries prompt text,
 * credentials or headers: only ids, names, numbers and catalogued codes.
 */
@Singleton
public class AccessLog {
    private static final Logger LOG = Logger.getLogger("tokengate.access");
    private final boolean enabled;

    @Inject
    public AccessLog(GatewayConfig config) {
        this.enabled = config.accessLog().enabled();
    }

    /** Logs one finished request; tenant and model are null when it failed before they were known. */
    public void record(Arrival arrival, Outcome outcome, String traceId) {
        if (!enabled || !LOG.isInfoEnabled()) {
            return;
        }
        LOG.info(line(arrival, traceId, outcome, System.nanoTime()));
    }

    static String line(Arrival arrival, String traceId, Outcome o, long now) {
        EndpointId backend = o.endpoint();
        return "{\"ts\":\"" + Instant.now() + "\",\"request_id\":" + Json.quote(arrival.requestId())
                + ",\"trace_id\":" + Json.quote(traceId)
                + ",\"endpoint\":" + Json.quote(arrival.operation() == null ? null : arrival.operation().path())
                + ",\"tenant\":" + Json.quote(o.tenant())
                + ",\"key_id\":" + Json.quote(o.keyId())
                + ",\"model\":" + Json.quote(o.model())
                + ",\"pool\":" + Json.quote(backend == null ? null : backend.pool())
                + ",\"backend\":" + Json.quote(backend == null ? null : backend.toString())
                + ",\"status\":" + o.status()
                + ",\"error_code\":" + Json.quote(o.errorCode())
                + ",\"prompt_tokens\":" + o.usage().promptTokens()
                + ",\"completion_tokens\":" + o.usage().completionTokens()
                + ",\"usage_estimated\":" + o.usage().estimated()
                + ",\"attempts\":" + o.attempts()
                + ",\"retries\":" + Math.max(0, o.attempts() - 1)
                + ",\"finish_reason\":" + Json.quote(o.finishReason())
                + ",\"ttfb_ms\":" + millis(o.firstByteNanos() - arrival.startNanos())
                + ",\"duration_ms\":" + millis(now - arrival.startNanos()) + "}";
    }

    /** Milliseconds with microsecond precision, without String.format (this runs once per request). */
    static String millis(long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        long fraction = micros % 1000;
        return (micros / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}

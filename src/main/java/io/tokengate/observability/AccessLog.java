package io.tokengate.observability;

import io.tokengate.config.GatewayConfig;
import io.tokengate.error.Json;
import io.tokengate.ingress.Exchange;
import io.tokengate.relay.Outcome;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
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
    public void record(Exchange exchange, Outcome outcome, String traceId) {
        if (!enabled || !LOG.isInfoEnabled()) {
            return;
        }
        LOG.info(line(exchange, traceId, outcome, System.nanoTime()));
    }

    static String line(Exchange exchange, String traceId, Outcome o, long now) {
        String tenant = exchange.caller() == null ? null : exchange.caller().tenant();
        String keyId = exchange.caller() == null ? null : exchange.caller().keyId();
        String pool = o.endpoint() == null ? null : o.endpoint().substring(0, o.endpoint().lastIndexOf('/'));
        return "{\"ts\":\"" + java.time.Instant.now() + "\",\"request_id\":" + Json.quote(exchange.requestId())
                + ",\"trace_id\":" + Json.quote(traceId)
                + ",\"endpoint\":" + Json.quote(exchange.endpoint() == null ? null : exchange.endpoint().path())
                + ",\"tenant\":" + Json.quote(tenant)
                + ",\"key_id\":" + Json.quote(keyId)
                + ",\"model\":" + Json.quote(exchange.model())
                + ",\"pool\":" + Json.quote(pool)
                + ",\"backend\":" + Json.quote(o.endpoint())
                + ",\"status\":" + o.status()
                + ",\"error_code\":" + Json.quote(o.errorCode())
                + ",\"prompt_tokens\":" + o.usage().promptTokens()
                + ",\"completion_tokens\":" + o.usage().completionTokens()
                + ",\"usage_estimated\":" + o.usage().estimated()
                + ",\"attempts\":" + o.attempts()
                + ",\"retries\":" + Math.max(0, o.attempts() - 1)
                + ",\"finish_reason\":" + Json.quote(o.finishReason())
                + ",\"ttfb_ms\":" + millis(o.firstByteNanos() - exchange.startNanos())
                + ",\"duration_ms\":" + millis(now - exchange.startNanos()) + "}";
    }

    /** Milliseconds with microsecond precision, without String.format (this runs once per request). */
    static String millis(long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        long fraction = micros % 1000;
        return (micros / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}

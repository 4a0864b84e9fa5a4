package io.tokengate.observability;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tokengate.config.RouteTable;
import io.tokengate.ingress.Endpoint;
import io.tokengate.ingress.Exchange;
import io.tokengate.relay.Outcome;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Per-request metrics, recorded once when a request ends, with OpenTelemetry GenAI semantic-convention names:
 * {@code gen_ai.client.token.usage}, {@code gen_ai.client.operation.duration},
 * {@code gen_ai.server.time_to_first_token}, {@code gen_ai.server.time_per_output_token}; and tokengate's own
 * {@code tokengate.requests} and {@code tokengate.gateway.overhead} (time in the gateway, excluding the backend).
 * Labels are bounded: tenant (registered tenants only), model (configured models only, else {@code unknown}),
 * pool (configured), operation, status class. Never key ids, request ids or raw input.
 */
@Singleton
public class GatewayMetrics {
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536};
    private final MeterRegistry registry;
    private final RouteTable routes;
    private final boolean enabled;

    @Inject
    public GatewayMetrics(MeterRegistry registry, RouteTable routes, io.tokengate.config.GatewayConfig config) {
        this.registry = registry;
        this.routes = routes;
        this.enabled = config.metrics().enabled();
    }

    public void record(Exchange exchange, Outcome o) {
        Endpoint endpoint = exchange.endpoint();
        if (!enabled || endpoint == null || !endpoint.proxied()) {
            return;
        }
        long now = System.nanoTime();
        String operation = operation(endpoint);
        String tenant = exchange.caller() == null ? "anonymous" : exchange.caller().tenant();
        String model = exchange.model() != null && routes.model(exchange.model()).isPresent() ? exchange.model() : "unknown";
        String pool = o.endpoint() == null ? "none" : o.endpoint().substring(0, o.endpoint().lastIndexOf('/'));
        String statusClass = (o.status() / 100) + "xx";
        long duration = now - exchange.startNanos();

        Timer.builder("gen_ai.client.operation.duration").description("Duration of GenAI operations through the gateway")
                .tags(Tags.of("gen_ai.operation.name", operation, "gen_ai.request.model", model, "tenant", tenant,
                        "pool", pool, "status_class", statusClass, "error.type", o.errorCode() == null ? "none" : o.errorCode()))
                .serviceLevelObjectives(seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120))
                .register(registry).record(duration, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (o.usage().promptTokens() > 0 || o.usage().completionTokens() > 0) {
            tokens(operation, model, tenant, pool, "input").record(o.usage().promptTokens());
            if (endpoint != Endpoint.EMBEDDINGS) {
                tokens(operation, model, tenant, pool, "output").record(o.usage().completionTokens());
            }
        }
        if (o.upstreamNanos() > 0) {
            Timer.builder("tokengate.gateway.overhead")
                    .description("Time a request spent in the gateway, excluding the answering backend")
                    .tags("tenant", tenant, "endpoint", operation)
                    .serviceLevelObjectives(seconds(0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.1))
                    .register(registry).record(Math.max(0, duration - o.upstreamNanos()), java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        if (o.status() == 200 && o.upstreamNanos() > 0 && endpoint != Endpoint.EMBEDDINGS) {
            long ttft = o.firstByteNanos() - exchange.startNanos();
            Timer.builder("gen_ai.server.time_to_first_token").description("Time to the first token (the first byte relayed)")
                    .tags("gen_ai.operation.name", operation, "gen_ai.request.model", model, "pool", pool)
                    .serviceLevelObjectives(seconds(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
                    .register(registry).record(Math.max(0, ttft), java.util.concurrent.TimeUnit.NANOSECONDS);
            int out = o.usage().completionTokens();
            if (out > 1 && now > o.firstByteNanos()) {
                Timer.builder("gen_ai.server.time_per_output_token").description("Decode time per output token after the first")
                        .tags("gen_ai.operation.name", operation, "gen_ai.request.model", model, "pool", pool)
                        .serviceLevelObjectives(seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25))
                        .register(registry).record((now - o.firstByteNanos()) / (out - 1), java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
        // last, so a scraper that sees the request counted sees all of its meters
        registry.counter("tokengate.requests", "tenant", tenant, "model", model, "endpoint", operation,
                "status_class", statusClass).increment();
    }

    private DistributionSummary tokens(String operation, String model, String tenant, String pool, String type) {
        return DistributionSummary.builder("gen_ai.client.token.usage").description("Tokens per request, input and output")
                .tags("gen_ai.operation.name", operation, "gen_ai.request.model", model, "gen_ai.token.type", type,
                        "tenant", tenant, "pool", pool)
                .serviceLevelObjectives(TOKEN_BUCKETS).register(registry);
    }

    /** The GenAI operation name of an endpoint. */
    public static String operation(Endpoint endpoint) {
        return switch (endpoint) {
            case CHAT_COMPLETIONS -> "chat";
            case COMPLETIONS -> "text_completion";
            case EMBEDDINGS -> "embeddings";
            default -> "models";
        };
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return out;
    }
}

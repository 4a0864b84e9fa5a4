package io.tokengate.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tokengate.config.GatewayConfig;
import io.tokengate.config.RouteTable;
import io.tokengate.request.Arrival;
import io.tokengate.request.Operation;
import io.tokengate.request.Outcome;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
    private final ConcurrentHashMap<Key, Meters> meters = new ConcurrentHashMap<>();

    @Inject
    public GatewayMetrics(MeterRegistry registry, RouteTable routes, GatewayConfig config) {
        this.registry = registry;
        this.routes = routes;
        this.enabled = config.metrics().enabled();
    }

    public void record(Arrival arrival, Outcome o) {
        Operation operation = arrival.operation();
        if (!enabled || operation == null || !operation.proxied()) {
            return;
        }
        long now = System.nanoTime();
        String tenant = o.tenant() == null ? "anonymous" : o.tenant();
        String model = o.model() != null && routes.model(o.model()).isPresent() ? o.model() : "unknown";
        String pool = o.endpoint() == null ? "none" : o.endpoint().pool();
        Meters m = meters.computeIfAbsent(new Key(operation, tenant, model, pool, o.status() / 100,
                o.errorCode() == null ? "none" : o.errorCode()), this::create);
        long duration = now - arrival.startNanos();
        m.duration.record(duration, TimeUnit.NANOSECONDS);
        if (o.usage().promptTokens() > 0 || o.usage().completionTokens() > 0) {
            m.input.record(o.usage().promptTokens());
            if (m.output != null) {
                m.output.record(o.usage().completionTokens());
            }
        }
        if (o.upstreamNanos() > 0) {
            m.overhead.record(Math.max(0, duration - o.upstreamNanos()), TimeUnit.NANOSECONDS);
        }
        if (o.status() == 200 && o.upstreamNanos() > 0 && m.ttft != null) {
            m.ttft.record(Math.max(0, o.firstByteNanos() - arrival.startNanos()), TimeUnit.NANOSECONDS);
            int out = o.usage().completionTokens();
            if (out > 1 && now > o.firstByteNanos()) {
                m.perToken.record((now - o.firstByteNanos()) / (out - 1), TimeUnit.NANOSECONDS);
            }
        }
        m.requests.increment(); // last, so a scraper that sees the request counted sees all of its meters
    }

    /** The label values of one request (hand-written equals/hashCode: this runs for every request). */
    private static final class Key {
        final Operation operation;
        final String tenant;
        final String model;
        final String pool;
        final int statusClass;
        final String errorType;
        final int hash;

        Key(Operation operation, String tenant, String model, String pool, int statusClass, String errorType) {
            this.operation = operation;
            this.tenant = tenant;
            this.model = model;
            this.pool = pool;
            this.statusClass = statusClass;
            this.errorType = errorType;
            int h = operation.hashCode();
            h = 31 * h + tenant.hashCode();
            h = 31 * h + model.hashCode();
            h = 31 * h + pool.hashCode();
            h = 31 * h + statusClass;
            this.hash = 31 * h + errorType.hashCode();
        }

        Operation operation() {
            return operation;
        }

        String tenant() {
            return tenant;
        }

        String model() {
            return model;
        }

        String pool() {
            return pool;
        }

        int statusClass() {
            return statusClass;
        }

        String errorType() {
            return errorType;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.operation == operation && k.statusClass == statusClass
                    && k.tenant.equals(tenant) && k.model.equals(model) && k.pool.equals(pool)
                    && k.errorType.equals(errorType);
        }
    }

    /** The meters of one label combination, built once (a registry lookup per request costs more than the recording). */
    private record Meters(Timer duration, DistributionSummary input, DistributionSummary output, Timer overhead,
            Timer ttft, Timer perToken, Counter requests) {}

    private Meters create(Key k) {
        String operation = operation(k.operation());
        String statusClass = k.statusClass() + "xx";
        boolean generates = k.operation() != Operation.EMBEDDINGS;
        Timer duration = Timer.builder("gen_ai.client.operation.duration").description("Duration of GenAI operations through the gateway")
                .tags(Tags.of("gen_ai.operation.name", operation, "gen_ai.request.model", k.model(), "tenant", k.tenant(),
                        "pool", k.pool(), "status_class", statusClass, "error.type", k.errorType()))
                .distributionStatisticBufferLength(1).serviceLevelObjectives(seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)).register(registry);
        Timer overhead = Timer.builder("tokengate.gateway.overhead")
                .description("Time a request spent in the gateway, excluding the answering backend")
                .tags("tenant", k.tenant(), "endpoint", operation)
                .distributionStatisticBufferLength(1).serviceLevelObjectives(seconds(0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.1))
                .register(registry);
        Timer ttft = !generates ? null : Timer.builder("gen_ai.server.time_to_first_token")
                .description("Time to the first token (the first byte relayed)")
                .tags("gen_ai.operation.name", operation, "gen_ai.request.model", k.model(), "pool", k.pool())
                .distributionStatisticBufferLength(1).serviceLevelObjectives(seconds(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)).register(registry);
        Timer perToken = !generates ? null : Timer.builder("gen_ai.server.time_per_output_token")
                .description("Decode time per output token after the first")
                .tags("gen_ai.operation.name", operation, "gen_ai.request.model", k.model(), "pool", k.pool())
                .distributionStatisticBufferLength(1).serviceLevelObjectives(seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25)).register(registry);
        Counter requests = Counter.builder("tokengate.requests").description("Requests by outcome")
                .tags("tenant", k.tenant(), "model", k.model(), "endpoint", operation, "status_class", statusClass)
                .register(registry);
        return new Meters(duration, tokens(operation, k.model(), k.tenant(), k.pool(), "input"),
                generates ? tokens(operation, k.model(), k.tenant(), k.pool(), "output") : null, overhead, ttft, perToken,
                requests);
    }

    private DistributionSummary tokens(String operation, String model, String tenant, String pool, String type) {
        return DistributionSummary.builder("gen_ai.client.token.usage").description("Tokens per request, input and output")
                .tags("gen_ai.operation.name", operation, "gen_ai.request.model", model, "gen_ai.token.type", type,
                        "tenant", tenant, "pool", pool)
                .distributionStatisticBufferLength(1).serviceLevelObjectives(TOKEN_BUCKETS).register(registry);
    }

    /** The GenAI operation name of an API operation. */
    public static String operation(Operation operation) {
        return switch (operation) {
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

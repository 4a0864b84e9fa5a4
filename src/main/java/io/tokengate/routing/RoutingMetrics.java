package io.tokengate.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * Per-endpoint and per-pool routing metrics. Labels are bounded by configuration: {@code pool}, {@code endpoint}
 * (the endpoint id {@code <pool>/<index>}, never its URL), and a fixed set of reasons and outcomes.
 */
public final class RoutingMetrics {
    private final MeterRegistry registry;

    RoutingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void register(Backend b) {
        String pool = b.pool().name();
        String endpoint = b.endpoint().id().toString();
        Gauge.builder("tokengate.upstream.in_flight", b, Backend::inFlight).tags("pool", pool, "endpoint", endpoint)
                .description("Requests in flight to the endpoint from this replica").register(registry);
        Gauge.builder("tokengate.upstream.breaker.state", b, x -> x.breaker().ordinal())
                .tags("pool", pool, "endpoint", endpoint)
                .description("Circuit breaker state: 0 closed, 1 half-open, 2 open").register(registry);
        Gauge.builder("tokengate.upstream.available", b, x -> x.available(System.nanoTime()) ? 1 : 0)
                .tags("pool", pool, "endpoint", endpoint)
                .description("1 while routing may choose the endpoint (healthy, not ejected, breaker not open)")
                .register(registry);
    }

    void breakerTransition(Backend b, Backend.BreakerState to) {
        counter("tokengate.upstream.breaker.transitions", "Circuit breaker state changes", b, "state",
                to.name().toLowerCase(Locale.ROOT)).increment();
    }

    void ejected(Backend b, String reason) {
        counter("tokengate.upstream.ejections", "Endpoints taken out of rotation", b, "reason", reason).increment();
    }

    /** A failed attempt on {@code b} was retried (on another endpoint or pool); {@code reason} is an error code. */
    public void retried(Backend b, String reason) {
        counter("tokengate.upstream.retries", "Attempts retried after a failure", b, "reason", reason).increment();
    }

    void wake(String pool, String outcome) {
        Counter.builder("tokengate.pool.wakes").description("Wake actions of pools scaled to zero")
                .tags("pool", pool, "outcome", outcome).register(registry).increment();
    }

    void queueWait(String pool, String outcome, Duration waited) {
        Timer.builder("tokengate.pool.queue.wait").description("Time requests waited for a cold pool to wake")
                .tags("pool", pool, "outcome", outcome).register(registry).record(waited);
    }

    private Counter counter(String name, String description, Backend b, String key, String value) {
        return Counter.builder(name).description(description)
                .tags("pool", b.pool().name(), "endpoint", b.endpoint().id().toString(), key, value).register(registry);
    }
}

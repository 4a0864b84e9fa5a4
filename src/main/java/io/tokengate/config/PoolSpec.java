package io.tokengate.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A validated pool: its endpoints, the upstream Authorization value (resolved secret), its timeouts ({@code
 * nonStreamTimeout} already bounded by {@code totalTimeout}), how it balances, retries, checks health, ejects and
 * wakes, and whether its requests carry the tenant's cache salt.
 */
public record PoolSpec(String name, List<EndpointSpec> endpoints, Optional<String> authorization, boolean h2c,
        int maxConnections, Duration connectTimeout, Duration firstTokenTimeout, Duration idleTimeout,
        Duration totalTimeout, Duration nonStreamTimeout, Duration clientStallTimeout, Balancer balancer,
        Affinity affinity, Breaker breaker, Retry retry, Health health, Ejection ejection, Optional<Wake> wake,
        boolean cacheSalt) {

    /** Balancing strategies. */
    public enum Balancer {
        LEAST_IN_FLIGHT, WEIGHTED_ROUND_ROBIN, PREFIX_AFFINITY
    }

    /** Prefix affinity: bytes of prompt hashed, and the bounded-load factor. */
    public record Affinity(int prefixBytes, double loadFactor) {}

    /** Circuit breaker of each endpoint. */
    public record Breaker(double failureRatio, int requestVolume, Duration delay, int successThreshold) {}

    /** Retries with jittered exponential backoff under a retry budget. */
    public record Retry(int maxRetries, Duration backoff, Duration maxBackoff, double budgetRatio,
            int minRetriesPerSecond) {}

    /** Active health checks. */
    public record Health(boolean enabled, String path, Duration interval, Duration timeout, int healthyThreshold,
            int unhealthyThreshold) {}

    /** Passive ejection. */
    public record Ejection(int consecutiveFailures, Duration duration, Duration maxRetryAfter, int maxEjectedPercent) {}

    /**
     * The wake action of a pool scaled to zero; {@code tokenRef} is resolved at each call. At most
     * {@code queueSize} requests wait for it, at most {@code queueSizePerTenant} of one tenant.
     */
    public record Wake(String url, String method, String contentType, Optional<String> body,
            Optional<String> tokenRef, Optional<String> caFile, Duration deadline, int queueSize,
            int queueSizePerTenant) {}

    @Override
    public String toString() {
        return "PoolSpec[" + name + ", endpoints=" + endpoints + "]"; // never print the resolved secret
    }
}

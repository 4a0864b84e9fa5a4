package io.tokengate.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A validated pool: its endpoints, the upstream Authorization value (resolved secret) and its timeouts. */
public record PoolSpec(String name, List<EndpointSpec> endpoints, Optional<String> authorization, boolean h2c,
        int maxConnections, Duration connectTimeout, Duration firstTokenTimeout, Duration idleTimeout,
        Duration totalTimeout) {

    @Override
    public String toString() {
        return "PoolSpec[" + name + ", endpoints=" + endpoints + "]"; // never print the resolved secret
    }
}

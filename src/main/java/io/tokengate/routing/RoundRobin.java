package io.tokengate.routing;

import io.tokengate.config.EndpointSpec;
import io.tokengate.config.PoolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Rotates the start endpoint of a pool per request, so load spreads evenly and the rest follow as retries. */
final class RoundRobin {
    private final AtomicInteger next = new AtomicInteger();

    List<EndpointSpec> order(PoolSpec pool) {
        List<EndpointSpec> endpoints = pool.endpoints();
        int n = endpoints.size();
        if (n == 1) {
            return endpoints;
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        List<EndpointSpec> ordered = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ordered.add(endpoints.get((start + i) % n));
        }
        return ordered;
    }
}

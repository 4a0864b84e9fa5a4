package io.tokengate.routing;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokengate.config.EndpointId;
import io.tokengate.config.PoolSpec;
import io.tokengate.config.RouteTable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The live state of every configured endpoint, by pool, built once from the route table. */
@Singleton
public class Backends {
    private final Map<String, List<Backend>> byPool = new HashMap<>();
    private final Map<EndpointId, Backend> byEndpoint = new HashMap<>();
    private final RoutingMetrics metrics;

    @Inject
    public Backends(RouteTable routes, MeterRegistry registry) {
        this.metrics = new RoutingMetrics(registry);
        for (PoolSpec pool : routes.pools().values()) {
            List<Backend> backends = new ArrayList<>();
            for (int i = 0; i < pool.endpoints().size(); i++) {
                Backend b = new Backend(pool, pool.endpoints().get(i), i, metrics);
                backends.add(b);
                byEndpoint.put(b.endpoint().id(), b);
                metrics.register(b);
            }
            List<Backend> siblings = List.copyOf(backends);
            siblings.forEach(b -> b.siblings(siblings));
            byPool.put(pool.name(), siblings);
        }
    }

    /** The endpoints of {@code pool}, in configuration order. */
    public List<Backend> pool(String pool) {
        return byPool.getOrDefault(pool, List.of());
    }

    public Backend endpoint(EndpointId id) {
        return byEndpoint.get(id);
    }

    public Collection<Backend> all() {
        return byEndpoint.values();
    }

    public RoutingMetrics metrics() {
        return metrics;
    }

    /** The endpoints of {@code pool} that routing may choose now. */
    List<Backend> available(PoolSpec pool, long nowNanos) {
        List<Backend> all = pool(pool.name());
        List<Backend> available = new ArrayList<>(all.size());
        for (Backend b : all) {
            if (b.available(nowNanos)) {
                available.add(b);
            }
        }
        return available;
    }

    /** True when some endpoint of {@code pool} may take a request now. */
    public boolean ready(PoolSpec pool) {
        long now = System.nanoTime();
        for (Backend b : pool(pool.name())) {
            if (b.available(now)) {
                return true;
            }
        }
        return false;
    }
}

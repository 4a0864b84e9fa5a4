package io.tokengate.config;

import java.util.List;
import java.util.Map;

/**
 * A client-facing model and the pools that serve it, primary first; {@code upstreamByPool} names the upstream
 * model for pools that serve another one (fallbacks), the rest get {@code upstreamModel}.
 */
public record ModelRoute(String name, String upstreamModel, List<PoolSpec> pools, String ownedBy,
        Map<String, String> upstreamByPool) {

    public ModelRoute(String name, String upstreamModel, List<PoolSpec> pools, String ownedBy) {
        this(name, upstreamModel, pools, ownedBy, Map.of());
    }

    /** The model name to send to {@code pool}. */
    public String upstreamModel(PoolSpec pool) {
        return upstreamByPool.getOrDefault(pool.name(), upstreamModel);
    }
}

package io.tokengate.routing;

import io.tokengate.config.PoolSpec;
import java.util.List;

/** Orders a pool's available endpoints for one request: the first is where it goes, the rest are its retries. */
interface Balancer {

    /**
     * {@code available} is non-empty; {@code prefix} is the tenant-scoped affinity key ({@link PrefixAffinity#key};
     * affinity only, else unused). With
     * {@code claim}, the first endpoint returned has its in-flight slot taken for the request (atomically with the
     * choice where the choice depends on it), and the first attempt adopts it.
     */
    List<Backend> order(List<Backend> available, byte[] prefix, boolean claim);

    static Balancer of(PoolSpec pool, List<Backend> all) {
        return switch (pool.balancer()) {
            case LEAST_IN_FLIGHT -> new LeastInFlight();
            case WEIGHTED_ROUND_ROBIN -> new WeightedRoundRobin(all.size());
            case PREFIX_AFFINITY -> new PrefixAffinity(all, pool.affinity().loadFactor());
        };
    }
}

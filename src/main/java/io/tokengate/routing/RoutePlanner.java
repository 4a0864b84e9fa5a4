package io.tokengate.routing;

import io.tokengate.config.ModelRoute;
import io.tokengate.config.PoolSpec;
import io.tokengate.config.RouteTable;
import io.tokengate.config.EndpointSpec;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Stage 5, Route: turns a model into ordered candidates, round robin within each pool, pools in order. */
@Singleton
public class RoutePlanner {
    private final Map<String, RoundRobin> balancers = new HashMap<>();

    @Inject
    public RoutePlanner(RouteTable routes) {
        routes.pools().keySet().forEach(name -> balancers.put(name, new RoundRobin()));
    }

    public RoutePlan route(ModelRoute model) {
        List<Candidate> candidates = new ArrayList<>(4);
        for (PoolSpec pool : model.pools()) {
            for (EndpointSpec endpoint : balancers.get(pool.name()).order(pool)) {
                candidates.add(new Candidate(pool, endpoint, model.upstreamModel()));
            }
        }
        return new RoutePlan(model.name(), candidates);
    }
}

package io.tokengate.health;

import io.tokengate.config.PoolSpec;
import io.tokengate.config.RouteTable;
import io.tokengate.routing.Backend;
import io.tokengate.routing.Backends;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code GET /q/health/ready} reports each pool: {@code up} (with available/total endpoints), {@code cold} (no
 * endpoint ready, but a wake action: requests wake it) or {@code down}. The check itself stays UP while pools are
 * down or cold: the gateway can still answer (503 with Retry-After, or a wake), and taking replicas out of the
 * load balancer for a backend outage would turn clear errors into refused connections and block waking pools.
 */
@Readiness
@ApplicationScoped
public class PoolsReadiness implements HealthCheck {
    private final RouteTable routes;
    private final Backends backends;

    @Inject
    public PoolsReadiness(RouteTable routes, Backends backends) {
        this.routes = routes;
        this.backends = backends;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("upstream pools").up();
        long now = System.nanoTime();
        for (PoolSpec pool : routes.pools().values()) {
            List<Backend> all = backends.pool(pool.name());
            long available = all.stream().filter(b -> b.available(now)).count();
            String state = available > 0 ? "up" : pool.wake().isPresent() ? "cold" : "down";
            response.withData("pool." + pool.name(), state + " (" + available + "/" + all.size() + " endpoints available)");
        }
        return response.build();
    }
}

package io.tokengate.health;

import io.tokengate.ingress.Draining;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness is DOWN once the replica is shutting down, so load balancers stop sending it requests. */
@Readiness
@ApplicationScoped
public class DrainingReadiness implements HealthCheck {
    private final Draining draining;

    @Inject
    public DrainingReadiness(Draining draining) {
        this.draining = draining;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("accepting requests").status(!draining.active()).build();
    }
}

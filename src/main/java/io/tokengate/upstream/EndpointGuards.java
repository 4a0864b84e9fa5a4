package io.tokengate.upstream;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.tokengate.config.EndpointId;
import io.tokengate.config.PoolSpec;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.request.UpstreamResponse;
import io.tokengate.routing.Backend;
import io.tokengate.routing.Backends;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One SmallRye Fault Tolerance guard per endpoint, built from configuration at start (programmatic API): a
 * circuit breaker (failure ratio over a rolling window of requests, open delay, successes to close). The attempt's
 * timeouts are its {@link Watchdog}'s, which tells whose fault an expiry is. Only the backend's own behaviour counts:
 * 429, 5xx, connection errors, invalid answers and the backend's timeouts (first token, idle, total) are failures;
 * backend 4xx answers, a client that went away and a non-streamed answer past {@code timeouts.non-stream} (a long
 * answer looks like a slow backend) are not. State changes reach routing through {@link Backend#breaker}, so an open
 * breaker takes its endpoint out of the plan.
 */
@Singleton
class EndpointGuards {
    private static final TypeLiteral<Uni<UpstreamResponse>> TYPE = new TypeLiteral<>() {};
    private final Map<EndpointId, TypedGuard<Uni<UpstreamResponse>>> guards = new HashMap<>();

    @Inject
    EndpointGuards(Backends backends) {
        for (Backend b : backends.all()) {
            guards.put(b.endpoint().id(), guard(b));
        }
    }

    Uni<UpstreamResponse> call(Backend backend, Supplier<Uni<UpstreamResponse>> attempt) {
        return guards.get(backend.endpoint().id()).get(attempt);
    }

    private static TypedGuard<Uni<UpstreamResponse>> guard(Backend b) {
        PoolSpec.Breaker breaker = b.pool().breaker();
        return TypedGuard.create(TYPE).withDescription("upstream endpoint " + b.endpoint().id())
                .withThreadOffload(false)
                .withCircuitBreaker()
                    .failureRatio(breaker.failureRatio())
                    .requestVolumeThreshold(breaker.requestVolume())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(breaker.successThreshold())
                    .when(EndpointGuards::countsAgainstBackend)
                    .onStateChange(state -> b.breaker(map(state)))
                    .done()
                .build();
    }

    /**
     * Failures the backend is to blame for (they count for its breaker and passive ejection, and may be retried
     * elsewhere); a client that went away and a non-streamed answer past its own timeout are not.
     */
    static boolean countsAgainstBackend(Throwable failure) {
        return failure instanceof GatewayFailure f && switch (f.error()) {
            case GatewayError.UpstreamFailed e -> true;
            case GatewayError.UpstreamOverloaded e -> true;
            case GatewayError.UpstreamUnreachable e -> true;
            case GatewayError.UpstreamTimedOut e -> true;
            case GatewayError.UpstreamProtocolError e -> true;
            default -> false;
        };
    }

    private static Backend.BreakerState map(CircuitBreakerState state) {
        return switch (state) {
            case CLOSED -> Backend.BreakerState.CLOSED;
            case HALF_OPEN -> Backend.BreakerState.HALF_OPEN;
            case OPEN -> Backend.BreakerState.OPEN;
        };
    }
}

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
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * One SmallRye Fault Tolerance guard per endpoint, built from configuration at start (programmatic API): a
 * circuit breaker (failure ratio over a rolling window of requests, open delay, successes to close) around a
 * time-to-first-byte timeout (the pool's {@code timeouts.first-token}: the first chunk of a stream, or a
 * non-streamed answer, which arrives in one piece). Backend 4xx answers are successes for the breaker; 429, 5xx,
 * connection errors, invalid answers and timeouts are failures. State changes reach routing through
 * {@link Backend#breaker}, so an open breaker takes its endpoint out of the plan.
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
                .withTimeout()
                    .duration(b.pool().firstTokenTimeout().toMillis(), ChronoUnit.MILLIS)
                    .done()
                .build();
    }

    /** Failures the backend is to blame for; a client that went away is not one. */
    static boolean countsAgainstBackend(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return true;
        }
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

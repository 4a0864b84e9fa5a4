package io.tokengate.upstream;

import io.smallrye.mutiny.Uni;
import io.tokengate.config.PoolSpec;
import io.tokengate.config.RouteTable;
import io.tokengate.error.ErrorCatalog;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.request.AttemptContext;
import io.tokengate.request.ParsedRequest;
import io.tokengate.request.UpstreamResponse;
import io.tokengate.routing.Backends;
import io.tokengate.routing.Candidate;
import io.tokengate.routing.RoutePlan;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * Stage 6, Dispatch, the unit of retry: tries the plan's candidates in order, each through its endpoint's guard
 * (circuit breaker) and within its attempt's timeouts, until one gives an answer that can be committed. Nothing has
 * reached the client while this runs, so moving on is safe. An attempt that failed by the backend's fault is retried
 * on the next candidate (the primary pool's other endpoints, then the fallback pools) after a jittered exponential
 * backoff, at most {@code retry.max-retries} times and only within the primary pool's retry budget. A candidate whose
 * breaker refuses the call is skipped at no cost. Backend 4xx answers are final (the request is at fault); a backend
 * 429 takes its endpoint out for its {@code Retry-After}. Failures that are not the backend's (the client went away,
 * a non-streamed answer past {@code timeouts.non-stream}) end the request: no retry, no breaker, no ejection. A
 * request whose client is gone before dispatch is never sent.
 */
@Singleton
public class UpstreamDispatcher {
    private final Vertx vertx;
    private final UpstreamClients clients;
    private final EndpointGuards guards;
    private final Backends backends;
    private final Map<String, RetryBudget> budgets = new HashMap<>();

    @Inject
    UpstreamDispatcher(Vertx vertx, UpstreamClients clients, EndpointGuards guards, Backends backends, RouteTable routes) {
        this.vertx = vertx;
        this.clients = clients;
        this.guards = guards;
        this.backends = backends;
        routes.pools().values().forEach(pool -> budgets.put(pool.name(), new RetryBudget(pool.retry())));
    }

    public Uni<UpstreamResponse> dispatch(ParsedRequest request, RoutePlan plan, AttemptContext caller) {
        if (plan.candidates().isEmpty()) {
            return Uni.createFrom().failure(new GatewayFailure(new GatewayError.NoHealthyBackend(plan.model(),
                    "no endpoint is available", plan.retryAfterSeconds())));
        }
        if (caller.cancel().cancelled()) { // gone while the request waited (wake, admission): never dispatched
            plan.candidates().get(0).backend().release(); // the balancer's slot for the first attempt
            return Uni.createFrom().failure(new GatewayFailure(new GatewayError.ClientClosed()));
        }
        PoolSpec primary = plan.candidates().get(0).pool();
        budgets.get(primary.name()).deposit();
        return attempt(new Try(caller, request, plan, primary, Vertx.currentContext()), 0, 0);
    }

    /** What stays the same across the attempts of one request. */
    private record Try(AttemptContext caller, ParsedRequest request, RoutePlan plan, PoolSpec primary,
            Context context) {}

    private Uni<UpstreamResponse> attempt(Try t, int index, int retries) {
        Candidate candidate = t.plan().candidates().get(index);
        Attempt attempt = new Attempt(vertx, clients.forPool(candidate.pool()), candidate, t.request(), t.caller(),
                index + 1, index == 0);
        t.caller().cancel().onCancel(attempt::cancel);
        return guards.call(candidate.backend(), attempt::run)
                .invoke(response -> candidate.backend().succeeded())
                .onFailure().recoverWithUni(failure -> onContext(t.context(), 0)
                        .invoke(attempt::release) // also when the breaker refused and the attempt never ran
                        .chain(() -> afterFailure(t, index, retries, candidate, failure)));
    }

    private Uni<UpstreamResponse> afterFailure(Try t, int index, int retries, Candidate candidate, Throwable failure) {
        GatewayError error = classify(failure, candidate, t.plan().model());
        boolean refused = failure instanceof CircuitBreakerOpenException; // nothing was sent
        boolean backendsFault = EndpointGuards.countsAgainstBackend(failure);
        if (error instanceof GatewayError.UpstreamOverloaded o) {
            candidate.backend().overloaded(o.retryAfterSeconds());
        } else if (backendsFault) {
            candidate.backend().failed();
        }
        boolean more = index + 1 < t.plan().candidates().size() && !t.caller().cancel().cancelled()
                && (refused || backendsFault);
        if (!more) {
            return Uni.createFrom().failure(new GatewayFailure(error));
        }
        if (refused) {
            return attempt(t, index + 1, retries);
        }
        PoolSpec.Retry policy = t.primary().retry();
        if (retries >= policy.maxRetries() || !budgets.get(t.primary().name()).withdraw(System.nanoTime())) {
            return Uni.createFrom().failure(new GatewayFailure(error));
        }
        backends.metrics().retried(candidate.backend(), ErrorCatalog.describe(error).code());
        return onContext(t.context(), backoffMillis(policy, retries)).chain(() -> attempt(t, index + 1, retries + 1));
    }

    private static GatewayError classify(Throwable failure, Candidate candidate, String model) {
        if (failure instanceof CircuitBreakerOpenException) {
            return new GatewayError.NoHealthyBackend(model, "circuit breaker open", 1);
        }
        return GatewayFailure.of(failure);
    }

    /** Full jitter: uniform in [0, min(max, base * 2^retries)]. */
    static long backoffMillis(PoolSpec.Retry policy, int retries) {
        long cap = Math.min(policy.maxBackoff().toMillis(), policy.backoff().toMillis() << Math.min(retries, 20));
        return ThreadLocalRandom.current().nextLong(cap + 1);
    }

    /** Continues on the request's event loop (after {@code delayMs}), whichever thread completes the guard. */
    private Uni<Void> onContext(Context context, long delayMs) {
        if (context == null || (delayMs == 0 && Vertx.currentContext() == context)) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(e -> context.runOnContext(v -> {
            if (delayMs <= 0) {
                e.complete(null);
            } else {
                vertx.setTimer(delayMs, id -> e.complete(null));
            }
        }));
    }
}

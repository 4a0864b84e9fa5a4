package io.tokengate.upstream;

import io.smallrye.mutiny.Uni;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.ingress.Exchange;
import io.tokengate.protocol.ParsedRequest;
import io.tokengate.routing.RoutePlan;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;

/**
 * Stage 6, Dispatch, the unit of retry: tries the plan's candidates in order until one gives an answer that can
 * be committed. Nothing has reached the client while this runs, so moving on to the next candidate is safe.
 * Backend 4xx answers are final (the request is at fault, not the backend).
 */
@Singleton
public class UpstreamDispatcher {
    private final Vertx vertx;
    private final UpstreamClients clients;

    @Inject
    UpstreamDispatcher(Vertx vertx, UpstreamClients clients) {
        this.vertx = vertx;
        this.clients = clients;
    }

    public Uni<UpstreamResponse> dispatch(Exchange exchange, ParsedRequest request, RoutePlan plan) {
        if (plan.candidates().isEmpty()) {
            return Uni.createFrom().failure(new GatewayFailure(new GatewayError.NoHealthyBackend(plan.model())));
        }
        return attempt(exchange, request, plan, 0);
    }

    private Uni<UpstreamResponse> attempt(Exchange exchange, ParsedRequest request, RoutePlan plan, int index) {
        var candidate = plan.candidates().get(index);
        Attempt attempt = new Attempt(vertx, clients.forPool(candidate.pool()), candidate, request,
                exchange.requestId(), index + 1);
        exchange.onClientGone(attempt::cancel);
        return attempt.run().onFailure(failure -> retryable(exchange, failure, plan, index))
                .recoverWithUni(failure -> attempt(exchange, request, plan, index + 1));
    }

    private static boolean retryable(Exchange exchange, Throwable failure, RoutePlan plan, int index) {
        return index + 1 < plan.candidates().size() && !exchange.clientGone()
                && !(GatewayFailure.of(failure) instanceof GatewayError.ClientClosed);
    }
}

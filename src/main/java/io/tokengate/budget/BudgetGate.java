package io.tokengate.budget;

import io.smallrye.mutiny.Uni;
import io.tokengate.config.RouteTable;
import io.tokengate.protocol.ParsedRequest;
import io.tokengate.relay.Outcome;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;

/**
 * Stage 4, Admit, and stage 8, Settle. Admission sizes the request (estimated prompt tokens plus
 * {@code max_tokens}, or the configured default cap); settle reconciles the reservation with what was
 * delivered. The foundation build enforces no limits yet: reservations always succeed and settle has nothing to
 * refund. The Redis-backed limits and the usage ledger plug in here.
 */
@Singleton
public class BudgetGate {
    private final int defaultMaxTokens;

    @Inject
    public BudgetGate(RouteTable routes) {
        this.defaultMaxTokens = routes.defaultMaxTokens();
    }

    public Uni<Reservation> admit(ParsedRequest request) {
        int completion = request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens;
        int reserved = request.estimatedPromptTokens() + (request.endpoint().proxied() && isGenerating(request) ? completion : 0);
        return Uni.createFrom().item(new Reservation(request, request.estimatedPromptTokens(), reserved));
    }

    /** Reconciles a reservation with the outcome; runs exactly once per admitted request, whatever happened. */
    public void settle(Reservation reservation, Outcome outcome) {
        // Nothing is held in the foundation build; the limits work refunds reservedTokens - delivered here.
    }

    private static boolean isGenerating(ParsedRequest request) {
        return request.endpoint() != io.tokengate.ingress.Endpoint.EMBEDDINGS;
    }
}

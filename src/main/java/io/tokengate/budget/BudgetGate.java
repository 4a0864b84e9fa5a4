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
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(BudgetGate.class);
    private final int defaultMaxTokens;

    private final UsageLedger ledger;

    @Inject
    public BudgetGate(RouteTable routes, UsageLedger ledger) {
        this.defaultMaxTokens = routes.defaultMaxTokens();
        this.ledger = ledger;
    }

    public Uni<Reservation> admit(ParsedRequest request) {
        int completion = request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens;
        int reserved = request.estimatedPromptTokens() + (request.endpoint().proxied() && isGenerating(request) ? completion : 0);
        return Uni.createFrom().item(new Reservation(request, request.estimatedPromptTokens(), reserved));
    }

    /**
     * Reconciles a reservation with the outcome and meters it in the usage ledger; runs exactly once per admitted
     * request, whatever happened (success, error, client gone). Limits are not enforced yet, so nothing is refunded.
     */
    public void settle(Reservation reservation, Outcome outcome, String requestId, long latencyMillis) {
        ParsedRequest r = reservation.request();
        UsageRecord record = new UsageRecord(java.time.Instant.now(), requestId, r.caller().tenant(), r.caller().keyId(),
                r.model(), outcome.endpoint(), outcome.usage().promptTokens(), outcome.usage().completionTokens(),
                outcome.usage().estimated(), latencyMillis, outcome.status());
        ledger.append(record).subscribe().with(ok -> { }, failure -> LOG.errorf(
                "usage record of request %s could not be written: %s", requestId, failure.getMessage()));
    }

    private static boolean isGenerating(ParsedRequest request) {
        return request.endpoint() != io.tokengate.ingress.Endpoint.EMBEDDINGS;
    }
}

package io.tokengate.budget;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tokengate.config.GatewayConfig;
import io.tokengate.config.RequestLimits;
import io.tokengate.config.RouteTable;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.request.Caller;
import io.tokengate.request.Operation;
import io.tokengate.request.Outcome;
import io.tokengate.request.ParsedRequest;
import io.tokengate.request.TokenAllowance;
import io.tokengate.storage.StoreUnavailable;
import io.tokengate.tenant.TenantDirectory;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Stage 4, Admit, and stage 8, Settle. Admission reserves {@code estimated prompt tokens + max_tokens} (or the
 * configured cap) and one request and one concurrency slot in every limited scope of the caller, in one atomic
 * call of the {@link LimitStore}; settle gives back what was not used, releases the slot, and meters the
 * request in the usage ledger. Callers without limits skip the store entirely. Every answer of the store with a
 * token budget in it sets the tenant's {@code tokengate.budget.remaining.ratio} gauge ({@link BudgetGauges}).
 */
@Singleton
public class BudgetGate {
    private static final Logger LOG = Logger.getLogger(BudgetGate.class);

    private final int defaultMaxTokens;
    private final int streamChunkTokens;
    private final boolean allowOnStoreFailure;
    private final UsageLedger ledger;
    private final LimitStore limits;
    private final LimitScopes scopes;
    private final MeterRegistry meters;
    private final Counter storeFailuresRejected;
    private final Counter storeFailuresAllowed;
    private final BudgetGauges budgets;

    @Inject
    public BudgetGate(RouteTable routes, GatewayConfig config, UsageLedger ledger, LimitStore limits,
            TenantDirectory directory, MeterRegistry meters) {
        this.meters = meters;
        this.storeFailuresRejected = storeFailures(meters, "reject");
        this.storeFailuresAllowed = storeFailures(meters, "allow");
        this.budgets = new BudgetGauges(meters);
        this.defaultMaxTokens = routes.defaultMaxTokens();
        this.streamChunkTokens = config.limits().streamChunkTokens();
        this.allowOnStoreFailure = config.limits().onStoreFailure() == RequestLimits.StoreFailurePolicy.ALLOW;
        this.ledger = ledger;
        this.limits = limits;
        this.scopes = new LimitScopes(directory, LimitScopes.defaults(config.limits().tenantDefaults()));
    }

    public Uni<Reservation> admit(ParsedRequest request) {
        long tokens = tokensToReserve(request);
        String id = reservationId();
        return scopes.of(request.caller(), request.model()).chain(list -> list.isEmpty()
                ? Uni.createFrom().item(new Reservation(id, request, list, null, tokens))
                : limits.reserve(id, list, tokens)
                        .onFailure(StoreUnavailable.class).invoke(e -> cancelLateReserve(id, list, tokens))
                        .invoke(decision -> budgets.record(request.caller().tenant(), decision))
                        .map(decision -> granted(id, request, list, decision, tokens)))
                .onFailure(StoreUnavailable.class).recoverWithUni(e -> storeFailed(id, request, tokens))
                .onItemOrFailure().invoke((reservation, failure) -> countDecision(request, failure));
    }

    /**
     * Would {@link #admit} grant {@code request} right now? Fails as admit would (429 {@code rate_limit_exceeded}
     * or {@code insufficient_quota}; 503 when the store is unreachable under the {@code reject} policy), reserves
     * nothing. Runs before a request may use a shared resource on its way to admission (waking a pool at zero,
     * a place in its wait queue), so that a caller who could not be admitted cannot use them.
     */
    public Uni<Void> check(ParsedRequest request) {
        long tokens = tokensToReserve(request);
        return scopes.of(request.caller(), request.model()).chain(list -> list.isEmpty()
                ? Uni.createFrom().voidItem()
                : limits.check(list, tokens).invoke(BudgetGate::refuseIfDenied).replaceWithVoid())
                .onFailure(StoreUnavailable.class).recoverWithUni(e -> allowOnStoreFailure ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new GatewayFailure(new GatewayError.StoreUnavailable("limit store"))));
    }

    /** {@code tokengate.admission.decisions{tenant, decision, reason}}: every admission, granted or refused. */
    private void countDecision(ParsedRequest request, Throwable failure) {
        String reason = failure == null ? "ok" : switch (GatewayFailure.of(failure)) {
            case GatewayError.RateLimited r -> r.quota() ? "insufficient_quota" : "rate_limit_exceeded";
            case GatewayError.StoreUnavailable s -> "store_unavailable";
            default -> "error";
        };
        decisions.computeIfAbsent(request.caller().tenant(), t -> new ConcurrentHashMap<>())
                .computeIfAbsent(reason, r -> meters.counter("tokengate.admission.decisions", "tenant",
                        request.caller().tenant(), "decision", failure == null ? "admitted" : "rejected", "reason", r))
                .increment();
    }

    /** Admission counters by tenant and reason, built once (a registry lookup per request costs more). */
    private final Map<String, Map<String, Counter>> decisions =
            new ConcurrentHashMap<>();

    /** A reserve that failed on the store may still run there late: settling it (idempotent) cancels that. */
    private void cancelLateReserve(String id, List<LimitScope> scopes, long tokens) {
        limits.settle(id, scopes, tokens, 0).subscribe().with(ok -> { }, failure -> { });
    }

    /**
     * Reconciles a reservation with the outcome and meters it; runs exactly once per admitted request, whatever
     * happened (success, error, client gone).
     */
    public void settle(Reservation reservation, Outcome outcome, String requestId, long latencyMillis) {
        if (reservation.metered()) {
            limits.settle(reservation.id(), reservation.scopes(), reservation.reservedTokens(), outcome.usage().totalTokens())
                    .onFailure().retry().withBackOff(Duration.ofMillis(200)).atMost(3)
                    .subscribe().with(ok -> { }, failure -> LOG.errorf("settle of request %s failed: %s "
                            + "(unused tokens stay reserved; the concurrency lease expires)", requestId, failure.getMessage()));
        }
        meter(reservation, outcome, requestId, latencyMillis);
    }

    /**
     * What a stream may deliver: unlimited when nothing is metered or {@code max_tokens} bounds the reservation;
     * otherwise the reserved chunk, extended as the stream proceeds.
     */
    public TokenAllowance allowance(Reservation reservation) {
        ParsedRequest r = reservation.request();
        if (!reservation.metered() || !r.stream() || r.maxTokens() != null) {
            return TokenAllowance.UNLIMITED;
        }
        return new StreamAllowance(limits, reservation, streamChunkTokens,
                decision -> budgets.record(r.caller().tenant(), decision));
    }

    private static Counter storeFailures(MeterRegistry meters,
            String decision) {
        return Counter.builder("tokengate.limits.store.failures")
                .description("Admissions decided without the limit store, by on-store-failure policy")
                .tag("decision", decision).register(meters);
    }

    private long tokensToReserve(ParsedRequest request) {
        if (request.operation() == Operation.EMBEDDINGS) {
            return Math.max(1, request.estimatedPromptTokens());
        }
        int completion = request.maxTokens() != null ? request.maxTokens()
                : request.stream() ? streamChunkTokens : defaultMaxTokens;
        return (long) request.estimatedPromptTokens() + completion;
    }

    private static Reservation granted(String id, ParsedRequest request, List<LimitScope> scopes,
            LimitDecision decision, long tokens) {
        refuseIfDenied(decision);
        return new Reservation(id, request, scopes, decision, tokens);
    }

    /** A denial becomes the 429 the client sees (with the x-ratelimit-* headers of the tightest scope). */
    private static void refuseIfDenied(LimitDecision decision) {
        if (!decision.granted()) {
            throw new GatewayFailure(new GatewayError.RateLimited(decision.deniedScope(), limitName(decision.reason()),
                    decision.reason() == DenialReason.BUDGET, (decision.retryAfterMillis() + 999) / 1000,
                    RateLimitHeaders.of(decision)));
        }
    }

    private Uni<Reservation> storeFailed(String id, ParsedRequest request, long tokens) {
        (allowOnStoreFailure ? storeFailuresAllowed : storeFailuresRejected).increment();
        if (!allowOnStoreFailure) {
            LOG.warnf("limit store unreachable: request refused (tokengate.limits.on-store-failure=reject)");
            return Uni.createFrom().failure(new GatewayFailure(new GatewayError.StoreUnavailable("limit store")));
        }
        LOG.warnf("limit store unreachable: request admitted without limits (tokengate.limits.on-store-failure=allow)");
        return Uni.createFrom().item(new Reservation(id, request, List.of(), null, tokens));
    }

    private void meter(Reservation reservation, Outcome outcome, String requestId, long latencyMillis) {
        ParsedRequest r = reservation.request();
        Caller caller = r.caller();
        UsageRecord record = new UsageRecord(Instant.now(), requestId, caller.tenant(), caller.keyId(), r.model(),
                outcome.endpoint() == null ? null : outcome.endpoint().toString(), outcome.usage().promptTokens(), outcome.usage().completionTokens(),
                outcome.usage().estimated(), latencyMillis, outcome.status());
        ledger.append(record).onFailure().retry().withBackOff(Duration.ofMillis(500)).atMost(5)
                .subscribe().with(ok -> { }, failure -> LOG.errorf(
                        "usage record of request %s could not be written: %s", requestId, failure.getMessage()));
    }

    private static String limitName(DenialReason reason) {
        return switch (reason) {
            case REQUESTS_PER_MINUTE -> "requests per minute";
            case TOKENS_PER_MINUTE -> "tokens per minute";
            case CONCURRENCY -> "concurrent requests";
            case BUDGET -> "token budget";
        };
    }

    private static String reservationId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong());
    }
}

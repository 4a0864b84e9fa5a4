package io.tokengate.budget;

import io.tokengate.request.ParsedRequest;
import java.util.List;

/**
 * The output of stage 4, Admit: what was reserved for one request in which scopes, to be reconciled at settle.
 * {@code scopes} is empty when no limit applies (nothing to reconcile) or when the store failed under the
 * {@code allow} policy. Streams without {@code max_tokens} grow {@code reservedTokens} as they go.
 */
public final class Reservation {
    private final String id;
    private final ParsedRequest request;
    private final List<LimitScope> scopes;
    private final LimitDecision decision;
    private long reservedTokens;

    Reservation(String id, ParsedRequest request, List<LimitScope> scopes, LimitDecision decision, long reservedTokens) {
        this.id = id;
        this.request = request;
        this.scopes = scopes;
        this.decision = decision;
        this.reservedTokens = reservedTokens;
    }

    public String id() {
        return id;
    }

    public ParsedRequest request() {
        return request;
    }

    public List<LimitScope> scopes() {
        return scopes;
    }

    /** The limiter's answer (for the x-ratelimit-* headers), or null when unmetered. */
    public LimitDecision decision() {
        return decision;
    }

    public boolean metered() {
        return !scopes.isEmpty();
    }

    public long reservedTokens() {
        return reservedTokens;
    }

    void extendedBy(long tokens) {
        reservedTokens += tokens;
    }
}

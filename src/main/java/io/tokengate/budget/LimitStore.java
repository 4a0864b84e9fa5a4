package io.tokengate.budget;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Token budgets and rate limits, exact under concurrency and across replicas (Redis) or in this process only
 * (memory). Per scope: requests and tokens per minute as token buckets refilled continuously (never fixed
 * windows), concurrent requests as leases that expire, and a token budget per UTC day, UTC month or in total.
 *
 * <p>Every scope of one call belongs to one tenant and is named once ({@link IllegalArgumentException}
 * otherwise). A reservation id names one request: reserving it again is answered without consuming anything
 * twice, and once settled it is never reserved or extended again. Store failures surface as failed {@code Uni}s
 * with {@link io.tokengate.storage.StoreUnavailable}; nothing here blocks.
 */
public interface LimitStore {

    /**
     * Whether {@link #reserve} would grant {@code tokens} tokens (and a request and a slot) in every scope right now,
     * answered like it, without reserving or changing anything. For gates in front of shared resources (waking a
     * pool at zero): a caller that could not be admitted must not use them, and waiting must cost nothing.
     */
    Uni<LimitDecision> check(List<LimitScope> scopes, long tokens);

    /** Reserves 1 request, 1 concurrency slot (a lease) and {@code tokens} tokens in EVERY scope, atomically: all or none. */
    Uni<LimitDecision> reserve(String reservationId, List<LimitScope> scopes, long tokens);

    /**
     * Adds {@code moreTokens} to a live reservation (streams without {@code max_tokens}), tokens per minute and
     * budget only, all or none; renews the lease. A reservation that is unknown or already settled is refused
     * (reason {@link DenialReason#CONCURRENCY}: it holds no slot).
     */
    Uni<LimitDecision> extend(String reservationId, List<LimitScope> scopes, long moreTokens);

    /**
     * Reconciles: gives back {@code reservedTokens - actualTokens} to tokens per minute and budget (never below
     * zero, never above capacity; a negative difference charges the excess the same way) and releases the
     * concurrency lease. The difference is taken from the lesser of {@code reservedTokens} and what the store
     * recorded as reserved, so an unknown reservation gives nothing back. Idempotent: a settle retried (e.g. after
     * a Redis timeout) changes nothing twice.
     */
    Uni<Void> settle(String reservationId, List<LimitScope> scopes, long reservedTokens, long actualTokens);
}

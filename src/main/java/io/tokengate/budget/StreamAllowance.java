package io.tokengate.budget;

import io.tokengate.request.TokenAllowance;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The growing allowance of a metered stream without {@code max_tokens}: when less than half a chunk of headroom
 * is left, one more chunk is reserved in the background (all scopes, atomically); once the store refuses, the
 * stream may deliver no more than what is already reserved. Runs on the stream's event loop.
 */
final class StreamAllowance implements TokenAllowance {
    private static final Logger LOG = Logger.getLogger(StreamAllowance.class);
    private final LimitStore limits;
    private final Reservation reservation;
    private final long chunk;
    private final Consumer<LimitDecision> decided;
    private boolean extending;
    private boolean refused;

    /** {@code decided} sees every answer of the store to an extend (the budget gauge). */
    StreamAllowance(LimitStore limits, Reservation reservation, long chunk,
            Consumer<LimitDecision> decided) {
        this.limits = limits;
        this.reservation = reservation;
        this.chunk = chunk;
        this.decided = decided;
    }

    @Override
    public boolean permits(long totalTokens) {
        long headroom = reservation.reservedTokens() - totalTokens;
        if (headroom < chunk / 2 && !extending && !refused) {
            extend();
        }
        return headroom >= 0;
    }

    private void extend() {
        extending = true;
        limits.extend(reservation.id(), reservation.scopes(), chunk).subscribe().with(decision -> {
            extending = false;
            decided.accept(decision);
            if (decision.granted()) {
                reservation.extendedBy(chunk);
            } else {
                refused = true;
            }
        }, failure -> {
            extending = false;
            refused = true; // no more tokens without the store: what is reserved is the limit
            LOG.warnf("stream reservation %s could not be extended: %s", reservation.id(), failure.getMessage());
        });
    }
}

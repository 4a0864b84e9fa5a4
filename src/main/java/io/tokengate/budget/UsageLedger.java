package io.tokengate.budget;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/**
 * The durable record of every settled request (Redis Streams in production, memory for the embedded default).
 * The admin usage API and billing exports read it. One contract test suite runs against both.
 */
public interface UsageLedger {

    /** Appends one record; the record's {@code at} is informational, the store orders by its own clock. */
    Uni<Void> append(UsageRecord record);

    /** The tenant's records with {@code from <= at < to}, oldest first. */
    Uni<List<UsageRecord>> read(String tenant, Instant from, Instant to);
}

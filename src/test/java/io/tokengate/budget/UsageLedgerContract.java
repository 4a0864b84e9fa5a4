package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link UsageLedger} must have; run against memory ({@link InMemoryUsageLedgerTest}) and a
 * real Redis ({@link RedisUsageLedgerTest}). The store may stamp records with its own clock, so windows are built
 * from the {@code at} the ledger returns.
 */
abstract class UsageLedgerContract {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Instant FAR_FUTURE = Instant.parse("2999-01-01T00:00:00Z");

    UsageLedger ledger;

    /** A new, empty ledger. */
    abstract UsageLedger newLedger();

    @BeforeEach
    void setUp() {
        ledger = newLedger();
    }

    @Test
    void readsBackEveryFieldOldestFirst() {
        Instant before = Instant.now().minusSeconds(1);
        UsageRecord first = usage("acme", "req-1");
        UsageRecord second = new UsageRecord(Instant.now(), "req-2", "acme", null, "sim-embed", null, 7, 0, true, 3, 499);
        append(first);
        append(second);

        List<UsageRecord> read = read("acme", Instant.EPOCH, FAR_FUTURE);
        assertThat(read).extracting(UsageLedgerContract::withoutAt).containsExactly(withoutAt(first), withoutAt(second));
        assertThat(read).allSatisfy(r -> assertThat(r.at()).isBetween(before, Instant.now().plusSeconds(1)));
        assertThat(read.get(0).totalTokens()).isEqualTo(15);
    }

    @Test
    void readsTheWindowFromInclusiveToExclusive() {
        for (int i = 1; i <= 3; i++) {
            append(usage("acme", "req-" + i));
            pause(5);
        }
        List<Instant> at = read("acme", Instant.EPOCH, FAR_FUTURE).stream().map(UsageRecord::at).toList();
        assertThat(at).hasSize(3).isSorted().doesNotHaveDuplicates();

        assertThat(ids(read("acme", at.get(1), at.get(2)))).containsExactly("req-2");
        assertThat(ids(read("acme", at.get(0), at.get(1)))).containsExactly("req-1");
        assertThat(ids(read("acme", at.get(1), at.get(2).plusNanos(1)))).containsExactly("req-2", "req-3");
        assertThat(ids(read("acme", at.get(0).plusNanos(1), FAR_FUTURE))).containsExactly("req-2", "req-3");
        assertThat(read("acme", at.get(2), at.get(2))).isEmpty();
        assertThat(read("acme", at.get(2).plusSeconds(1), FAR_FUTURE)).isEmpty();
    }

    @Test
    void keepsTenantsApart() {
        append(usage("acme", "req-a"));
        append(usage("globex", "req-g"));

        assertThat(ids(read("acme", Instant.EPOCH, FAR_FUTURE))).containsExactly("req-a");
        assertThat(ids(read("globex", Instant.EPOCH, FAR_FUTURE))).containsExactly("req-g");
        assertThat(read("initech", Instant.EPOCH, FAR_FUTURE)).isEmpty();
    }

    static UsageRecord usage(String tenant, String requestId) {
        return new UsageRecord(Instant.now(), requestId, tenant, "key000000001", "sim-llama", "sim#0", 10, 5, false,
                42, 200);
    }

    static UsageRecord withoutAt(UsageRecord r) {
        return new UsageRecord(Instant.EPOCH, r.requestId(), r.tenant(), r.keyId(), r.model(), r.backend(),
                r.promptTokens(), r.completionTokens(), r.estimated(), r.latencyMillis(), r.status());
    }

    static List<String> ids(List<UsageRecord> records) {
        return records.stream().map(UsageRecord::requestId).toList();
    }

    void append(UsageRecord record) {
        await(ledger.append(record));
    }

    List<UsageRecord> read(String tenant, Instant from, Instant to) {
        return await(ledger.read(tenant, from, to));
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

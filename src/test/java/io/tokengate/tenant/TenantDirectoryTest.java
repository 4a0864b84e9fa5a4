package io.tokengate.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The directory's caches stay bounded whatever callers ask for, and still serve what exists. */
class TenantDirectoryTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aFloodOfUnknownKeyIdsKeepsTheCacheBounded() {
        InMemoryTenantStore store = new InMemoryTenantStore();
        TenantDirectory directory = new TenantDirectory(store, Duration.ofMinutes(5), 10_000);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 1_000_000; i++) {
            String unknown = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            assertThat(directory.key(unknown).await().atMost(WAIT)).isEmpty();
        }
        assertThat(directory.cachedEntries()).isLessThanOrEqualTo(10_000);
    }
}

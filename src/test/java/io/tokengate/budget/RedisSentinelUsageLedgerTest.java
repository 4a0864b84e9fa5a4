package io.tokengate.budget;

import io.tokengate.testing.RedisFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The usage ledger contract against a real master found through a real Sentinel (one setup per class). */
class RedisSentinelUsageLedgerTest extends RedisUsageLedgerContract {
    @RegisterExtension
    static final RedisFixture REDIS = RedisFixture.sentinel();

    @Override
    RedisFixture redis() {
        return REDIS;
    }
}

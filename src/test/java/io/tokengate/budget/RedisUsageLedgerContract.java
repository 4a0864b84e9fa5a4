package io.tokengate.budget;

import io.tokengate.storage.RedisConnection;
import io.tokengate.testing.RedisFixture;

/** The usage ledger contract for the Redis ledger, whatever the topology: the subclass provides the fixture. */
abstract class RedisUsageLedgerContract extends UsageLedgerContract {

    /** The Redis topology of the subclass, started once per test class. */
    abstract RedisFixture redis();

    /** The client the ledger under test writes through. */
    RedisConnection connection() {
        return redis().replicas().first();
    }

    @Override
    UsageLedger newLedger() {
        redis().flushAll();
        return new RedisUsageLedger(connection());
    }
}

package io.tokengate.budget;

import io.tokengate.testing.RedisFixture;
import io.tokengate.testing.RedisReplicas;
import java.time.Duration;

/** The limit store contract for the Redis store, whatever the topology: the subclass provides the replicas. */
abstract class RedisLimitStoreContract extends LimitStoreContract {

    /** The Redis topology of the subclass, started once per test class. */
    abstract RedisFixture redis();

    /** The two replicas' clients. */
    RedisReplicas replicas() {
        return redis().replicas();
    }

    /** Empties Redis before each test. */
    void flush() {
        redis().flushAll();
    }

    @Override
    LimitStore newStore() {
        flush();
        return new RedisLimitStore(replicas().first(), LEASE);
    }

    @Override
    LimitStore replica() {
        return new RedisLimitStore(replicas().second(), LEASE);
    }

    @Override
    void elapse(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    long now() {
        return replicas().nowMillis();
    }
}

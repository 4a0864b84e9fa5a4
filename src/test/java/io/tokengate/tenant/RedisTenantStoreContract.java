package io.tokengate.tenant;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.testing.RedisFixture;
import io.tokengate.testing.RedisReplicas;

/**
 * The tenant store contract for the Redis store, whatever the topology: the subclass provides the replicas;
 * "another instance" is a store on the other replica's client, so change notifications cross pub/sub.
 */
abstract class RedisTenantStoreContract extends TenantStoreContract {

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
    TenantStore newStore() {
        flush();
        return new RedisTenantStore(replicas().first(), new ObjectMapper());
    }

    @Override
    TenantStore otherInstance() {
        return new RedisTenantStore(replicas().second(), new ObjectMapper());
    }
}

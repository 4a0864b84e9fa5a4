package io.tokengate.tenant;

import static io.tokengate.tenant.TenantStoreContract.await;
import static io.tokengate.tenant.TenantStoreContract.awaitSubscribed;
import static io.tokengate.tenant.TenantStoreContract.key;
import static io.tokengate.tenant.TenantStoreContract.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.storage.RedisConnection;
import io.tokengate.storage.RedisTopology;
import io.tokengate.testing.RedisFixture;
import io.tokengate.testing.RedisReplicas;
import io.tokengate.testing.TcpRelay;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A revocation published while a replica's pub/sub connection is down never reaches it; the replica must not go on
 * serving its cached copy of the key until the cache TTL. Replica A reaches a real Redis through a relay the test
 * cuts; replica B revokes the key meanwhile. The TTL here is an hour, so only the flush after A's reconnect can
 * explain A refusing the key within seconds.
 */
class ResubscribeFlushTest {
    @RegisterExtension
    static final RedisFixture REDIS = RedisFixture.standalone();
    private static final Duration RECONNECTED_WITHIN = Duration.ofSeconds(20);

    private Vertx vertx;
    private TcpRelay relay;
    private RedisConnection replicaA;

    @BeforeEach
    void relayedReplica() {
        REDIS.flushAll();
        vertx = Vertx.vertx();
        relay = TcpRelay.to(REDIS.server().port());
        replicaA = new RedisConnection(vertx, RedisTopology.standalone("redis://127.0.0.1:" + relay.port()),
                RedisReplicas.TIMEOUT);
    }

    @AfterEach
    void close() {
        replicaA.close();
        relay.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aKeyRevokedWhileThePubSubConnectionWasDownIsRefusedRightAfterTheReconnect() {
        TenantStore storeA = new RedisTenantStore(replicaA, new ObjectMapper());
        TenantStore storeB = new RedisTenantStore(REDIS.replicas().second(), new ObjectMapper());
        TenantDirectory directoryA = new TenantDirectory(storeA, Duration.ofHours(1), 1000);
        Queue<String> seenByA = new ConcurrentLinkedQueue<>();
        storeA.onChange(seenByA::add);
        awaitSubscribed(storeB, seenByA);
        await(storeB.create(tenant("acme", null)));
        await(storeB.createKey(key("key000000001", "acme")));
        assertThat(await(directoryA.key("key000000001"))).hasValueSatisfying(k -> assertThat(k.revokedAt()).isNull());

        relay.cut();
        assertThat(await(storeB.revokeKey("acme", "key000000001"))).isTrue();
        assertThat(await(directoryA.key("key000000001"))).as("served from A's cache while A is cut off")
                .hasValueSatisfying(k -> assertThat(k.revokedAt()).isNull());
        relay.restore();

        assertThat(revokedWithin(directoryA, RECONNECTED_WITHIN))
                .as("A sees the revocation after reconnecting, long before its one-hour cache TTL").isTrue();
        assertThat(seenByA).contains(TenantStore.ANYTHING_CHANGED);
    }

    /** Polls A's directory (every 50 ms) until it serves the key as revoked. */
    private static boolean revokedWithin(TenantDirectory directory, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ApiKeyRecord> found = directory.key("key000000001").onFailure().recoverWithItem(Optional.empty())
                    .await().atMost(within);
            if (found.map(k -> k.revokedAt() != null).orElse(false)) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        return false;
    }
}

package io.tokengate.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.storage.RedisConnection;
import io.tokengate.storage.RedisTopology;
import io.tokengate.testing.RedisReplicas;
import io.tokengate.testing.RedisServer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tenant store contract against a real Redis server (one per class), plus what only Redis has: the stored
 * layout, stale index entries, and outages. "Another instance" is a second store with its own connection.
 */
class RedisTenantStoreTest extends RedisTenantStoreContract {
    static RedisServer server;
    static RedisReplicas replicas;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        replicas = new RedisReplicas(RedisTopology.standalone(server.url()));
    }

    @AfterAll
    static void stopRedis() {
        replicas.close();
        server.close();
    }

    @Override
    RedisReplicas replicas() {
        return replicas;
    }

    @Test
    void storesTheDocumentedLayout() {
        await(store.create(tenant("acme", ACME_IDP)));
        await(store.createKey(key("key000000001", "acme")));

        String json = get("tg:{t:acme}:tenant");
        assertThat(json).contains("\"display_name\":\"Tenant acme\"").containsPattern("\"created_at\":\"\\d{4}-");
        assertThat(members("tg:tenants")).contains("acme");
        assertThat(members("tg:{t:acme}:keys")).contains("key000000001");
        assertThat(get("tg:key:key000000001")).contains("\"tenant_id\":\"acme\"").contains("\"secret_hash\"");
        assertThat(get(OidcIndex.key(ACME_IDP))).isEqualTo("acme");
        assertThat(OidcIndex.key(ACME_IDP)).matches("tg:oidc:[0-9a-f]{64}");
    }

    @Test
    void listsMoreTenantsThanOnePipeline() {
        int total = RedisConnection.MAX_BATCH + 100;
        for (int from = 0; from < total; from += 100) {
            int first = from;
            assertThat(concurrently(100, i -> store.create(tenant(String.format("t%05d", first + i), null))))
                    .containsOnlyNulls();
        }
        List<Tenant> all = await(store.tenants());
        assertThat(all).hasSize(total).extracting(Tenant::id).isSorted();
    }

    @Test
    void takesOverAStaleOidcIndexEntry() {
        await(replicas.first().send(Request.cmd(Command.SET).arg(OidcIndex.key(ACME_IDP)).arg("long-gone")));

        assertThat(await(store.tenantByIssuer(ACME_IDP.issuer(), ACME_IDP.audience()))).isEmpty();
        await(store.create(tenant("acme", ACME_IDP)));
        assertThat(await(store.tenantByIssuer(ACME_IDP.issuer(), ACME_IDP.audience()))).isPresent();
    }

    @Test
    void failsFastWhileRedisIsDownAndRecoversWithoutARestart() {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        otherInstance().onChange(seen::add);
        awaitSubscribed(store, seen);

        server.stop();
        assertThat(await(replicas.first().ping())).isFalse();
        assertUnavailableWithinTimeout(store.tenant("acme"));
        assertUnavailableWithinTimeout(store.create(tenant("acme", null)));
        assertUnavailableWithinTimeout(store.keys("acme"));

        server.restart();
        assertThat(await(replicas.first().ping())).isTrue();
        assertThat(await(store.tenant("acme"))).isEmpty();
        await(store.create(tenant("acme", null)));
        await(store.createKey(key("key000000001", "acme")));
        assertThat(await(store.revokeKey("acme", "key000000001"))).as("CAS script after a flushed script cache").isTrue();
        awaitSubscribed(store, seen);
        await(store.delete("acme"));
        assertArrives(seen, "tenant:acme");
    }

    @Test
    void timesOutWhileRedisHangsAndAnswersAgainAfterwards() {
        await(store.create(tenant("acme", null)));
        server.freeze();
        try {
            Duration took = assertUnavailableWithinTimeout(store.tenant("acme"));
            assertThat(took).isGreaterThanOrEqualTo(RedisReplicas.TIMEOUT.minusMillis(50));
            assertThat(await(replicas.first().ping())).isFalse();
        } finally {
            server.thaw();
        }
        assertThat(await(store.tenant("acme"))).isPresent();
    }

    private static Duration assertUnavailableWithinTimeout(io.smallrye.mutiny.Uni<?> call) {
        long started = System.nanoTime();
        assertThat(failure(call)).isInstanceOf(TenantStore.StoreUnavailable.class);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isLessThan(RedisReplicas.TIMEOUT.plusMillis(500));
        return took;
    }

    private static String get(String key) {
        return await(replicas.first().send(Request.cmd(Command.GET).arg(key))).toString();
    }

    private static List<String> members(String key) {
        return await(replicas.first().send(Request.cmd(Command.SMEMBERS).arg(key))).stream().map(Object::toString).toList();
    }
}

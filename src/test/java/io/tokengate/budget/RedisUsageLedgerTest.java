package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.tokengate.storage.RedisConnection;
import io.tokengate.tenant.TenantStore;
import io.tokengate.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The usage ledger contract against a real Redis server (one per class), plus paging, server time and outages. */
class RedisUsageLedgerTest extends UsageLedgerContract {
    static final Duration TIMEOUT = Duration.ofMillis(2000); // headroom for a loaded 2-core CI machine
    static RedisServer server;
    static Vertx vertx;
    static RedisConnection redis;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        vertx = Vertx.vertx();
        redis = new RedisConnection(vertx, server.url(), TIMEOUT);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        server.close();
    }

    @Override
    UsageLedger newLedger() {
        await(redis.send(Request.cmd(Command.FLUSHALL)));
        return new RedisUsageLedger(redis);
    }

    @Test
    void pagesThroughMoreRecordsThanOneReply() {
        int total = 2 * RedisUsageLedger.PAGE + 500;
        for (int from = 0; from < total; from += 250) {
            List<Uni<Void>> batch = IntStream.range(from, from + 250)
                    .mapToObj(i -> ledger.append(usage("acme", "req-" + i))).toList();
            await(Uni.join().all(batch).andFailFast());
        }

        List<UsageRecord> read = read("acme", Instant.EPOCH, FAR_FUTURE);
        assertThat(read).hasSize(total).extracting(UsageRecord::at).isSorted();
        assertThat(ids(read)).doesNotHaveDuplicates();
        assertThat(await(redis.send(Request.cmd(Command.XLEN).arg("tg:{t:acme}:usage"))).toInteger()).isEqualTo(total);
    }

    @Test
    void stampsRecordsWithTheServerClock() {
        Instant before = Instant.now().minusSeconds(1);
        append(new UsageRecord(Instant.EPOCH, "req-old-clock", "acme", "k", "m", "b", 1, 1, false, 1, 200));

        assertThat(read("acme", before, FAR_FUTURE)).singleElement()
                .satisfies(r -> assertThat(r.at()).isBetween(before, Instant.now().plusSeconds(1)));
    }

    @Test
    void failsFastWhileRedisIsDownAndRecovers() {
        server.stop();
        long started = System.nanoTime();
        assertThat(failure(ledger.append(usage("acme", "lost")))).isInstanceOf(TenantStore.StoreUnavailable.class);
        assertThat(failure(ledger.read("acme", Instant.EPOCH, FAR_FUTURE)))
                .isInstanceOf(TenantStore.StoreUnavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(2).plusMillis(500));

        server.restart();
        append(usage("acme", "kept"));
        assertThat(ids(read("acme", Instant.EPOCH, FAR_FUTURE))).containsExactly("kept");
    }

    private static Throwable failure(Uni<?> uni) {
        return uni.onItem().transform(item -> (Throwable) null).onFailure().recoverWithItem(error -> error)
                .await().atMost(WAIT);
    }
}

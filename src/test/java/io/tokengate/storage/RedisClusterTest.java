package io.tokengate.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.tokengate.storage.RedisConnection.Script;
import io.tokengate.storage.StoreUnavailable;
import io.tokengate.testing.RedisCluster;
import io.tokengate.testing.RedisServer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisConnection} in mode {@code cluster} against a real three-master Redis Cluster (one per class),
 * reached through a single seed node: routing by slot, batches over every slot, scripts, pub/sub across nodes,
 * and a master that restarts.
 */
class RedisClusterTest {
    static final Duration TIMEOUT = Duration.ofMillis(2000); // headroom for a loaded 2-core CI machine
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Script TWO_KEYS = Script.of("tg_test_two_keys_v1", """
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('SET', KEYS[2], ARGV[1])
            return redis.call('GET', KEYS[1])
            """);
    static RedisCluster cluster;
    static Vertx vertx;
    static RedisConnection redis;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
        vertx = Vertx.vertx();
        redis = new RedisConnection(vertx, RedisTopology.cluster(List.of(cluster.urls().get(0))), TIMEOUT);
    }

    @AfterAll
    static void stopCluster() {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        cluster.stop();
    }

    @BeforeEach
    void empty() {
        cluster.flushAll();
    }

    @Test
    void batchesCommandsOfEverySlotInOrder() {
        int total = 2 * RedisConnection.MAX_BATCH + 100;
        List<Request> sets = IntStream.range(0, total)
                .mapToObj(i -> Request.cmd(Command.SET).arg("k:" + i).arg("v" + i)).toList();
        assertThat(await(redis.batch(sets))).hasSize(total);

        List<Response> values = await(redis.batch(IntStream.range(0, total)
                .mapToObj(i -> Request.cmd(Command.GET).arg("k:" + i)).toList()));
        assertThat(values.stream().map(Response::toString).toList())
                .isEqualTo(IntStream.range(0, total).mapToObj(i -> "v" + i).toList());
        assertThat(cluster.nodes()).allSatisfy(node -> assertThat(RedisCluster.keysOn(node)).hasSizeGreaterThan(500));
    }

    @Test
    void runsScriptsOnTheMasterOfTheirSlot() {
        Map<RedisServer, String> tenantOn = new LinkedHashMap<>();
        for (int i = 0; tenantOn.size() < cluster.nodes().size(); i++) {
            tenantOn.putIfAbsent(cluster.nodeOf("tg:{t:tenant-" + i + "}:a"), "tenant-" + i);
        }
        for (int round = 0; round < 2; round++) { // EVAL (unknown to each node at first), then EVALSHA
            for (Map.Entry<RedisServer, String> entry : tenantOn.entrySet()) {
                List<String> keys = List.of("tg:{t:" + entry.getValue() + "}:a", "tg:{t:" + entry.getValue() + "}:b");
                assertThat(await(redis.eval(TWO_KEYS, keys, List.of("r" + round))).toString()).isEqualTo("r" + round);
                assertThat(RedisCluster.keysOn(entry.getKey())).containsAll(keys);
            }
        }
    }

    @Test
    void refusesAScriptOverTwoSlotsAndKeepsWorking() {
        assertThat(cluster.nodeOf("a")).isNotEqualTo(cluster.nodeOf("b"));
        Throwable refused = failure(redis.eval(TWO_KEYS, List.of("a", "b"), List.of("x")));
        assertThat(refused).isInstanceOf(StoreUnavailable.class).hasMessageContaining("CROSSSLOT");
        assertThat(await(redis.ping())).isTrue();
        assertThat(await(redis.eval(TWO_KEYS, List.of("{a}1", "{a}2"), List.of("x"))).toString()).isEqualTo("x");
    }

    @Test
    void subscribersHearWhatAnyNodePublishes() {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        redis.subscribe("tg:test", seen::add);
        awaitLive(seen, probe -> await(redis.send(Request.cmd(Command.PUBLISH).arg("tg:test").arg(probe))));

        for (RedisServer node : cluster.nodes()) {
            String message = "from-" + node.port();
            node.call("PUBLISH", "tg:test", message);
            assertArrives(seen, message);
        }
    }

    @Test
    void serveEventLoopsAndOtherThreadsAlike() {
        List<Context> loops = IntStream.range(0, 4).mapToObj(i -> (Context) newLoop()).toList();
        List<CompletableFuture<Response>> replies = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String key = "k:" + i;
            replies.add(onLoop(loops.get(i % loops.size()), () -> redis.send(Request.cmd(Command.SET).arg(key).arg(key))));
        }
        replies.forEach(CompletableFuture::join);
        List<Uni<Response>> reads = IntStream.range(0, 400)
                .mapToObj(i -> redis.send(Request.cmd(Command.GET).arg("k:" + i))).toList();
        assertThat(await(Uni.join().all(reads).andFailFast()).stream().map(Response::toString).toList())
                .isEqualTo(IntStream.range(0, 400).mapToObj(i -> "k:" + i).toList());
    }

    @Test
    void keepsServingTheOtherMastersWhileOneIsDownAndRecoversWhenItIsBack() {
        RedisServer victim = cluster.nodes().get(2);
        String lost = keyOn(victim);
        String kept = keyOn(cluster.nodes().get(0));
        Context loop = newLoop();
        join(onLoop(loop, () -> redis.send(Request.cmd(Command.SET).arg(lost).arg("before"))));
        join(onLoop(loop, () -> redis.send(Request.cmd(Command.SET).arg(kept).arg("before"))));

        victim.stop();
        try {
            long started = System.nanoTime();
            assertThat(failure(onLoop(loop, () -> redis.send(Request.cmd(Command.GET).arg(lost)))))
                    .isInstanceOf(StoreUnavailable.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.plusMillis(500));
            for (int i = 0; i < 5; i++) { // also while replacements of the connection fail
                assertThat(join(onLoop(loop, () -> redis.send(Request.cmd(Command.GET).arg(kept)))).toString())
                        .isEqualTo("before");
                pause(EventLoopConnections.RECONNECT_MILLIS);
            }
        } finally {
            victim.restart();
        }
        cluster.awaitReady();
        long deadline = System.nanoTime() + WAIT.toNanos();
        Response value = null;
        while (value == null && System.nanoTime() < deadline) {
            try {
                value = join(onLoop(loop, () -> redis.send(Request.cmd(Command.GET).arg(lost))));
            } catch (RuntimeException notYet) {
                pause(50);
            }
        }
        assertThat(value).as("the restarted master's key, read through the same event loop").isNotNull();
        assertThat(value.toString()).isEqualTo("before");
        assertThat(await(redis.send(Request.cmd(Command.GET).arg(lost))).toString()).isEqualTo("before");
    }

    private static String keyOn(RedisServer node) {
        for (int i = 0; ; i++) {
            if (cluster.nodeOf("key-" + i) == node) {
                return "key-" + i;
            }
        }
    }

    static void awaitLive(Queue<String> seen, java.util.function.Consumer<String> publish) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int i = 0; System.nanoTime() < deadline; i++) {
            String probe = "probe-" + i;
            publish.accept(probe);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
            while (System.nanoTime() < until) {
                if (seen.contains(probe)) {
                    seen.clear();
                    return;
                }
                pause(10);
            }
        }
        throw new AssertionError("the subscription never received a probe");
    }

    static void assertArrives(Queue<String> seen, String message) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!seen.contains(message) && System.nanoTime() < deadline) {
            pause(10);
        }
        assertThat(seen).as("'%s' within 2 s", message).contains(message);
    }

    /** A new context on the next event loop (round robin), like the one a request handler runs on. */
    static Context newLoop() {
        return ((VertxInternal) vertx).createEventLoopContext();
    }

    /** Runs {@code call} on {@code context} (an event loop), as a request handler would. */
    static <T> CompletableFuture<T> onLoop(Context context, Supplier<Uni<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(ignored -> call.get().subscribe().with(result::complete, result::completeExceptionally));
        return result;
    }

    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Throwable failure(CompletableFuture<?> future) {
        try {
            join(future);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    static Throwable failure(Uni<?> uni) {
        return uni.onItem().transform(item -> (Throwable) null).onFailure().recoverWithItem(error -> error)
                .await().atMost(WAIT);
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

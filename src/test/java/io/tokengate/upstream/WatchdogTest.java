package io.tokengate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.config.EndpointId;
import io.tokengate.config.EndpointSpec;
import io.tokengate.config.PoolSpec;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Which limit fires, and when, on a real Vert.x timer: idle while chunks flow (not only at the total deadline), the
 * client-stall limit alone while the client pauses, non-stream for plain answers. Limits: first token 300 ms, idle
 * 200 ms, total 5 s, non-stream 400 ms, client stall 600 ms.
 */
class WatchdogTest {
    private static final Vertx VERTX = Vertx.vertx();
    private static final PoolSpec POOL = new PoolSpec("p",
            List.of(new EndpointSpec(new EndpointId("p", 0), "http", "h", 8000, "", 1)), Optional.empty(), false, 8,
            Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofSeconds(5),
            Duration.ofMillis(400), Duration.ofMillis(600), PoolSpec.Balancer.LEAST_IN_FLIGHT,
            new PoolSpec.Affinity(64, 1.25), new PoolSpec.Breaker(0.5, 10, Duration.ofSeconds(5), 1),
            new PoolSpec.Retry(2, Duration.ofMillis(10), Duration.ofMillis(100), 0.2, 5),
            new PoolSpec.Health(false, "/health", Duration.ofSeconds(5), Duration.ofSeconds(1), 1, 2),
            new PoolSpec.Ejection(3, Duration.ofSeconds(10), Duration.ofSeconds(60), 50), Optional.empty(), true);

    @AfterAll
    static void close() {
        VERTX.close();
    }

    /** Starts a watchdog on an event loop; completes with the limit that fired and after how many ms. */
    private static Fired watch(boolean stream, Consumer<Watchdog> then) throws Exception {
        CompletableFuture<Fired> fired = new CompletableFuture<>();
        long start = System.nanoTime();
        Watchdog[] dog = new Watchdog[1];
        VERTX.runOnContext(v -> {
            dog[0] = new Watchdog(VERTX, POOL, stream,
                    () -> fired.complete(new Fired(dog[0].expired(), (System.nanoTime() - start) / 1_000_000)));
            then.accept(dog[0]);
        });
        return fired.get(10, TimeUnit.SECONDS);
    }

    private record Fired(Watchdog.Limit limit, long afterMs) {}

    @Test
    void aStreamWithoutAFirstChunkExpiresAtFirstToken() throws Exception {
        Fired fired = watch(true, dog -> { });
        assertThat(fired.limit()).isEqualTo(Watchdog.Limit.FIRST_TOKEN);
        assertThat(fired.afterMs()).isBetween(290L, 2000L);
    }

    @Test
    void aSilentStreamExpiresAtIdleLongBeforeTotal() throws Exception {
        Fired fired = watch(true, Watchdog::chunk);
        assertThat(fired.limit()).isEqualTo(Watchdog.Limit.IDLE);
        assertThat(fired.afterMs()).isBetween(190L, 2000L);
        assertThat(fired.limit().backendsFault()).isTrue();
    }

    @Test
    void whileTheClientPausesOnlyTheClientStallLimitRuns() throws Exception {
        Fired fired = watch(true, dog -> {
            dog.chunk();
            dog.pause();
        });
        assertThat(fired.limit()).isEqualTo(Watchdog.Limit.CLIENT_STALL);
        assertThat(fired.afterMs()).as("not the 200 ms idle").isBetween(590L, 3000L);
        assertThat(fired.limit().backendsFault()).isFalse();
    }

    @Test
    void aPlainAnswerHasTheNonStreamLimitOnlyAndItIsNotTheBackendsFault() throws Exception {
        Fired fired = watch(false, dog -> { });
        assertThat(fired.limit()).isEqualTo(Watchdog.Limit.NON_STREAM);
        assertThat(fired.afterMs()).as("not the 300 ms first token").isBetween(390L, 3000L);
        assertThat(fired.limit().backendsFault()).isFalse();
    }
}

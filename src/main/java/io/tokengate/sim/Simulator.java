package io.tokengate.sim;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The built-in inference simulator: an OpenAI-compatible HTTP server that behaves like vLLM (chat and text
 * completions, streamed or not, embeddings, models) with configurable latencies and injectable faults, plus its
 * own {@code /sim/*} control endpoints. Plain Vert.x: the server runs on several event loops of the given Vertx.
 *
 * <p>The instance-wide controls (fail next N, fail all, hang all, asleep/wake, failing health checks, latencies) are
 * available both here and through {@code PUT /sim/config}, {@code POST /sim/wake} and {@code POST /sim/sleep} (see
 * {@link ControlHandler}); all methods are thread-safe and take effect for the requests that arrive afterwards.
 * {@link #reset()} turns them all off again.
 */
public final class Simulator {

    /** Negative ports make Vert.x share one free port among the servers of one simulator; one key per simulator. */
    private static final AtomicInteger SHARED_FREE_PORT = new AtomicInteger(-1);

    private final Vertx vertx;
    private final SimState state;
    private final String baseUrl;
    private final int port;
    private final String deploymentId;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Simulator(Vertx vertx, SimState state, String host, int port, String deploymentId) {
        this.vertx = vertx;
        this.state = state;
        this.port = port;
        this.deploymentId = deploymentId;
        this.baseUrl = "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Starts on {@code min(available processors, 4)} event loops; completes once the port is bound. */
    public static Future<Simulator> start(Vertx vertx, SimulatorSettings settings) {
        return start(vertx, settings, Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4)));
    }

    /** Starts with one server instance on each of {@code eventLoops} event loops, all on the same port. */
    public static Future<Simulator> start(Vertx vertx, SimulatorSettings settings, int eventLoops) {
        SimState state = new SimState(vertx, settings);
        SimRouter router = new SimRouter(vertx, state);
        int listenPort = settings.port() == 0 ? SHARED_FREE_PORT.getAndDecrement() : settings.port();
        AtomicInteger bound = new AtomicInteger();
        DeploymentOptions options = new DeploymentOptions().setInstances(Math.max(1, eventLoops));
        return vertx.deployVerticle(() -> new SimServerVerticle(router, settings.host(), listenPort, bound::set), options)
                .map(id -> new Simulator(vertx, state, settings.host(), bound.get(), id));
    }

    /** The bound port. */
    public int port() {
        return port;
    }

    /** {@code http://<host>:<port>}, without the {@code /v1} suffix. */
    public String baseUrl() {
        return baseUrl;
    }

    public SimulatorStats stats() {
        return state.counters().snapshot();
    }

    /** Content tokens written to streams so far (all streams together). */
    public long streamedTokens() {
        return state.counters().streamedTokens();
    }

    /**
     * Zeroes the counters (not the {@link #inFlight()} gauge), restores the start settings, turns every
     * instance-wide fault off, goes back to sleep if it started asleep (else is ready at once), empties the prefix
     * cache and forgets the last request.
     */
    public void reset() {
        state.reset();
    }

    /** {@code /v1} POST requests received (as in {@link #stats()}). */
    public long requests() {
        return state.counters().requests();
    }

    /** {@code /v1} POST requests received and not yet answered (or aborted); a gauge, untouched by reset. */
    public long inFlight() {
        return state.counters().inFlight();
    }

    /** Wake calls ({@code POST|GET /sim/wake} and {@link #wake()}), including those that changed nothing. */
    public long wakes() {
        return state.counters().wakes();
    }

    /** {@code GET /health} requests received. */
    public long healthChecks() {
        return state.counters().healthChecks();
    }

    /** Chat and text completion requests looked up in the prefix cache (every valid one that got to the model). */
    public long prefixCacheQueries() {
        return state.counters().prefixCacheQueries();
    }

    /** Lookups whose first 64-byte prompt block was cached already. */
    public long prefixCacheHits() {
        return state.counters().prefixCacheHits();
    }

    /** Leading prompt blocks found cached, summed over all lookups. */
    public long prefixCacheHitBlocks() {
        return state.counters().prefixCacheHitBlocks();
    }

    /** The live settings ({@code PUT /sim/config} and the setters change them, {@link #reset()} restores them). */
    public SimulatorSettings settings() {
        return state.settings();
    }

    /** Changes the live latencies; a non-streaming answer waits {@code ttft + tokens * itl}. */
    public void setLatencies(Duration ttft, Duration itl) {
        SimulatorSettings checked = state.settings().withLatencies(ttft, itl); // validates before the update
        state.update(s -> s.withLatencies(checked.timeToFirstToken(), checked.interTokenLatency()));
    }

    /** Changes the live default completion length. */
    public void setOutputTokens(int outputTokens) {
        state.settings().withOutputTokens(outputTokens);
        state.update(s -> s.withOutputTokens(outputTokens));
    }

    /** Changes how long a wake takes from the next wake on. */
    public void setWakeDelay(Duration wakeDelay) {
        state.settings().withWakeDelay(wakeDelay);
        state.update(s -> s.withWakeDelay(wakeDelay));
    }

    /**
     * The next {@code n} {@code /v1} POSTs answer {@code status} with an OpenAI-format error, then answers are
     * normal again; {@code n = 0} cancels. Replaces a countdown still running.
     *
     * @throws IllegalArgumentException when {@code n < 0} or {@code status} is not within [200, 599]
     */
    public void failNext(int n, int status) {
        failNext(n, status, -1);
    }

    /** As {@link #failNext(int, int)}, with a {@code Retry-After: retryAfterSeconds} header (none when negative). */
    public void failNext(int n, int status, int retryAfterSeconds) {
        state.faults().failNext(n, status, retryAfterSeconds);
    }

    /** The failures of the {@link #failNext(int, int)} countdown still to come. */
    public int failNextRemaining() {
        return state.faults().failNextRemaining();
    }

    /**
     * Every {@code /v1} request (GET included) answers {@code status} with an OpenAI-format error until
     * {@code failAll(0)}.
     *
     * @throws IllegalArgumentException when {@code status} is neither 0 nor within [200, 599]
     */
    public void failAll(int status) {
        failAll(status, -1);
    }

    /** As {@link #failAll(int)}, with a {@code Retry-After: retryAfterSeconds} header (none when negative). */
    public void failAll(int status, int retryAfterSeconds) {
        state.faults().failAll(status, retryAfterSeconds);
    }

    /** Every answer is cut after {@code chunks} content chunks, as the per-request {@code cut_after}; -1 stops. */
    public void cutAll(int chunks) {
        state.faults().cutAll(chunks);
    }

    /**
     * At most {@code max} generations at once (like vLLM's {@code max-num-seqs}); the rest queue, so latency grows
     * with load. 0: unbounded (the default).
     */
    public void setMaxConcurrency(int max) {
        state.slots().max(max);
    }

    /** While true, {@code /v1} requests get no answer until their caller goes away. */
    public void hangAll(boolean hang) {
        state.faults().hangAll(hang);
    }

    /** While true, {@code GET /health} answers 503 although {@code /v1} still works. */
    public void failHealth(boolean fail) {
        state.faults().failHealth(fail);
    }

    /**
     * Falls asleep at once (scaled to zero): {@code /v1} and {@code /health} answer 503
     * {@code model_not_loaded} until a {@link #wake()} and its wake delay. A wake in progress is forgotten.
     */
    public void sleep() {
        state.readiness().sleep();
    }

    /**
     * Counts a wake ({@link #wakes()}); when asleep, starts waking and is ready after the wake delay (at once when
     * zero). Changes nothing while already waking or ready.
     */
    public void wake() {
        state.wake();
    }

    /** Awake and done waking: {@code /health} answers 200 (unless {@link #failHealth(boolean)}). */
    public boolean isReady() {
        return state.readiness().ready();
    }

    /** Asleep and not yet waking. */
    public boolean isAsleep() {
        return state.readiness().phase() == SimReadiness.Phase.ASLEEP;
    }

    /** Stops listening; requests in flight are cut. Idempotent. */
    public Future<Void> close() {
        if (!closed.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        return vertx.undeploy(deploymentId);
    }
}

package io.tokengate.sim;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The built-in inference simulator: an OpenAI-compatible HTTP server that behaves like vLLM (chat and text
 * completions, streamed or not, embeddings, models) with configurable latencies and injectable faults, plus its
 * own {@code /sim/*} control endpoints. Plain Vert.x: the server runs on several event loops of the given Vertx.
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
        SimState state = new SimState(settings);
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

    /** Zeroes the counters, restores the start settings and forgets the last request. */
    public void reset() {
        state.reset();
    }

    /** Stops listening; requests in flight are cut. Idempotent. */
    public Future<Void> close() {
        if (!closed.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        return vertx.undeploy(deploymentId);
    }
}

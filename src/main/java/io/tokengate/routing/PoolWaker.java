package io.tokengate.routing;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.tokengate.config.PoolSpec;
import io.tokengate.config.SecretResolver;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Wakes pools scaled to zero. The first request that finds a pool with no available endpoint fires the pool's
 * wake action (one HTTP call); it and later requests wait in a bounded per-pool queue until an endpoint turns
 * healthy (the health prober checks a waking pool every 500 ms) or the pool's deadline passes. A full queue or a
 * passed deadline answers 503 {@code no_healthy_backend} with {@code Retry-After}.
 */
@Singleton
public class PoolWaker {
    private static final Logger LOG = Logger.getLogger(PoolWaker.class);
    private static final long POLL_MS = 50;
    private final Vertx vertx;
    private final Backends backends;
    private final Map<String, Cold> cold = new ConcurrentHashMap<>();
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    private volatile Consumer<String> onWake = pool -> { };

    @Inject
    public PoolWaker(Vertx vertx, Backends backends) {
        this.vertx = vertx;
        this.backends = backends;
    }

    /** A pool being woken, and how many requests wait for it, in all and by tenant. */
    private static final class Cold {
        int waiting;
        final Map<String, Integer> waitingByTenant = new HashMap<>();
        long wokenAtNanos;
        boolean waking;
    }

    /** Called with the pool's name each time a wake is fired (the health prober then probes it at once). */
    public void onWake(Consumer<String> listener) {
        this.onWake = listener;
    }

    /** True while a wake of {@code pool} is under way (the prober then checks it often). */
    public boolean waking(String pool) {
        Cold c = cold.get(pool);
        synchronized (this) {
            return c != null && c.waking;
        }
    }

    /** How many requests wait for {@code pool} to wake now (tests poll it instead of sleeping). */
    public synchronized int waiting(String pool) {
        Cold c = cold.get(pool);
        return c == null ? 0 : c.waiting;
    }

    /** How many of {@code tenant}'s requests wait for {@code pool} to wake now. */
    public synchronized int waiting(String pool, String tenant) {
        Cold c = cold.get(pool);
        return c == null ? 0 : c.waitingByTenant.getOrDefault(tenant, 0);
    }

    /** Wakes {@code pool} without waiting for it (a fallback pool serves meanwhile); once per cold episode. */
    void nudge(PoolSpec pool) {
        wakeOnce(pool, System.nanoTime());
    }

    /** Fires the pool's wake action unless a wake is under way (one older than the deadline counts as lost). */
    private void wakeOnce(PoolSpec pool, long now) {
        PoolSpec.Wake wake = pool.wake().orElseThrow();
        synchronized (this) {
            Cold c = cold.computeIfAbsent(pool.name(), k -> new Cold());
            if (c.waking && now - c.wokenAtNanos <= wake.deadline().toNanos()) {
                return;
            }
            c.waking = true;
            c.wokenAtNanos = now;
        }
        fire(pool, wake);
        onWake.accept(pool.name());
    }

    /** The prober saw {@code pool} healthy again: its wake is over. */
    public synchronized void settled(String pool) {
        Cold c = cold.get(pool);
        if (c != null) {
            c.waking = false;
        }
    }

    /** Waits (in the pool's bounded queue, within {@code tenant}'s share of it) until {@code pool} is ready. */
    Uni<Void> await(String model, PoolSpec pool, String tenant) {
        PoolSpec.Wake wake = pool.wake().orElseThrow();
        long start = System.nanoTime();
        synchronized (this) {
            Cold c = cold.computeIfAbsent(pool.name(), k -> new Cold());
            if (c.waiting >= wake.queueSize()) {
                backends.metrics().queueWait(pool.name(), "queue_full", Duration.ZERO);
                return Uni.createFrom().failure(unavailable(model, "cold start queue full", wake));
            }
            if (c.waitingByTenant.getOrDefault(tenant, 0) >= wake.queueSizePerTenant()) {
                backends.metrics().queueWait(pool.name(), "tenant_share_full", Duration.ZERO);
                return Uni.createFrom().failure(unavailable(model, "this tenant's share of the cold start queue is full",
                        wake));
            }
            c.waiting++;
            c.waitingByTenant.merge(tenant, 1, Integer::sum);
        }
        wakeOnce(pool, start);
        return Uni.createFrom().<Void>emitter(emitter -> poll(model, pool, wake, start, emitter))
                .eventually(() -> left(pool, tenant));
    }

    private void poll(String model, PoolSpec pool, PoolSpec.Wake wake, long start, UniEmitter<? super Void> emitter) {
        long[] timer = new long[1];
        timer[0] = vertx.setPeriodic(POLL_MS, POLL_MS, id -> {
            long now = System.nanoTime();
            if (backends.ready(pool)) {
                vertx.cancelTimer(id);
                synchronized (this) {
                    cold.get(pool.name()).waking = false;
                }
                backends.metrics().queueWait(pool.name(), "ready", Duration.ofNanos(now - start));
                emitter.complete(null);
            } else if (now - start >= wake.deadline().toNanos()) {
                vertx.cancelTimer(id);
                backends.metrics().queueWait(pool.name(), "deadline", Duration.ofNanos(now - start));
                emitter.fail(unavailable(model, "cold start deadline passed", wake));
            }
        });
        emitter.onTermination(() -> vertx.cancelTimer(timer[0]));
    }

    private synchronized void left(PoolSpec pool, String tenant) {
        Cold c = cold.get(pool.name());
        c.waiting--;
        c.waitingByTenant.computeIfPresent(tenant, (t, n) -> n > 1 ? n - 1 : null);
    }

    private static GatewayFailure unavailable(String model, String reason, PoolSpec.Wake wake) {
        long retryAfter = Math.max(1, Math.min(30, wake.deadline().toSeconds() / 10));
        return new GatewayFailure(new GatewayError.NoHealthyBackend(model, reason, retryAfter));
    }

    private void fire(PoolSpec pool, PoolSpec.Wake wake) {
        RequestOptions options;
        try {
            options = new RequestOptions().setAbsoluteURI(wake.url()).setMethod(HttpMethod.valueOf(wake.method()))
                    .setTimeout(wake.deadline().toMillis()).putHeader("content-type", wake.contentType());
            wake.tokenRef().ifPresent(ref -> options.putHeader("authorization",
                    "Bearer " + SecretResolver.resolveFromEnvironment("tokengate.pools." + pool.name() + ".wake.token-ref", ref)));
        } catch (RuntimeException e) {
            LOG.warnf("wake of pool %s not sent: %s", pool.name(), e.getMessage());
            backends.metrics().wake(pool.name(), "error");
            return;
        }
        Buffer body = Buffer.buffer(wake.body().orElse(""));
        client(pool, wake).request(options)
                .compose(req -> wake.body().isPresent() ? req.send(body) : req.send())
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    // A Knative activator holds the call until the service is up; a scale PATCH answers at once.
                    String outcome = ar.succeeded() && ar.result() < 400 ? "sent" : "error";
                    backends.metrics().wake(pool.name(), outcome);
                    if (outcome.equals("error")) {
                        LOG.warnf("wake of pool %s failed: %s", pool.name(),
                                ar.succeeded() ? "HTTP " + ar.result() : ar.cause().toString());
                    } else {
                        LOG.infof("woke pool %s (HTTP %d)", pool.name(), ar.result());
                    }
                });
    }

    private HttpClient client(PoolSpec pool, PoolSpec.Wake wake) {
        return clients.computeIfAbsent(pool.name(), name -> {
            HttpClientOptions options = new HttpClientOptions().setName("tokengate-wake-" + name).setConnectTimeout(5000)
                    .setTracingPolicy(TracingPolicy.IGNORE);
            wake.caFile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca)));
            return vertx.createHttpClient(options);
        });
    }

    void close(@Observes ShutdownEvent event) {
        clients.values().forEach(HttpClient::close);
    }
}

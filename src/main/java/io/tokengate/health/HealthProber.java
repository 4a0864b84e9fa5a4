package io.tokengate.health;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tokengate.config.PoolSpec;
import io.tokengate.routing.Backend;
import io.tokengate.routing.Backends;
import io.tokengate.routing.PoolWaker;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Active health checks: each endpoint of a pool with checks enabled gets {@code GET <health.path>} every
 * {@code health.interval} (every 500 ms while its pool is being woken); 2xx is a success, anything else or no
 * answer within {@code health.timeout} a failure. Thresholds turn successes and failures into the endpoint's
 * health, which routing honours. The first probe runs at start.
 */
@Singleton
public class HealthProber {
    private static final Logger LOG = Logger.getLogger(HealthProber.class);
    private static final long WAKING_INTERVAL_MS = 500;
    private final Vertx vertx;
    private final Backends backends;
    private final PoolWaker waker;
    private final Map<Backend, Long> timers = new ConcurrentHashMap<>();
    private HttpClient client;
    private volatile boolean stopped;

    @Inject
    public HealthProber(Vertx vertx, Backends backends, PoolWaker waker) {
        this.vertx = vertx;
        this.backends = backends;
        this.waker = waker;
    }

    void start(@Observes StartupEvent event) {
        client = vertx.createHttpClient(new HttpClientOptions().setName("tokengate-health").setKeepAlive(true)
                .setTracingPolicy(TracingPolicy.IGNORE)
                .setConnectTimeout(2000));
        for (Backend b : backends.all()) {
            if (b.pool().health().enabled()) {
                vertx.runOnContext(v -> probe(b));
            }
        }
        waker.onWake(this::probeSoon);
    }

    /** A wake was fired: probe the pool's endpoints now instead of at their next interval. */
    private void probeSoon(String pool) {
        for (Backend b : backends.pool(pool)) {
            Long timer = timers.remove(b);
            if (timer != null && vertx.cancelTimer(timer)) {
                vertx.runOnContext(v -> probe(b));
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (client != null) {
            client.close();
        }
    }

    private void probe(Backend b) {
        if (stopped) {
            return;
        }
        PoolSpec.Health health = b.pool().health();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(b.endpoint().host())
                .setPort(b.endpoint().port()).setSsl(b.endpoint().ssl()).setURI(b.endpoint().basePath() + health.path())
                .setTimeout(health.timeout().toMillis()).setConnectTimeout(health.timeout().toMillis());
        b.pool().authorization().ifPresent(value -> options.putHeader("authorization", value));
        client.request(options).compose(req -> req.send()).compose(resp -> resp.body().map(body -> resp.statusCode()))
                .onComplete(ar -> {
                    boolean ok = ar.succeeded() && ar.result() / 100 == 2;
                    boolean first = !b.probed();
                    if (b.probe(ok) && !(first && ok)) { // quiet when an endpoint is fine from the start
                        LOG.infof("endpoint %s is now %s", b.endpoint().id(), ok ? "healthy" : "unhealthy");
                    }
                    if (ok && b.healthy()) {
                        waker.settled(b.pool().name());
                    }
                    long next = waker.waking(b.pool().name())
                            ? Math.min(WAKING_INTERVAL_MS, health.interval().toMillis()) : health.interval().toMillis();
                    if (!stopped) {
                        timers.put(b, vertx.setTimer(next, id -> {
                            timers.remove(b);
                            probe(b);
                        }));
                    }
                });
    }
}

package io.tokengate.upstream;

import io.quarkus.runtime.ShutdownEvent;
import io.tokengate.config.PoolSpec;
import io.tokengate.config.RouteTable;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Pooled keep-alive Vert.x HTTP clients, one per pool and per event loop: a request then always uses connections
 * owned by its own event loop, so relaying never hops threads (the shared pool hands out the most recently
 * used connection, whatever its event loop, which cost two thread wake-ups per request).
 * {@code max-connections} is therefore per pool and event loop.
 */
@Singleton
class UpstreamClients {
    private final Vertx vertx;
    private final RouteTable routes;
    private final ThreadLocal<Map<String, HttpClient>> perEventLoop = ThreadLocal.withInitial(this::createAll);
    private final List<HttpClient> all = new CopyOnWriteArrayList<>();

    @Inject
    UpstreamClients(Vertx vertx, RouteTable routes) {
        this.vertx = vertx;
        this.routes = routes;
    }

    HttpClient forPool(PoolSpec pool) {
        return perEventLoop.get().get(pool.name());
    }

    void close(@Observes ShutdownEvent event) {
        all.forEach(HttpClient::close);
    }

    private Map<String, HttpClient> createAll() {
        Map<String, HttpClient> clients = new HashMap<>();
        routes.pools().values().forEach(pool -> clients.put(pool.name(), create(pool)));
        all.addAll(clients.values());
        return clients;
    }

    private HttpClient create(PoolSpec pool) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) pool.connectTimeout().toMillis())
                .setDecompressionSupported(false)
                .setName("tokengate-" + pool.name())
                .setTracingPolicy(TracingPolicy.IGNORE); // the dispatch span propagates itself
        if (pool.h2c()) {
            options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(true)
                    .setHttp2ClearTextUpgradeWithPreflightRequest(true);
        }
        PoolOptions poolOptions = new PoolOptions().setHttp1MaxSize(pool.maxConnections())
                .setHttp2MaxSize(Math.max(1, pool.maxConnections() / 64));
        return vertx.createHttpClient(options, poolOptions);
    }
}

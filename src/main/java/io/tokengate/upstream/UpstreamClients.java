package io.tokengate.upstream;

import io.tokengate.config.PoolSpec;
import io.tokengate.config.RouteTable;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;

/** One pooled keep-alive Vert.x HTTP client per pool, built once at start. */
@Singleton
class UpstreamClients {
    private final Map<String, HttpClient> clients = new HashMap<>();

    @Inject
    UpstreamClients(Vertx vertx, RouteTable routes) {
        routes.pools().values().forEach(pool -> clients.put(pool.name(), create(vertx, pool)));
    }

    HttpClient forPool(PoolSpec pool) {
        return clients.get(pool.name());
    }

    private static HttpClient create(Vertx vertx, PoolSpec pool) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) pool.connectTimeout().toMillis())
                .setDecompressionSupported(false)
                .setName("tokengate-" + pool.name());
        if (pool.h2c()) {
            options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(true)
                    .setHttp2ClearTextUpgradeWithPreflightRequest(true);
        }
        PoolOptions poolOptions = new PoolOptions().setHttp1MaxSize(pool.maxConnections())
                .setHttp2MaxSize(Math.max(1, pool.maxConnections() / 64));
        return vertx.createHttpClient(options, poolOptions);
    }
}

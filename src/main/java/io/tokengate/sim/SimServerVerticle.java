package io.tokengate.sim;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.IntConsumer;

/**
 * One HTTP server on its own event loop. Several instances listen on the same port and Vert.x spreads the
 * connections between them; a negative port makes them share one free port picked at bind time.
 */
final class SimServerVerticle extends AbstractVerticle {

    private final Handler<HttpServerRequest> router;
    private final String host;
    private final int port;
    private final IntConsumer bound;

    SimServerVerticle(Handler<HttpServerRequest> router, String host, int port, IntConsumer bound) {
        this.router = router;
        this.host = host;
        this.port = port;
        this.bound = bound;
    }

    @Override
    public void start(Promise<Void> started) {
        vertx.createHttpServer(options()).requestHandler(router).listen(port, host).onComplete(ar -> {
            if (ar.succeeded()) {
                bound.accept(ar.result().actualPort());
                started.complete();
            } else {
                started.fail(ar.cause());
            }
        });
    }

    private static HttpServerOptions options() {
        return new HttpServerOptions().setTcpNoDelay(true).setAcceptBacklog(4096).setCompressionSupported(false)
                .setHandle100ContinueAutomatically(true)
                .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(4096));
    }
}

package io.tokengate.relay;

import io.smallrye.mutiny.Uni;
import io.tokengate.ingress.Exchange;
import io.tokengate.protocol.ParsedRequest;
import io.tokengate.upstream.UpstreamResponse;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;

/**
 * Stage 7, Relay: sends the upstream answer to the client (a complete body, or an SSE stream event by event)
 * and reports what was delivered.
 */
@Singleton
public class ResponseRelay {

    public Uni<Outcome> relay(Exchange exchange, ParsedRequest request, UpstreamResponse upstream,
            TokenAllowance allowance) {
        if (upstream.streaming()) {
            return Uni.createFrom().emitter(emitter -> new StreamRelay(exchange, request, upstream, allowance, emitter).start());
        }
        return Uni.createFrom().item(() -> plain(exchange, upstream));
    }

    private static Outcome plain(Exchange exchange, UpstreamResponse upstream) {
        HttpServerResponse out = exchange.response();
        String type = upstream.headers().get("content-type");
        out.setStatusCode(upstream.status()).putHeader("content-type", type == null ? "application/json" : type);
        String retryAfter = upstream.headers().get("retry-after");
        if (retryAfter != null) {
            out.putHeader("retry-after", retryAfter);
        }
        if (!exchange.clientGone()) {
            out.end(upstream.head());
        }
        return new Outcome(exchange.clientGone() ? 499 : upstream.status(), upstream.usage(),
                exchange.clientGone() ? "client_closed_request" : upstream.status() >= 400 ? "upstream_" + upstream.status() : null,
                upstream.candidate().endpoint().id(), upstream.attempts(), System.nanoTime(),
                upstream.answeredNanos() - upstream.sentNanos(),
                upstream.status() == 200 ? io.tokengate.protocol.FinishReason.find(upstream.head().getBytes(), 0,
                        upstream.head().length()) : null);
    }
}

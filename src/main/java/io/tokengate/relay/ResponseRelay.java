package io.tokengate.relay;

import io.smallrye.mutiny.Uni;
import io.tokengate.request.CancelSignal;
import io.tokengate.request.FinishReason;
import io.tokengate.request.Outcome;
import io.tokengate.request.ParsedRequest;
import io.tokengate.request.TokenAllowance;
import io.tokengate.request.UpstreamResponse;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Stage 7, Relay: sends the upstream answer to the client (the rate-limit headers of the admission, then a complete
 * body, or an SSE stream event by event) and reports what was delivered.
 */
@Singleton
public class ResponseRelay {

    /**
     * Relays {@code upstream} to the client's response {@code out}; {@code client} tells when the client went
     * away. {@code allowance} bounds what a metered stream may deliver.
     */
    public Uni<Outcome> relay(ParsedRequest request, UpstreamResponse upstream, TokenAllowance allowance,
            Map<String, String> rateLimitHeaders, HttpServerResponse out, CancelSignal client) {
        rateLimitHeaders.forEach(out::putHeader);
        if (upstream.streaming()) {
            return Uni.createFrom().emitter(emitter ->
                    new StreamRelay(out, client, request, upstream, allowance, emitter).start());
        }
        return Uni.createFrom().item(() -> plain(out, client, request, upstream));
    }

    private static Outcome plain(HttpServerResponse out, CancelSignal client, ParsedRequest request,
            UpstreamResponse upstream) {
        String type = upstream.headers().get("content-type");
        out.setStatusCode(upstream.status()).putHeader("content-type", type == null ? "application/json" : type);
        String retryAfter = upstream.headers().get("retry-after");
        if (retryAfter != null) {
            out.putHeader("retry-after", retryAfter);
        }
        if (!client.cancelled()) {
            out.end(upstream.head());
        }
        boolean gone = client.cancelled();
        return Outcome.status(gone ? 499 : upstream.status())
                .errorCode(gone ? "client_closed_request" : upstream.status() >= 400 ? "upstream_" + upstream.status() : null)
                .request(request).usage(upstream.usage()).answeredBy(upstream.endpoint(), upstream.attempts())
                .firstByteNanos(System.nanoTime()).upstreamNanos(upstream.answeredNanos() - upstream.sentNanos())
                .finishReason(upstream.status() == 200
                        ? FinishReason.find(upstream.head().getBytes(), 0, upstream.head().length()) : null)
                .build();
    }
}

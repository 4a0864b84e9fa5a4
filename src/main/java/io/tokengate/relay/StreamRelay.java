package io.tokengate.relay;

import io.smallrye.mutiny.subscription.UniEmitter;
import io.tokengate.error.ErrorBody;
import io.tokengate.error.ErrorCatalog;
import io.tokengate.error.GatewayError;
import io.tokengate.request.CancelSignal;
import io.tokengate.request.Outcome;
import io.tokengate.request.ParsedRequest;
import io.tokengate.request.TokenAllowance;
import io.tokengate.request.UpstreamResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Relays one SSE stream event by event, flushed as they arrive, with back-pressure both ways: a slow client
 * pauses the backend (its idle timer too: the silence is the client's), a client that goes away cancels it. A
 * client that stays paused past {@code timeouts.client-stall} is cut off, as its own fault. A stream that breaks
 * ends with an SSE error event, never with a clean-looking end.
 */
final class StreamRelay {
    private static final Logger LOG = Logger.getLogger(StreamRelay.class);
    private final CancelSignal client;
    private final ParsedRequest request;
    private final UpstreamResponse upstream;
    private final UniEmitter<? super Outcome> emitter;
    private final SseDecoder decoder = new SseDecoder();
    private final StreamTap tap;
    private final HttpServerResponse out;
    private long firstByteNanos;
    private boolean done;
    private boolean budgetSpent;

    StreamRelay(HttpServerResponse out, CancelSignal client, ParsedRequest request, UpstreamResponse upstream,
            TokenAllowance allowance, UniEmitter<? super Outcome> emitter) {
        this.client = client;
        this.request = request;
        this.upstream = upstream;
        this.emitter = emitter;
        this.tap = new StreamTap(!request.clientWantsUsage(), allowance, request.estimatedPromptTokens());
        this.out = out;
    }

    void start() {
        out.setStatusCode(200).setChunked(true)
                .putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        client.onCancel(this::clientGone);
        HttpClientResponse rest = upstream.rest();
        rest.handler(this::chunk);
        rest.exceptionHandler(this::broken);
        rest.endHandler(v -> ended());
        chunk(upstream.head());
        if (!done) {
            rest.resume();
        }
    }

    private void chunk(Buffer chunk) {
        if (done) {
            return;
        }
        upstream.link().chunkArrived();
        Buffer forward = filter(chunk);
        if (forward.length() > 0) {
            out.write(forward);
            if (firstByteNanos == 0) {
                firstByteNanos = System.nanoTime();
            }
        }
        if (budgetSpent) {
            fail(new GatewayError.RateLimited(request.caller().tenant(), "token budget", true, 60, Map.of()));
        } else if (out.writeQueueFull()) {
            upstream.rest().pause();
            upstream.link().clientPaused();
            out.drainHandler(v -> {
                upstream.link().clientResumed();
                upstream.rest().resume();
            });
        }
    }

    /** The events of {@code chunk} the client should see; the chunk itself when nothing changes. */
    private Buffer filter(Buffer chunk) {
        boolean hadPending = decoder.hasPartialEvent();
        Filtered filtered = new Filtered();
        byte[] data = decoder.feed(chunk, filtered::event);
        if (filtered.copy != null) {
            return filtered.copy;
        }
        if (!hadPending && !decoder.hasPartialEvent()) {
            return chunk; // the common case: whole events, all forwarded, no copy
        }
        return Buffer.buffer().appendBytes(data, 0, filtered.forwardedEnd);
    }

    /** Builds a copy only once an event must be hidden or changed. */
    private final class Filtered {
        Buffer copy;
        int forwardedEnd;

        void event(byte[] d, int start, int end) {
            StreamTap.Verdict verdict = budgetSpent ? StreamTap.Verdict.STOP_BUDGET : tap.inspect(d, start, end);
            budgetSpent |= verdict == StreamTap.Verdict.STOP_BUDGET;
            if (verdict == StreamTap.Verdict.FORWARD && copy == null) {
                forwardedEnd = end;
                return;
            }
            if (copy == null) {
                copy = Buffer.buffer(end).appendBytes(d, 0, forwardedEnd);
            }
            switch (verdict) {
                case HIDE, STOP_BUDGET -> { }
                case STRIP_USAGE_NULL -> appendWithout(copy, d, start, end, StreamTap.USAGE_NULL);
                case FORWARD -> copy.appendBytes(d, start, end - start);
            }
        }
    }

    private static void appendWithout(Buffer target, byte[] d, int start, int end, byte[] pattern) {
        int at;
        while ((at = Bytes.indexOf(d, start, end, pattern)) >= 0) {
            target.appendBytes(d, start, at - start);
            start = at + pattern.length;
        }
        target.appendBytes(d, start, end - start);
    }

    private void ended() {
        if (tap.complete()) {
            finish(200, null);
        } else {
            upstream.link().broke();
            fail(new GatewayError.StreamInterrupted(backend(), "ended without [DONE]"));
        }
    }

    private void broken(Throwable cause) {
        if (done || client.cancelled()) {
            return;
        }
        if (upstream.link().clientStalled()) {
            clientStalled();
            return;
        }
        upstream.link().broke();
        String expired = upstream.link().expired();
        fail(expired != null ? new GatewayError.UpstreamTimedOut(backend(), expired)
                : new GatewayError.StreamInterrupted(backend(), String.valueOf(cause)));
    }

    private void fail(GatewayError error) {
        if (done) {
            return;
        }
        done = true; // first: cancelling the upstream fires its exception handler, which must find us done
        LOG.debugf("request %s: stream ended early: %s", out.headers().get("x-request-id"), error);
        ErrorBody body = ErrorCatalog.describe(error);
        upstream.link().cancel();
        out.write(body.toSseEvent());
        finish(200, body.code());
    }

    private void clientGone() {
        if (!done) {
            done = true; // first: the reset below fires the upstream's exception handler, which is not a backend fault
            upstream.link().cancel();
            complete(499, "client_closed_request");
        }
    }

    /** The client did not read for too long: close its connection (it reads nothing more anyway), its fault. */
    private void clientStalled() {
        done = true; // first: closing the connection fires the client-gone handler
        LOG.debugf("request %s: client stopped reading, cut off", out.headers().get("x-request-id"));
        upstream.link().cancel();
        out.reset();
        ErrorBody body = ErrorCatalog.describe(new GatewayError.ClientStalled());
        complete(body.status(), body.code());
    }

    private void finish(int status, String errorCode) {
        upstream.link().stopTimers();
        if (!out.ended() && !client.cancelled()) {
            out.end();
        }
        complete(status, errorCode);
    }

    private void complete(int status, String errorCode) {
        done = true;
        emitter.complete(Outcome.status(status).errorCode(errorCode).request(request)
                .usage(tap.usage(request.estimatedPromptTokens())).answeredBy(upstream.endpoint(), upstream.attempts())
                .firstByteNanos(firstByteNanos == 0 ? System.nanoTime() : firstByteNanos)
                .upstreamNanos(System.nanoTime() - upstream.sentNanos()).finishReason(tap.finishReason()).build());
    }

    private String backend() {
        return upstream.endpoint().toString();
    }
}

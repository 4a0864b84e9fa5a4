package io.tokengate.upstream;

import io.tokengate.protocol.Usage;
import io.tokengate.routing.Candidate;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/**
 * The output of stage 6, Dispatch: an upstream answer good enough to start relaying. A plain answer is complete
 * ({@code rest} is null, {@code usage} read from it); a stream holds its first bytes in {@code head} and the paused rest in {@code rest}.
 */
public record UpstreamResponse(Candidate candidate, int status, MultiMap headers, Buffer head, Usage usage,
        HttpClientResponse rest, HttpClientRequest request, Watchdog watchdog, int attempts, Runnable releaser, long sentNanos, long answeredNanos) {

    public boolean streaming() {
        return rest != null;
    }

    /** The exchange with the backend is over: frees its in-flight slot. Idempotent. */
    public void release() {
        releaser.run();
    }

    /** The stream broke after it started: counts against the endpoint (passive ejection). */
    public void broke() {
        candidate.backend().failed();
    }

    /** Stops upstream work at once (client gone): resets the request, which closes an HTTP/1.1 connection. */
    public void cancel() {
        watchdog.stop();
        request.reset();
    }
}

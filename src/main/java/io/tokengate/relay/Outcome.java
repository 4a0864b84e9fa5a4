package io.tokengate.relay;

import io.tokengate.protocol.Usage;

/**
 * The output of stage 7, Relay: what the client got. {@code status} is the HTTP status sent (499 when the
 * client went away), {@code errorCode} the catalogued code of a failure (null on success), and the usage
 * counts only what was delivered. {@code upstreamNanos} is the time the answering backend spent on it (from
 * sending the request to its last byte; 0 when no backend answered), so the rest is the gateway's own overhead.
 * {@code finishReason} is the backend's (first) {@code finish_reason}, null when none was seen.
 */
public record Outcome(int status, Usage usage, String errorCode, String endpoint, int attempts, long firstByteNanos,
        long upstreamNanos, String finishReason) {

    public Outcome(int status, Usage usage, String errorCode, String endpoint, int attempts, long firstByteNanos) {
        this(status, usage, errorCode, endpoint, attempts, firstByteNanos, 0, null);
    }
}

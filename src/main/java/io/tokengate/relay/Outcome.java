package io.tokengate.relay;

import io.tokengate.protocol.Usage;

/**
 * The output of stage 7, Relay: what the client got. {@code status} is the HTTP status sent (499 when the
 * client went away), {@code errorCode} the catalogued code of a failure (null on success), and the usage
 * counts only what was delivered.
 */
public record Outcome(int status, Usage usage, String errorCode, String endpoint, int attempts, long firstByteNanos) {}

package io.tokengate.request;

/**
 * A request as stage 1, Match, saw it arrive: the API operation (null for unmatched paths), its request id and the
 * {@link System#nanoTime()} it arrived at. Observability measures durations and names requests from this.
 */
public record Arrival(Operation operation, String requestId, long startNanos) {}

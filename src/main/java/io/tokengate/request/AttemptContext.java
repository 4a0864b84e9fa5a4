package io.tokengate.request;

import java.util.Map;

/**
 * What dispatch needs to know of the client side of one request, besides the parsed request and the plan: the
 * request id (sent upstream as {@code x-request-id}), the W3C trace headers of the dispatch span (empty when tracing
 * is off), and the signal that the client went away.
 */
public record AttemptContext(String requestId, Map<String, String> traceHeaders, CancelSignal cancel) {}

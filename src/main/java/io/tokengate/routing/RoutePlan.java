package io.tokengate.routing;

import java.util.List;

/**
 * The output of stage 5, Route: candidates in the order to try them (primary pool first, then fallbacks). Empty
 * when nothing can take the request; {@code retryAfterSeconds} then says when something may.
 */
public record RoutePlan(String model, List<Candidate> candidates, long retryAfterSeconds) {}

package io.tokengate.routing;

import java.util.List;

/** The output of stage 5, Route: candidates in the order to try them (primary pool first, then fallbacks). */
public record RoutePlan(String model, List<Candidate> candidates) {}

package io.tokengate.routing;

import io.tokengate.config.EndpointSpec;
import io.tokengate.config.PoolSpec;

/** One place a request may go: an endpoint of a pool, its live state, and the model name to send there. */
public record Candidate(PoolSpec pool, EndpointSpec endpoint, String upstreamModel, Backend backend) {}

package io.tokengate.config;

import java.util.List;

/** A client-facing model and the pools that serve it, primary first. */
public record ModelRoute(String name, String upstreamModel, List<PoolSpec> pools, String ownedBy) {}

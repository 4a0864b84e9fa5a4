package io.tokengate.config;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** The immutable runtime form of the configuration, compiled once at start. */
public record RouteTable(Map<String, ModelRoute> models, Map<String, PoolSpec> pools, long maxBodyBytes,
        int defaultMaxTokens, long createdEpochSeconds) {

    public Optional<ModelRoute> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public Collection<ModelRoute> allModels() {
        return models.values();
    }
}

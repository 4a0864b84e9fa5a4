package io.tokengate.config;

import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One model as clients see it. */
public interface ModelConfig {
    /** Ordered pool names: the first is primary, the rest are fallbacks. */
    List<String> pools();

    /** Model name sent upstream; defaults to the client-facing name. */
    Optional<String> upstreamModel();

    /**
     * Model name sent upstream per pool, for fallback pools that serve another model (e.g.
     * {@code upstream-models.backup=meta/llama-3.1-8b}); pools not named here use {@link #upstreamModel()}.
     */
    Map<String, String> upstreamModels();

    /** Owner shown in {@code /v1/models}. */
    @WithDefault("tokengate")
    String ownedBy();
}

package io.tokengate.config;

import io.smallrye.config.WithDefault;

/** Per-request metrics. */
public interface MetricsConfig {
    /**
     * Record the per-request metrics (GenAI token usage, durations, time to first token, gateway overhead,
     * request and admission counters) at {@code /q/metrics}. Routing gauges and counters stay on regardless.
     */
    @WithDefault("true")
    boolean enabled();
}

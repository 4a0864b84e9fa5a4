package io.tokengate.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Access log. */
public interface AccessLogConfig {
    /** Write one structured line per request to the {@code tokengate.access} logger. */
    @WithDefault("true")
    @WithName("enabled")
    boolean enabled();
}

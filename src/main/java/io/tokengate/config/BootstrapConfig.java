package io.tokengate.config;

import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Embedded-default demo data. */
public interface BootstrapConfig {
    /** Create a demo tenant and key at start and print the key once (never enable in production). */
    @WithDefault("false")
    boolean demoTenant();

    /** Use this key for the demo tenant instead of a random one (scripts, benchmarks). */
    Optional<String> demoKey();
}

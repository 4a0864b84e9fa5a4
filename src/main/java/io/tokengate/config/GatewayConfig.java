package io.tokengate.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/**
 * The whole tokengate configuration, prefix {@code tokengate}: one interface per capability beside this root
 * ({@link ModelConfig}, {@link PoolConfig}, {@link RequestLimits}, {@link StorageConfig}, {@link AuthConfig},
 * {@link AdminConfig}, {@link BootstrapConfig}, {@link SimulatorConfig}, {@link MetricsConfig},
 * {@link AccessLogConfig}). The Javadoc of each property is the configuration reference;
 * {@link RouteTableCompiler} validates it at start and names the offending key.
 */
@ConfigMapping(prefix = "tokengate")
public interface GatewayConfig {

    /** Models the gateway serves, by the name clients send in {@code model}. */
    Map<String, ModelConfig> models();

    /** Pools of upstream inference endpoints, by pool name. */
    Map<String, PoolConfig> pools();

    /** Request limits applied before any upstream work. */
    RequestLimits limits();

    /** The built-in inference simulator (an OpenAI-compatible backend on its own port). */
    SimulatorConfig simulator();

    /** Access log settings. */
    AccessLogConfig accessLog();

    /** Per-request metrics settings. */
    MetricsConfig metrics();

    /** Where shared state lives (tenants, keys, usage ledger, limits). */
    StorageConfig storage();

    /** Authentication of data-plane callers. */
    AuthConfig auth();

    /** The admin API. */
    AdminConfig admin();

    /** Demo data for the embedded default. */
    BootstrapConfig bootstrap();
}

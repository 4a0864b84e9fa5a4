package io.tokengate.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Built-in simulator. */
public interface SimulatorConfig {
    /** Start the simulator inside the gateway process. */
    @WithDefault("false")
    boolean enabled();

    /** Loopback address the simulator binds. */
    @WithDefault("127.0.0.1")
    String host();

    /** Port of the simulator. */
    @WithDefault("8001")
    int port();

    /** Models the simulator lists; it answers any model name. */
    @WithDefault("sim-llama,sim-embed")
    List<String> models();

    /** Delay before the first token. */
    @WithDefault("20ms")
    Duration timeToFirstToken();

    /** Delay between two streamed tokens. */
    @WithDefault("5ms")
    Duration interTokenLatency();

    /** Completion length when the request names no {@code max_tokens}. */
    @WithDefault("16")
    int outputTokens();

    /** Fraction of requests answered with HTTP 500, 0.0 to 1.0. */
    @WithDefault("0.0")
    double errorRate();
}

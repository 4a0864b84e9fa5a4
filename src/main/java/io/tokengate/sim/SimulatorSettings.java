package io.tokengate.sim;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Start-time settings of the {@link Simulator}. Port 0 picks a free port. The latencies and the output length
 * are defaults: each request may override them through its {@code "sim"} body field, and {@code PUT /sim/config}
 * (or the setters of {@link Simulator}) changes them while the simulator runs; {@code POST /sim/reset} restores these.
 *
 * @param host address to bind
 * @param port port to bind, 0 for any free port
 * @param models models listed by {@code GET /v1/models} (any model name is answered)
 * @param timeToFirstToken delay before the first token
 * @param interTokenLatency delay between two streamed tokens (a non-streaming answer waits ttft + n * itl)
 * @param outputTokens completion length when the request asks for no fewer tokens
 * @param errorRate probability, 0.0 to 1.0, that a completion request gets HTTP 500
 * @param asleep start (and come back after a reset) asleep, like a backend scaled to zero: {@code /v1/*} and
 *     {@code /health} answer 503 until woken ({@code POST /sim/wake}, {@link Simulator#wake()})
 * @param wakeDelay how long a wake takes before the simulator is ready
 */
public record SimulatorSettings(String host, int port, List<String> models, Duration timeToFirstToken,
        Duration interTokenLatency, int outputTokens, double errorRate, boolean asleep, Duration wakeDelay) {

    public SimulatorSettings {
        Objects.requireNonNull(host, "host");
        models = List.copyOf(models);
        requireNonNegative(timeToFirstToken, "timeToFirstToken");
        requireNonNegative(interTokenLatency, "interTokenLatency");
        requireNonNegative(wakeDelay, "wakeDelay");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (outputTokens < 0) {
            throw new IllegalArgumentException("outputTokens must be >= 0: " + outputTokens);
        }
        if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
            throw new IllegalArgumentException("errorRate must be within [0, 1]: " + errorRate);
        }
    }

    /** Awake, with no wake delay. */
    public SimulatorSettings(String host, int port, List<String> models, Duration timeToFirstToken,
            Duration interTokenLatency, int outputTokens, double errorRate) {
        this(host, port, models, timeToFirstToken, interTokenLatency, outputTokens, errorRate, false, Duration.ZERO);
    }

    /**
     * 127.0.0.1, a free port, models sim-llama and sim-embed, 20 ms to first token, 5 ms between tokens, 16 tokens,
     * no errors, awake, no wake delay.
     */
    public static SimulatorSettings defaults() {
        return new SimulatorSettings("127.0.0.1", 0, List.of("sim-llama", "sim-embed"), Duration.ofMillis(20),
                Duration.ofMillis(5), 16, 0.0);
    }

    public SimulatorSettings withHost(String host) {
        return new SimulatorSettings(host, port, models, timeToFirstToken, interTokenLatency, outputTokens, errorRate,
                asleep, wakeDelay);
    }

    public SimulatorSettings withPort(int port) {
        return new SimulatorSettings(host, port, models, timeToFirstToken, interTokenLatency, outputTokens, errorRate,
                asleep, wakeDelay);
    }

    public SimulatorSettings withModels(List<String> models) {
        return new SimulatorSettings(host, port, models, timeToFirstToken, interTokenLatency, outputTokens, errorRate,
                asleep, wakeDelay);
    }

    public SimulatorSettings withTimeToFirstToken(Duration ttft) {
        return new SimulatorSettings(host, port, models, ttft, interTokenLatency, outputTokens, errorRate, asleep,
                wakeDelay);
    }

    public SimulatorSettings withInterTokenLatency(Duration itl) {
        return new SimulatorSettings(host, port, models, timeToFirstToken, itl, outputTokens, errorRate, asleep,
                wakeDelay);
    }

    /** Both latencies at once; {@code withLatencies(Duration.ZERO, Duration.ZERO)} answers as fast as possible. */
    public SimulatorSettings withLatencies(Duration ttft, Duration itl) {
        return new SimulatorSettings(host, port, models, ttft, itl, outputTokens, errorRate, asleep, wakeDelay);
    }

    public SimulatorSettings withOutputTokens(int outputTokens) {
        return new SimulatorSettings(host, port, models, timeToFirstToken, interTokenLatency, outputTokens, errorRate,
                asleep, wakeDelay);
    }

    public SimulatorSettings withErrorRate(double errorRate) {
        return new SimulatorSettings(host, port, models, timeToFirstToken, interTokenLatency, outputTokens, errorRate,
                asleep, wakeDelay);
    }

    /** Start asleep (scaled to zero) until woken; see {@link Simulator#wake()}. */
    public SimulatorSettings withAsleep(boolean asleep) {
        return new SimulatorSettings(host, port, models, timeToFirstToken, interTokenLatency, outputTokens, errorRate,
                asleep, wakeDelay);
    }

    /** Time from a wake call to readiness. */
    public SimulatorSettings withWakeDelay(Duration wakeDelay) {
        return new SimulatorSettings(host, port, models, timeToFirstToken, interTokenLatency, outputTokens, errorRate,
                asleep, wakeDelay);
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }
}

package io.tokengate.sim;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator standalone until killed:
 * {@code SimulatorMain [--host 127.0.0.1] [--port 0] [--ttft-ms 20] [--itl-ms 5] [--output-tokens 16]
 * [--error-rate 0] [--models a,b] [--asleep false] [--wake-delay-ms 0] [--event-loops N]}. Prints {@code simulator listening on <url>} once bound.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) {
        if (args.length % 2 != 0) {
            fail("missing value after " + args[args.length - 1]);
        }
        SimulatorSettings settings = SimulatorSettings.defaults();
        int eventLoops = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--event-loops")) {
                eventLoops = Integer.parseInt(args[i + 1]);
            } else {
                settings = apply(settings, args[i], args[i + 1]);
            }
        }
        run(settings, eventLoops);
    }

    private static void run(SimulatorSettings settings, int eventLoops) {
        Vertx vertx = Vertx.vertx();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().onComplete(ar -> stopped.countDown())));
        Simulator.start(vertx, settings, eventLoops).onComplete(ar -> {
            if (ar.failed()) {
                System.err.println("simulator failed to start: " + ar.cause());
                System.exit(1);
            }
            System.out.println("simulator listening on " + ar.result().baseUrl());
            System.out.flush();
        });
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SimulatorSettings apply(SimulatorSettings s, String flag, String value) {
        try {
            return switch (flag) {
                case "--host" -> s.withHost(value);
                case "--port" -> s.withPort(Integer.parseInt(value));
                case "--ttft-ms" -> s.withTimeToFirstToken(Duration.ofMillis(Long.parseLong(value)));
                case "--itl-ms" -> s.withInterTokenLatency(Duration.ofMillis(Long.parseLong(value)));
                case "--output-tokens" -> s.withOutputTokens(Integer.parseInt(value));
                case "--error-rate" -> s.withErrorRate(Double.parseDouble(value));
                case "--asleep" -> s.withAsleep(Boolean.parseBoolean(value));
                case "--wake-delay-ms" -> s.withWakeDelay(Duration.ofMillis(Long.parseLong(value)));
                case "--models" -> s.withModels(Arrays.stream(value.split(",")).map(String::trim).toList());
                default -> throw new IllegalArgumentException("unknown option " + flag);
            };
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return s;
        }
    }

    private static void fail(String message) {
        System.err.println("simulator: " + message);
        System.exit(2);
    }
}

package io.tokengate.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway ({@code target/quarkus-app/quarkus-run.jar}) as a separate process: a real replica for
 * multi-instance, crash and shutdown tests. Output goes to {@code target/gateway-<port>.log}.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private GatewayProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** Starts a replica with these system properties and environment, and waits until its port accepts. */
    public static GatewayProcess start(Map<String, String> properties, Map<String, String> env) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after 'package'");
        }
        int port = SimulatorResource.unusedPort();
        int managementPort = SimulatorResource.unusedPort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", Scratch.childJvmOptions(), "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.management.port=" + managementPort, "-Dquarkus.management.host=127.0.0.1"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", JAR.toString()));
        Path log = Path.of("target", "gateway-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        GatewayProcess gateway = new GatewayProcess(builder.start(), port, managementPort, log);
        gateway.awaitPort(Duration.ofSeconds(60));
        return gateway;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The management interface ({@code /q/health}, {@code /q/metrics}). */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** What the replica printed so far. */
    public String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM: the graceful way (Kubernetes' way). */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: a crash. */
    public void kill() {
        process.destroyForcibly();
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitPort(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited at start:\n" + output());
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        throw new IllegalStateException("gateway did not open port " + port + " within " + timeout);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

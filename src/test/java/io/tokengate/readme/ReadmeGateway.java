package io.tokengate.readme;

import io.tokengate.testing.Scratch;
import io.tokengate.testing.SimulatorResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway started exactly as the README's run command says ({@code ./tokengate run}, through {@code bash}),
 * on free ports given through the environment, with {@code TOKENGATE_BUILD=never}: the packaged jar of this build
 * must be up to date, the launcher never starts a nested build. Output goes to {@code target/readme-gateway.log}.
 */
final class ReadmeGateway implements AutoCloseable {
    private static final Pattern DEMO_KEY = Pattern.compile("its API key \\(shown once\\): (sk-tg-\\S+)");
    private final Process process;
    private final Path log = Path.of("target", "readme-gateway.log");
    final int port = SimulatorResource.unusedPort();
    final String adminKey = "readme-it-admin-key-0123456789abcdef";

    ReadmeGateway(String runCommand) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", runCommand).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "TOKENGATE_SIMULATOR_PORT", Integer.toString(SimulatorResource.unusedPort()),
                "TOKENGATE_ADMIN_API_KEY", adminKey, "TOKENGATE_BUILD", "never",
                "JAVA_TOOL_OPTIONS", Scratch.childJvmOptions()));
        process = builder.start();
    }

    /** Waits until the gateway says where it listens; fails with its output if it exits first. */
    String awaitListening(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String output = output();
            if (output.contains("Listening on: ")) {
                return output;
            }
            if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the README's run command exited with " + process.exitValue() + ":\n" + output);
            }
        }
        throw new AssertionError("the gateway did not start within " + timeout + ":\n" + output());
    }

    /** The demo tenant's key, as the README says to find it: in the start-up output. */
    String demoKey() throws IOException {
        Matcher m = DEMO_KEY.matcher(output());
        if (!m.find()) {
            throw new AssertionError("no demo key line in the output:\n" + output());
        }
        return m.group(1);
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGTERM to the launcher, which hands it to the gateway and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}

package io.tokengate.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server for tests, on a free loopback port: {@code redis-server} from {@code PATH} when there is
 * one, otherwise the Redis 6.2 binary shipped in {@code com.github.codemonstur:embedded-redis} (extracted once per
 * JVM). Durable like production (AOF): {@link #stop()} ends the process by its PID and {@link #restart()} starts it
 * again on the same port with its data. Its files (data, log, a Sentinel's configuration) live in one
 * {@link Scratch} directory, deleted by {@link #close()} or, for a server only stopped, when the JVM exits.
 *
 * <p>{@link #start(String...)} adds command-line options (e.g. {@code --cluster-enabled yes}, see
 * {@link RedisCluster}); {@link #sentinel(String)} starts a Sentinel with the same binary (see {@link RedisSentinel}).
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    private static Path binary;

    private final int port;
    private final Path log;
    private final Path dataDir;
    private final List<String> leading;
    private final List<String> options;
    private Process process;

    private RedisServer(int port, String sentinelConfig, List<String> options) throws IOException {
        this.port = port;
        this.dataDir = Scratch.directory("redis-" + port + "-");
        this.log = dataDir.resolve("redis.log");
        if (sentinelConfig != null) { // a file the Sentinel may rewrite, in its own directory
            Path file = dataDir.resolve("sentinel.conf");
            Files.writeString(file, sentinelConfig);
            this.leading = List.of(file.toString());
        } else {
            this.leading = List.of();
        }
        this.options = List.copyOf(options);
        Scratch.beforeCleanup(this::kill);
    }

    /** Starts a server on a free loopback port and returns once it answers PING. */
    public static RedisServer start() {
        return start(new String[0]);
    }

    /**
     * Starts a server on a free loopback port with {@code options} after the defaults (so they win), e.g.
     * {@code "--cluster-enabled", "yes"}; relative paths in them are inside the server's own {@link #dataDir()}.
     */
    public static RedisServer start(String... options) {
        return launched(null, List.of(options));
    }

    /**
     * Starts a Redis Sentinel ({@code redis-server <config file> --sentinel}) on a free loopback port; {@code config}
     * is the text of its configuration file (e.g. {@code sentinel monitor mymaster 127.0.0.1 6379 1}), written to a
     * file the Sentinel may rewrite.
     */
    public static RedisServer sentinel(String config) {
        return launched(config, List.of("--sentinel"));
    }

    private static RedisServer launched(String sentinelConfig, List<String> options) {
        try {
            RedisServer server = new RedisServer(freePort(), sentinelConfig, options);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }

    public int port() {
        return port;
    }

    /** The server's working directory ({@code --dir}): its AOF, a cluster node's {@code nodes.conf}. */
    public Path dataDir() {
        return dataDir;
    }

    /** Sends one command over a plain socket and returns the reply (see {@link Resp}). */
    public Object call(Object... args) {
        return Resp.call(port, args);
    }

    /** What the server wrote to its log so far (for failure messages). */
    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Stops the server (SIGTERM to its PID, SIGKILL after 5 s); connections see the socket close. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            signal("-CONT");
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Freezes the server (SIGSTOP): connections stay open but nothing answers, as with a hung server or a network
     * partition. {@link #thaw()} resumes it.
     */
    public synchronized void freeze() {
        signal("-STOP");
    }

    /** Resumes a {@link #freeze() frozen} server (SIGCONT). */
    public synchronized void thaw() {
        signal("-CONT");
    }

    private void signal(String signal) {
        if (process == null) {
            throw new IllegalStateException("redis-server is not running");
        }
        try {
            int exit = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server if it runs and starts a new one on the same port. */
    public synchronized void restart() {
        stop();
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart redis-server on port " + port, e);
        }
    }

    /** Stops the server and deletes its files; it cannot be restarted. */
    @Override
    public void close() {
        stop();
        Scratch.delete(dataDir);
    }

    /** At JVM exit: ends the process before its directory is deleted. */
    private synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void launch() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(leading);
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--dir", dataDir.toString(),
                "--daemonize", "no")); // durable like production: data survives stop() / restart()
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
        awaitPong();
    }

    private void awaitPong() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + Files.readString(log));
            }
            if (answersPing()) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port + ": "
                + Files.readString(log));
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[7];
            int read = socket.getInputStream().readNBytes(reply, 0, reply.length);
            return new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static synchronized Path binary() throws IOException {
        if (binary == null) {
            binary = onPath().orElse(extracted());
        }
        return binary;
    }

    private static Optional<Path> onPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The embedded-redis binary for this OS and CPU, copied to an executable {@link Scratch} file. */
    private static Path extracted() throws IOException {
        String resource = embeddedResource();
        try (InputStream in = RedisServer.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on PATH and no " + resource + " on the classpath");
            }
            Path target = Scratch.directory("redis-bin").resolve("redis-server");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            if (!target.toFile().setExecutable(true)) {
                throw new IllegalStateException("cannot make " + target + " executable");
            }
            return target;
        }
    }

    private static String embeddedResource() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        boolean arm = System.getProperty("os.arch").toLowerCase(Locale.ROOT).matches("aarch64|arm64");
        if (os.contains("mac")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package io.tokengate.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the gateway under test on a real Redis: starts one {@link RedisServer} and sets
 * {@code tokengate.storage.kind=redis}, its URL, and a key pepper from a {@link Scratch} file (Redis storage
 * requires one). Tests reach the server through {@link #server()}, e.g. to stop and restart it.
 */
public class RedisResource implements QuarkusTestResourceLifecycleManager {
    /** The pepper written to the pepper file (32 characters). */
    public static final String PEPPER = "test-pepper-0123456789abcdefghij";
    private static volatile RedisServer server;
    private Path pepperFile;

    /** The running server of the current test resource. */
    public static RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("RedisResource is not started");
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        pepperFile = Scratch.file("pepper-", ".txt");
        try {
            Files.writeString(pepperFile, PEPPER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the pepper file", e);
        }
        server = RedisServer.start();
        return Map.of("tokengate.storage.kind", "redis",
                "tokengate.storage.redis-url", server.url(),
                "tokengate.auth.key-pepper-ref", "file:" + pepperFile.toAbsolutePath());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
        Scratch.delete(pepperFile);
    }
}

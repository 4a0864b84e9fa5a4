package io.tokengate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary files and directories of one test JVM, all under one directory ({@code tokengate-test-*} in the
 * temporary directory) that is deleted when the JVM exits. What still writes there (a Redis server) registers a
 * {@link #beforeCleanup(Runnable) stop action} that runs first, in the same exit hook, so that nothing is
 * re-created while the tree is deleted. {@link #delete(Path)} removes a file or tree at once.
 */
public final class Scratch {
    private static Path root;
    private static Path childCache;
    private static final List<Runnable> STOP_FIRST = new ArrayList<>();

    private Scratch() {}

    /** A new empty directory, e.g. {@code redis-data-6379-123}. */
    public static Path directory(String prefix) {
        try {
            return Files.createTempDirectory(root(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /** A new empty file. */
    public static Path file(String prefix, String suffix) {
        try {
            return Files.createTempFile(root(), prefix, suffix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file", e);
        }
    }

    /**
     * Options for a child JVM (the packaged gateway, Keycloak) so that it leaves nothing in the temporary directory:
     * Vert.x's file cache, which a killed process cannot delete, goes under this JVM's scratch directory.
     */
    public static synchronized String childJvmOptions() {
        if (childCache == null) {
            childCache = directory("vertx-cache-");
        }
        return "-Dvertx.cacheDirBase=" + childCache;
    }

    /** Runs {@code action} at JVM exit, before the scratch tree is deleted. */
    public static synchronized void beforeCleanup(Runnable action) {
        STOP_FIRST.add(action);
    }

    /** Deletes {@code path}, a file or a whole tree; quietly, as cleanup must not fail a test. */
    public static void delete(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a file vanished meanwhile (a server's own cleanup): nothing left to do for it
        }
    }

    private static synchronized Path root() throws IOException {
        if (root == null) {
            root = Files.createTempDirectory("tokengate-test-");
            Runtime.getRuntime().addShutdownHook(new Thread(Scratch::cleanup, "scratch-cleanup"));
        }
        return root;
    }

    private static void cleanup() {
        List<Runnable> actions;
        synchronized (Scratch.class) {
            actions = List.copyOf(STOP_FIRST);
        }
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException ignored) {
                // best effort: the next action and the deletion still run
            }
        }
        delete(root);
    }
}

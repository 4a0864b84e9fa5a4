package io.tokengate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** Resolves secret references ({@code env:NAME}, {@code file:/path}); secrets are never inline in config. */
public final class SecretResolver {
    private final Function<String, String> env;

    SecretResolver(Function<String, String> env) {
        this.env = env;
    }

    /** Resolves against the process environment and the file system. */
    public static String resolveFromEnvironment(String key, String reference) {
        return new SecretResolver(System::getenv).resolve(key, reference);
    }

    /** The secret's value, or a failure naming {@code key} (never the secret). */
    String resolve(String key, String reference) {
        if (reference.startsWith("env:")) {
            return required(key, Optional.ofNullable(env.apply(reference.substring(4))), reference);
        }
        if (reference.startsWith("file:")) {
            return required(key, readFile(reference.substring(5)), reference);
        }
        throw new InvalidConfigException(key, "must be a reference 'env:NAME' or 'file:/path', not an inline value");
    }

    private static String required(String key, Optional<String> value, String reference) {
        return value.map(String::strip).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new InvalidConfigException(key, reference + " is not set or empty"));
    }

    private static Optional<String> readFile(String path) {
        try {
            return Optional.of(Files.readString(Path.of(path)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

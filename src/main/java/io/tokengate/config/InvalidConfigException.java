package io.tokengate.config;

/** Configuration that cannot work; the message starts with the full key that is wrong. */
public final class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(String key, String problem) {
        super(key + ": " + problem);
    }
}

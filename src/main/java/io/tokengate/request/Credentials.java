package io.tokengate.request;

/**
 * What a client presented to prove who it is (the input of stage 2, Authenticate): its headers only, read before
 * the body. {@code authorization} is the raw {@code Authorization} header, or null. Never logged.
 */
public record Credentials(String authorization) {

    @Override
    public String toString() {
        return "Credentials[redacted]";
    }
}

package io.tokengate.config;

/**
 * An upstream endpoint's identity: its pool and its position in the pool's configured list. Written
 * {@code <pool>/<index>} in metrics, logs and error messages; the pool is a field, never recovered from that text.
 */
public record EndpointId(String pool, int index) {

    @Override
    public String toString() {
        return pool + "/" + index;
    }
}

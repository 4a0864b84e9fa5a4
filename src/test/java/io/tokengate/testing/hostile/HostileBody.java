package io.tokengate.testing.hostile;

import java.nio.charset.StandardCharsets;

/**
 * A generated hostile body for one POST route and the status the gateway must answer.
 *
 * @param family the generator that made it
 * @param route where it is sent
 * @param body the bytes
 * @param expected the status
 */
public record HostileBody(String family, PostRoute route, byte[] body, int expected) {
    public Hostile request() {
        return Hostile.post(family, route.name().toLowerCase(), route.path, body, expected);
    }

    @Override
    public String toString() {
        String text = new String(body, StandardCharsets.UTF_8);
        return family + " " + route + " expecting " + expected + ": "
                + (text.length() > 300 ? text.substring(0, 300) + "…(" + body.length + " bytes)" : text);
    }
}

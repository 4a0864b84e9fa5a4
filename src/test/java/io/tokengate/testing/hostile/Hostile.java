package io.tokengate.testing.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One hostile request as it goes on the wire, the family that generated it, and the status the gateway must
 * answer (always a 4xx with the OpenAI error body).
 *
 * @param family the generator family, for counting and for failure reports
 * @param label what was varied, for failure reports
 * @param wire the whole HTTP/1.1 request
 * @param expected the status the gateway must answer
 */
public record Hostile(String family, String label, byte[] wire, int expected) {
    /** The gateway's body limit in the test profile ({@code tokengate.limits.max-body-bytes}). */
    public static final int MAX_BODY_BYTES = 65_536;
    /** The demo tenant's key in the test profile. */
    public static final String DEMO_KEY = "sk-tg-testdemo0001-TestOnlyDemoSecretNotForProduction00000000000";

    /** A POST with the demo key and a JSON content type; a body over the limit must get 413 whatever it holds. */
    public static Hostile post(String family, String label, String path, byte[] body, int expected) {
        Builder request = request("POST", path).header("content-type", "application/json").bearer(DEMO_KEY);
        return request.body(body).build(family, label, body.length > MAX_BODY_BYTES ? 413 : expected);
    }

    public static Builder request(String method, String path) {
        return new Builder(method, path);
    }

    @Override
    public String toString() {
        String text = new String(wire, StandardCharsets.UTF_8);
        return family + "/" + label + " expecting " + expected + ": "
                + (text.length() > 400 ? text.substring(0, 400) + "…(" + wire.length + " bytes)" : text);
    }

    /** Assembles the request line, headers (any bytes) and body; Content-Length is set unless given. */
    public static final class Builder {
        private final String method;
        private final String path;
        private final List<byte[]> headers = new ArrayList<>();
        private byte[] body = new byte[0];
        private boolean framed;

        private Builder(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Builder header(String name, String value) {
            return header(name, value.getBytes(StandardCharsets.UTF_8));
        }

        public Builder header(String name, byte[] value) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            line.writeBytes((name + ": ").getBytes(StandardCharsets.ISO_8859_1));
            line.writeBytes(value);
            headers.add(line.toByteArray());
            framed |= name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding");
            return this;
        }

        public Builder bearer(String token) {
            return header("authorization", "Bearer " + token);
        }

        public Builder body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        public Builder body(String json) {
            return body(json.getBytes(StandardCharsets.UTF_8));
        }

        public Hostile build(String family, String label, int expected) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream(body.length + 256);
            wire.writeBytes((method + " " + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            for (byte[] header : headers) {
                wire.writeBytes(header);
                wire.writeBytes(new byte[] {'\r', '\n'});
            }
            if (!framed) {
                wire.writeBytes(("content-length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            wire.writeBytes(new byte[] {'\r', '\n'});
            wire.writeBytes(body);
            return new Hostile(family, label, wire.toByteArray(), expected);
        }
    }
}

package io.tokengate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a raw (chunked) SSE chat stream from a socket, as a client that does not use an SDK would. */
public final class RawSse {
    private RawSse() {}

    /** What a stream delivered: its content events, and whether it ended with {@code [DONE]}. */
    public record Read(long tokens, boolean done) {}

    /**
     * Reads to {@code [DONE]}, an error event or the end of the connection, counting the simulator's content
     * events ({@code " tokN"}); an event split across reads is counted once.
     */
    public static Read readToEnd(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        String carry = "";
        long tokens = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            String text = carry + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
            int from = 0;
            int at;
            while ((at = text.indexOf("\"content\":\" tok", from)) >= 0) {
                tokens++;
                from = at + 1;
            }
            if (text.contains("\"error\"")) {
                return new Read(tokens, false);
            }
            if (text.contains("[DONE]")) {
                return new Read(tokens, true);
            }
            carry = text.substring(Math.max(from, text.length() - 32));
        }
        return new Read(tokens, false);
    }
}

package io.tokengate.testing.hostile;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection: sends any bytes (invalid UTF-8 in headers, wrong
 * framing) and reads one answer within a deadline. What java.net.http refuses to send, this sends.
 */
public final class RawHttp {
    private RawHttp() {}

    /** One answer: status, the first value of each header (lower-case names), the decoded body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The answer did not come within the deadline. */
    public static final class Hung extends IOException {
        Hung(String message) {
            super(message);
        }
    }

    /** Sends {@code wire} (a whole request) to {@code port} and reads the answer, or throws {@link Hung}. */
    public static Answer exchange(int port, byte[] wire, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            send(socket.getOutputStream(), wire);
            return read(new Reader(new BufferedInputStream(socket.getInputStream()), deadline));
        } catch (SocketTimeoutException e) {
            throw new Hung("no answer within " + timeout);
        }
    }

    /** Writes the request; the server may answer (413) and stop reading before it has all of it. */
    private static void send(OutputStream out, byte[] wire) {
        try {
            out.write(wire);
            out.flush();
        } catch (IOException e) {
            // the answer, if any, is still readable
        }
    }

    private static Answer read(Reader in) throws IOException {
        String statusLine = in.line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        Map<String, String> headers = new HashMap<>();
        for (String line = in.line(); !line.isEmpty(); line = in.line()) {
            int colon = line.indexOf(':');
            headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Answer(Integer.parseInt(parts[1]), headers, body(in, headers));
    }

    private static byte[] body(Reader in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = chunkSize(in.line()); size > 0; size = chunkSize(in.line())) {
                body.write(in.bytes(size));
                in.line();
            }
            return body.toByteArray();
        }
        String length = headers.get("content-length");
        return length != null ? in.bytes(Integer.parseInt(length)) : in.rest();
    }

    private static int chunkSize(String line) {
        int semicolon = line.indexOf(';');
        return Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
    }

    /** Byte reads with an overall deadline (a server that drips bytes cannot hold a test forever). */
    private static final class Reader {
        private final InputStream in;
        private final long deadline;

        Reader(InputStream in, long deadline) {
            this.in = in;
            this.deadline = deadline;
        }

        int next() throws IOException {
            if (System.nanoTime() > deadline) {
                throw new Hung("answer not complete before the deadline");
            }
            return in.read();
        }

        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = next(); b != '\n'; b = next()) {
                if (b < 0) {
                    throw new IOException("connection closed mid-answer");
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        byte[] bytes(int n) throws IOException {
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                int b = next();
                if (b < 0) {
                    throw new IOException("connection closed mid-body");
                }
                out[i] = (byte) b;
            }
            return out;
        }

        byte[] rest() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int b = next(); b >= 0; b = next()) {
                out.write(b);
            }
            return out.toByteArray();
        }
    }
}

package io.tokengate.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One Redis command over a plain loopback socket (RESP2), for setting up and inspecting test servers without a
 * client library: a simple or bulk string reply is a {@code String}, an integer a {@code Long}, an array a
 * {@code List<Object>}, a null reply {@code null}; an error reply throws {@link Resp.Error}.
 */
public final class Resp {
    private Resp() {
    }

    /** An error reply ({@code -ERR ...}). */
    public static final class Error extends RuntimeException {
        Error(String message) {
            super(message);
        }
    }

    /** Sends {@code args} to the server on {@code 127.0.0.1:port} and returns its reply. */
    public static Object call(int port, Object... args) {
        return call(port, List.of(args));
    }

    /** Sends {@code args} to the server on {@code 127.0.0.1:port} and returns its reply. */
    public static Object call(int port, List<?> args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (Object arg : args) {
                byte[] bytes = String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(bytes);
                request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(request.toByteArray());
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("redis on port " + port + ": " + args.get(0), e);
        }
    }

    /** The reply as text (an array's elements one a line); null for a null reply. */
    public static String text(int port, Object... args) {
        Object reply = call(port, args);
        if (reply instanceof List<?> list) {
            return String.join("\n", list.stream().map(String::valueOf).toList());
        }
        return reply == null ? null : reply.toString();
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length);
                line(in);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type '" + (char) type + "'");
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("connection closed mid-reply");
            }
            line.write(b);
        }
        in.read();
        return line.toString(StandardCharsets.UTF_8);
    }
}

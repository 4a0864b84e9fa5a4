package io.tokengate.relay;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * Splits an upstream byte stream into complete SSE events (terminated by a blank line, LF or CRLF). Bytes of an
 * unfinished event are kept until the next chunk completes it.
 */
final class SseDecoder {
    private byte[] pending = new byte[0];

    /** Receives each complete event as {@code data[start, end)}, terminator included. */
    interface EventSink {
        void event(byte[] data, int start, int end);
    }

    /** Feeds one chunk; returns the bytes of the chunk as one array (pending prefix included). */
    byte[] feed(Buffer chunk, EventSink sink) {
        byte[] data = join(chunk);
        int start = 0;
        int end;
        while ((end = eventEnd(data, start)) > 0) {
            sink.event(data, start, end);
            start = end;
        }
        pending = start == data.length ? new byte[0] : Arrays.copyOfRange(data, start, data.length);
        return data;
    }

    /** True if an unfinished event is waiting: the stream stopped mid-event. */
    boolean hasPartialEvent() {
        return pending.length > 0;
    }

    private byte[] join(Buffer chunk) {
        if (pending.length == 0) {
            return chunk.getBytes();
        }
        byte[] joined = new byte[pending.length + chunk.length()];
        System.arraycopy(pending, 0, joined, 0, pending.length);
        chunk.getBytes(joined, pending.length);
        return joined;
    }

    /** End (exclusive, terminator included) of the event starting at {@code start}, or -1. */
    static int eventEnd(byte[] d, int start) {
        for (int i = start; i < d.length - 1; i++) {
            if (d[i] == '\n') {
                if (d[i + 1] == '\n') {
                    return i + 2;
                }
                if (d[i + 1] == '\r' && i + 2 < d.length && d[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }
}

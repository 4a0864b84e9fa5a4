package io.tokengate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {
    private final SseDecoder decoder = new SseDecoder();
    private final List<String> events = new ArrayList<>();

    private void feed(String chunk) {
        decoder.feed(Buffer.buffer(chunk), (d, s, e) -> events.add(new String(d, s, e - s, StandardCharsets.UTF_8)));
    }

    @Test
    void splitsWholeEventsKeepingTheirTerminators() {
        feed("data: a\n\ndata: b\n\n");
        assertThat(events).containsExactly("data: a\n\n", "data: b\n\n");
        assertThat(decoder.hasPartialEvent()).isFalse();
    }

    @Test
    void joinsEventsSplitAcrossChunks() {
        feed("data: {\"x\"");
        assertThat(events).isEmpty();
        assertThat(decoder.hasPartialEvent()).isTrue();
        feed(":1}\n");
        feed("\ndata: [DONE]\n\n");
        assertThat(events).containsExactly("data: {\"x\":1}\n\n", "data: [DONE]\n\n");
    }

    @Test
    void acceptsCrlfFramingAndMultiLineEvents() {
        feed("event: message\ndata: a\r\n\r\ndata: b\n\n");
        assertThat(events).containsExactly("event: message\ndata: a\r\n\r\n", "data: b\n\n");
    }
}

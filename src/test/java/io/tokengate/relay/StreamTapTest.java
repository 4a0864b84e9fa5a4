package io.tokengate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.request.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamTapTest {
    private static final String ROLE = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n";
    private static final String TOKEN = "data: {\"choices\":[{\"delta\":{\"content\":\" hi\"},\"finish_reason\":null}],\"usage\":null}\n\n";
    private static final String LAST = "data: {\"choices\":[{\"delta\":{\"content\":\"!\"},\"finish_reason\":\"stop\"}]}\n\n";
    private static final String USAGE = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\n";
    private static final String DONE = "data: [DONE]\n\n";

    private static StreamTap.Verdict inspect(StreamTap tap, String event) {
        byte[] d = event.getBytes(StandardCharsets.UTF_8);
        return tap.inspect(d, 0, d.length);
    }

    @Test
    void hidesWhatTheGatewayAskedForOnItsOwn() {
        StreamTap tap = new StreamTap(true);
        assertThat(inspect(tap, ROLE)).isEqualTo(StreamTap.Verdict.FORWARD);
        assertThat(inspect(tap, TOKEN)).isEqualTo(StreamTap.Verdict.STRIP_USAGE_NULL);
        assertThat(inspect(tap, LAST)).isEqualTo(StreamTap.Verdict.FORWARD);
        assertThat(inspect(tap, USAGE)).isEqualTo(StreamTap.Verdict.HIDE);
        assertThat(inspect(tap, DONE)).isEqualTo(StreamTap.Verdict.FORWARD);

        assertThat(tap.complete()).isTrue();
        assertThat(tap.usage(99)).isEqualTo(new Usage(5, 2, false));
    }

    @Test
    void forwardsUsageTheClientAskedFor() {
        StreamTap tap = new StreamTap(false);
        assertThat(inspect(tap, TOKEN)).isEqualTo(StreamTap.Verdict.FORWARD);
        assertThat(inspect(tap, USAGE)).isEqualTo(StreamTap.Verdict.FORWARD);
    }

    @Test
    void estimatesFromContentChunksWhenNoUsageCame() {
        StreamTap tap = new StreamTap(true);
        inspect(tap, ROLE);
        inspect(tap, TOKEN);
        inspect(tap, LAST);

        assertThat(tap.complete()).isFalse();
        assertThat(tap.usage(8)).isEqualTo(new Usage(8, 2, true));
    }

    @Test
    void anUpstreamErrorEventIsNotACleanEnd() {
        StreamTap tap = new StreamTap(true);
        inspect(tap, "data: {\"error\":{\"message\":\"boom\"}}\n\n");
        inspect(tap, DONE);
        assertThat(tap.complete()).isFalse();
    }
}

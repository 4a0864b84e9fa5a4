package io.tokengate.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FinishReasonTest {

    private static String find(String json) {
        byte[] d = json.getBytes(StandardCharsets.UTF_8);
        return FinishReason.find(d, 0, d.length);
    }

    @Test
    void findsTheFirstNonNullFinishReason() {
        assertThat(find("{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\"}]}")).isEqualTo("stop");
        assertThat(find("{\"choices\":[{\"finish_reason\": \"length\"}]}")).isEqualTo("length");
        assertThat(find("{\"choices\":[{\"finish_reason\":null},{\"finish_reason\":\"tool_calls\"}]}")).isEqualTo("tool_calls");
    }

    @Test
    void absentNullOrUnterminatedIsNull() {
        assertThat(find("{\"choices\":[{\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}")).isNull();
        assertThat(find("{\"object\":\"list\"}")).isNull();
        assertThat(find("{\"finish_reason\":\"sto")).isNull();
    }
}

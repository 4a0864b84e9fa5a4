package io.tokengate.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageReaderTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reportedUsageOfACompletion() {
        Usage usage = UsageReader.fromResponse(bytes("{\"choices\":[{\"message\":{\"content\":\"hi\"}}],"
                + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}}"), 99);
        assertThat(usage).isEqualTo(new Usage(11, 7, false));
    }

    @Test
    void embeddingsReportPromptAndTotalOnly() {
        Usage usage = UsageReader.fromResponse(bytes("{\"data\":[{\"embedding\":[0.1,0.2]}],"
                + "\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}"), 99);
        assertThat(usage).isEqualTo(new Usage(5, 0, false));
    }

    @Test
    void missingUsageIsEstimatedFromTheText() {
        Usage usage = UsageReader.fromResponse(bytes("{\"choices\":[{\"message\":{\"content\":\"12345678\"}}]}"), 42);
        assertThat(usage).isEqualTo(new Usage(42, 2, true));
    }

    @Test
    void notJsonIsRejected() {
        assertThatThrownBy(() -> UsageReader.fromResponse(bytes("<html>oops</html>"), 1)).isInstanceOf(UsageReader.NotJson.class);
        assertThatThrownBy(() -> UsageReader.fromResponse(bytes("{\"a\":1"), 1)).isInstanceOf(UsageReader.NotJson.class);
    }

    @Test
    void chunksWithAndWithoutUsage() {
        byte[] withUsage = bytes("xx{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}");
        byte[] nullUsage = bytes("{\"choices\":[{\"delta\":{}}],\"usage\":null}");

        assertThat(UsageReader.fromChunk(withUsage, 2, withUsage.length - 2)).isEqualTo(new Usage(3, 4, false));
        assertThat(UsageReader.fromChunk(nullUsage, 0, nullUsage.length)).isNull();
    }
}

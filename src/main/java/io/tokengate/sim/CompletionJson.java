package io.tokengate.sim;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Hand-built JSON of one completion, streamed or whole, in the OpenAI shape. The token text is
 * {@code " tok0 tok1 ..."}, one token each; only the model name needs escaping and it is escaped once.
 */
final class CompletionJson {

    private final GenerationPlan plan;
    private final String head;
    private final String tail;

    CompletionJson(GenerationPlan plan) {
        this.plan = plan;
        StringBuilder sb = new StringBuilder(128).append("{\"id\":\"").append(plan.chat() ? "chatcmpl-" : "cmpl-");
        randomHex(sb).append("\",\"object\":\"").append(objectName(plan)).append("\",\"created\":")
                .append(System.currentTimeMillis() / 1000).append(",\"model\":");
        this.head = Json.quote(sb, plan.model()).append(',').toString();
        this.tail = plan.streamUsage() ? ",\"usage\":null}" : "}";
    }

    /** The whole non-streaming body. */
    String full() {
        int n = plan.completionTokens();
        StringBuilder sb = new StringBuilder(head.length() + 200 + n * 8).append(head)
                .append(plan.chat() ? "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                        : "\"choices\":[{\"index\":0,\"text\":\"");
        for (int k = 0; k < n; k++) {
            sb.append(" tok").append(k);
        }
        sb.append(plan.chat() ? "\"}" : "\"").append(",\"logprobs\":null,\"finish_reason\":\"")
                .append(plan.finishReason()).append("\"}]");
        return (plan.usage() ? appendUsage(sb) : sb).append('}').toString();
    }

    /** The first chat chunk: {@code delta:{role:"assistant",content:""}}. */
    StringBuilder role(StringBuilder sb) {
        sb.append("data: ").append(head)
                .append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},");
        return endChoice(sb, null);
    }

    /** Token {@code k}; the last one carries the finish reason. */
    StringBuilder token(StringBuilder sb, int k, boolean last) {
        sb.append("data: ").append(head).append(plan.chat()
                ? "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" tok" : "\"choices\":[{\"index\":0,\"text\":\" tok");
        sb.append(k).append(plan.chat() ? "\"}," : "\",");
        return endChoice(sb, last ? plan.finishReason() : null);
    }

    /** A chunk with no content that carries the finish reason (for zero-token completions). */
    StringBuilder finish(StringBuilder sb) {
        sb.append("data: ").append(head)
                .append(plan.chat() ? "\"choices\":[{\"index\":0,\"delta\":{}," : "\"choices\":[{\"index\":0,\"text\":\"\",");
        return endChoice(sb, plan.finishReason());
    }

    /** The usage chunk: {@code choices:[]} and {@code usage}. */
    StringBuilder usage(StringBuilder sb) {
        sb.append("data: ").append(head).append("\"choices\":[]");
        return appendUsage(sb).append("}\n\n");
    }

    private StringBuilder endChoice(StringBuilder sb, String finishReason) {
        sb.append("\"logprobs\":null,\"finish_reason\":");
        (finishReason == null ? sb.append("null") : sb.append('"').append(finishReason).append('"')).append("}]");
        return sb.append(tail).append("\n\n");
    }

    private StringBuilder appendUsage(StringBuilder sb) {
        int p = plan.promptTokens();
        int n = plan.completionTokens();
        return sb.append(",\"usage\":{\"prompt_tokens\":").append(p).append(",\"completion_tokens\":").append(n)
                .append(",\"total_tokens\":").append(p + n).append('}');
    }

    private static String objectName(GenerationPlan plan) {
        if (plan.chat()) {
            return plan.stream() ? "chat.completion.chunk" : "chat.completion";
        }
        return "text_completion";
    }

    static StringBuilder randomHex(StringBuilder sb) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return sb.append(Long.toHexString(random.nextLong() | Long.MIN_VALUE))
                .append(Long.toHexString(random.nextLong() | Long.MIN_VALUE));
    }
}

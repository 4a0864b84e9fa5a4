package io.tokengate.protocol;

import io.tokengate.auth.Caller;
import io.tokengate.ingress.Endpoint;
import io.vertx.core.buffer.Buffer;

/**
 * The output of stage 3, Parse: what the gateway needs to know about a request, plus the raw body, which is
 * forwarded untouched except for the byte ranges {@link #upstreamBody} patches. Never mutated by retries.
 */
public record ParsedRequest(Caller caller, Endpoint endpoint, String model, boolean stream,
        boolean clientWantsUsage, Integer maxTokens, int estimatedPromptTokens, byte[] raw, BodyLayout layout) {

    /** The body for one upstream attempt: the upstream model name, and usage requested on streams. */
    public Buffer upstreamBody(String upstreamModel) {
        return Buffer.buffer(BodyPatcher.patch(raw, layout, model.equals(upstreamModel) ? null : upstreamModel,
                stream && !clientWantsUsage));
    }

    /** Where the patchable values sit in {@link #raw} (byte offsets; -1 when absent). */
    public record BodyLayout(int objectStart, int modelStart, int modelEnd, int streamOptionsStart,
            int includeUsageStart, int includeUsageEnd, boolean streamOptionsEmpty) {}
}

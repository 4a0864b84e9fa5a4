package io.tokengate.request;

import io.tokengate.config.ModelRoute;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * The output of stage 3, Parse: what the gateway needs to know about a request, plus the raw body, which is
 * forwarded untouched except for the byte ranges {@link #upstreamBody} patches. {@code route} is the model route the
 * caller is entitled to, resolved once at parse; {@code cacheSalt} is the caller's tenant's prefix-cache salt. Never
 * mutated by retries.
 */
public record ParsedRequest(Caller caller, Operation operation, String model, ModelRoute route, boolean stream,
        boolean clientWantsUsage, Integer maxTokens, int estimatedPromptTokens, byte[] raw, BodyLayout layout,
        String cacheSalt) {

    /**
     * The body for one upstream attempt: the upstream model name, usage requested on streams, the tenant-scoped
     * fields the client sent cut out and, when {@code withCacheSalt} (the pool's choice), the tenant's
     * {@code cache_salt} set.
     */
    public Buffer upstreamBody(String upstreamModel, boolean withCacheSalt) {
        return Buffer.buffer(BodyPatcher.patch(raw, layout, model.equals(upstreamModel) ? null : upstreamModel,
                stream && !clientWantsUsage, withCacheSalt ? cacheSalt : null));
    }

    /**
     * Up to {@code n} raw bytes of the prompt ({@code messages} or {@code prompt}, as JSON) from its start: what
     * prefix affinity hashes. Empty when the request has no prompt.
     */
    public byte[] promptPrefix(int n) {
        int start = layout.promptStart();
        if (start < 0) {
            return new byte[0];
        }
        return Arrays.copyOfRange(raw, start, Math.min(raw.length, start + n));
    }

    /**
     * Where the patchable values sit in {@link #raw} (byte offsets; -1 when absent), where the prompt
     * ({@code messages} or {@code prompt}) starts, and the byte ranges to cut ({@code [start, end)} pairs, ascending
     * and disjoint: tenant-scoped members with their separating commas).
     */
    public record BodyLayout(int objectStart, int modelStart, int modelEnd, int streamOptionsStart,
            int includeUsageStart, int includeUsageEnd, boolean streamOptionsEmpty, int promptStart, int[] cuts) {}
}

package io.tokengate.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Automatic prefix caching like vLLM's, reduced to bookkeeping: the UTF-8 prompt is cut into blocks of
 * {@value #BLOCK_BYTES} bytes (a last partial block is not cached), block {@code i} is identified by a chained hash
 * of bytes {@code [0, 64 * (i + 1))}, and the hashes seen live in a bounded LRU set of {@value #CAPACITY} entries.
 * A lookup answers how many leading blocks were cached already, then caches (and refreshes) all blocks of the prompt.
 */
final class PrefixCache {

    static final int BLOCK_BYTES = 64;
    static final int CAPACITY = 10_000;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final Map<Long, Boolean> lru = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Leading blocks of {@code prompt} already cached; caches all its full blocks. */
    int lookup(byte[] prompt) {
        long[] hashes = blockHashes(prompt);
        int hit = 0;
        synchronized (lru) {
            while (hit < hashes.length && lru.get(hashes[hit]) != null) {
                hit++;
            }
            for (int i = hit; i < hashes.length; i++) {
                lru.put(hashes[i], Boolean.TRUE);
            }
        }
        return hit;
    }

    void clear() {
        synchronized (lru) {
            lru.clear();
        }
    }

    /** Hash of block i covers bytes [0, 64 * (i + 1)): FNV-1a running over the whole prompt, finalized per block. */
    static long[] blockHashes(byte[] prompt) {
        long[] hashes = new long[prompt.length / BLOCK_BYTES];
        long h = FNV_OFFSET;
        for (int i = 0; i < hashes.length * BLOCK_BYTES; i++) {
            h = (h ^ (prompt[i] & 0xff)) * FNV_PRIME;
            if ((i + 1) % BLOCK_BYTES == 0) {
                hashes[i / BLOCK_BYTES] = mix(h);
            }
        }
        return hashes;
    }

    /** Chat: the text of every message's content (a string, or the {@code text} of its parts), in order, joined. */
    static byte[] chatPrompt(JsonNode messages) {
        StringBuilder sb = new StringBuilder(256);
        for (JsonNode message : messages) {
            appendContent(sb, message.get("content"));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Completions: the prompt string; the strings of an array joined; token ids as {@code "<id>,"}. */
    static byte[] completionPrompt(JsonNode prompt) {
        if (prompt.isTextual()) {
            return prompt.textValue().getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder(256);
        appendPromptParts(sb, prompt);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendPromptParts(StringBuilder sb, JsonNode parts) {
        for (JsonNode part : parts) {
            if (part.isTextual()) {
                sb.append(part.textValue());
            } else if (part.isArray()) {
                appendPromptParts(sb, part);
            } else {
                sb.append(part.asLong()).append(',');
            }
        }
    }

    private static void appendContent(StringBuilder sb, JsonNode content) {
        if (content == null) {
            return;
        }
        if (content.isTextual()) {
            sb.append(content.textValue());
            return;
        }
        for (JsonNode part : content) {
            JsonNode text = part.get("text");
            if (text != null && text.isTextual()) {
                sb.append(text.textValue());
            }
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}

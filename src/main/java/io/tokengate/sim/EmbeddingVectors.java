package io.tokengate.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Deterministic unit vectors derived from a hash of the input, written as JSON floats or base64 float32 (LE). */
final class EmbeddingVectors {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private EmbeddingVectors() {
    }

    /** FNV-1a over the characters of a text input, or over the ids of a token-array input. */
    static long seed(JsonNode input) {
        long h = FNV_OFFSET;
        if (input.isTextual()) {
            String text = input.textValue();
            for (int i = 0; i < text.length(); i++) {
                h = (h ^ text.charAt(i)) * FNV_PRIME;
            }
            return h;
        }
        for (JsonNode token : input) {
            h = (h ^ token.asLong()) * FNV_PRIME;
        }
        return ~h; // a token array never collides with the text of the same code points
    }

    /** {@code dims} values from a SplitMix64 sequence seeded by {@code seed}, scaled to unit length. */
    static float[] vector(long seed, int dims) {
        float[] v = new float[dims];
        long state = seed;
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            state += 0x9e3779b97f4a7c15L;
            v[i] = (float) ((mix(state) >>> 11) * 0x1.0p-53 * 2.0 - 1.0);
            norm += v[i] * v[i];
        }
        float scale = norm > 0 ? (float) (1.0 / Math.sqrt(norm)) : 0f;
        for (int i = 0; i < dims; i++) {
            v[i] *= scale;
        }
        return v;
    }

    static StringBuilder appendFloats(StringBuilder sb, float[] v) {
        sb.append('[');
        for (int i = 0; i < v.length; i++) {
            (i == 0 ? sb : sb.append(',')).append(v[i]);
        }
        return sb.append(']');
    }

    static StringBuilder appendBase64(StringBuilder sb, float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        return sb.append('"').append(Base64.getEncoder().encodeToString(bytes.array())).append('"');
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

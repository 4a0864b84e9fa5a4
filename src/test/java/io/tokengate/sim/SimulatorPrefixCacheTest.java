package io.tokengate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The prefix-cache counters: 64-byte blocks of the UTF-8 prompt, chained hashes, an LRU set. */
class SimulatorPrefixCacheTest extends SharedSimulatorTest {

    /** 200 bytes: three full blocks and a partial one. */
    private static final String LONG = "The quick brown fox jumps over the lazy dog. ".repeat(4) + "0123456789abcdefghij";

    @Test
    void sameLongPromptTwiceIsOneHitOnAllItsBlocks() {
        assertThat(LONG.getBytes(StandardCharsets.UTF_8)).hasSize(200);
        chat(LONG);
        assertThat(sim.sim.prefixCacheHits()).isZero();

        chat(LONG);

        assertThat(sim.sim.prefixCacheQueries()).isEqualTo(2);
        assertThat(sim.sim.prefixCacheHits()).isEqualTo(1);
        assertThat(sim.sim.prefixCacheHitBlocks()).isEqualTo(3);
        JsonNode stats = SimHttp.json(sim.get("/sim/stats"));
        assertThat(stats.get("prefix_cache_queries").asInt()).isEqualTo(2);
        assertThat(stats.get("prefix_cache_hits").asInt()).isEqualTo(1);
        assertThat(stats.get("prefix_cache_hit_blocks").asInt()).isEqualTo(3);
    }

    @Test
    void differentPromptIsNoHit() {
        chat(LONG);

        chat("Something else entirely, long enough to fill more than one block of sixty-four bytes......");

        assertThat(sim.sim.prefixCacheQueries()).isEqualTo(2);
        assertThat(sim.sim.prefixCacheHits()).isZero();
        assertThat(sim.sim.prefixCacheHitBlocks()).isZero();
    }

    @Test
    void sharedPrefixWithDifferentSuffixHitsTheSharedBlocks() {
        String prefix = LONG.substring(0, 100); // one full block shared, the second differs
        chat(prefix + " first question, long enough to fill the second block of the prompt");

        chat(prefix + " second question, also long enough to fill the second block, differently");

        assertThat(sim.sim.prefixCacheHits()).isEqualTo(1);
        assertThat(sim.sim.prefixCacheHitBlocks()).isEqualTo(1);
    }

    @Test
    void promptShorterThanOneBlockNeverHits() {
        chat("short prompt");
        chat("short prompt");

        assertThat(sim.sim.prefixCacheQueries()).isEqualTo(2);
        assertThat(sim.sim.prefixCacheHits()).isZero();
    }

    @Test
    void chatPromptIsTheConcatenationOfTheContents() {
        sim.post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":"
                + SimHttp.JSON.valueToTree(LONG.substring(0, 70)) + "},{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":" + SimHttp.JSON.valueToTree(LONG.substring(70)) + "}]}]}");

        sim.post("/v1/completions", "{\"model\":\"m\",\"prompt\":" + SimHttp.JSON.valueToTree(LONG) + "}");

        assertThat(sim.sim.prefixCacheHits()).isEqualTo(1);
        assertThat(sim.sim.prefixCacheHitBlocks()).isEqualTo(3);
    }

    @Test
    void resetEmptiesTheCache() {
        chat(LONG);
        sim.post("/sim/reset", "");

        chat(LONG);

        assertThat(sim.sim.prefixCacheQueries()).isEqualTo(1);
        assertThat(sim.sim.prefixCacheHits()).isZero();
    }

    @Test
    void refusedRequestsAreNotLookedUp() {
        sim.sim.failNext(1, 503);
        chat(LONG);

        chat(LONG);

        assertThat(sim.sim.prefixCacheQueries()).isEqualTo(1);
        assertThat(sim.sim.prefixCacheHits()).isZero();
    }

    @Test
    void blockHashesAreChained() {
        byte[] a = new byte[128];
        byte[] b = new byte[128];
        Arrays.fill(a, (byte) 'x');
        Arrays.fill(b, (byte) 'x');
        b[3] = 'y'; // first block differs, second block's bytes are equal

        long[] ha = PrefixCache.blockHashes(a);
        long[] hb = PrefixCache.blockHashes(b);

        assertThat(ha).hasSize(2);
        assertThat(ha[0]).isNotEqualTo(hb[0]);
        assertThat(ha[1]).as("block 1 covers bytes [0, 128)").isNotEqualTo(hb[1]);
        assertThat(PrefixCache.blockHashes(Arrays.copyOf(a, 127))).containsExactly(ha[0]);
        assertThat(PrefixCache.blockHashes(new byte[63])).isEmpty();
    }

    @Test
    void leastRecentlyUsedBlocksAreEvicted() {
        PrefixCache cache = new PrefixCache();
        byte[] first = block(-1);
        cache.lookup(first);
        for (int i = 0; i < PrefixCache.CAPACITY - 1; i++) {
            cache.lookup(block(i));
        }
        assertThat(cache.lookup(first)).as("still cached, and now the most recent").isEqualTo(1);

        cache.lookup(block(PrefixCache.CAPACITY)); // evicts block(0), the least recently used

        assertThat(cache.lookup(first)).isEqualTo(1);
        assertThat(cache.lookup(block(1))).isEqualTo(1);
        assertThat(cache.lookup(block(0))).isZero();
    }

    private static byte[] block(int i) {
        return String.format("%064d", i).getBytes(StandardCharsets.US_ASCII);
    }

    private static void chat(String content) {
        assertThat(sim.post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                + SimHttp.JSON.valueToTree(content) + "}]}").statusCode()).isIn(200, 503);
    }
}

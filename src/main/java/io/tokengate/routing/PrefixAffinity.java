package io.tokengate.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Prefix affinity: a consistent hash of the tenant and the prompt's first bytes ({@link #key}) picks the endpoint, so
 * one tenant's requests that share a prefix (a system prompt, a conversation so far) reuse one backend's KV cache,
 * while another tenant's identical prompt is placed independently (its cache entries carry its own salt anyway). Bounded load (consistent hashing
 * with bounded loads, Mirrokni et al.): an endpoint takes the request only while its in-flight count stays under
 * {@code loadFactor} times the average plus one; otherwise the request walks on along the ring. Adding or losing an
 * endpoint moves only the prefixes next to it.
 */
final class PrefixAffinity implements Balancer {
    private static final int POINTS_PER_WEIGHT = 64;
    private final long[] points;
    private final Backend[] owners;
    private final double loadFactor;

    PrefixAffinity(List<Backend> all, double loadFactor) {
        this.loadFactor = loadFactor;
        int total = all.stream().mapToInt(b -> b.endpoint().weight() * POINTS_PER_WEIGHT).sum();
        long[][] ring = new long[total][2];
        int i = 0;
        for (Backend b : all) {
            for (int v = 0; v < b.endpoint().weight() * POINTS_PER_WEIGHT; v++) {
                ring[i][0] = hash((b.endpoint().id() + "#" + v).getBytes(StandardCharsets.UTF_8));
                ring[i][1] = b.index();
                i++;
            }
        }
        Arrays.sort(ring, (x, y) -> Long.compare(x[0], y[0]));
        points = new long[total];
        owners = new Backend[total];
        for (int j = 0; j < total; j++) {
            points[j] = ring[j][0];
            owners[j] = all.get((int) ring[j][1]);
        }
    }

    @Override
    public List<Backend> order(List<Backend> available, byte[] prefix, boolean claim) {
        Set<Backend> usable = Set.copyOf(available);
        int load = 0;
        for (Backend b : available) {
            load += b.inFlight();
        }
        double bound = Math.ceil(loadFactor * (load + 1) / available.size());
        int start = Arrays.binarySearch(points, hash(prefix));
        start = start >= 0 ? start : -start - 1;
        LinkedHashSet<Backend> ringOrder = new LinkedHashSet<>();
        for (int k = 0; k < points.length && ringOrder.size() < usable.size(); k++) {
            Backend b = owners[(start + k) % points.length];
            if (usable.contains(b)) {
                ringOrder.add(b);
            }
        }
        List<Backend> ordered = new ArrayList<>(ringOrder.size());
        for (Backend b : ringOrder) {
            if (claim ? b.tryAcquire((int) bound) : b.inFlight() < bound) {
                ordered.add(b);
                break;
            }
        }
        if (ordered.isEmpty()) { // every endpoint at the bound (a race with other event loops): the prefix's own
            Backend own = ringOrder.iterator().next();
            if (claim) {
                own.acquire();
            }
            ordered.add(own);
        }
        for (Backend b : ringOrder) {
            if (ordered.get(0) != b) {
                ordered.add(b);
            }
        }
        return ordered;
    }

    /**
     * The affinity key of a request: the tenant id, a 0xFF byte (never part of UTF-8, so no tenant id and prefix can
     * run into another pair), then the prompt prefix.
     */
    static byte[] key(String tenant, byte[] prefix) {
        byte[] id = tenant.getBytes(StandardCharsets.UTF_8);
        byte[] key = Arrays.copyOf(id, id.length + 1 + prefix.length);
        key[id.length] = (byte) 0xff;
        System.arraycopy(prefix, 0, key, id.length + 1, prefix.length);
        return key;
    }

    /** 64-bit FNV-1a with a final avalanche (splitmix64), so nearby keys spread over the ring. */
    static long hash(byte[] data) {
        long h = 0xcbf29ce484222325L;
        for (byte d : data) {
            h ^= d & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}

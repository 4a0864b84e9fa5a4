package io.tokengate.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Smooth weighted round robin (as in nginx): over any window, each endpoint gets its weight's share, interleaved
 * rather than in bursts. Only available endpoints take part. The rest follow by weight, as retry order.
 */
final class WeightedRoundRobin implements Balancer {
    private final long[] current;

    WeightedRoundRobin(int endpoints) {
        this.current = new long[endpoints];
    }

    @Override
    public List<Backend> order(List<Backend> available, byte[] prefix, boolean claim) {
        Backend chosen = available.size() == 1 ? available.get(0) : pick(available);
        if (claim) {
            chosen.acquire();
        }
        if (available.size() == 1) {
            return available;
        }
        List<Backend> ordered = new ArrayList<>(available.size());
        ordered.add(chosen);
        available.stream().filter(b -> b != chosen)
                .sorted(Comparator.comparingInt((Backend b) -> b.endpoint().weight()).reversed())
                .forEach(ordered::add);
        return ordered;
    }

    private synchronized Backend pick(List<Backend> available) {
        long total = 0;
        Backend best = null;
        for (Backend b : available) {
            int weight = b.endpoint().weight();
            current[b.index()] += weight;
            total += weight;
            if (best == null || current[b.index()] > current[best.index()]) {
                best = b;
            }
        }
        current[best.index()] -= total;
        return best;
    }
}

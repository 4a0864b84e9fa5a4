package io.tokengate.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Least in-flight requests by the power of two choices: two random endpoints, the less busy wins (weights break a
 * tie). Close to the global least-loaded choice, without herding every replica onto the same endpoint. The rest
 * follow by in-flight count, as retry order.
 */
final class LeastInFlight implements Balancer {

    @Override
    public List<Backend> order(List<Backend> available, byte[] prefix, boolean claim) {
        int n = available.size();
        if (n == 1) {
            if (claim) {
                available.get(0).acquire();
            }
            return available;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(n);
        int b = random.nextInt(n - 1);
        if (b >= a) {
            b++;
        }
        Backend first = better(available.get(a), available.get(b)) ? available.get(a) : available.get(b);
        if (claim) {
            first.acquire();
        }
        List<Backend> ordered = new ArrayList<>(n);
        ordered.add(first);
        List<Backend> rest = new ArrayList<>(available);
        rest.remove(first);
        rest.sort(Comparator.comparingInt(Backend::inFlight));
        ordered.addAll(rest);
        return ordered;
    }

    private static boolean better(Backend x, Backend y) {
        int load = Integer.compare(x.inFlight() * y.endpoint().weight(), y.inFlight() * x.endpoint().weight());
        return load < 0 || (load == 0 && x.endpoint().weight() >= y.endpoint().weight());
    }
}

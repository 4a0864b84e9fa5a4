package io.tokengate.ingress;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: the client's own when it is safe to echo, else a fresh random one. */
final class RequestIds {
    private static final int MAX_LENGTH = 128;

    private RequestIds() {}

    static String accept(String fromClient) {
        return fromClient != null && safe(fromClient) ? fromClient : fresh();
    }

    static String fresh() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "req_" + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }

    private static boolean safe(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == ':')) {
                return false;
            }
        }
        return true;
    }
}

package io.tokengate.budget;

import io.smallrye.mutiny.Uni;
import io.tokengate.storage.RedisConnection;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The usage ledger on Redis Streams: one stream per tenant, {@code tg:{t:<tenant>}:usage} (hash-tagged like the
 * tenant's other keys), never trimmed (it is the billing record). {@code XADD *} lets the server's clock assign
 * the entry id, so the id's millisecond timestamp is the record's {@code at} on read and replicas with skewed
 * clocks still write one ordered history. One field per record property (snake_case); null texts (a key id for
 * OIDC callers, a backend when none was reached) are omitted and read back as null. Reads page through
 * {@code XRANGE} {@value #PAGE} entries at a time.
 */
final class RedisUsageLedger implements UsageLedger {
    static final int PAGE = 1000;

    private final RedisConnection redis;

    RedisUsageLedger(RedisConnection redis) {
        this.redis = redis;
    }

    static String streamKey(String tenant) {
        return "tg:{t:" + tenant + "}:usage";
    }

    @Override
    public Uni<Void> append(UsageRecord record) {
        Request request = Request.cmd(Command.XADD).arg(streamKey(record.tenant())).arg("*");
        fields(record).forEach((name, value) -> request.arg(name).arg(value));
        return redis.send(request).replaceWithVoid();
    }

    @Override
    public Uni<List<UsageRecord>> read(String tenant, Instant from, Instant to) {
        StreamWindow window = StreamWindow.of(from, to);
        if (window.empty()) {
            return Uni.createFrom().item(List.of());
        }
        return page(tenant, window.start(), window.end(), new ArrayList<>());
    }

    private Uni<List<UsageRecord>> page(String tenant, String start, String end, List<UsageRecord> into) {
        Request request = Request.cmd(Command.XRANGE).arg(streamKey(tenant)).arg(start).arg(end)
                .arg("COUNT").arg(PAGE);
        return redis.send(request).chain(reply -> {
            String last = null;
            for (Response entry : reply) {
                last = entry.get(0).toString();
                into.add(record(tenant, last, entry.get(1)));
            }
            return last == null || reply.size() < PAGE ? Uni.createFrom().item(into)
                    : page(tenant, "(" + last, end, into);
        });
    }

    private static Map<String, String> fields(UsageRecord r) {
        Map<String, String> fields = new LinkedHashMap<>();
        text(fields, "request_id", r.requestId());
        text(fields, "tenant", r.tenant());
        text(fields, "key_id", r.keyId());
        text(fields, "model", r.model());
        text(fields, "backend", r.backend());
        fields.put("prompt_tokens", Integer.toString(r.promptTokens()));
        fields.put("completion_tokens", Integer.toString(r.completionTokens()));
        fields.put("estimated", Boolean.toString(r.estimated()));
        fields.put("latency_ms", Long.toString(r.latencyMillis()));
        fields.put("status", Integer.toString(r.status()));
        return fields;
    }

    private static void text(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    private static UsageRecord record(String tenant, String id, Response values) {
        Map<String, String> f = new HashMap<>();
        for (int i = 0; i + 1 < values.size(); i += 2) {
            f.put(values.get(i).toString(), values.get(i + 1).toString());
        }
        Instant at = Instant.ofEpochMilli(Long.parseLong(id.substring(0, id.indexOf('-'))));
        return new UsageRecord(at, f.get("request_id"), f.getOrDefault("tenant", tenant), f.get("key_id"),
                f.get("model"), f.get("backend"), intOf(f, "prompt_tokens"), intOf(f, "completion_tokens"),
                Boolean.parseBoolean(f.get("estimated")), Long.parseLong(f.getOrDefault("latency_ms", "0")),
                intOf(f, "status"));
    }

    private static int intOf(Map<String, String> fields, String name) {
        return Integer.parseInt(fields.getOrDefault(name, "0"));
    }

    /** Stream ids for {@code from <= at < to} at millisecond precision ({@code -}/{@code +} beyond the range). */
    record StreamWindow(String start, String end, boolean empty) {

        static StreamWindow of(Instant from, Instant to) {
            long start = ceilMillis(from);
            long endExclusive = ceilMillis(to);
            if (endExclusive <= Math.max(start, 0)) {
                return new StreamWindow("-", "-", true);
            }
            return new StreamWindow(start <= 0 ? "-" : Long.toString(start),
                    endExclusive == Long.MAX_VALUE ? "+" : Long.toString(endExclusive - 1), false);
        }

        /** The first whole millisecond at or after {@code instant}, clamped to the stream's 0..max id range. */
        static long ceilMillis(Instant instant) {
            if (instant.isBefore(Instant.EPOCH)) {
                return 0;
            }
            try {
                long millis = instant.toEpochMilli();
                return instant.getNano() % 1_000_000 == 0 ? millis : Math.addExact(millis, 1);
            } catch (ArithmeticException tooFar) {
                return Long.MAX_VALUE;
            }
        }
    }
}

package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.tokengate.storage.RedisConnection.Script;
import io.tokengate.tenant.Limits;
import io.tokengate.tenant.Limits.Period;
import io.tokengate.tenant.Limits.TokenBudget;
import io.tokengate.tenant.TenantStore.StoreUnavailable;
import io.tokengate.storage.RedisTopology;
import io.tokengate.testing.RedisReplicas;
import io.tokengate.testing.RedisServer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limit store contract against a real Redis server (one per class) and two replicas (two connections, two
 * Vert.x instances), plus what only Redis has: the key layout and TTLs, the versioned scripts, and outages.
 */
class RedisLimitStoreTest extends RedisLimitStoreContract {
    static final Script CALENDAR = Script.of("tg_test_calendar", LimitScripts.read("limits.lua") + """

            local out = {}
            for i = 1, #ARGV do
              for _, kind in ipairs({'d', 'm'}) do
                local id, ends = period(kind, tonumber(ARGV[i]))
                out[#out + 1] = id
                out[#out + 1] = ends
              end
            end
            return out
            """);
    static RedisServer server;
    static RedisReplicas replicas;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        replicas = new RedisReplicas(RedisTopology.standalone(server.url()));
    }

    @AfterAll
    static void stopRedis() {
        replicas.close();
        server.close();
    }

    @Override
    RedisReplicas replicas() {
        return replicas;
    }

    @Test
    void storesTheDocumentedLayoutInOneSlot() {
        LimitScope tenant = tenant(new Limits(60L, 600L, 2L, new TokenBudget(1000, Period.DAY)));
        long before = now();
        reserve("r-1", 100, tenant, key(new Limits(null, 1000L, null, null)));

        String day = dayId(before);
        assertThat(hash("tg:{t:acme}:res:r-1")).isEqualTo(Map.of("s", "live", "r", "100", "d", day,
                "m", day.substring(0, 6)));
        assertThat(hash("tg:{t:acme}:lim:tenant:rpm")).containsEntry("l", "59").containsKey("t");
        assertThat(hash("tg:{t:acme}:lim:tenant:tpm")).containsEntry("l", "500");
        assertThat(pttl("tg:{t:acme}:lim:tenant:tpm")).isBetween(10_000L, 11_000L);
        assertThat(strings(Request.cmd(Command.ZRANGE).arg("tg:{t:acme}:lim:tenant:conc").arg(0).arg(-1)))
                .containsExactly("r-1");
        assertThat(hash("tg:{t:acme}:lim:tenant:budget")).isEqualTo(Map.of("p", day, "u", "100"));
        assertThat(hash("tg:{t:acme}:lim:key:k1:tpm")).containsEntry("l", "900");
        assertThat(strings(Request.cmd(Command.KEYS).arg("*"))).hasSize(6)
                .allSatisfy(k -> assertThat(k).startsWith("tg:{t:acme}:"));
    }

    @Test
    void budgetCountersExpireAnHourAfterTheirPeriod() {
        long before = now();
        reserve("r-1", 100, tenant(budget(1000, Period.DAY)), key(budget(1000, Period.MONTH)),
                new LimitScope("acme", "model:m", budget(1000, Period.TOTAL)));

        LocalDate today = LocalDate.ofInstant(Instant.ofEpochMilli(before), ZoneOffset.UTC);
        long hour = Duration.ofHours(1).toMillis();
        long dayEnds = (today.toEpochDay() + 1) * DAY + hour - before;
        assertThat(pttl("tg:{t:acme}:lim:tenant:budget")).isBetween(dayEnds - 2_000, dayEnds);
        long monthEnds = today.withDayOfMonth(1).plusMonths(1).toEpochDay() * DAY + hour - before;
        assertThat(hash("tg:{t:acme}:lim:key:k1:budget")).containsEntry("p", dayId(before).substring(0, 6));
        assertThat(pttl("tg:{t:acme}:lim:key:k1:budget")).isBetween(monthEnds - 2_000, monthEnds);
        assertThat(hash("tg:{t:acme}:lim:model:m:budget")).isEqualTo(Map.of("p", "total", "u", "100"));
        assertThat(pttl("tg:{t:acme}:lim:model:m:budget")).isEqualTo(-1);
    }

    @Test
    void luaCalendarAgreesWithJava() {
        List<Long> instants = new ArrayList<>();
        for (long day = 0; day < LocalDate.of(2200, 1, 1).toEpochDay(); day += 5) {
            instants.add(day * DAY + day % 86_400 * 1000);
        }
        for (LocalDate month = LocalDate.of(1999, 1, 1); month.getYear() < 2102; month = month.plusMonths(1)) {
            instants.add(month.toEpochDay() * DAY - 1);
            instants.add(month.toEpochDay() * DAY);
        }
        Response reply = await(replicas.first().eval(CALENDAR, List.of(), instants.stream().map(String::valueOf).toList()));

        for (int i = 0; i < instants.size(); i++) {
            BudgetPeriod day = BudgetPeriod.of(Period.DAY, instants.get(i));
            BudgetPeriod month = BudgetPeriod.of(Period.MONTH, instants.get(i));
            assertThat(List.of(reply.get(4 * i).toString(), reply.get(4 * i + 1).toLong(),
                    reply.get(4 * i + 2).toString(), reply.get(4 * i + 3).toLong()))
                    .as("at %s", Instant.ofEpochMilli(instants.get(i)))
                    .isEqualTo(List.of(day.id(), day.endMillis(), month.id(), month.endMillis()));
        }
    }

    @Test
    void settleLeavesAShortLivedMarker() {
        LimitScope tenant = tenant(new Limits(null, null, 2L, null));
        reserve("r-1", 0, tenant);
        settle("r-1", 0, 0, tenant);

        assertThat(hash("tg:{t:acme}:res:r-1")).isEqualTo(Map.of("s", "settled"));
        assertThat(pttl("tg:{t:acme}:res:r-1")).isBetween(1L, Retention.SETTLED_MILLIS);
        assertThat(await(replicas.first().send(Request.cmd(Command.EXISTS).arg("tg:{t:acme}:lim:tenant:conc"))).toInteger())
                .isZero();
    }

    @Test
    void runsVersionedScriptsLoadedOnce() {
        assertThat(List.of(LimitScripts.ADMIT.name(), LimitScripts.EXTEND.name(), LimitScripts.SETTLE.name()))
                .containsExactly("tg_admit_v2", "tg_extend_v2", "tg_settle_v2");
        reserve("r-1", 1, tenant(tpm(10)));
        extend("r-1", 1, tenant(tpm(10)));
        settle("r-1", 2, 1, tenant(tpm(10)));

        Response exists = await(replicas.first().send(Request.cmd(Command.SCRIPT).arg("EXISTS").arg(LimitScripts.ADMIT.sha1())
                .arg(LimitScripts.EXTEND.sha1()).arg(LimitScripts.SETTLE.sha1())));
        assertThat(exists).extracting(Response::toInteger).containsExactly(1, 1, 1);
    }

    @Test
    void readsTheRepliesOfTheV1ScriptsWithoutBudgetStates() {
        Script v1 = Script.of("tg_test_v1_reply", "return {0, 2, 4, 5000, 10, 9, 6000, -1, -1, -1, -1, -1, -1, 600, 0, 60000}");
        List<LimitScope> scopes = List.of(tenant(new Limits(10L, null, null, new TokenBudget(5, Period.DAY))),
                key(new Limits(null, 600L, null, null)));
        assertThat(RedisLimitStore.decision(await(replicas.first().eval(v1, List.of(), List.of())), scopes)).isEqualTo(
                new LimitDecision(false, "key:k1", DenialReason.BUDGET, 5000, new RateLimitState(10, 9, 6000),
                        new RateLimitState(600, 0, 60000), null));
    }

    @Test
    void failsFastWhileRedisIsDownAndWorksAgainAfter() {
        LimitScope tenant = tenant(budget(1000, Period.TOTAL));
        server.stop();
        long started = System.nanoTime();
        assertThat(failure(store.reserve(id(), List.of(tenant), 1))).isInstanceOf(StoreUnavailable.class);
        assertThat(failure(store.settle(id(), List.of(tenant), 1, 0))).isInstanceOf(StoreUnavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(RedisReplicas.TIMEOUT.multipliedBy(2).plusMillis(500));

        server.restart();
        String first = id();
        assertThat(reserve(first, 600, tenant).granted()).isTrue();
        settle(first, 600, 100, tenant);
        assertThat(reserve(id(), 900, tenant).granted()).isTrue();
        assertThat(reserve(id(), 1, tenant).granted()).isFalse();
    }

    @Test
    void aSettleRetriedAfterATimeoutCountsOnce() {
        LimitScope tenant = tenant(budget(1000, Period.TOTAL));
        String first = id();
        reserve(first, 600, tenant);

        server.freeze();
        try {
            assertThat(failure(store.settle(first, List.of(tenant), 600, 100))).isInstanceOf(StoreUnavailable.class);
        } finally {
            server.thaw();
        }
        settle(first, 600, 100, tenant);
        assertThat(reserve(id(), 900, tenant).granted()).isTrue();
        assertThat(reserve(id(), 1, tenant).granted()).isFalse();
    }

    private static String dayId(long millis) {
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
        return String.format("%04d%02d%02d", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
    }

    private Map<String, String> hash(String key) {
        Response reply = await(replicas.first().send(Request.cmd(Command.HGETALL).arg(key)));
        Map<String, String> fields = new TreeMap<>();
        reply.getKeys().forEach(field -> fields.put(field, reply.get(field).toString()));
        return fields;
    }

    private long pttl(String key) {
        return await(replicas.first().send(Request.cmd(Command.PTTL).arg(key))).toLong();
    }

    private List<String> strings(Request request) {
        Response reply = await(replicas.first().send(request));
        return reply.stream().map(Response::toString).toList();
    }

    private static Throwable failure(Uni<?> uni) {
        return uni.onItem().transform(item -> (Throwable) null).onFailure().recoverWithItem(error -> error)
                .await().atMost(WAIT);
    }
}

package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.tokengate.tenant.Limits;
import io.tokengate.tenant.Limits.Period;
import io.tokengate.tenant.Limits.TokenBudget;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LimitStore} must have; run against memory ({@link InMemoryLimitStoreTest}) and a
 * real Redis ({@link RedisLimitStoreTest}). Time passes through {@link #elapse} (a fake clock, or sleeping), so
 * rates are small windows: 60/min is one per second.
 */
abstract class LimitStoreContract {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration LEASE = Duration.ofSeconds(1);
    static final long DAY = 86_400_000;
    static final int THREADS = 4;

    LimitStore store;
    private final AtomicInteger ids = new AtomicInteger();

    /** A new, empty store whose leases last {@link #LEASE}. */
    abstract LimitStore newStore();

    /** Another instance sharing the store's state (a second replica), or the store itself. */
    abstract LimitStore replica();

    /** Lets {@code duration} pass for the store. */
    abstract void elapse(Duration duration);

    /** The store's clock, epoch milliseconds. */
    abstract long now();

    @BeforeEach
    void setUp() {
        store = newStore();
    }

    @Test
    void reservesAllScopesOrNone() {
        LimitScope tenant = tenant(new Limits(1L, 600L, 1L, new TokenBudget(1000, Period.DAY)));
        LimitScope key = key(budget(10, Period.DAY));

        LimitDecision denied = reserve(id(), 50, tenant, key);
        assertThat(denied).extracting(LimitDecision::granted, LimitDecision::deniedScope, LimitDecision::reason)
                .containsExactly(false, "key:k1", DenialReason.BUDGET);
        assertThat(denied.tokens()).isEqualTo(new RateLimitState(600, 600, 0));

        LimitDecision granted = reserve(id(), 50, tenant);
        assertThat(granted.granted()).isTrue();
        assertThat(granted.requests()).isEqualTo(new RateLimitState(1, 0, 60_000));
        assertThat(granted.tokens()).isEqualTo(new RateLimitState(600, 550, 5_000));
    }

    @Test
    void checkAnswersAsReserveWouldAndReservesNothing() {
        LimitScope tenant = tenant(new Limits(2L, 600L, 1L, new TokenBudget(100, Period.DAY)));
        LimitScope key = key(budget(1000, Period.DAY));

        for (int i = 0; i < 3; i++) { // checking again and again takes nothing: no request, slot or token
            LimitDecision check = await(store.check(List.of(tenant, key), 60));
            assertThat(check.granted()).isTrue();
            assertThat(check.requests()).isEqualTo(new RateLimitState(2, 2, 0));
            assertThat(check.tokens()).isEqualTo(new RateLimitState(600, 600, 0));
        }
        assertThat(await(store.check(List.of(tenant, key), 101)))
                .extracting(LimitDecision::granted, LimitDecision::deniedScope, LimitDecision::reason)
                .containsExactly(false, "tenant", DenialReason.BUDGET);

        String held = id();
        assertThat(reserve(held, 60, tenant, key).granted()).isTrue(); // the one concurrency slot is taken
        assertThat(await(store.check(List.of(tenant, key), 10)))
                .extracting(LimitDecision::granted, LimitDecision::reason).containsExactly(false, DenialReason.CONCURRENCY);
        settle(held, 60, 60, tenant, key);
        assertThat(await(store.check(List.of(tenant, key), 41)))
                .extracting(LimitDecision::granted, LimitDecision::reason).containsExactly(false, DenialReason.BUDGET);
        LimitDecision fits = await(store.check(List.of(tenant, key), 40));
        assertThat(fits.granted()).isTrue();
        assertThat(fits.requests().remaining()).isEqualTo(1);
        assertThat(reserve(id(), 40, tenant, key).granted()).as("what check said fits still fits").isTrue();
    }

    @Test
    void burstGetsExactlyTheCapacityThenRefillsContinuously() {
        LimitScope tenant = tenant(new Limits(60L, null, null, null));

        List<LimitDecision> burst = concurrently(180, i -> store.reserve(id(), List.of(tenant), 1));
        assertThat(burst.stream().filter(LimitDecision::granted)).hasSize(60);
        assertThat(burst.stream().filter(d -> !d.granted())).hasSize(120).allSatisfy(d -> {
            assertThat(d.reason()).isEqualTo(DenialReason.REQUESTS_PER_MINUTE);
            assertThat(d.retryAfterMillis()).isBetween(1L, 1000L);
        });

        elapse(Duration.ofMillis(1100));
        assertThat(reserve(id(), 0, tenant).granted()).isTrue();
        assertThat(reserve(id(), 0, tenant).granted()).isFalse();
    }

    @Test
    void refusesMoreTokensThanTheWholeMinuteHolds() {
        LimitDecision denied = reserve(id(), 601, tenant(tpm(600)));
        assertThat(denied.reason()).isEqualTo(DenialReason.TOKENS_PER_MINUTE);
        assertThat(denied.retryAfterMillis()).isEqualTo(60_000);
    }

    @Test
    void settleGivesUnusedTokensBack() {
        LimitScope tenant = tenant(tpm(600));
        String first = id();
        assertThat(reserve(first, 500, tenant).tokens()).isEqualTo(new RateLimitState(600, 100, 50_000));

        settle(first, 500, 100, tenant);
        LimitDecision second = reserve(id(), 500, tenant);
        assertThat(second.granted()).isTrue();
        assertThat(second.tokens().remaining()).isLessThan(10);
        LimitDecision third = reserve(id(), 50, tenant);
        assertThat(third.reason()).isEqualTo(DenialReason.TOKENS_PER_MINUTE);
        assertThat(third.retryAfterMillis()).isBetween(3_000L, 5_000L);
    }

    @Test
    void settleChargesTokensBeyondTheReservation() {
        LimitScope tenant = tenant(budget(1000, Period.TOTAL));
        String first = id();
        reserve(first, 100, tenant);
        settle(first, 100, 300, tenant);

        assertThat(reserve(id(), 700, tenant).granted()).isTrue();
        assertThat(reserve(id(), 1, tenant).granted()).isFalse();
    }

    @Test
    void budgetIsNeverOverspentByConcurrentReplicas() {
        LimitScope tenant = tenant(budget(1000, Period.TOTAL));
        LimitStore other = replica();

        List<LimitDecision> all = concurrently(200, i -> (i % 2 == 0 ? store : other).reserve(id(), List.of(tenant), 7));
        assertThat(all.stream().filter(LimitDecision::granted)).hasSize(1000 / 7);
        assertThat(all.stream().filter(d -> !d.granted())).allSatisfy(d -> {
            assertThat(d.reason()).isEqualTo(DenialReason.BUDGET);
            assertThat(d.retryAfterMillis()).isEqualTo(DAY);
        });
        assertThat(reserve(id(), 1000 - 7 * (1000 / 7), tenant).granted()).isTrue();
        assertThat(reserve(id(), 1, tenant).granted()).isFalse();
    }

    @Test
    void mixedSizesNeverExceedTheBudget() {
        LimitScope tenant = tenant(budget(1000, Period.DAY));
        LimitStore other = replica();

        List<LimitDecision> all = concurrently(200,
                i -> (i % 2 == 0 ? store : other).reserve("mixed-" + i, List.of(tenant), i % 13 + 1));
        long spent = 0;
        for (int i = 0; i < all.size(); i++) {
            spent += all.get(i).granted() ? i % 13 + 1 : 0;
        }
        assertThat(spent).isLessThanOrEqualTo(1000);
        assertThat(reserve(id(), 1000 - spent, tenant).granted()).isTrue();
        assertThat(reserve(id(), 1, tenant).granted()).isFalse();
    }

    @Test
    void concurrencySlotsAreLeasesThatExpire() {
        LimitScope tenant = tenant(new Limits(null, null, 2L, null));
        String first = id();
        assertThat(reserve(first, 0, tenant).granted()).isTrue();
        assertThat(reserve(id(), 0, tenant).granted()).isTrue();
        LimitDecision full = reserve(id(), 0, tenant);
        assertThat(full).extracting(LimitDecision::reason, LimitDecision::retryAfterMillis)
                .containsExactly(DenialReason.CONCURRENCY, 1000L);

        settle(first, 0, 0, tenant);
        assertThat(reserve(id(), 0, tenant).granted()).isTrue();
        assertThat(reserve(id(), 0, tenant).granted()).isFalse();

        elapse(LEASE.plusMillis(200));
        assertThat(reserve(id(), 0, tenant).granted()).isTrue();
        assertThat(reserve(id(), 0, tenant).granted()).isTrue();
        assertThat(reserve(id(), 0, tenant).granted()).isFalse();
    }

    @Test
    void settlingTwiceIsSettlingOnce() {
        LimitScope tenant = tenant(budget(1000, Period.TOTAL));
        LimitScope key = key(tpm(600));
        String first = id();
        reserve(first, 500, tenant, key);
        settle(first, 500, 100, tenant, key);
        settle(first, 500, 100, tenant, key);

        assertThat(reserve(id(), 500, tenant, key).tokens().remaining()).isLessThan(10);
        assertThat(reserve(id(), 400, tenant).granted()).isTrue();
        assertThat(reserve(id(), 1, tenant).granted()).isFalse();
    }

    @Test
    void unknownReservationsGiveNothingBackAndSettledOnesStaySettled() {
        LimitScope tenant = tenant(budget(100, Period.TOTAL));
        assertThat(reserve(id(), 100, tenant).granted()).isTrue();
        settle("never-reserved", 100, 0, tenant);

        assertThat(reserve(id(), 1, tenant).granted()).isFalse();
        LimitDecision late = reserve("never-reserved", 0, tenant);
        assertThat(late).extracting(LimitDecision::granted, LimitDecision::reason)
                .containsExactly(false, DenialReason.CONCURRENCY);
    }

    @Test
    void reservingTheSameIdAgainConsumesOnce() {
        LimitScope tenant = tenant(new Limits(null, null, 1L, new TokenBudget(1000, Period.TOTAL)));
        String first = id();
        assertThat(reserve(first, 600, tenant).granted()).isTrue();
        assertThat(reserve(first, 600, tenant).granted()).isTrue();

        settle(first, 600, 600, tenant);
        assertThat(reserve(id(), 400, tenant).granted()).isTrue();
    }

    @Test
    void extendIsAllOrNoneAndRefusedOnceSettled() {
        LimitScope tenant = tenant(budget(1000, Period.TOTAL));
        LimitScope key = key(tpm(600));
        String first = id();
        reserve(first, 500, tenant, key);

        LimitDecision denied = extend(first, 200, tenant, key);
        assertThat(denied).extracting(LimitDecision::deniedScope, LimitDecision::reason)
                .containsExactly("key:k1", DenialReason.TOKENS_PER_MINUTE);
        LimitDecision granted = extend(first, 50, tenant, key);
        assertThat(granted.granted()).isTrue();
        assertThat(granted.tokens().remaining()).isLessThan(60);
        assertThat(reserve(id(), 450, tenant).granted()).isTrue();
        assertThat(reserve(id(), 1, tenant).reason()).isEqualTo(DenialReason.BUDGET);

        settle(first, 550, 550, tenant, key);
        assertThat(extend(first, 0, tenant, key).reason()).isEqualTo(DenialReason.CONCURRENCY);
    }

    @Test
    void extendRenewsTheLease() {
        LimitScope tenant = tenant(new Limits(null, null, 1L, null));
        String first = id();
        reserve(first, 0, tenant);
        elapse(LEASE.multipliedBy(6).dividedBy(10));
        assertThat(extend(first, 0, tenant).granted()).isTrue();

        elapse(LEASE.multipliedBy(6).dividedBy(10));
        assertThat(reserve(id(), 0, tenant).reason()).isEqualTo(DenialReason.CONCURRENCY);
        elapse(LEASE.multipliedBy(6).dividedBy(10));
        assertThat(reserve(id(), 0, tenant).granted()).isTrue();
    }

    @Test
    void headersShowTheTightestScope() {
        LimitScope tenant = tenant(new Limits(100L, 10_000L, null, null));
        LimitScope key = key(new Limits(10L, 100_000L, null, null));
        LimitScope model = new LimitScope("acme", "model:sim-llama", Limits.UNLIMITED);

        LimitDecision decision = reserve(id(), 50, tenant, key, model);
        assertThat(decision.requests()).isEqualTo(new RateLimitState(10, 9, 6_000));
        assertThat(decision.tokens()).isEqualTo(new RateLimitState(10_000, 9_950, 300));
        assertThat(reserve(id(), 50, model)).extracting(LimitDecision::requests, LimitDecision::tokens)
                .containsExactly(null, null);
    }

    @Test
    void decisionsReportTheBudgetWithTheLeastShareLeft() {
        LimitScope tenant = tenant(budget(1000, Period.MONTH));
        LimitScope key = key(budget(200, Period.TOTAL));
        LimitScope model = new LimitScope("acme", "model:sim-llama", new Limits(10L, null, null, null));
        long before = now();
        LocalDate today = LocalDate.ofInstant(Instant.ofEpochMilli(before), ZoneOffset.UTC);
        long monthEnd = today.withDayOfMonth(1).plusMonths(1).toEpochDay() * DAY;

        // tenant 950/1000, key 150/200: the key has the least share left; the model has no budget
        assertThat(reserve(id(), 50, tenant, key, model).budget()).isEqualTo(new RateLimitState(200, 150, -1));
        String big = id();
        LimitDecision tenantOnly = reserve(big, 500, tenant);
        assertThat(tenantOnly.budget()).extracting(RateLimitState::limit, RateLimitState::remaining)
                .containsExactly(1000L, 450L);
        assertThat(tenantOnly.budget().resetMillis()).isBetween(monthEnd - now() - 2_000, monthEnd - before);
        assertThat(tenantOnly.budget().remainingRatio()).isEqualTo(0.45);

        // tenant 440/1000 (0.44) is now tighter than key 140/200 (0.7)
        String small = id();
        assertThat(reserve(small, 10, tenant, key).budget()).extracting(RateLimitState::limit, RateLimitState::remaining)
                .containsExactly(1000L, 440L);
        LimitDecision denied = reserve(id(), 500, tenant, key);
        assertThat(denied.reason()).isEqualTo(DenialReason.BUDGET);
        assertThat(denied.budget()).as("before the refused call").extracting(RateLimitState::remaining).isEqualTo(440L);

        // settle gives 400 back to the tenant (840/1000); extend takes 40 more from both (800/1000, 100/200)
        settle(big, 500, 100, tenant);
        assertThat(extend(small, 40, tenant, key).budget()).isEqualTo(new RateLimitState(200, 100, -1));
        assertThat(reserve(small, 10, tenant, key).budget()).as("a retried reserve consumes nothing")
                .isEqualTo(new RateLimitState(200, 100, -1));
        assertThat(reserve(id(), 0, tenant).budget().remaining()).isEqualTo(800);
        assertThat(reserve(id(), 1, model).budget()).isNull();
    }

    @Test
    void budgetsWaitForTheNextPeriod() {
        long expectedDay = DAY - Math.floorMod(now(), DAY);
        LimitDecision day = reserve(id(), 11, tenant(budget(10, Period.DAY)));
        assertThat(day.reason()).isEqualTo(DenialReason.BUDGET);
        assertThat(day.retryAfterMillis()).isBetween(expectedDay - 2_000, expectedDay);

        long before = now();
        LocalDate today = LocalDate.ofInstant(Instant.ofEpochMilli(before), ZoneOffset.UTC);
        long expectedMonth = today.withDayOfMonth(1).plusMonths(1).toEpochDay() * DAY - before;
        LimitDecision month = reserve(id(), 11, key(budget(10, Period.MONTH)));
        assertThat(month.retryAfterMillis()).isBetween(expectedMonth - 2_000, expectedMonth);
    }

    @Test
    void refusesScopesOfSeveralTenants() {
        List<LimitScope> mixed = List.of(tenant(Limits.UNLIMITED), new LimitScope("globex", "tenant", null));
        assertThat(store.reserve(id(), mixed, 1).onItem().transform(d -> (Throwable) null)
                .onFailure().recoverWithItem(e -> e).await().atMost(WAIT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(await(store.reserve(id(), List.of(), 1))).isEqualTo(LimitDecision.UNLIMITED);
    }

    static LimitScope tenant(Limits limits) {
        return new LimitScope("acme", "tenant", limits);
    }

    static LimitScope key(Limits limits) {
        return new LimitScope("acme", "key:k1", limits);
    }

    static Limits tpm(long limit) {
        return new Limits(null, limit, null, null);
    }

    static Limits budget(long limit, Period period) {
        return new Limits(null, null, null, new TokenBudget(limit, period));
    }

    String id() {
        return "r-" + ids.incrementAndGet();
    }

    LimitDecision reserve(String id, long tokens, LimitScope... scopes) {
        return await(store.reserve(id, List.of(scopes), tokens));
    }

    LimitDecision extend(String id, long tokens, LimitScope... scopes) {
        return await(store.extend(id, List.of(scopes), tokens));
    }

    void settle(String id, long reserved, long actual, LimitScope... scopes) {
        await(store.settle(id, List.of(scopes), reserved, actual));
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    /** Runs {@code count} calls from {@value #THREADS} threads at once and returns their answers by index. */
    static List<LimitDecision> concurrently(int count, IntFunction<Uni<LimitDecision>> call) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<CompletableFuture<LimitDecision>>>> started = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int first = thread;
                started.add(pool.submit(() -> startEvery(first, count, call, start)));
            }
            start.countDown();
            LimitDecision[] answers = new LimitDecision[count];
            for (int thread = 0; thread < THREADS; thread++) {
                List<CompletableFuture<LimitDecision>> mine = started.get(thread).get();
                for (int j = 0; j < mine.size(); j++) {
                    answers[thread + THREADS * j] = mine.get(j).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            }
            return List.of(answers);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<CompletableFuture<LimitDecision>> startEvery(int first, int count,
            IntFunction<Uni<LimitDecision>> call, CountDownLatch start) throws InterruptedException {
        start.await();
        List<CompletableFuture<LimitDecision>> mine = new ArrayList<>();
        for (int i = first; i < count; i += THREADS) {
            mine.add(call.apply(i).subscribeAsCompletionStage());
        }
        return mine;
    }
}

package io.tokengate.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TenantStore} must have; run against memory ({@link InMemoryTenantStoreTest}) and a
 * real Redis ({@link RedisTenantStoreTest}). Each test starts from an empty store.
 */
abstract class TenantStoreContract {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger PROBES = new AtomicInteger();
    static final OidcBinding ACME_IDP = new OidcBinding("https://idp.acme.test/realms/acme", "tokengate");

    TenantStore store;

    /** A new, empty store. */
    abstract TenantStore newStore();

    /** The same data as another replica sees it (its own connection); the store itself where there is one replica. */
    abstract TenantStore otherInstance();

    @BeforeEach
    void setUp() {
        store = newStore();
    }

    @Test
    void createsReadsAndListsTenantsSortedById() {
        Tenant beta = tenant("beta", null);
        Tenant alpha = new Tenant("alpha", "Alpha", List.of("sim-llama", "sim-embed"), new Limits(60L, 10_000L, 4L,
                new Limits.TokenBudget(1_000_000, Limits.Period.MONTH)), ACME_IDP, Instant.now());
        assertThat(await(store.create(beta))).isEqualTo(beta);
        await(store.create(alpha));

        assertThat(await(store.tenant("alpha"))).contains(alpha);
        assertThat(await(store.tenant("nobody"))).isEmpty();
        assertThat(await(store.tenants())).containsExactly(alpha, beta);
        assertThat(await(store.tenantByIssuer(ACME_IDP.issuer(), ACME_IDP.audience()))).contains(alpha);
        assertThat(await(store.tenantByIssuer(ACME_IDP.issuer(), "other-audience"))).isEmpty();
    }

    @Test
    void refusesADuplicateIdAndADuplicateOidcPair() {
        await(store.create(tenant("acme", ACME_IDP)));

        assertThat(failure(store.create(tenant("acme", null)))).isInstanceOf(TenantStore.Conflict.class);
        assertThat(failure(store.create(tenant("acme-2", ACME_IDP)))).isInstanceOf(TenantStore.Conflict.class);
        assertThat(await(store.tenant("acme-2"))).isEmpty();
        OidcBinding sameIssuerOtherAudience = new OidcBinding(ACME_IDP.issuer(), "other");
        assertThat(await(store.create(tenant("acme-3", sameIssuerOtherAudience))).id()).isEqualTo("acme-3");
        assertThat(await(store.tenants())).extracting(Tenant::id).containsExactly("acme", "acme-3");
    }

    @Test
    void concurrentCreatesOfOneIdHaveExactlyOneWinner() {
        List<Throwable> outcomes = concurrently(20, i -> store.create(tenant("race", null)));

        assertThat(outcomes).filteredOn(e -> e == null).hasSize(1);
        assertThat(outcomes).filteredOn(e -> e != null).hasSize(19).allMatch(TenantStore.Conflict.class::isInstance);
    }

    @Test
    void concurrentCreatesOfOneOidcPairHaveExactlyOneWinner() {
        List<Throwable> outcomes = concurrently(20, i -> store.create(tenant("idp-" + i, ACME_IDP)));

        assertThat(outcomes).filteredOn(e -> e == null).hasSize(1);
        assertThat(outcomes).filteredOn(e -> e != null).hasSize(19).allMatch(TenantStore.Conflict.class::isInstance);
        assertThat(await(store.tenants())).hasSize(1);
        assertThat(await(store.tenantByIssuer(ACME_IDP.issuer(), ACME_IDP.audience()))).isPresent();
    }

    @Test
    void replacesATenantAndMovesItsOidcBinding() {
        await(store.create(tenant("acme", ACME_IDP)));
        OidcBinding moved = new OidcBinding("https://login.acme.test", "gateway");
        Tenant replaced = new Tenant("acme", "ACME Corp", List.of("sim-llama"), Limits.UNLIMITED, moved, Instant.now());

        assertThat(await(store.replace(replaced))).isEqualTo(replaced);
        assertThat(await(store.tenant("acme"))).contains(replaced);
        assertThat(await(store.tenantByIssuer(moved.issuer(), moved.audience()))).contains(replaced);
        assertThat(await(store.tenantByIssuer(ACME_IDP.issuer(), ACME_IDP.audience()))).isEmpty();
        assertThat(await(store.create(tenant("other", ACME_IDP))).id()).isEqualTo("other");
        assertThat(failure(store.replace(tenant("other", moved)))).isInstanceOf(TenantStore.Conflict.class);
    }

    @Test
    void replaceOfAMissingTenantIsNotFound() {
        assertThat(failure(store.replace(tenant("ghost", null)))).isInstanceOf(TenantStore.NotFound.class);
        assertThat(await(store.tenant("ghost"))).isEmpty();
    }

    @Test
    void deleteRemovesTheTenantFreesItsBindingAndRevokesItsKeys() {
        await(store.create(tenant("acme", ACME_IDP)));
        await(store.createKey(key("key000000001", "acme")));
        await(store.createKey(key("key000000002", "acme")));

        assertThat(await(store.delete("acme"))).isTrue();
        assertThat(await(store.tenant("acme"))).isEmpty();
        assertThat(await(store.tenants())).isEmpty();
        assertThat(await(store.tenantByIssuer(ACME_IDP.issuer(), ACME_IDP.audience()))).isEmpty();
        assertThat(await(store.key("key000000001")).orElseThrow().revokedAt()).isNotNull();
        assertThat(await(store.key("key000000002")).orElseThrow().usableAt(Instant.now())).isFalse();
        assertThat(await(store.delete("acme"))).isFalse();
        assertThat(await(store.create(tenant("successor", ACME_IDP))).id()).isEqualTo("successor");
    }

    @Test
    void createsListsAndRevokesKeys() {
        await(store.create(tenant("acme", null)));
        await(store.create(tenant("other", null)));
        ApiKeyRecord first = key("key000000001", "acme");
        ApiKeyRecord second = new ApiKeyRecord("key000000002", "acme", "ci", "hash-2", List.of("sim-llama"),
                new Limits(10L, null, null, null), first.createdAt().plusMillis(5), Instant.now().plusSeconds(3600), null);
        assertThat(await(store.createKey(second))).isEqualTo(second);
        await(store.createKey(first));

        assertThat(await(store.keys("acme"))).containsExactly(first, second);
        assertThat(await(store.keys("other"))).isEmpty();
        assertThat(await(store.key("key000000002"))).contains(second);
        assertThat(await(store.revokeKey("other", "key000000001"))).isFalse();
        assertThat(await(store.revokeKey("acme", "no-such-key"))).isFalse();
        assertThat(await(store.revokeKey("acme", "key000000001"))).isTrue();
        assertThat(await(store.key("key000000001")).orElseThrow().revokedAt()).isNotNull();
        assertThat(await(store.key("key000000002")).orElseThrow().revokedAt()).isNull();
        assertThat(await(store.keys("acme")).getFirst().revokedAt()).isNotNull();
    }

    @Test
    void refusesKeysOfMissingTenantsAndDuplicateKeyIds() {
        assertThat(failure(store.createKey(key("key000000001", "ghost")))).isInstanceOf(TenantStore.NotFound.class);
        assertThat(await(store.key("key000000001"))).isEmpty();
        await(store.create(tenant("acme", null)));
        await(store.createKey(key("key000000001", "acme")));
        assertThat(failure(store.createKey(key("key000000001", "acme")))).isInstanceOf(TenantStore.Conflict.class);
    }

    @Test
    void changesReachListenersOfAnotherInstanceWithinASecond() {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        otherInstance().onChange(seen::add);
        awaitSubscribed(store, seen);

        await(store.create(tenant("acme", null)));
        assertArrives(seen, "tenant:acme");
        await(store.replace(tenant("acme", ACME_IDP)));
        assertArrives(seen, "tenant:acme");
        await(store.createKey(key("key000000001", "acme")));
        await(store.revokeKey("acme", "key000000001"));
        assertArrives(seen, "key:key000000001");
        await(store.delete("acme"));
        assertArrives(seen, "tenant:acme");
    }

    /**
     * Makes throwaway changes through {@code via} until {@code seen} gets one (the subscription is live). Probe ids
     * are never reused, so a late notification of an earlier probe cannot pass for a live subscription.
     */
    static void awaitSubscribed(TenantStore via, Queue<String> seen) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String id = "probe-" + PROBES.incrementAndGet();
            if (via.create(tenant(id, null)).onFailure().recoverWithNull().await().atMost(WAIT) != null
                    && arrives(seen, "tenant:" + id, Duration.ofMillis(250))) {
                via.delete(id).await().atMost(WAIT);
                seen.clear();
                return;
            }
        }
        throw new AssertionError("no change notification arrived within " + WAIT);
    }

    static void assertArrives(Queue<String> seen, String change) {
        assertThat(arrives(seen, change, Duration.ofSeconds(1))).as("'%s' within 1 s, saw %s", change, seen).isTrue();
        seen.clear();
    }

    static boolean arrives(Queue<String> seen, String change, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!seen.contains(change)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause(10);
        }
        return true;
    }

    static Tenant tenant(String id, OidcBinding oidc) {
        return new Tenant(id, "Tenant " + id, List.of("*"), Limits.UNLIMITED, oidc, Instant.now());
    }

    static ApiKeyRecord key(String id, String tenant) {
        return new ApiKeyRecord(id, tenant, "key " + id, "hash-" + id, null, null, Instant.now(), null, null);
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    /** The failure of {@code uni}, or null if it succeeded. */
    static Throwable failure(Uni<?> uni) {
        return uni.onItem().transform(item -> (Throwable) null).onFailure().recoverWithItem(error -> error)
                .await().atMost(WAIT);
    }

    /** Runs {@code count} operations at once; the failure of each (null for success). */
    static List<Throwable> concurrently(int count, java.util.function.IntFunction<Uni<?>> operation) {
        List<Uni<Throwable>> outcomes = IntStream.range(0, count)
                .mapToObj(i -> operation.apply(i).onItem().transform(item -> (Throwable) null)
                        .onFailure().recoverWithItem(error -> error))
                .toList();
        return Uni.join().all(outcomes).andFailFast().await().atMost(WAIT);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

package io.tokengate.tenant;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tokengate.storage.RedisConnection;
import io.tokengate.storage.StoreUnavailable;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Tenants and keys in Redis, shared by every replica.
 *
 * <p>Keys: {@code tg:{t:<tenant>}:tenant} (the tenant's JSON) and {@code tg:{t:<tenant>}:keys} (set of its key
 * ids), hash-tagged per tenant; {@code tg:tenants} (set of tenant ids); {@code tg:key:<public id>} (the key's
 * JSON, with its tenant id); {@code tg:oidc:<sha256(issuer "\n" audience)>} (tenant id, see {@link OidcIndex}).
 *
 * <p>Atomicity without cross-slot commands (so the layout works on Redis Cluster as on one server): every write
 * is a single-key command. Create wins the id with {@code SET NX} on the tenant key (of concurrent creates of one
 * id exactly one succeeds), then claims the OIDC pair with {@code SET NX} on its index key; losing the pair rolls
 * the tenant key back (compare-and-delete of exactly what was written). Records are the source of truth; index
 * entries are added before and verified after use, so a step lost to an outage leaves at worst a stale index
 * entry that readers skip and new claims take over. Keys are revoked by compare-and-set on their JSON.
 *
 * <p>Every change publishes {@code tenant:<id>} or {@code key:<id>} on {@code tg:changes}; listeners get
 * changes made here at once and those of other replicas through the pub/sub subscription, and
 * {@link TenantStore#ANYTHING_CHANGED} whenever that subscription is (re)made (what was published while it was
 * down never arrives).
 */
final class RedisTenantStore implements TenantStore {
    private static final Logger LOG = Logger.getLogger(RedisTenantStore.class);
    static final String CHANNEL = "tg:changes";
    static final String INDEX = "tg:tenants";
    private static final int CAS_ATTEMPTS = 3;
    private static final int PARALLEL_REVOCATIONS = 8;

    private final RedisConnection redis;
    private final RedisCommands commands;
    private final TenantCodec codec;
    private final OidcIndex oidc;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean subscribed = new AtomicBoolean();

    RedisTenantStore(RedisConnection redis, ObjectMapper mapper) {
        this.redis = redis;
        this.commands = new RedisCommands(redis);
        this.codec = new TenantCodec(mapper);
        this.oidc = new OidcIndex(commands, codec);
    }

    static String tenantKey(String tenantId) {
        return "tg:{t:" + tenantId + "}:tenant";
    }

    static String keySetKey(String tenantId) {
        return "tg:{t:" + tenantId + "}:keys";
    }

    static String apiKeyKey(String publicId) {
        return "tg:key:" + publicId;
    }

    @Override
    public Uni<Tenant> create(Tenant tenant) {
        String json = codec.write(tenant);
        return commands.addMember(INDEX, tenant.id())
                .chain(() -> commands.setIfAbsent(tenantKey(tenant.id()), json))
                .chain(won -> won ? bind(tenant, json) : Uni.createFrom().failure(
                        new Conflict("tenant '" + tenant.id() + "' already exists")))
                .chain(() -> changed("tenant:" + tenant.id())).replaceWith(tenant);
    }

    @Override
    public Uni<Optional<Tenant>> tenant(String id) {
        return commands.get(tenantKey(id)).map(json -> Optional.ofNullable(json).map(codec::tenant));
    }

    @Override
    public Uni<List<Tenant>> tenants() {
        return all(INDEX, RedisTenantStore::tenantKey, codec::tenant)
                .map(list -> list.stream().sorted(Comparator.comparing(Tenant::id)).toList());
    }

    @Override
    public Uni<Tenant> replace(Tenant tenant) {
        return tenant(tenant.id()).chain(old -> old.isEmpty() ? Uni.createFrom().failure(missing(tenant.id()))
                : claim(tenant)
                        .chain(() -> commands.setIfPresent(tenantKey(tenant.id()), codec.write(tenant)))
                        .chain(written -> written ? unbind(old.get(), tenant.oidc())
                                : Uni.createFrom().failure(missing(tenant.id())))
                        .chain(() -> changed("tenant:" + tenant.id())).replaceWith(tenant));
    }

    @Override
    public Uni<Boolean> delete(String id) {
        return tenant(id).chain(old -> old.isEmpty() ? Uni.createFrom().item(false)
                : commands.delete(tenantKey(id)).chain(deleted -> !deleted ? Uni.createFrom().item(false)
                        : commands.removeMember(INDEX, id)
                                .chain(() -> unbind(old.get(), null))
                                .chain(() -> revokeAll(id))
                                .chain(() -> changed("tenant:" + id)).replaceWith(true)));
    }

    @Override
    public Uni<Optional<Tenant>> tenantByIssuer(String issuer, String audience) {
        OidcBinding binding = new OidcBinding(issuer, audience);
        return oidc.owner(binding).chain(owner -> owner.isEmpty() ? Uni.createFrom().item(Optional.<Tenant>empty())
                : tenant(owner.get()).map(found -> found.filter(t -> binding.equals(t.oidc()))));
    }

    @Override
    public Uni<ApiKeyRecord> createKey(ApiKeyRecord key) {
        return commands.exists(tenantKey(key.tenantId()))
                .chain(exists -> exists ? commands.setIfAbsent(apiKeyKey(key.id()), codec.write(key))
                        : Uni.createFrom().failure(missing(key.tenantId())))
                .chain(stored -> stored ? commands.addMember(keySetKey(key.tenantId()), key.id())
                        : Uni.createFrom().failure(new Conflict("key id '" + key.id() + "' already exists")))
                .chain(() -> commands.exists(tenantKey(key.tenantId())))
                .chain(stillThere -> stillThere ? changed("key:" + key.id())
                        : revoke(key.id(), key.tenantId(), CAS_ATTEMPTS)
                                .chain(() -> Uni.createFrom().failure(missing(key.tenantId()))))
                .replaceWith(key);
    }

    @Override
    public Uni<Optional<ApiKeyRecord>> key(String publicId) {
        return commands.get(apiKeyKey(publicId)).map(json -> Optional.ofNullable(json).map(codec::key));
    }

    @Override
    public Uni<List<ApiKeyRecord>> keys(String tenantId) {
        return all(keySetKey(tenantId), RedisTenantStore::apiKeyKey, codec::key)
                .map(list -> list.stream().filter(k -> tenantId.equals(k.tenantId()))
                        .sorted(Comparator.comparing(ApiKeyRecord::createdAt).thenComparing(ApiKeyRecord::id))
                        .toList());
    }

    @Override
    public Uni<Boolean> revokeKey(String tenantId, String keyId) {
        return revoke(keyId, tenantId, CAS_ATTEMPTS);
    }

    @Override
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
        if (subscribed.compareAndSet(false, true)) {
            redis.subscribe(CHANNEL, this::notifyListeners, () -> notifyListeners(ANYTHING_CHANGED));
        }
    }

    private Uni<Void> bind(Tenant tenant, String json) {
        return claim(tenant).onFailure().call(error -> commands.compareAndDelete(tenantKey(tenant.id()), json)
                .onFailure().recoverWithNull()
                .chain(() -> changed("tenant:" + tenant.id())));
    }

    private Uni<Void> claim(Tenant tenant) {
        return tenant.oidc() == null ? Uni.createFrom().voidItem() : oidc.claim(tenant.id(), tenant.oidc());
    }

    private Uni<Void> unbind(Tenant old, OidcBinding kept) {
        return old.oidc() == null || old.oidc().equals(kept) ? Uni.createFrom().voidItem()
                : oidc.release(old.id(), old.oidc());
    }

    private Uni<Void> revokeAll(String tenantId) {
        return commands.members(keySetKey(tenantId)).onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUni(id -> revoke(id, tenantId, CAS_ATTEMPTS)).merge(PARALLEL_REVOCATIONS)
                .collect().last().replaceWithVoid();
    }

    private Uni<Boolean> revoke(String keyId, String tenantId, int attempts) {
        return commands.get(apiKeyKey(keyId)).chain(json -> {
            ApiKeyRecord key = json == null ? null : codec.key(json);
            if (key == null || !Objects.equals(key.tenantId(), tenantId)) {
                return Uni.createFrom().item(false);
            }
            Uni<Boolean> stored = key.revokedAt() != null ? Uni.createFrom().item(true)
                    : commands.compareAndSet(apiKeyKey(keyId), json, codec.write(key.revoked(Instant.now())));
            return stored.chain(done -> done ? changed("key:" + keyId).replaceWith(true)
                    : attempts > 1 ? revoke(keyId, tenantId, attempts - 1)
                    : Uni.createFrom().failure(new StoreUnavailable("key '" + keyId + "' is contended", null)));
        });
    }

    private <T> Uni<List<T>> all(String set, Function<String, String> keyOf, Function<String, T> decode) {
        return commands.members(set).chain(ids -> commands.getAll(ids.stream().map(keyOf).toList()))
                .map(values -> values.stream().filter(Objects::nonNull).map(decode).toList());
    }

    /** Tells local listeners at once and other replicas through pub/sub (best effort: the change is made). */
    private Uni<Void> changed(String what) {
        notifyListeners(what);
        return commands.publish(CHANNEL, what).onFailure().recoverWithUni(error -> {
            LOG.warnf("change '%s' stored but not published (%s); other replicas see it after their cache TTL",
                    what, error.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    private void notifyListeners(String what) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(what);
            } catch (RuntimeException e) {
                LOG.warnf(e, "tenant change listener failed on '%s'", what);
            }
        }
    }

    private static NotFound missing(String tenantId) {
        return new NotFound("tenant '" + tenantId + "' does not exist");
    }
}

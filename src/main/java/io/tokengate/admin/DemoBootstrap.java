package io.tokengate.admin;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.tokengate.auth.ApiKeys;
import io.tokengate.auth.Authenticator;
import io.tokengate.config.GatewayConfig;
import io.tokengate.config.InvalidConfigException;
import io.tokengate.tenant.ApiKeyRecord;
import io.tokengate.tenant.Limits;
import io.tokengate.tenant.Tenant;
import io.tokengate.tenant.TenantStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The embedded default's demo data: tenant {@code demo} (all models) and one key, printed once at start so the
 * README run command is usable at once. Off unless {@code tokengate.bootstrap.demo-tenant=true}, and refused in
 * the prod profile whatever the configuration says.
 */
@ApplicationScoped
class DemoBootstrap {
    private static final Logger LOG = Logger.getLogger(DemoBootstrap.class);
    static final String TENANT = "demo";

    void create(@Observes StartupEvent event, GatewayConfig config, TenantStore store, Authenticator authenticator) {
        if (!config.bootstrap().demoTenant()) {
            return;
        }
        if (ConfigUtils.getProfiles().contains("prod")) {
            LOG.warn("tokengate.bootstrap.demo-tenant is ignored in the prod profile");
            return;
        }
        ApiKeys.Minted key = config.bootstrap().demoKey().isPresent()
                ? authenticator.apiKeys().adopt(config.bootstrap().demoKey().get()) : authenticator.apiKeys().mint();
        if (key == null) {
            throw new InvalidConfigException("tokengate.bootstrap.demo-key",
                    "is not an API key of the form sk-tg-<12-char id>-<secret>");
        }
        Instant now = Instant.now();
        store.tenant(TENANT).await().indefinitely().ifPresentOrElse(t -> { },
                () -> store.create(new Tenant(TENANT, "Demo tenant", List.of("*"), Limits.UNLIMITED, null, now))
                        .await().indefinitely());
        if (store.key(key.publicId()).await().indefinitely().isPresent()) {
            LOG.infof("demo tenant '%s' ready; its configured key is already stored", TENANT);
            return; // a restart against shared storage with a fixed demo key
        }
        store.createKey(new ApiKeyRecord(key.publicId(), TENANT, "demo", key.secretHash(), null, null, now, null, null))
                .await().indefinitely();
        LOG.infof("demo tenant '%s' ready; its API key (shown once): %s", TENANT, key.fullKey());
    }
}

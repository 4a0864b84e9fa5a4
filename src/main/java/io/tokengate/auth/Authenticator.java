package io.tokengate.auth;

import io.smallrye.mutiny.Uni;
import io.tokengate.ingress.Exchange;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Stage 2, Authenticate: headers only, before the body is read. The foundation build has no credential store
 * yet: every call is the built-in {@code default} tenant with access to every model. API keys and OIDC tokens
 * replace this with the tenants work.
 */
@Singleton
public class Authenticator {
    static final Caller DEFAULT = new Caller("default", null, "anonymous", Set.of(Caller.ANY_MODEL));

    public Uni<Caller> authenticate(Exchange exchange) {
        return Uni.createFrom().item(DEFAULT);
    }
}

package io.tokengate.request;

import java.util.Set;

/**
 * Who is calling (the output of stage 2, Authenticate): the tenant, the key id (or null for tokens), the
 * subject, and the models the caller may use ({@code *} = all).
 */
public record Caller(String tenant, String keyId, String subject, Set<String> allowedModels) {
    public static final String ANY_MODEL = "*";

    public boolean mayUse(String model) {
        return allowedModels.contains(ANY_MODEL) || allowedModels.contains(model);
    }
}

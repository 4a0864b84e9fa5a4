package io.tokengate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.tenant.Limits;
import io.tokengate.tenant.OidcBinding;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Reads and validates admin request bodies field by field, so every error names the offending field. */
final class AdminRequests {
    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private AdminRequests() {}

    /** What a tenant body carries (the id may come from the path). */
    record TenantBody(String id, String displayName, List<String> allowedModels, Limits limits, OidcBinding oidc,
            Map<String, Limits> modelLimits) {}

    /** What a key-creation body carries. */
    record KeyBody(String name, List<String> allowedModels, Limits limits, Instant expiresAt) {}

    static TenantBody tenant(JsonNode body, String pathId) {
        JsonNode json = object(body);
        String id = pathId != null ? pathId : requiredText(json, "id");
        if (pathId != null && json.hasNonNull("id") && !pathId.equals(json.get("id").asText())) {
            throw invalid("id", "must match the tenant id in the path.");
        }
        if (!TENANT_ID.matcher(id).matches()) {
            throw invalid("id", "use 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit.");
        }
        String name = optionalText(json, "display_name");
        return new TenantBody(id, name == null ? id : name, models(json, "allowed_models", true),
                limits(json.get("limits"), "limits"), oidc(json.get("oidc")), modelLimits(json.get("model_limits")));
    }

    private static Map<String, Limits> modelLimits(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw type("model_limits", "an object of model name to limits");
        }
        Map<String, Limits> byModel = new TreeMap<>();
        node.fields().forEachRemaining(e -> byModel.put(e.getKey(), limits(e.getValue(), "model_limits." + e.getKey())));
        return Map.copyOf(byModel);
    }

    static KeyBody key(JsonNode body) {
        JsonNode json = object(body);
        String name = optionalText(json, "name");
        Instant expires = instant(json, "expires_at");
        if (expires != null && !expires.isAfter(Instant.now())) {
            throw invalid("expires_at", "must be in the future.");
        }
        return new KeyBody(name == null ? "key" : name, models(json, "allowed_models", false),
                limits(json.get("limits"), "limits"), expires);
    }

    static Limits limits(JsonNode node, String param) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw type(param, "an object");
        }
        return new Limits(positive(node, param, "requests_per_minute"), positive(node, param, "tokens_per_minute"),
                positive(node, param, "max_concurrent_requests"), budget(node.get("token_budget"), param + ".token_budget"));
    }

    private static Limits.TokenBudget budget(JsonNode node, String param) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw type(param, "an object");
        }
        Long limit = positive(node, param, "limit");
        if (limit == null) {
            throw new GatewayFailure(new GatewayError.MissingField(param + ".limit"));
        }
        String period = node.hasNonNull("period") ? node.get("period").asText() : "";
        return new Limits.TokenBudget(limit, switch (period) {
            case "day" -> Limits.Period.DAY;
            case "month" -> Limits.Period.MONTH;
            case "total" -> Limits.Period.TOTAL;
            default -> throw invalid(param + ".period", "must be 'day', 'month' or 'total'.");
        });
    }

    private static OidcBinding oidc(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw type("oidc", "an object");
        }
        String issuer = requiredText(node, "issuer", "oidc.issuer");
        String audience = requiredText(node, "audience", "oidc.audience");
        try {
            URI uri = URI.create(issuer);
            if (uri.getHost() == null || !(issuer.startsWith("https://") || issuer.startsWith("http://"))) {
                throw invalid("oidc.issuer", "must be an http(s) URL.");
            }
        } catch (IllegalArgumentException e) {
            throw invalid("oidc.issuer", "must be an http(s) URL.");
        }
        return new OidcBinding(issuer, audience);
    }

    private static List<String> models(JsonNode json, String param, boolean required) {
        JsonNode node = json.get(param);
        if (node == null || node.isNull()) {
            if (required) {
                throw new GatewayFailure(new GatewayError.MissingField(param));
            }
            return null;
        }
        if (!node.isArray()) {
            throw type(param, "an array of model names");
        }
        List<String> models = new ArrayList<>();
        node.forEach(model -> {
            if (!model.isTextual() || model.asText().isBlank()) {
                throw type(param, "an array of model names");
            }
            models.add(model.asText());
        });
        return List.copyOf(models);
    }

    private static Long positive(JsonNode node, String param, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 1) {
            throw invalid(param + "." + field, "must be a positive integer.");
        }
        return value.asLong();
    }

    private static Instant instant(JsonNode json, String param) {
        String text = optionalText(json, param);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(param, "must be an RFC 3339 instant such as 2027-01-31T00:00:00Z.");
        }
    }

    private static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new GatewayFailure(new GatewayError.MalformedJson("the body must be a JSON object"));
        }
        return body;
    }

    private static String requiredText(JsonNode json, String field) {
        return requiredText(json, field, field);
    }

    private static String requiredText(JsonNode json, String field, String param) {
        String text = optionalText(json, field, param);
        if (text == null || text.isBlank()) {
            throw new GatewayFailure(new GatewayError.MissingField(param));
        }
        return text;
    }

    private static String optionalText(JsonNode json, String field) {
        return optionalText(json, field, field);
    }

    private static String optionalText(JsonNode json, String field, String param) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw type(param, "a string");
        }
        return value.asText();
    }

    static GatewayFailure invalid(String param, String reason) {
        return new GatewayFailure(new GatewayError.InvalidValue(param, reason));
    }

    private static GatewayFailure type(String param, String expected) {
        return new GatewayFailure(new GatewayError.InvalidType(param, expected));
    }
}

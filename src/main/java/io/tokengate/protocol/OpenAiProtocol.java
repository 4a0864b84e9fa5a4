package io.tokengate.protocol;

import io.tokengate.config.GatewayConfig;
import io.tokengate.config.ModelRoute;
import io.tokengate.config.RouteTable;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.error.Json;
import io.tokengate.request.Caller;
import io.tokengate.request.Operation;
import io.tokengate.request.ParsedRequest.BodyLayout;
import io.tokengate.request.ParsedRequest;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Comparator;

/**
 * Stage 3, Parse: takes the body (read once by ingress, within its size limit), keeps the raw bytes, extracts
 * model, stream, max_tokens, stream_options and the prompt size, and resolves the model route the caller may use
 * (404 {@code model_not_found} otherwise). Fields that steer a shared backend's scheduling or cache are cut from what
 * is forwarded and the tenant's own {@code cache_salt} is set ({@link CacheSalt}).
 */
@Singleton
public class OpenAiProtocol {
    private final RouteTable routes;
    private final CacheSalt salts;

    @Inject
    public OpenAiProtocol(RouteTable routes, GatewayConfig config) {
        this(routes, CacheSalt.fromConfig(config));
    }

    OpenAiProtocol(RouteTable routes, CacheSalt salts) {
        this.routes = routes;
        this.salts = salts;
    }

    /**
     * Parses the raw JSON body of a proxied request (a pure function, unit-tested directly) and resolves the model
     * route the caller is entitled to.
     */
    public ParsedRequest parse(Operation operation, Caller caller, byte[] raw) {
        RequestScanner.Fields f = RequestScanner.scan(raw);
        requireFields(operation, f);
        ModelRoute route = entitled(caller, f.model);
        Integer maxTokens = f.maxCompletionTokens != null ? f.maxCompletionTokens : f.maxTokens;
        BodyLayout layout = new BodyLayout(f.objectStart, f.modelStart, f.modelEnd, f.streamOptionsStart,
                f.includeUsageStart, f.includeUsageEnd, f.streamOptionsEmpty, f.promptStart, f.cuts());
        return new ParsedRequest(caller, operation, f.model, route, f.stream && operation != Operation.EMBEDDINGS,
                f.includeUsage, maxTokens, f.prompt.estimatedTokens(), raw, layout, salts.of(caller.tenant()));
    }

    /** The model route the caller may use, or 404 {@code model_not_found}. */
    public ModelRoute entitled(Caller caller, String model) {
        return routes.model(model).filter(route -> caller.mayUse(route.name()))
                .orElseThrow(() -> new GatewayFailure(new GatewayError.ModelNotFound(model)));
    }

    /** {@code GET /v1/models}: the models this caller may use. */
    public Buffer modelList(Caller caller) {
        Collection<ModelRoute> all = routes.allModels();
        StringBuilder json = new StringBuilder(64 + all.size() * 96).append("{\"object\":\"list\",\"data\":[");
        String separator = "";
        for (ModelRoute model : all.stream().filter(m -> caller.mayUse(m.name())).sorted(
                Comparator.comparing(ModelRoute::name)).toList()) {
            json.append(separator).append(modelJson(model));
            separator = ",";
        }
        return Buffer.buffer(json.append("]}").toString());
    }

    /** {@code GET /v1/models/{model}}. */
    public Buffer model(Caller caller, String name) {
        return Buffer.buffer(modelJson(entitled(caller, name)));
    }

    private String modelJson(ModelRoute model) {
        return "{\"id\":" + Json.quote(model.name()) + ",\"object\":\"model\",\"created\":"
                + routes.createdEpochSeconds() + ",\"owned_by\":" + Json.quote(model.ownedBy()) + "}";
    }

    private static void requireFields(Operation operation, RequestScanner.Fields f) {
        if (f.model == null) {
            throw new GatewayFailure(new GatewayError.MissingField("model"));
        }
        String missing = switch (operation) {
            case CHAT_COMPLETIONS -> f.hasMessages ? null : "messages";
            case COMPLETIONS -> f.hasPrompt ? null : "prompt";
            case EMBEDDINGS -> f.hasInput ? null : "input";
            default -> null;
        };
        if (missing != null) {
            throw new GatewayFailure(new GatewayError.MissingField(missing));
        }
    }
}

package io.tokengate.protocol;

import io.smallrye.mutiny.Uni;
import io.tokengate.auth.Caller;
import io.tokengate.config.ModelRoute;
import io.tokengate.config.RouteTable;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.ingress.Endpoint;
import io.tokengate.ingress.Exchange;
import io.tokengate.protocol.ParsedRequest.BodyLayout;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.util.Collection;

/**
 * Stage 3, Parse: reads the body once, keeps the raw bytes, extracts model, stream, max_tokens, stream_options
 * and the prompt size, and checks that the caller may use the model (404 {@code model_not_found} otherwise).
 */
@Singleton
public class OpenAiProtocol {
    private final RouteTable routes;

    @Inject
    public OpenAiProtocol(RouteTable routes) {
        this.routes = routes;
    }

    /** Reads and parses the body of a proxied request. */
    public Uni<ParsedRequest> parse(Exchange exchange, Caller caller) {
        return exchange.readBody().map(body -> parse(exchange.endpoint(), caller, body.getBytes()))
                .invoke(request -> exchange.modelRequested(request.model()));
    }

    /** Parses raw JSON bytes; a pure function, unit-tested directly. */
    public ParsedRequest parse(Endpoint endpoint, Caller caller, byte[] raw) {
        RequestScanner.Fields f = RequestScanner.scan(raw);
        requireFields(endpoint, f);
        entitled(caller, f.model);
        Integer maxTokens = f.maxCompletionTokens != null ? f.maxCompletionTokens : f.maxTokens;
        BodyLayout layout = new BodyLayout(f.objectStart, f.modelStart, f.modelEnd, f.streamOptionsStart,
                f.includeUsageStart, f.includeUsageEnd, f.streamOptionsEmpty, f.promptStart);
        return new ParsedRequest(caller, endpoint, f.model, f.stream && endpoint != Endpoint.EMBEDDINGS,
                f.includeUsage, maxTokens, f.prompt.estimatedTokens(), raw, layout);
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
                java.util.Comparator.comparing(ModelRoute::name)).toList()) {
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
        return "{\"id\":" + io.tokengate.error.Json.quote(model.name()) + ",\"object\":\"model\",\"created\":"
                + routes.createdEpochSeconds() + ",\"owned_by\":" + io.tokengate.error.Json.quote(model.ownedBy()) + "}";
    }

    private static void requireFields(Endpoint endpoint, RequestScanner.Fields f) {
        if (f.model == null) {
            throw new GatewayFailure(new GatewayError.MissingField("model"));
        }
        String missing = switch (endpoint) {
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

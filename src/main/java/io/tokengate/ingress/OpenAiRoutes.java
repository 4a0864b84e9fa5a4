package io.tokengate.ingress;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.tokengate.config.GatewayConfig;
import io.tokengate.config.RouteTable;
import io.tokengate.error.ErrorCatalog;
import io.tokengate.error.GatewayError;
import io.tokengate.request.Operation;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stage 1, Match: the exact public routes on the Vert.x router (event loop), a request id, the body limit, and
 * OpenAI-format 404/405 for everything else under {@code /v1} and outside {@code /v1} and {@code /admin} (a 404
 * that points at {@code /v1}). {@code /q/health} and {@code /q/metrics} are not on this (public) port at all: they
 * are on the management interface ({@code quarkus.management.port}); the public port answers {@code /q/...} with
 * the same 404, unless an extension's own route there (the Dev UI in dev mode) takes the request first.
 */
@Singleton
public class OpenAiRoutes {
    private final RouteTable routes;
    private final RequestHandler pipeline;
    private final List<String> installed = new CopyOnWriteArrayList<>();
    private final Draining draining;
    private final BodyDrain.Limits limits;
    private final BodyMemory memory;
    /** Paths that neither the public API, the admin API nor Quarkus' own endpoints ({@code /q/...}) serve. */
    private static final String OUTSIDE_API = "^/(?!(v1|admin|q)(/|$)).*";
    /** After every extension's route: {@code /q/...} that no extension serves on the public port. */
    private static final int AFTER_EXTENSIONS = RouteConstants.ROUTE_ORDER_AFTER_DEFAULT + 1;

    /** Whoever runs matched requests (the pipeline). */
    public interface RequestHandler {
        void handle(Exchange exchange);
    }

    @Inject
    public OpenAiRoutes(RouteTable routes, RequestHandler pipeline, Draining draining, GatewayConfig config,
            BodyMemory memory) {
        this.memory = memory;
        this.limits = new BodyDrain.Limits(routes.maxBodyBytes(), config.limits().drainBytes(),
                config.limits().drainTimeout().toMillis());
        this.draining = draining;
        this.routes = routes;
        this.pipeline = pipeline;
    }

    void install(@Observes Router router) {
        for (Operation operation : Operation.values()) {
            router.route(operation.method(), routePath(operation)).handler(ctx -> match(ctx, operation));
            installed.add(operation.method().name() + " " + operation.path());
        }
        router.route("/v1/*").handler(this::unmatched);
        router.route("/v1").handler(this::unmatched);
        router.routeWithRegex(OUTSIDE_API).handler(this::unmatched);
        router.route("/q").order(AFTER_EXTENSIONS).handler(this::unmatched);
        router.route("/q/*").order(AFTER_EXTENSIONS).handler(this::unmatched);
    }

    void eagerStart(@Observes StartupEvent event) {
        // Resolves the route table at start so that a bad configuration fails the start, not the first request.
        routes.allModels();
    }

    /** The routes installed on the router ({@code "POST /v1/chat/completions"}), for the OpenAPI contract test. */
    public List<String> installedRoutes() {
        return List.copyOf(installed);
    }

    /** The path as a Vert.x route, e.g. {@code /v1/models/:model}. */
    private static String routePath(Operation operation) {
        return operation.path().replace("{model}", ":model");
    }

    private void match(RoutingContext ctx, Operation operation) {
        String requestId = RequestIds.accept(ctx.request().getHeader(Exchange.REQUEST_ID));
        if (draining.active()) {
            boolean h2 = ctx.request().version() == HttpVersion.HTTP_2;
            if (!h2) {
                ctx.response().putHeader("connection", "close");
            }
            new Exchange(ctx, operation, requestId, limits, memory).sendError(ErrorCatalog.describe(new GatewayError.ShuttingDown()));
            if (h2) {
                ctx.request().connection().shutdown(); // GOAWAY: streams under way finish, no new ones
            }
            return;
        }
        ctx.request().pause();
        pipeline.handle(new Exchange(ctx, operation, requestId, limits, memory));
    }

    private void unmatched(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String method = ctx.request().method().name();
        boolean pathKnown = Arrays.stream(Operation.values()).anyMatch(e -> matches(e, path));
        GatewayError error = pathKnown ? new GatewayError.MethodNotAllowed(method, path)
                : new GatewayError.UnknownRoute(method, path, suggestion(path));
        Exchange exchange = new Exchange(ctx, null, RequestIds.accept(ctx.request().getHeader(Exchange.REQUEST_ID)), limits, memory);
        exchange.sendError(ErrorCatalog.describe(error));
    }

    /** The public route {@code /v1 + path} when the path lacks only that prefix, else null. */
    private static String suggestion(String path) {
        String prefixed = "/v1" + path;
        return path.startsWith("/v1") ? null : Arrays.stream(Operation.values()).filter(e -> matches(e, prefixed))
                .findFirst().map(e -> e.method().name() + " " + prefixed).orElse(null);
    }

    private static boolean matches(Operation operation, String path) {
        String template = operation.path();
        int param = template.indexOf('{');
        if (param < 0) {
            return template.equals(path);
        }
        String prefix = template.substring(0, param);
        return path.startsWith(prefix) && path.length() > prefix.length() && path.indexOf('/', prefix.length()) < 0;
    }

}

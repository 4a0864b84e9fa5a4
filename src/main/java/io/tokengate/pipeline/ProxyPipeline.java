package io.tokengate.pipeline;

import io.smallrye.mutiny.Uni;
import io.tokengate.auth.Authenticator;
import io.tokengate.budget.BudgetGate;
import io.tokengate.budget.RateLimitHeaders;
import io.tokengate.budget.Reservation;
import io.tokengate.error.ErrorBody;
import io.tokengate.error.ErrorCatalog;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.ingress.Endpoint;
import io.tokengate.ingress.Exchange;
import io.tokengate.ingress.OpenAiRoutes;
import io.tokengate.observability.AccessLog;
import io.tokengate.observability.GatewayMetrics;
import io.tokengate.observability.RequestTrace;
import io.tokengate.observability.Tracing;
import io.tokengate.protocol.OpenAiProtocol;
import io.tokengate.protocol.ParsedRequest;
import io.tokengate.protocol.Usage;
import io.tokengate.relay.Outcome;
import io.tokengate.relay.ResponseRelay;
import io.tokengate.config.ModelRoute;
import io.tokengate.routing.RoutePlan;
import io.tokengate.routing.RoutePlanner;
import io.tokengate.upstream.UpstreamDispatcher;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The one place the order of a request's eight stages is written:
 * match → authenticate → parse → admit → route → dispatch → relay → settle.
 * Stage 1 (match) happens in {@link OpenAiRoutes}, which hands each matched request here.
 */
@Singleton
public class ProxyPipeline implements OpenAiRoutes.RequestHandler {
    private static final Logger LOG = Logger.getLogger(ProxyPipeline.class);
    private final Authenticator authenticator;
    private final OpenAiProtocol protocol;
    private final BudgetGate budget;
    private final RoutePlanner planner;
    private final UpstreamDispatcher dispatcher;
    private final ResponseRelay relay;
    private final AccessLog accessLog;
    private final GatewayMetrics metrics;
    private final Tracing tracing;

    @Inject
    public ProxyPipeline(Authenticator authenticator, OpenAiProtocol protocol, BudgetGate budget,
            RoutePlanner planner, UpstreamDispatcher dispatcher, ResponseRelay relay, AccessLog accessLog,
            GatewayMetrics metrics, Tracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.authenticator = authenticator;
        this.protocol = protocol;
        this.budget = budget;
        this.planner = planner;
        this.dispatcher = dispatcher;
        this.relay = relay;
        this.accessLog = accessLog;
    }

    @Override
    public void handle(Exchange exchange) {
        if (!exchange.endpoint().proxied()) {
            listModels(exchange);
            return;
        }
        RequestTrace trace = tracing.start(exchange);                                   // 1 match (done: a span)
        trace.stage("authenticate", () -> authenticator.authenticate(exchange))         // 2 authenticate
                .invoke(exchange::identified)
                .chain(caller -> trace.stage("parse", () -> protocol.parse(exchange, caller))) // 3 parse
                .call(request -> trace.stage("route.await_capacity",                   // (5) a pool at zero: wake it
                        () -> planner.awaitCapacity(model(request))))                  //     and wait before admit,
                                                                                       //     so waiting spends no quota
                .chain(request -> trace.stage("admit", () -> budget.admit(request)))   // 4 admit
                .invoke(reservation -> RateLimitHeaders.of(reservation.decision()).forEach(exchange.response()::putHeader))
                .chain(reservation -> proxy(exchange, reservation, trace)              // 5-7
                        .onFailure().recoverWithItem(failure -> failed(exchange, failure))
                        .invoke(outcome -> trace.run("settle", () -> settle(exchange, reservation, outcome)))) // 8 settle, always
                .onFailure().recoverWithItem(failure -> failed(exchange, failure))
                .subscribe().with(outcome -> ended(exchange, outcome, trace));
    }

    private void ended(Exchange exchange, Outcome outcome, RequestTrace trace) {
        metrics.record(exchange, outcome);
        accessLog.record(exchange, outcome, trace == null ? null : trace.traceId());
        if (trace != null) {
            trace.finish();
        }
    }

    private void settle(Exchange exchange, Reservation reservation, Outcome outcome) {
        budget.settle(reservation, outcome, exchange.requestId(), (System.nanoTime() - exchange.startNanos()) / 1_000_000);
    }

    private Uni<Outcome> proxy(Exchange exchange, Reservation reservation, RequestTrace trace) {
        ParsedRequest request = reservation.request();
        return trace.stage("route", () -> Uni.createFrom().item(() -> route(request))) // 5 route
                .chain(plan -> trace.stage("dispatch", span -> {                       // 6 dispatch (retry unit)
                    exchange.traceHeaders(trace.headers(span));
                    return dispatcher.dispatch(exchange, request, plan);
                }))
                .chain(upstream -> trace.stage("relay", span -> relay.relay(exchange, request, upstream, // 7 relay
                                budget.allowance(reservation))
                        .invoke(outcome -> trace.describe(span, GatewayMetrics.operation(exchange.endpoint()),
                                request.model(), outcome)))
                        .eventually(upstream::release));
    }

    private ModelRoute model(ParsedRequest request) {
        return protocol.entitled(request.caller(), request.model());
    }

    private RoutePlan route(ParsedRequest request) {
        ModelRoute model = model(request);
        return planner.route(model, request.promptPrefix(RoutePlanner.prefixBytes(model)));
    }

    private void listModels(Exchange exchange) {
        authenticator.authenticate(exchange)
                .invoke(exchange::identified)
                .map(caller -> exchange.endpoint() == Endpoint.LIST_MODELS ? protocol.modelList(caller)
                        : protocol.model(caller, exchange.modelParam()))
                .map(json -> {
                    exchange.sendJson(200, json);
                    return new Outcome(200, Usage.NONE, null, null, 0, System.nanoTime());
                })
                .onFailure().recoverWithItem(failure -> failed(exchange, failure))
                .subscribe().with(outcome -> ended(exchange, outcome, null));
    }

    /** Sends the catalogued error (or nothing, if the client left) and describes the outcome. */
    private static Outcome failed(Exchange exchange, Throwable failure) {
        GatewayError error = GatewayFailure.of(failure);
        if (error instanceof GatewayError.Internal) {
            LOG.errorf(failure, "request %s failed unexpectedly", exchange.requestId());
        }
        ErrorBody body = ErrorCatalog.describe(error);
        exchange.sendError(body);
        int status = exchange.clientGone() ? 499 : body.status();
        return new Outcome(status, Usage.NONE, body.code(), null, 0, System.nanoTime());
    }
}

package io.tokengate.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions}, streamed or not. Every valid request is looked
 * up in the simulator's {@link PrefixCache} first (whatever its {@code "sim"} field then does with it).
 */
final class CompletionHandler {

    private final Vertx vertx;
    private final SimState state;
    private final boolean chat;

    CompletionHandler(Vertx vertx, SimState state, boolean chat) {
        this.vertx = vertx;
        this.state = state;
        this.chat = chat;
    }

    void handle(Exchange exchange, JsonNode root) {
        if (!valid(exchange, root)) {
            return;
        }
        state.prefixCacheLookup(chat ? PrefixCache.chatPrompt(root.get("messages"))
                : PrefixCache.completionPrompt(root.get("prompt")));
        SimControls controls = SimControls.of(root).orCutAfter(state.faults().cutAll());
        if (controls.intercept(exchange)) {
            return;
        }
        SimulatorSettings settings = state.settings();
        if (settings.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.errorRate()) {
            exchange.sendError(500, "simulated failure", null);
            return;
        }
        GenerationPlan plan = GenerationPlan.of(chat, root, settings, controls);
        state.slots().submit(vertx, plan.totalMs(), () -> {
            if (plan.stream()) {
                new TokenStream(vertx, exchange, plan).start();
            } else {
                answerLater(exchange, plan);
            }
        });
    }

    private boolean valid(Exchange exchange, JsonNode root) {
        JsonNode model = root.get("model");
        if (model == null || !model.isTextual() || model.textValue().isEmpty()) {
            exchange.sendError(400, "you must provide a model parameter", null);
            return false;
        }
        JsonNode input = root.get(chat ? "messages" : "prompt");
        boolean ok = chat ? input != null && input.isArray() && !input.isEmpty()
                : input != null && (input.isTextual() || input.isArray());
        if (!ok) {
            exchange.sendError(400, chat ? "'messages' must be a non-empty array" : "'prompt' is required", null);
        }
        return ok;
    }

    /** One timer for the whole generation time, cancelled if the caller goes away. */
    private void answerLater(Exchange exchange, GenerationPlan plan) {
        long delay = plan.totalMs();
        if (delay <= 0) {
            answer(exchange, plan);
            return;
        }
        long timer = vertx.setTimer(delay, id -> answer(exchange, plan));
        exchange.onAbort(() -> vertx.cancelTimer(timer));
    }

    private void answer(Exchange exchange, GenerationPlan plan) {
        Buffer body = Buffer.buffer(new CompletionJson(plan).full());
        if (plan.cutAfter() >= 0) {
            exchange.sendTruncated(body);
        } else {
            exchange.sendJson(200, body);
        }
    }
}

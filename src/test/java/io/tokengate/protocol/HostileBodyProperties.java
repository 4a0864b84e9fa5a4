package io.tokengate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tokengate.config.ModelRoute;
import io.tokengate.config.RouteTable;
import io.tokengate.error.ErrorBody;
import io.tokengate.error.ErrorCatalog;
import io.tokengate.error.GatewayFailure;
import io.tokengate.request.Caller;
import io.tokengate.request.Operation;
import io.tokengate.testing.hostile.HostileArbitraries;
import io.tokengate.testing.hostile.HostileBody;
import io.tokengate.testing.hostile.PostRoute;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Parse (stage 3) against generated hostile bodies (jqwik, with shrinking): every one is refused with the catalogued
 * 4xx the contract names, never another exception. {@code HostileInputTest} sends the same generators over HTTP.
 */
class HostileBodyProperties {
    private static final Caller ANYONE = new Caller("t", null, "s", Set.of("*"));
    private final OpenAiProtocol protocol = new OpenAiProtocol(new RouteTable(Map.of(
            "sim-llama", new ModelRoute("sim-llama", "sim-llama", List.of(), "x"),
            "sim-embed", new ModelRoute("sim-embed", "sim-embed", List.of(), "x")), Map.of(), 1000, 100, 0), CacheSalt.random());

    @Property(tries = 1000)
    void aMistypedFieldAmongAnythingIsRefusedWithItsStatus(@ForAll("wrongTyped") HostileBody body) {
        assertRefused(body);
    }

    @Property(tries = 300)
    void aBodyCutAnywhereIsMalformed(@ForAll("truncated") HostileBody body) {
        assertRefused(body);
    }

    @Property(tries = 300)
    void invalidUtf8AnywhereIsMalformed(@ForAll("corrupted") HostileBody body) {
        assertRefused(body);
    }

    @Provide
    Arbitrary<HostileBody> wrongTyped() {
        return HostileArbitraries.wrongTypedField();
    }

    @Provide
    Arbitrary<HostileBody> truncated() {
        return HostileArbitraries.truncated();
    }

    @Provide
    Arbitrary<HostileBody> corrupted() {
        return HostileArbitraries.corruptedUtf8();
    }

    private void assertRefused(HostileBody body) {
        Throwable thrown = catchThrowable(() -> protocol.parse(operation(body.route()), ANYONE, body.body()));
        assertThat(thrown).as(body.toString()).isInstanceOf(GatewayFailure.class);
        ErrorBody error = ErrorCatalog.describe(((GatewayFailure) thrown).error());
        assertThat(error.status()).as(body + " answered " + error).isEqualTo(body.expected());
    }

    private static Operation operation(PostRoute route) {
        return switch (route) {
            case CHAT -> Operation.CHAT_COMPLETIONS;
            case COMPLETIONS -> Operation.COMPLETIONS;
            case EMBEDDINGS -> Operation.EMBEDDINGS;
        };
    }
}

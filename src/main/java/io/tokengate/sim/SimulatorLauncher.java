package io.tokengate.sim;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tokengate.config.GatewayConfig;
import io.tokengate.config.SimulatorConfig;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Starts the built-in simulator inside the gateway process when {@code tokengate.simulator.enabled=true}. */
@ApplicationScoped
class SimulatorLauncher {
    private static final Logger LOG = Logger.getLogger(SimulatorLauncher.class);
    private Simulator simulator;

    void start(@Observes StartupEvent event, Vertx vertx, GatewayConfig config) {
        SimulatorConfig sim = config.simulator();
        if (!sim.enabled()) {
            return;
        }
        SimulatorSettings settings = new SimulatorSettings(sim.host(), sim.port(), sim.models(),
                sim.timeToFirstToken(), sim.interTokenLatency(), sim.outputTokens(), sim.errorRate());
        // One server instance: several instances sharing a fixed port fail to bind on the Quarkus-managed Vert.x.
        simulator = Simulator.start(vertx, settings, 1).toCompletionStage().toCompletableFuture().join();
        LOG.infof("built-in inference simulator listening on %s (tokengate.simulator.enabled=true)", simulator.baseUrl());
    }

    void stop(@Observes ShutdownEvent event) {
        if (simulator != null) {
            simulator.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}

package io.tokengate.ingress;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown, first step: from the moment the process is told to stop (SIGTERM), readiness is DOWN
 * ({@code io.tokengate.health.DrainingReadiness}) and
 * every new request, on any connection, gets 503 {@code server_shutting_down} with {@code Connection: close}
 * and {@code Retry-After}, so clients and load balancers move on. Requests already under way, streams included,
 * run to their end (bounded by {@code quarkus.shutdown.timeout}) and settle their reservations before exit.
 */
@Singleton
public class Draining {
    private static final Logger LOG = Logger.getLogger(Draining.class);
    private volatile boolean draining;

    void watch(@Observes StartupEvent event) {
        // Runs as soon as the JVM starts shutting down, alongside Quarkus' own graceful shutdown.
        Runtime.getRuntime().addShutdownHook(new Thread(this::begin, "tokengate-drain"));
    }

    /** Stops taking new requests. */
    public void begin() {
        if (!draining) {
            draining = true;
            LOG.info("shutting down: new requests are refused, requests under way finish");
        }
    }

    public boolean active() {
        return draining;
    }
}

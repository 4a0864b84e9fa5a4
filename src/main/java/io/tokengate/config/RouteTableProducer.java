package io.tokengate.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Compiles the configuration once; a bad configuration stops the start with the offending key named. */
@ApplicationScoped
public class RouteTableProducer {

    @Produces
    @Singleton
    RouteTable routeTable(GatewayConfig config) {
        return new RouteTableCompiler(System::getenv).compile(config);
    }
}

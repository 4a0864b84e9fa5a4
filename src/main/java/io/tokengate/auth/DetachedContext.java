package io.tokengate.auth;

import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * A routing context that is only a data map, for verifying a token outside an HTTP request: quarkus-oidc keeps its
 * per-verification state in the routing context's data, and a bearer-token verification needs nothing else from
 * it. Every other method fails loudly rather than pretending there is a request.
 */
final class DetachedContext implements InvocationHandler {
    private final Map<String, Object> data = new HashMap<>();

    private DetachedContext() {}

    static RoutingContext create() {
        return (RoutingContext) Proxy.newProxyInstance(RoutingContext.class.getClassLoader(),
                new Class<?>[] {RoutingContext.class}, new DetachedContext());
    }

    @Override
    public synchronized Object invoke(Object proxy, Method method, Object[] args) {
        int arity = args == null ? 0 : args.length;
        return switch (method.getName() + "/" + arity) {
            case "data/0" -> data;
            case "get/1" -> data.get((String) args[0]);
            case "get/2" -> data.getOrDefault((String) args[0], args[1]);
            case "put/2" -> {
                data.put((String) args[0], args[1]);
                yield proxy;
            }
            case "remove/1" -> data.remove((String) args[0]);
            case "hashCode/0" -> System.identityHashCode(proxy);
            case "equals/1" -> proxy == args[0];
            case "toString/0" -> "DetachedContext";
            default -> throw new UnsupportedOperationException("no HTTP request behind this context: " + method.getName());
        };
    }
}

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in OTLP/HTTP collector for benchmarks: accepts every POST (e.g. /v1/traces), reads the body, answers 200
 * with an empty protobuf body, and counts requests and bytes (printed on GET /stats). Run: java OtlpSink.java PORT
 */
public class OtlpSink {
    public static void main(String[] args) throws Exception {
        AtomicLong posts = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 64);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                bytes.addAndGet(in.readAllBytes().length);
            }
            byte[] answer = new byte[0];
            if ("GET".equals(exchange.getRequestMethod())) {
                answer = ("{\"posts\":" + posts.get() + ",\"bytes\":" + bytes.get() + "}").getBytes();
                exchange.getResponseHeaders().add("content-type", "application/json");
            } else {
                posts.incrementAndGet();
                exchange.getResponseHeaders().add("content-type", "application/x-protobuf");
            }
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        System.out.println("otlp sink on " + args[0]);
    }
}

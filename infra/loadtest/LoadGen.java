/*
 * tokengate fixed-rate (open-loop) load generator for OpenAI-compatible chat completions.
 *
 * Run as a JDK single-file source program (JDK 21+, no dependencies):
 *
 *   java infra/loadtest/LoadGen.java --url http://127.0.0.1:8080 --rate 100 --duration 20 --stream-share 0.3
 *
 * How it works
 *   - Request i is scheduled at t0 + i/rate, independent of how long earlier requests take (open loop).
 *     A fixed set of worker threads (--concurrency, the bound on in-flight requests) each claims the next
 *     request index, waits for its scheduled instant (park, then spin for the last ~250 us), and sends it.
 *     If every worker is busy the request starts late; that lag is reported, and the "corrected" latency
 *     (measured from the scheduled instant, as wrk2 does) includes it.
 *   - HTTP/1.1 over raw sockets (TLS via the JDK's default SSLSocketFactory with hostname verification),
 *     keep-alive connections in a LIFO pool, TCP_NODELAY, one write per request, System.nanoTime throughout.
 *   - latency = from the start of the request (connect if a new connection is needed, else the write)
 *     to the last byte of the response body; ttfb = to the arrival of the first response *body* byte
 *     (for SSE streams: the first event). Percentiles are nearest-rank, reported in microseconds.
 *   - A request is OK when the status is 2xx and, for streams, the body ends with "data: [DONE]".
 *   - The API key is read from an environment variable (default TOKENGATE_API_KEY), never from the command
 *     line, and is never printed.
 *
 * Output: one JSON line on stdout (machine-readable), a human-readable report on stderr,
 * optionally shell variable assignments (--env-out FILE) for scripts.
 */

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

public class LoadGen {

    /**
     * Spin (instead of park) for the last stretch before a scheduled send: a timed park alone wakes up
     * 50-200 us late, and on virtual machines with idle vCPUs about 1% of wake-ups are 1-4 ms late.
     * The window is min(--spin-us, a quarter of the interval between requests), so spinning costs at most
     * a quarter of a core (2.5% of a core at 100 req/s with the default 250 us). Longer windows did not help
     * on small (2 vCPU) machines: the spinning thread then competes with the targets for CPU.
     */
    final long spinNanos;
    /** A request starting more than this after its scheduled instant counts as "late". */
    static final long LATE_NANOS = 1_000_000;

    // ------------------------------------------------------------------------------------------------
    // Options
    // ------------------------------------------------------------------------------------------------

    static final class Options {
        String url;
        String model = "sim-llama";
        double rate = 100;
        double duration = 20;
        double warmup = 0;
        double streamShare = 0;
        int promptTokens = 16;
        int maxTokens = 16;
        int concurrency = 64;
        double timeout = 60;
        double connectTimeout = 5;
        long seed = 42;
        String apiKeyEnv = "TOKENGATE_API_KEY";
        String label = "";
        String envOut;
        String jsonOut;
        double progress = 0;
        long spinUs = 250;
        boolean quiet;
    }

    static final String USAGE = """
            usage: java LoadGen.java --url URL [options]
              --url URL             base URL (http://host:port) or full URL of the chat completions endpoint;
                                    /v1/chat/completions is appended unless the path already ends in /chat/completions
              --model NAME          model to request (default sim-llama)
              --rate R              requests per second, open loop (default 100)
              --duration S          measured seconds (default 20)
              --warmup S            seconds of traffic at the same rate before measuring, discarded (default 0)
              --stream-share F      probability that a request is streaming, 0..1 (default 0)
              --prompt-tokens N     approximate prompt size, ~4 characters per token (default 16)
              --max-tokens N        max_tokens of each request (default 16)
              --concurrency N       maximum requests in flight (worker threads) (default 64)
              --timeout S           socket read timeout per request (default 60)
              --connect-timeout S   TCP connect timeout (default 5)
              --seed N              seed of the streaming/non-streaming mix (default 42)
              --api-key-env NAME    environment variable holding the API key (default TOKENGATE_API_KEY);
                                    when set and non-empty it is sent as "Authorization: Bearer ..."
              --label TEXT          label echoed in the output
              --env-out FILE        also write results as shell variable assignments (LG_*) to FILE
              --json-out FILE       also write the JSON result line to FILE
              --progress S          print progress to stderr every S seconds (default off)
              --spin-us N           busy-wait at most N us before each scheduled send, for punctual starts
                                    (default 250; capped at a quarter of the interval between requests)
              --quiet               no human-readable report on stderr
            """;

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quiet")) { o.quiet = true; continue; }
            if (a.equals("-h") || a.equals("--help")) { System.out.print(USAGE); System.exit(0); }
            if (i + 1 >= args.length) die("missing value for " + a);
            String v = args[++i];
            switch (a) {
                case "--url" -> o.url = v;
                case "--model" -> o.model = v;
                case "--rate" -> o.rate = Double.parseDouble(v);
                case "--duration" -> o.duration = Double.parseDouble(v);
                case "--warmup" -> o.warmup = Double.parseDouble(v);
                case "--stream-share" -> o.streamShare = Double.parseDouble(v);
                case "--prompt-tokens" -> o.promptTokens = Integer.parseInt(v);
                case "--max-tokens" -> o.maxTokens = Integer.parseInt(v);
                case "--concurrency" -> o.concurrency = Integer.parseInt(v);
                case "--timeout" -> o.timeout = Double.parseDouble(v);
                case "--connect-timeout" -> o.connectTimeout = Double.parseDouble(v);
                case "--seed" -> o.seed = Long.parseLong(v);
                case "--api-key-env" -> o.apiKeyEnv = v;
                case "--label" -> o.label = v;
                case "--env-out" -> o.envOut = v;
                case "--json-out" -> o.jsonOut = v;
                case "--progress" -> o.progress = Double.parseDouble(v);
                case "--spin-us" -> o.spinUs = Long.parseLong(v);
                default -> die("unknown option " + a + "\n" + USAGE);
            }
        }
        if (o.url == null) die("--url is required\n" + USAGE);
        if (!(o.rate > 0)) die("--rate must be > 0");
        if (!(o.duration > 0)) die("--duration must be > 0");
        if (o.warmup < 0) die("--warmup must be >= 0");
        if (o.streamShare < 0 || o.streamShare > 1) die("--stream-share must be within 0..1");
        if (o.concurrency < 1) die("--concurrency must be >= 1");
        if (o.promptTokens < 1 || o.maxTokens < 1) die("--prompt-tokens and --max-tokens must be >= 1");
        return o;
    }

    static void die(String msg) {
        System.err.println("LoadGen: " + msg);
        System.exit(2);
    }

    // ------------------------------------------------------------------------------------------------
    // Target and request bytes
    // ------------------------------------------------------------------------------------------------

    record Target(boolean tls, String host, int port, String path, String hostHeader) {
        static Target of(String url) {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) die("--url must start with http:// or https://");
            boolean tls = scheme.equals("https");
            int port = u.getPort() > 0 ? u.getPort() : (tls ? 443 : 80);
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
            if (!path.endsWith("/chat/completions")) {
                path = path.endsWith("/v1") ? path + "/chat/completions" : path + "/v1/chat/completions";
            }
            if (u.getRawQuery() != null) path += "?" + u.getRawQuery();
            String host = u.getHost();
            String hostHeader = u.getPort() > 0 ? host + ":" + u.getPort() : host;
            return new Target(tls, host, port, path, hostHeader);
        }

        String display() { return (tls ? "https://" : "http://") + hostHeader + path; }
    }

    /** Filler prompt of about {@code tokens} tokens (~4 characters per token). */
    static String prompt(int tokens) {
        String words = "the quick brown fox jumps over the lazy dog while a gateway relays tokens ";
        StringBuilder sb = new StringBuilder(tokens * 4 + words.length());
        while (sb.length() < tokens * 4) sb.append(words);
        sb.setLength(tokens * 4);
        return sb.toString().strip();
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    static byte[] requestBytes(Options o, Target t, String apiKey, boolean stream) {
        String body = "{\"model\":" + jsonString(o.model)
                + ",\"messages\":[{\"role\":\"user\",\"content\":" + jsonString(prompt(o.promptTokens)) + "}]"
                + ",\"max_tokens\":" + o.maxTokens
                + (stream ? ",\"stream\":true" : "") + "}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder(256)
                .append("POST ").append(t.path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(t.hostHeader).append("\r\n")
                .append("User-Agent: tokengate-loadgen\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Accept: ").append(stream ? "text/event-stream" : "application/json").append("\r\n");
        if (apiKey != null) h.append("Authorization: Bearer ").append(apiKey).append("\r\n");
        h.append("Content-Length: ").append(b.length).append("\r\n\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(head, head.length + b.length);
        System.arraycopy(b, 0, all, head.length, b.length);
        return all;
    }

    // ------------------------------------------------------------------------------------------------
    // Minimal HTTP/1.1 client connection
    // ------------------------------------------------------------------------------------------------

    static final class Conn implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buf = new byte[32 * 1024];
        int pos, lim;
        long lastFillNanos;
        /** Bytes of the current response received so far (used to decide whether a retry is safe). */
        long received;

        Conn(Target t, int connectTimeoutMs, int readTimeoutMs) throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(t.host, t.port), connectTimeoutMs);
                s.setSoTimeout(readTimeoutMs);
                if (t.tls) {
                    SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                            .createSocket(s, t.host, t.port, true);
                    SSLParameters p = ssl.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    p.setApplicationProtocols(new String[] {"http/1.1"});
                    ssl.setSSLParameters(p);
                    ssl.startHandshake();
                    s = ssl;
                }
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
            in = s.getInputStream();
            out = s.getOutputStream();
        }

        void fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) throw new EOFException("connection closed by peer");
            lastFillNanos = System.nanoTime();
            pos = 0;
            lim = n;
            received += n;
        }

        /** Reads one CRLF- (or LF-) terminated line as ISO-8859-1, without the terminator. */
        String readLine() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            while (true) {
                if (pos == lim) fill();
                byte c = buf[pos++];
                if (c == '\n') break;
                if (sb.length() > 65536) throw new IOException("header line too long");
                sb.append((char) (c & 0xff));
            }
            int n = sb.length();
            if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
            return sb.toString();
        }

        @Override
        public void close() {
            try { socket.close(); } catch (IOException ignored) { }
        }
    }

    /** Keeps the first bytes (for error samples) and the last bytes (for the [DONE] check) of a body. */
    static final class BodySink {
        final ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        final byte[] tail = new byte[128];
        int tailLen;
        long total;
        long firstByteNanos;

        void accept(Conn c, int off, int len) {
            if (len == 0) return;
            if (firstByteNanos == 0) firstByteNanos = c.lastFillNanos;
            total += len;
            int h = Math.min(len, 2048 - head.size());
            if (h > 0) head.write(c.buf, off, h);
            if (len >= tail.length) {
                System.arraycopy(c.buf, off + len - tail.length, tail, 0, tail.length);
                tailLen = tail.length;
            } else {
                int keep = Math.min(tailLen, tail.length - len);
                System.arraycopy(tail, tailLen - keep, tail, 0, keep);
                System.arraycopy(c.buf, off, tail, keep, len);
                tailLen = keep + len;
            }
        }

        boolean endsWithDone() {
            String t = new String(tail, 0, tailLen, StandardCharsets.ISO_8859_1).stripTrailing();
            return t.endsWith("data: [DONE]") || t.endsWith("data:[DONE]");
        }

        String headText() { return head.toString(StandardCharsets.UTF_8); }
    }

    /** Outcome of one request; kind is "ok", "http_<status>", "incomplete_stream", "timeout" or "io". */
    record Sample(boolean stream, long scheduled, long begin, long firstByte, long end, int status, String kind,
                  String errorText) { }

    static final class Response {
        int status;
        boolean close;
    }

    /** Reads status line and headers; returns the body framing. Skips 1xx interim responses. */
    static Response readHead(Conn c, long[] framing) throws IOException {
        while (true) {
            String statusLine = c.readLine();
            if (statusLine.isEmpty()) continue; // tolerate a stray CRLF
            if (!statusLine.startsWith("HTTP/")) throw new IOException("bad status line: " + statusLine);
            String[] parts = statusLine.split(" ", 3);
            Response r = new Response();
            r.status = Integer.parseInt(parts[1].trim());
            boolean http10 = parts[0].equals("HTTP/1.0");
            r.close = http10;
            long contentLength = -1;
            boolean chunked = false;
            for (String line = c.readLine(); !line.isEmpty(); line = c.readLine()) {
                int colon = line.indexOf(':');
                if (colon <= 0) continue;
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> {
                        if (value.contains("close")) r.close = true;
                        else if (value.contains("keep-alive")) r.close = false;
                    }
                    default -> { }
                }
            }
            if (r.status >= 100 && r.status < 200) continue;
            // framing[0]: 0 = content-length, 1 = chunked, 2 = until close
            if (chunked) { framing[0] = 1; }
            else if (contentLength >= 0) { framing[0] = 0; framing[1] = contentLength; }
            else if (r.status == 204 || r.status == 304) { framing[0] = 0; framing[1] = 0; }
            else { framing[0] = 2; r.close = true; }
            return r;
        }
    }

    static void readFixed(Conn c, long n, BodySink sink) throws IOException {
        while (n > 0) {
            if (c.pos == c.lim) c.fill();
            int k = (int) Math.min(n, c.lim - c.pos);
            sink.accept(c, c.pos, k);
            c.pos += k;
            n -= k;
        }
    }

    static void readBody(Conn c, long[] framing, BodySink sink) throws IOException {
        if (framing[0] == 0) {
            readFixed(c, framing[1], sink);
        } else if (framing[0] == 1) {
            while (true) {
                String line = c.readLine();
                int semi = line.indexOf(';');
                String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
                if (hex.isEmpty()) continue;
                long size = Long.parseLong(hex, 16);
                if (size == 0) {
                    while (!c.readLine().isEmpty()) { } // trailers
                    return;
                }
                readFixed(c, size, sink);
                c.readLine(); // CRLF after chunk data
            }
        } else {
            try {
                while (true) {
                    if (c.pos == c.lim) c.fill();
                    sink.accept(c, c.pos, c.lim - c.pos);
                    c.pos = c.lim;
                }
            } catch (EOFException end) {
                // body delimited by connection close
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The run
    // ------------------------------------------------------------------------------------------------

    final Options o;
    final Target target;
    final byte[] plainRequest, streamRequest;
    final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
    final AtomicLong nextIndex = new AtomicLong();
    final AtomicLong connectionsOpened = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong done = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final long total, warmupCount;
    final boolean[] streamFlags;
    final Sample[] samples;
    long t0;

    LoadGen(Options o) {
        this.o = o;
        this.target = Target.of(o.url);
        String key = System.getenv(o.apiKeyEnv);
        if (key != null && key.isBlank()) key = null;
        this.plainRequest = requestBytes(o, target, key, false);
        this.streamRequest = requestBytes(o, target, key, true);
        this.warmupCount = Math.round(o.rate * o.warmup);
        this.total = warmupCount + Math.max(1, Math.round(o.rate * o.duration));
        if (total > 50_000_000) die("rate * (warmup + duration) is too large");
        this.streamFlags = new boolean[(int) total];
        SplittableRandom rnd = new SplittableRandom(o.seed);
        for (int i = 0; i < total; i++) streamFlags[i] = rnd.nextDouble() < o.streamShare;
        this.samples = new Sample[(int) total];
        this.spinNanos = Math.max(0, Math.min(o.spinUs * 1000, (long) (1e9 / o.rate / 4)));
    }

    long scheduledAt(long i) { return t0 + Math.round(i * 1e9 / o.rate); }

    static void waitUntil(long deadline, long spinNanos) {
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) return;
            if (remaining > spinNanos) LockSupport.parkNanos(remaining - spinNanos);
            else Thread.onSpinWait();
        }
    }

    void worker() {
        while (true) {
            long i = nextIndex.getAndIncrement();
            if (i >= total) return;
            long sched = scheduledAt(i);
            waitUntil(sched, spinNanos);
            inFlight.incrementAndGet();
            Sample s = execute(streamFlags[(int) i], sched);
            inFlight.decrementAndGet();
            samples[(int) i] = s;
            done.incrementAndGet();
            if (!s.kind().equals("ok")) failed.incrementAndGet();
        }
    }

    Conn open() throws IOException {
        Conn c = new Conn(target, (int) (o.connectTimeout * 1000), (int) Math.max(1, o.timeout * 1000));
        connectionsOpened.incrementAndGet();
        return c;
    }

    Sample execute(boolean stream, long sched) {
        long begin = System.nanoTime();
        Conn c = idle.pollFirst();
        boolean reused = c != null;
        for (int attempt = 0; ; attempt++) {
            BodySink sink = new BodySink();
            try {
                if (c == null) c = open();
                c.received = 0;
                c.out.write(stream ? streamRequest : plainRequest);
                c.out.flush();
                long[] framing = new long[2];
                Response r = readHead(c, framing);
                readBody(c, framing, sink);
                long end = System.nanoTime();
                if (r.close) c.close(); else idle.offerFirst(c);
                String kind;
                String text = null;
                if (r.status < 200 || r.status > 299) {
                    kind = "http_" + r.status;
                    text = sink.headText();
                } else if (stream && !sink.endsWithDone()) {
                    kind = "incomplete_stream";
                    text = sink.headText();
                } else {
                    kind = "ok";
                }
                return new Sample(stream, sched, begin, sink.firstByteNanos, end, r.status, kind, text);
            } catch (IOException | RuntimeException e) {
                boolean nothingReceived = c != null && c.received == 0;
                if (c != null) c.close();
                // A kept-alive connection the server closed while idle fails before any byte arrives:
                // retry once on a fresh connection, as HTTP clients do.
                if (reused && attempt == 0 && nothingReceived && !(e instanceof SocketTimeoutException)) {
                    retries.incrementAndGet();
                    c = null;
                    reused = false;
                    continue;
                }
                String kind = e instanceof SocketTimeoutException ? "timeout" : "io";
                String msg = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                return new Sample(stream, sched, begin, 0, System.nanoTime(), 0, kind, msg);
            }
        }
    }

    void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        // Start a little in the future so that all workers are parked when the first request is due.
        t0 = System.nanoTime() + 50_000_000;
        int workers = (int) Math.min(o.concurrency, total);
        for (int w = 0; w < workers; w++) {
            Thread t = new Thread(this::worker, "loadgen-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Thread progress = null;
        if (o.progress > 0) {
            progress = new Thread(() -> {
                long period = (long) (o.progress * 1e9);
                for (long next = t0 + period; ; next += period) {
                    waitUntil(next, 0);
                    if (Thread.currentThread().isInterrupted()) return;
                    double secs = (next - t0) / 1e9;
                    double measured = secs - o.warmup;
                    System.err.printf(Locale.ROOT, "  [%s%.0fs] done=%d failed=%d in-flight=%d%n",
                            measured < 0 ? "warm-up " : "", measured < 0 ? secs : measured,
                            done.get(), failed.get(), inFlight.get());
                }
            }, "loadgen-progress");
            progress.setDaemon(true);
            progress.start();
        }
        for (Thread t : threads) t.join();
        if (progress != null) progress.interrupt();
        for (Conn c; (c = idle.pollFirst()) != null; ) c.close();
    }

    // ------------------------------------------------------------------------------------------------
    // Statistics
    // ------------------------------------------------------------------------------------------------

    /** Nearest-rank percentiles over nanosecond values, reported in microseconds. */
    static final class Dist {
        final long[] v;

        Dist(long[] values) { v = values.clone(); Arrays.sort(v); }

        int count() { return v.length; }

        Double pct(double p) {
            if (v.length == 0) return null;
            int idx = (int) Math.ceil(p / 100.0 * v.length) - 1;
            return us(v[Math.max(0, Math.min(v.length - 1, idx))]);
        }

        Double mean() {
            if (v.length == 0) return null;
            double sum = 0;
            for (long x : v) sum += x;
            return Math.round(sum / v.length / 100.0) / 10.0;
        }

        Double max() { return v.length == 0 ? null : us(v[v.length - 1]); }

        static Double us(long nanos) { return Math.round(nanos / 100.0) / 10.0; }

        /** JSON object {"p50":..,"p90":..,"p99":..,"p999":..,"max":..,"mean":..} in microseconds. */
        String json() {
            return "{" + "\"p50\":" + num(pct(50)) + ",\"p90\":" + num(pct(90)) + ",\"p99\":" + num(pct(99))
                    + ",\"p999\":" + num(pct(99.9)) + ",\"max\":" + num(max()) + ",\"mean\":" + num(mean()) + "}";
        }
    }

    static String num(Double d) {
        if (d == null || d.isNaN() || d.isInfinite()) return "null";
        return String.format(Locale.ROOT, "%.1f", d);
    }

    static String num3(double d) { return String.format(Locale.ROOT, "%.3f", d); }

    static long[] collect(List<Sample> list, java.util.function.ToLongFunction<Sample> f) {
        return list.stream().mapToLong(f).toArray();
    }

    record ClassStats(int sent, int ok, Dist latency, Dist corrected, Dist ttfb) {
        static ClassStats of(List<Sample> all) {
            List<Sample> ok = all.stream().filter(s -> s.kind().equals("ok")).toList();
            return new ClassStats(all.size(), ok.size(),
                    new Dist(collect(ok, s -> s.end() - s.begin())),
                    new Dist(collect(ok, s -> s.end() - s.scheduled())),
                    new Dist(collect(ok.stream().filter(s -> s.firstByte() != 0).toList(),
                            s -> s.firstByte() - s.begin())));
        }

        String json() {
            return "{\"sent\":" + sent + ",\"ok\":" + ok + ",\"latency_us\":" + latency.json()
                    + ",\"corrected_latency_us\":" + corrected.json() + ",\"ttfb_us\":" + ttfb.json() + "}";
        }
    }

    void report(double wallSeconds) throws IOException {
        List<Sample> measured = new ArrayList<>();
        for (int i = (int) warmupCount; i < total; i++) if (samples[i] != null) measured.add(samples[i]);
        List<Sample> plain = measured.stream().filter(s -> !s.stream()).toList();
        List<Sample> streams = measured.stream().filter(Sample::stream).toList();
        ClassStats ps = ClassStats.of(plain), ss = ClassStats.of(streams), all = ClassStats.of(measured);

        Map<String, Integer> byKind = new TreeMap<>();
        Map<String, String> errorSamples = new TreeMap<>();
        for (Sample s : measured) {
            byKind.merge(s.kind(), 1, Integer::sum);
            if (!s.kind().equals("ok") && s.errorText() != null) errorSamples.putIfAbsent(s.kind(), s.errorText());
        }
        int ok = byKind.getOrDefault("ok", 0);
        int errors = measured.size() - ok;
        Dist lag = new Dist(collect(measured, s -> Math.max(0, s.begin() - s.scheduled())));
        long late = measured.stream().filter(s -> s.begin() - s.scheduled() > LATE_NANOS).count();
        // Measurement window: first measured scheduled instant to the last measured completion.
        long winStart = scheduledAt(warmupCount);
        long winEnd = measured.stream().mapToLong(Sample::end).max().orElse(winStart + 1);
        double window = Math.max(1e-9, (winEnd - winStart) / 1e9);
        double achieved = ok / window;

        // ---- JSON (stdout)
        StringBuilder j = new StringBuilder(2048);
        j.append("{\"tool\":\"tokengate-loadgen\",\"label\":").append(jsonString(o.label))
                .append(",\"url\":").append(jsonString(target.display()))
                .append(",\"model\":").append(jsonString(o.model))
                .append(",\"rate\":").append(num3(o.rate))
                .append(",\"duration_s\":").append(num3(o.duration))
                .append(",\"warmup_s\":").append(num3(o.warmup))
                .append(",\"stream_share\":").append(num3(o.streamShare))
                .append(",\"prompt_tokens\":").append(o.promptTokens)
                .append(",\"max_tokens\":").append(o.maxTokens)
                .append(",\"concurrency\":").append(o.concurrency)
                .append(",\"sent\":").append(measured.size())
                .append(",\"ok\":").append(ok)
                .append(",\"errors\":").append(errors)
                .append(",\"achieved_rps\":").append(num3(achieved))
                .append(",\"window_s\":").append(num3(window))
                .append(",\"wall_s\":").append(num3(wallSeconds))
                .append(",\"connections_opened\":").append(connectionsOpened.get())
                .append(",\"retries\":").append(retries.get())
                .append(",\"late_starts\":").append(late)
                .append(",\"start_lag_us\":").append(lag.json())
                .append(",\"by_outcome\":{");
        boolean first = true;
        for (var e : byKind.entrySet()) {
            j.append(first ? "" : ",").append(jsonString(e.getKey())).append(':').append(e.getValue());
            first = false;
        }
        j.append("},\"error_samples\":{");
        first = true;
        for (var e : errorSamples.entrySet()) {
            j.append(first ? "" : ",").append(jsonString(e.getKey())).append(':').append(jsonString(trim(e.getValue())));
            first = false;
        }
        j.append("},\"all\":").append(all.json())
                .append(",\"nonstream\":").append(ps.json())
                .append(",\"stream\":").append(ss.json()).append('}');
        String json = j.toString();
        System.out.println(json);
        System.out.flush();
        if (o.jsonOut != null) Files.writeString(Path.of(o.jsonOut), json + "\n");

        // ---- shell variables (--env-out)
        if (o.envOut != null) {
            StringBuilder e = new StringBuilder(1024);
            env(e, "LG_SENT", String.valueOf(measured.size()));
            env(e, "LG_OK", String.valueOf(ok));
            env(e, "LG_ERRORS", String.valueOf(errors));
            env(e, "LG_ACHIEVED_RPS", num3(achieved));
            env(e, "LG_LATE_STARTS", String.valueOf(late));
            env(e, "LG_LAG_P99_US", num(lag.pct(99)));
            env(e, "LG_CONNECTIONS", String.valueOf(connectionsOpened.get()));
            StringBuilder kinds = new StringBuilder();
            for (var k : byKind.entrySet()) {
                if (k.getKey().equals("ok")) continue;
                kinds.append(kinds.isEmpty() ? "" : " ").append(k.getKey()).append('=').append(k.getValue());
            }
            env(e, "LG_ERRORS_BY_KIND", kinds.toString());
            envClass(e, "LG_NS", ps);
            envClass(e, "LG_ST", ss);
            envClass(e, "LG_ALL", all);
            Files.writeString(Path.of(o.envOut), e.toString());
        }

        // ---- human-readable (stderr)
        if (!o.quiet) {
            PrintStream h = System.err;
            h.printf(Locale.ROOT, "%s%s  rate %.1f/s for %.1fs (+%.1fs warm-up), stream share %.2f, concurrency %d%n",
                    o.label.isEmpty() ? "" : "[" + o.label + "] ", target.display(), o.rate, o.duration, o.warmup,
                    o.streamShare, o.concurrency);
            h.printf(Locale.ROOT, "  sent %d, ok %d, errors %d, achieved %.1f ok/s, connections opened %d, late starts %d (start lag p99 %s us)%n",
                    measured.size(), ok, errors, achieved, connectionsOpened.get(), late, num(lag.pct(99)));
            if (errors > 0) {
                h.print("  errors by outcome:");
                for (var k : byKind.entrySet()) if (!k.getKey().equals("ok")) h.print(" " + k.getKey() + "=" + k.getValue());
                h.println();
                for (var k : errorSamples.entrySet()) h.println("    e.g. " + k.getKey() + ": " + trim(k.getValue()));
            }
            h.println("  latency in ms           n      p50      p90      p99    p99.9      max");
            if (ps.sent > 0) {
                row(h, "non-stream total", ps.latency);
                row(h, "non-stream corrected", ps.corrected);
            }
            if (ss.sent > 0) {
                row(h, "stream total", ss.latency);
                row(h, "stream corrected", ss.corrected);
                row(h, "stream TTFB", ss.ttfb);
            }
        }
    }

    static String trim(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    static void row(PrintStream h, String name, Dist d) {
        h.printf(Locale.ROOT, "  %-20s %6d %8s %8s %8s %8s %8s%n", name, d.count(), ms(d.pct(50)), ms(d.pct(90)),
                ms(d.pct(99)), ms(d.pct(99.9)), ms(d.max()));
    }

    static String ms(Double us) { return us == null ? "-" : String.format(Locale.ROOT, "%.3f", us / 1000.0); }

    static void env(StringBuilder e, String name, String value) {
        String v = value == null || value.equals("null") ? "" : value;
        e.append(name).append("='").append(v.replace("'", "'\\''")).append("'\n");
    }

    static void envClass(StringBuilder e, String p, ClassStats c) {
        env(e, p + "_SENT", String.valueOf(c.sent));
        env(e, p + "_OK", String.valueOf(c.ok));
        for (String[] q : new String[][] {{"P50", "50"}, {"P90", "90"}, {"P99", "99"}, {"P999", "99.9"}}) {
            double pct = Double.parseDouble(q[1]);
            env(e, p + "_" + q[0] + "_US", num(c.latency.pct(pct)));
            env(e, p + "_CORR_" + q[0] + "_US", num(c.corrected.pct(pct)));
            env(e, p + "_TTFB_" + q[0] + "_US", num(c.ttfb.pct(pct)));
        }
        env(e, p + "_MAX_US", num(c.latency.max()));
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        LoadGen g = new LoadGen(o);
        long start = System.nanoTime();
        g.run();
        g.report((System.nanoTime() - start) / 1e9);
    }
}

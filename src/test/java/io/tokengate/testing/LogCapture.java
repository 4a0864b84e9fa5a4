package io.tokengate.testing;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.formatters.PatternFormatter;

/** Captures everything logged in this JVM (all categories, all levels from INFO up) while attached. */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();
    private final ExtFormatter formatter = new PatternFormatter("%c %s%e");
    /** Root, plus the loggers that do not hand records up to root (the access log has its own handler). */
    private final java.util.List<org.jboss.logmanager.Logger> loggers = java.util.List.of(
            org.jboss.logmanager.Logger.getLogger(""), org.jboss.logmanager.Logger.getLogger("tokengate.access"));

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.loggers.forEach(logger -> logger.addHandler(capture));
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(formatter.format(record));
    }

    /** Everything captured so far, one string. */
    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        loggers.forEach(logger -> logger.removeHandler(this));
    }
}

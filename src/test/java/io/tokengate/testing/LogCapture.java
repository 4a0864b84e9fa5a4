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
    private final org.jboss.logmanager.Logger root = org.jboss.logmanager.Logger.getLogger("");

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.root.addHandler(capture);
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
        root.removeHandler(this);
    }
}

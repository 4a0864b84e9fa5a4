package io.tokengate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Another tenant's ordinary traffic, sent one request after another with the official SDK while a test misbehaves
 * as a client; closing it asserts that every one of them succeeded (and that there was at least one).
 */
final class Bystander implements AutoCloseable {
    private final OpenAIClient client;
    private final String model;
    private final AtomicInteger served = new AtomicInteger();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    Bystander(OpenAIClient client, String model) {
        this.client = client;
        this.model = model;
        this.thread = Thread.ofVirtual().start(this::loop);
    }

    private void loop() {
        for (int i = 0; !stopped; i++) {
            try {
                assertThat(client.chat().completions().create(ChatCompletionCreateParams.builder().model(model)
                        .addUserMessage("bystander " + i).maxCompletionTokens(4).build()).choices()).hasSize(1);
                served.incrementAndGet();
            } catch (Throwable t) {
                failures.add(t);
            }
        }
    }

    /** Requests served so far. */
    int served() {
        return served.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join();
        assertThat(failures).as("another tenant's requests meanwhile").isEmpty();
        assertThat(served.get()).as("another tenant's requests meanwhile").isPositive();
    }
}

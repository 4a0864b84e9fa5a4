package io.tokengate.sim;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Tests against one real simulator per test class, over HTTP, reset to its start settings before each test. */
abstract class SharedSimulatorTest {
    static SimHttp sim;

    @BeforeAll
    static void startSimulator() {
        sim = SimHttp.start();
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @BeforeEach
    void resetSimulator() {
        sim.sim.reset();
    }
}

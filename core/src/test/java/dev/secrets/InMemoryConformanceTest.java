package dev.secrets;

import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.BackendConformanceSuite;
import dev.secrets.testing.InMemoryObjectStore;

/** Core's own run of the conformance suite, on the in-memory store every core test uses. */
class InMemoryConformanceTest extends BackendConformanceSuite {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }
}

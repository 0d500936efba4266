package dev.secrets;

import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.ReadsAndVersionsSuite;

/** Batch reads, list filters, check-and-set and destroyed versions on the in-memory store (with ETags). */
class InMemoryReadsAndVersionsTest extends ReadsAndVersionsSuite {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }
}

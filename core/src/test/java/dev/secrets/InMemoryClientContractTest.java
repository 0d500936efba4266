package dev.secrets;

import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.ClientContract;
import dev.secrets.testing.InMemoryObjectStore;

/** Core's own run of the client contract, on the in-memory store (with ETags). */
class InMemoryClientContractTest extends ClientContract {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }
}

package dev.secrets;

import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.ObjectStoreContract;

/** The {@link ObjectStore} contract on the in-memory store every core test uses: it must keep the SPI's promises too. */
class InMemoryObjectStoreContractTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }
}

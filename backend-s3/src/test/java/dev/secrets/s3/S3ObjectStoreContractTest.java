package dev.secrets.s3;

import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.ObjectStoreContract;

/** The {@link ObjectStore} contract on the S3 store against a real s3proxy: a new bucket per test. */
class S3ObjectStoreContractTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore() {
        return S3ProxyServer.shared().newStore();
    }
}

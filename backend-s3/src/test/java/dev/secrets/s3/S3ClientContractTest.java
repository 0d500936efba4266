package dev.secrets.s3;

import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.ClientContract;

/** The client contract, unchanged, on the S3 store against a real s3proxy: a new bucket per test. */
class S3ClientContractTest extends ClientContract {
    @Override
    protected ObjectStore newStore() {
        return S3ProxyServer.shared().newStore();
    }
}

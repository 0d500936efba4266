package dev.secrets.s3;

import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.ReadsAndVersionsSuite;

/**
 * Batch reads, list filters, check-and-set and destroyed versions on the S3 store against a real
 * s3proxy, a new bucket per test; a destroyed version is looked for in every object of the bucket.
 */
class S3ReadsAndVersionsTest extends ReadsAndVersionsSuite {
    @Override
    protected ObjectStore newStore() {
        return S3ProxyServer.shared().newStore();
    }
}

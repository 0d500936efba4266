package dev.secrets.server;

import dev.secrets.s3.testing.S3ProxyServer;

/** The API contract on an S3 store (embedded s3proxy, a fresh bucket per test). */
class S3StoreApiTest extends SecretsManagerApiContract {
    @Override
    String storeUri() {
        S3ProxyServer s3 = S3ProxyServer.shared();
        return s3.storeUri(s3.newBucket(), "secrets");
    }
}

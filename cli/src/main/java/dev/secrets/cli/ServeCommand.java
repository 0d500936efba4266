package dev.secrets.cli;

import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.server.SecretsServer;
import dev.secrets.server.ServerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code secrets serve}: the AWS Secrets Manager API over the configured store, until SIGTERM/SIGINT. */
@Command(name = "serve", sortOptions = false, description = {"Serve the AWS Secrets Manager JSON API over the store,",
        "for the unchanged AWS SDKs and CLI. Clients sign with access keys ('secrets server access-key').",
        "Stops on SIGTERM or SIGINT after finishing in-flight requests. See docs/server.md."},
        footer = {"", "Example:", "  secrets server access-key create app --policy app-policy.json",
                "  secrets serve --address 0.0.0.0 --tls-cert tls.crt --tls-key tls.key",
                "  aws --endpoint-url https://HOST:8443 secretsmanager get-secret-value --secret-id prod/app-db"})
final class ServeCommand extends BaseCommand {
    @Option(names = "--address", paramLabel = "ADDR", description = "address to bind (secrets.server.address, default 127.0.0.1)")
    String address;

    @Option(names = "--port", paramLabel = "PORT", description = "port (secrets.server.port, default 8443 with TLS, 8080 without)")
    Integer port;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "certificate chain (secrets.server.tls.cert)")
    String cert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "private key (secrets.server.tls.key)")
    String key;

    @Option(names = "--insecure-http", description = "allow plain HTTP on a non-loopback address")
    boolean insecure;

    @Option(names = "--region", paramLabel = "REGION", description = "region of ARNs and signatures (default us-east-1)")
    String region;

    @Option(names = "--account", paramLabel = "DIGITS", description = "12-digit account of ARNs (default 000000000000)")
    String account;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> explicit = new LinkedHashMap<>();
        put(explicit, ServerConfig.ADDRESS, address);
        put(explicit, ServerConfig.PORT, port == null ? null : port.toString());
        put(explicit, ServerConfig.TLS_CERT, cert);
        put(explicit, ServerConfig.TLS_KEY, key);
        put(explicit, ServerConfig.INSECURE_HTTP, insecure ? "true" : null);
        put(explicit, ServerConfig.REGION, region);
        put(explicit, ServerConfig.ACCOUNT, account);
        SecretsConfig cfg = root().config().with(explicit);
        ServerConfig serverConfig = ServerConfig.from(cfg);
        SecretsClient client = SecretsClient.builder().config(cfg).environment(io().env()::get)
                .principal(cfg.get(SecretsConfig.PRINCIPAL).orElse("secrets-serve")).build();
        SecretsServer server;
        try {
            server = SecretsServer.start(client, serverConfig);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            client.close();
            stopped.countDown();
        }, "secrets-serve-stop"));
        err().println("secrets serve: listening on " + server.endpoint() + " (region " + serverConfig.region() + ")");
        stopped.await();
        return Main.OK;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}

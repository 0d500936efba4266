package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.testing.SoftHsm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key-provider commands of the real CLI jar against a real SoftHSM2 token: a key generated
 * inside the token, a master key moved from a file root to it with {@code keys rekey}, the old
 * root refused, {@code keys list} and {@code describe} showing the provider by scheme only, a
 * retired version, and the audit trail holding the rekey and the retirement.
 */
class KeyProvidersIT {
    @TempDir
    Path dir;

    @Test
    void generateInToken_rekeyFromFile_listDescribeRetire_audited() throws Exception {
        SoftHsm.start();
        String hsm = SoftHsm.uri(SoftHsm.TOKEN, "cli-master");
        CliProcess bare = new CliProcess(dir).env("SOFTHSM2_CONF", System.getenv("SOFTHSM2_CONF"))
                .env(SoftHsm.PIN_ENV, SoftHsm.PIN).env("SECRETS_STORE", "file:store").env("SECRETS_AUDIT_LOG", "audit.log");
        CliProcess.Result r = bare.run("init", "--generate-key", "old.key");
        assertThat(r.status()).as(r.toString()).isZero();
        CliProcess file = new CliProcess(dir).env("SOFTHSM2_CONF", System.getenv("SOFTHSM2_CONF")).env(SoftHsm.PIN_ENV, SoftHsm.PIN)
                .env("SECRETS_STORE", "file:store").env("SECRETS_AUDIT_LOG", "audit.log").env("SECRETS_KEY", "file:old.key");
        assertThat(file.run("create", "app/x", "--value", "xvalue").status()).isZero();

        r = file.run("keys", "generate", "--pkcs11", hsm);
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).contains("sensitive, non-extractable").doesNotContain(SoftHsm.PIN + "\n");

        r = file.run("keys", "rekey", "--to", hsm);
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).contains("is now under its new pkcs11 root");

        r = file.run("get", "app/x");
        assertThat(r.status()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("wrong master key");

        CliProcess token = new CliProcess(dir).env("SOFTHSM2_CONF", System.getenv("SOFTHSM2_CONF")).env(SoftHsm.PIN_ENV, SoftHsm.PIN)
                .env("SECRETS_STORE", "file:store").env("SECRETS_AUDIT_LOG", "audit.log").env("SECRETS_KEY", hsm);
        r = token.run("get", "app/x");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).contains("xvalue");

        assertThat(token.run("keys", "rotate").status()).isZero();
        assertThat(token.run("rewrap").status()).isZero();
        r = token.run("keys", "retire", "1");
        assertThat(r.status()).as(r.toString()).isZero();

        r = token.run("keys", "list");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out().strip()).isEqualTo("default  provider=pkcs11  v1=retired  v2=primary");
        r = token.run("describe", "app/x");
        assertThat(r.out()).contains("default (provider pkcs11)").doesNotContain("softhsm").doesNotContain(SoftHsm.PIN_ENV);
        // Without the root: the scheme is still shown, read from the keyring's header.
        r = bare.run("keys", "list");
        assertThat(r.out().strip()).as(r.toString()).isEqualTo("default  provider=pkcs11  (no root for it configured here)");

        String audit = Files.readString(dir.resolve("audit.log"));
        assertThat(audit).contains("\"action\":\"key.rekey\"").contains("\"action\":\"key.retire\"").doesNotContain(SoftHsm.PIN_ENV);
    }
}

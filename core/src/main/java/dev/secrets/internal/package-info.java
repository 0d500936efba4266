/**
 * The rooms behind {@link dev.secrets.SecretsClient}: reads ({@code SecretReads}), writes ({@code
 * SecretWrites}), deletion ({@code SecretLifecycle}), master keys ({@code KeyOperations}),
 * descriptions and listing ({@code SecretCatalog}), wired by {@code SecretsEngine}; input
 * validation. May import every other {@code internal} package.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal;

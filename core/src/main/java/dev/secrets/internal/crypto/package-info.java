/**
 * Primitives: AES-GCM, HMAC, Argon2id, root keys, keyrings in memory. Imports nothing of records or
 * storage.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal.crypto;

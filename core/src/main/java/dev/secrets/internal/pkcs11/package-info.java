/**
 * Master key roots in a PKCS#11 token (an HSM, SoftHSM): the URI, the session, the native calls.
 * Imports crypto.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal.pkcs11;

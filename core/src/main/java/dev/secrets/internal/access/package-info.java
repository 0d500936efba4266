/**
 * The encryption path's door into a {@link dev.secrets.SecretValue}'s stored form without a copy.
 * Imports only the API values.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal.access;

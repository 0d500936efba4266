/**
 * Keyrings of named master keys, stored in their own record logs and encrypted under their roots.
 * Imports crypto, json and store.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal.keys;

/**
 * Reads of many secrets at once: the batch read (one listing for many secrets, opened by the read
 * path) and sorted listing pages. Imports store.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal.read;

/**
 * The stored model of a secret (record, versions, rotation state, with their label and version
 * rules), its codec and envelope encryption. Imports access, crypto and json.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal.record;

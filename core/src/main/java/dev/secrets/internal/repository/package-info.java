/**
 * Loading, verifying, opening, sealing, listing and compare-and-set writing of secret records.
 * Imports record, keys, crypto and store; knows nothing of the cache or audit.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal.repository;

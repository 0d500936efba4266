/**
 * Storage above the object-store SPI: the record log (compare-and-set from create-if-absent, the
 * only parser of its key format), the store identity and last-access dates. Imports the SPI and
 * json.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal.store;

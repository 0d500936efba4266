/**
 * The built-in {@link dev.secrets.spi.DatabaseDialect}s, found by {@link java.util.ServiceLoader}.
 * Imports the SPI only.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal.dialect;

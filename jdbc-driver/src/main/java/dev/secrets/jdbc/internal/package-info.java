/**
 * The driver's machinery: URL parsing, connection profiles, the connect-and-retry loop, real-driver
 * lookup, masking of URLs.
 *
 * <p><b>Not API.</b> {@code internal} packages may change in any release, and no other module may import
 * them (checked by each module's {@code ArchitectureTest}).
 */
package dev.secrets.jdbc.internal;

/**
 * Audit dispatch (fail-closed rules, sinks of a client) and the {@code Auditor} every operation
 * records through. Imports the API and the SPI only.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal.audit;

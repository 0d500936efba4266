/**
 * The read cache of a client (TTL, size bound, stale-while-refresh on an injected scheduler) and
 * its coarse ticker. Imports audit, for the counters of cached reads.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal.cache;

/**
 * The rotation engine (four steps, lease, resume) behind its narrow {@code RotationSupport}, and
 * the built-in rotators. Imports record, access and json; not the engine or the client.
 *
 * <p><b>Not API.</b> {@code internal} packages are for this library's own modules; they may change
 * in any release, and no other module may import them (checked by {@code ArchitectureTest}).
 */
package dev.secrets.internal.rotation;

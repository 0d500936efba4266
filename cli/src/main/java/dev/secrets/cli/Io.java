package dev.secrets.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The streams and environment one command runs with: the process's own in {@link Main#main}, or
 * given ones when a command runs in-process.
 *
 * @param in       standard input (values, when no option gives one)
 * @param out      standard output (data; the only place a value is ever written, by {@code get})
 * @param err      standard error (errors, progress)
 * @param env      the environment ({@code SECRETS_*} settings, {@code env:} key URIs)
 * @param terminal whether a person is at a terminal (values are then read without echo)
 */
record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
}

package dev.secrets.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The command line's JSON mapper (indented output), in a class of its own so that it is built only
 * by a command that prints or reads JSON: building a mapper costs a short-lived {@code secrets get}
 * tens of milliseconds.
 */
final class CliJson {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CliJson() {
    }
}

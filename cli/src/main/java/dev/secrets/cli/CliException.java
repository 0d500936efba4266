package dev.secrets.cli;

/** An error the CLI itself detects (a file it cannot read, a command it cannot start); exit status 1. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}

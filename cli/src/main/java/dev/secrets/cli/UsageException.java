package dev.secrets.cli;

/** Options that do not go together, or a missing one that picocli cannot express; exit status 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}

package dev.secrets.server.internal.auth;

/**
 * The error classes of refused authentications as audit events name them ({@code server.auth},
 * outcome failure). They carry no message: no signature, key or body ever reaches the audit trail.
 */
public final class AuthFailures {
    private AuthFailures() {
    }

    /** The error an audit event names for AWS error type {@code type}. */
    public static RuntimeException of(String type) {
        switch (type) {
            case "MissingAuthenticationTokenException": return new MissingAuthenticationTokenException();
            case "IncompleteSignatureException": return new IncompleteSignatureException();
            case "UnrecognizedClientException": return new UnrecognizedClientException();
            default: return new InvalidSignatureException();
        }
    }

    static final class MissingAuthenticationTokenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingAuthenticationTokenException() {
            super(null, null, false, false);
        }
    }

    static final class IncompleteSignatureException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        IncompleteSignatureException() {
            super(null, null, false, false);
        }
    }

    static final class UnrecognizedClientException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnrecognizedClientException() {
            super(null, null, false, false);
        }
    }

    static final class InvalidSignatureException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidSignatureException() {
            super(null, null, false, false);
        }
    }
}

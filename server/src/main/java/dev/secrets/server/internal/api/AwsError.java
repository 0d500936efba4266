package dev.secrets.server.internal.api;

/**
 * An answer in AWS's error shape: {@code {"__type": TYPE, "message": MESSAGE}} with an HTTP status.
 * The message is shown to the caller, so it never holds a value, a signature or a stack trace.
 */
public final class AwsError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final int status;

    public AwsError(String type, int status, String message) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    private AwsError(String type, int status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.type = type;
        this.status = status;
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public static AwsError notFound(String message) {
        return new AwsError("ResourceNotFoundException", 400, message);
    }

    public static AwsError invalidParameter(String message) {
        return new AwsError("InvalidParameterException", 400, message);
    }

    public static AwsError invalidRequest(String message) {
        return new AwsError("InvalidRequestException", 400, message);
    }

    public static AwsError exists(String message) {
        return new AwsError("ResourceExistsException", 400, message);
    }

    public static AwsError serialization(String message) {
        return new AwsError("SerializationException", 400, message);
    }

    public static AwsError accessDenied(String message) {
        return new AwsError("AccessDeniedException", 400, message);
    }

    public static AwsError malformedPolicy(String message) {
        return new AwsError("MalformedPolicyDocumentException", 400, message);
    }

    public static AwsError unknownOperation(String message) {
        return new AwsError("UnknownOperationException", 400, message);
    }

    /** A temporary failure (the store did not answer, or the server is stopping): HTTP 503, which the SDKs retry. */
    public static AwsError unavailable() {
        return new AwsError("ServiceUnavailableException", 503, "The service is temporarily unavailable. Retry the request.");
    }

    public static AwsError internal() {
        return internal(null);
    }

    /** An unexpected failure: the caller sees no detail; {@code cause} is kept for the server's own log. */
    public static AwsError internal(Throwable cause) {
        return new AwsError("InternalServiceError", 500, "An error occurred on the server side.", cause);
    }
}

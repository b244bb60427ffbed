package dev.vigil.posture.cluster;

/** The API server could not be used: why, and a message for the user. */
public final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, which decides the exit code. */
  public enum Failure {
    /** No connection (refused, timed out, name not resolved) or a failed TLS handshake. */
    UNREACHABLE,
    /** 401: the credentials were refused. */
    UNAUTHORIZED,
    /** 403: not allowed to list this resource. */
    FORBIDDEN,
    /** 404: the server does not serve this resource (an old or trimmed API). */
    NOT_FOUND,
    /** 410: the list expired while it was being paged through. */
    EXPIRED,
    /** Another status, or a body that is not the JSON the API sends. */
    BAD_RESPONSE
  }

  private final Failure failure;

  public ApiException(Failure failure, String message) {
    super(message);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}

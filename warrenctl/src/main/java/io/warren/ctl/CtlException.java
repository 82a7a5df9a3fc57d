package io.warren.ctl;

/**
 * A failure to report to the user as one readable line and an exit code from {@link ExitCodes}.
 * Thrown on the thread that runs the command.
 */
public final class CtlException extends RuntimeException {
  private final int exitCode;

  public CtlException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}

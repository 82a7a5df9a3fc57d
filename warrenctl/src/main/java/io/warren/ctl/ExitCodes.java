package io.warren.ctl;

/**
 * warrenctl's exit codes: the BSD sysexits values that rabbitmqctl uses, so scripts written against
 * rabbitmqctl read them the same way. Constants only; any thread.
 */
public final class ExitCodes {
  /** The command did what it was asked. */
  public static final int OK = 0;
  /** Bad command line: unknown verb or option, missing argument, unsupported column (EX_USAGE). */
  public static final int USAGE = 64;
  /** The broker rejected the input (HTTP 400/413), or a JSON argument or file is malformed (EX_DATAERR). */
  public static final int DATA_ERROR = 65;
  /** The named user does not exist (EX_NOUSER). */
  public static final int NO_USER = 67;
  /**
   * The management API cannot be reached, or the named vhost, queue, policy, connection... does not exist
   * (EX_UNAVAILABLE; rabbitmqctl uses it for both).
   */
  public static final int UNAVAILABLE = 69;
  /** The broker answered with a server error or something warrenctl does not understand (EX_SOFTWARE). */
  public static final int SOFTWARE = 70;
  /** A local file cannot be read or written (EX_IOERR). */
  public static final int IO_ERROR = 74;
  /** The management API did not answer in time (EX_TEMPFAIL). */
  public static final int TIMEOUT = 75;
  /** Bad credentials (HTTP 401) or the user lacks the tag or permission for the call (HTTP 403) (EX_NOPERM). */
  public static final int NO_PERMISSION = 77;

  private ExitCodes() {
  }
}

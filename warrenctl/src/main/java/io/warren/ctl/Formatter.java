package io.warren.ctl;

/** How listings are printed: rabbitmqctl's tab-separated table, or a JSON array of objects. */
public enum Formatter {
  TABLE, JSON
}

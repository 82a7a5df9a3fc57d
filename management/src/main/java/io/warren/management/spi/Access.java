package io.warren.management.spi;

/** AMQP permission kinds, checked when the API acts on a resource for a non-administrator. */
public enum Access {
  CONFIGURE, WRITE, READ
}

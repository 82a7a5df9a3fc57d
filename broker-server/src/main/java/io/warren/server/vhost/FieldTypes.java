package io.warren.server.vhost;

import io.warren.amqp.ByteArray;
import io.warren.amqp.LongString;
import io.warren.amqp.Timestamp;
import io.warren.amqp.UnsignedByte;
import io.warren.amqp.UnsignedInt;
import io.warren.amqp.UnsignedShort;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Field-table values as RabbitMQ names and reads them in its argument checks and their error texts. Any thread. */
public final class FieldTypes {
  private FieldTypes() {}

  /** The value of an integer field of any width (RabbitMQ's byte, short, signedint, long, unsigned*), or null. */
  public static Long integer(Object v) {
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    } else if (v instanceof UnsignedByte u) {
      return (long) u.value();
    } else if (v instanceof UnsignedShort u) {
      return (long) u.value();
    } else if (v instanceof UnsignedInt u) {
      return u.value();
    }
    return null;
  }

  /** The value as RabbitMQ prints it in error texts. */
  public static String print(Object v) {
    Long i = integer(v);
    return i != null ? i.toString() : String.valueOf(v);
  }

  /** RabbitMQ's name for a field's type, as its error texts show it. */
  public static String name(Object v) {
    if (v instanceof Integer) {
      return "signedint";
    } else if (v instanceof Long) {
      return "long";
    } else if (v instanceof Short) {
      return "short";
    } else if (v instanceof Byte) {
      return "byte";
    } else if (v instanceof UnsignedByte) {
      return "unsignedbyte";
    } else if (v instanceof UnsignedShort) {
      return "unsignedshort";
    } else if (v instanceof UnsignedInt) {
      return "unsignedint";
    } else if (v instanceof Float) {
      return "float";
    } else if (v instanceof Double) {
      return "double";
    } else if (v instanceof BigDecimal) {
      return "decimal";
    } else if (v instanceof Boolean) {
      return "bool";
    } else if (v instanceof LongString || v instanceof String) {
      return "longstr";
    } else if (v instanceof ByteArray) {
      return "binary";
    } else if (v instanceof Timestamp) {
      return "timestamp";
    } else if (v instanceof List) {
      return "array";
    } else if (v instanceof Map) {
      return "table";
    } else if (v == null) {
      return "void";
    }
    return v.getClass().getSimpleName();
  }
}

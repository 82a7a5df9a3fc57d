package io.warren.management.api;

import io.warren.management.spi.AdminException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size as rabbitmqctl's set_vm_memory_high_watermark absolute and set_disk_free_limit take it: a whole number of
 * bytes, or one followed by RabbitMQ's units, k/kiB/M/MiB/G/GiB (powers of 1024) and kB/MB/GB (powers of 1000).
 * Stateless; any thread.
 */
final class InformationUnit {
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,18})(k|K|kiB|KiB|kib|KIB|kB|KB|kb|Kb"
      + "|m|M|MiB|mib|MIB|MB|mb|Mb|g|G|GiB|gib|GIB|GB|gb|Gb)?");

  private InformationUnit() {
  }

  /** The JSON value (a whole number, or a string with an optional unit) in bytes; a readable 400 otherwise. */
  static long bytes(String field, Object value) {
    if (value instanceof Number n) {
      if (n.doubleValue() >= 0 && n.doubleValue() == Math.floor(n.doubleValue()) && n.doubleValue() < 1e18) {
        return n.longValue();
      }
      throw AdminException.badRequest("'" + field + "' must be a whole number of bytes of 0 or more, got " + n);
    }
    if (value instanceof String s) {
      Matcher m = SIZE.matcher(s.trim());
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        long unit = unit(m.group(2));
        if (amount > Long.MAX_VALUE / unit) {
          throw AdminException.badRequest("'" + field + "' is too large: " + s);
        }
        return amount * unit;
      }
    }
    throw AdminException.badRequest("'" + field + "' must be a number of bytes, or one with a unit such as 512MiB or "
        + "2GB (k, kiB, M, MiB, G, GiB are powers of 1024; kB, MB, GB of 1000), got " + value);
  }

  private static long unit(String unit) {
    if (unit == null) {
      return 1;
    }
    boolean decimal = unit.length() == 2 && Character.toLowerCase(unit.charAt(1)) == 'b';
    long base = decimal ? 1000 : 1024;
    return switch (unit.toLowerCase(Locale.ROOT).charAt(0)) {
      case 'k' -> base;
      case 'm' -> base * base;
      default -> base * base * base;
    };
  }
}

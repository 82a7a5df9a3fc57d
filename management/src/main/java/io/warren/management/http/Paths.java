package io.warren.management.http;

import io.warren.management.spi.AdminException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a request target into decoded path segments and query parameters. Segments are split before decoding, so
 * the vhost "/" arrives as "%2F" in one segment, as RabbitMQ's API expects. A '+' in a path stays a '+'. Pure.
 */
public final class Paths {
  private Paths() {
  }

  public static List<String> segments(String target) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    List<String> out = new ArrayList<>();
    for (String raw : path.split("/", -1)) {
      if (!raw.isEmpty()) {
        out.add(decode(raw, false));
      }
    }
    if (path.endsWith("/") && path.length() > 1) {
      out.add(""); // "/api/queues/" is not "/api/queues"; keep the trailing empty segment for exact matching
    }
    return out;
  }

  public static Map<String, String> query(String target) {
    Map<String, String> out = new LinkedHashMap<>();
    int q = target.indexOf('?');
    if (q < 0) {
      return out;
    }
    for (String pair : target.substring(q + 1).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq), true);
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  /** Percent-decodes UTF-8; 400 on a broken escape or invalid UTF-8. */
  public static String decode(String s, boolean plusIsSpace) {
    if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw AdminException.badRequest("broken percent-escape in '" + s + "'");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw AdminException.badRequest("broken percent-escape in '" + s + "'");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw AdminException.badRequest("path or query is not valid UTF-8");
    }
  }

  /** Percent-encodes one path segment (for Location headers). */
  public static String encode(String segment) {
    StringBuilder sb = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }
}

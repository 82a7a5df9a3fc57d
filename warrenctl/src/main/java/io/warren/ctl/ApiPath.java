package io.warren.ctl;

import java.nio.charset.StandardCharsets;

/**
 * A path under {@code /api/} built from literal parts and names; names are percent-encoded whole, so a vhost
 * called {@code /} becomes {@code %2F} as the API expects. Immutable; any thread.
 */
public final class ApiPath {
  private final String encoded;
  private final String readable;

  private ApiPath(String encoded, String readable) {
    this.encoded = encoded;
    this.readable = readable;
  }

  /** {@code of("queues", vhost, name)}: the first part is literal, the others are names to encode. */
  public static ApiPath of(String literal, String... names) {
    StringBuilder enc = new StringBuilder(literal);
    StringBuilder read = new StringBuilder("/api/").append(literal);
    for (String name : names) {
      enc.append('/').append(encode(name));
      read.append('/').append(encode(name));
    }
    return new ApiPath(enc.toString(), read.toString());
  }

  /** The same path followed by a literal part ({@code contents}, {@code permissions}...). */
  public ApiPath then(String literal) {
    return new ApiPath(encoded + "/" + literal, readable + "/" + literal);
  }

  /** The same path with a query string, given already encoded. */
  public ApiPath query(String query) {
    return new ApiPath(encoded + "?" + query, readable + "?" + query);
  }

  String encoded() {
    return encoded;
  }

  static String encode(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return readable;
  }
}

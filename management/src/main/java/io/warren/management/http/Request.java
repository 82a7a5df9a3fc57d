package io.warren.management.http;

import io.warren.management.spi.AdminException;
import io.warren.management.spi.Principal;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * One decoded HTTP request as a route sees it: method, decoded path segments, the values of the route's
 * {@code {placeholders}}, query parameters, body bytes and the authenticated user (null on open routes).
 * Confined to the management event loop.
 */
public record Request(String method, List<String> segments, Map<String, String> params, Map<String, String> query,
    byte[] body, Principal user, InetAddress peer, Map<String, String> headers) {

  /** A path placeholder's decoded value. */
  public String param(String name) {
    return params.get(name);
  }

  public String query(String name) {
    return query.get(name);
  }

  /** The query parameter as a positive int, the default when absent, 400 when not a number. */
  public int intQuery(String name, int dflt) {
    String v = query.get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw AdminException.badRequest(name + " must be an integer, got '" + v + "'");
    }
  }

  public boolean hasBody() {
    return body != null && body.length > 0;
  }

  /** The header's value (lower-case name), or null. */
  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }
}

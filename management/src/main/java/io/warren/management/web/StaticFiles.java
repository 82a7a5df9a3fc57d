package io.warren.management.web;

import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.spi.AdminException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the web UI from the classpath folder {@code www/}: "/" is index.html, a folder path gets its index.html,
 * content types by extension, no listings, and no path that climbs out of www/ (no "..", no backslash, no
 * empty/hidden segments). Files are read once and kept (they are in the jar and do not change). Management loop.
 */
public final class StaticFiles {
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json"),
      Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"),
      Map.entry("gif", "image/gif"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("txt", "text/plain; charset=utf-8"),
      Map.entry("map", "application/json"));
  private final ClassLoader loader;
  private final String root;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  public StaticFiles(ClassLoader loader, String root) {
    this.loader = loader;
    this.root = root.endsWith("/") ? root : root + "/";
  }

  public Response serve(Request r) {
    if (!r.segments().isEmpty() && r.segments().get(0).equals("api")) {
      throw AdminException.notFound("Not Found");
    }
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < r.segments().size(); i++) {
      String s = r.segments().get(i);
      boolean last = i == r.segments().size() - 1;
      if (s.isEmpty() && last) {
        break; // trailing slash: the folder's index.html
      }
      if (s.isEmpty() || s.startsWith(".") || s.contains("\\") || s.contains("/") || s.indexOf('\0') >= 0
          || s.contains(":")) {
        throw AdminException.notFound("Not Found");
      }
      path.append(s).append('/');
    }
    String file = path.length() == 0 ? "index.html" : path.substring(0, path.length() - 1);
    byte[] body = read(file);
    if (body == null) {
      body = read(file + "/index.html"); // a folder without its trailing slash
      file = file + "/index.html";
    }
    if (body == null) {
      throw AdminException.notFound("Not Found");
    }
    int dot = file.lastIndexOf('.');
    String type = TYPES.getOrDefault(dot < 0 ? "" : file.substring(dot + 1).toLowerCase(java.util.Locale.ROOT),
        "application/octet-stream");
    return new Response(200, type, body, Map.of());
  }

  private byte[] read(String file) {
    byte[] cached = cache.get(file);
    if (cached != null) {
      return cached;
    }
    java.net.URL url = loader.getResource(root + file);
    if (url == null || url.getPath().endsWith("/") || isDirectory(url)) {
      return null;
    }
    try (InputStream in = url.openStream()) {
      byte[] b = in.readAllBytes();
      cache.put(file, b);
      return b;
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isDirectory(java.net.URL url) {
    if (!"file".equals(url.getProtocol())) {
      return false;
    }
    try {
      return java.nio.file.Files.isDirectory(java.nio.file.Path.of(url.toURI()));
    } catch (Exception e) {
      return true;
    }
  }
}

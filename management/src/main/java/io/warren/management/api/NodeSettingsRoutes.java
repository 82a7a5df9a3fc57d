package io.warren.management.api;

import io.warren.management.http.Guard;
import io.warren.management.http.Json;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.NodeSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Warren's own routes for the settings rabbitmqctl changes on a running RabbitMQ node (RabbitMQ's HTTP API has no
 * equivalent), administrator only except reading them:
 * <ul>
 *   <li>GET /api/node/settings: the watermarks, the alarms raised by hand and channel-max;</li>
 *   <li>PUT /api/node/memory-high-watermark {"relative": 0.4} or {"absolute": "2GB"};</li>
 *   <li>PUT /api/node/disk-free-limit {"absolute": "50MB"} or {"mem_relative": 1.0};</li>
 *   <li>PUT /api/node/channel-max {"value": 2048} (0: back to the configured value), for new connections;</li>
 *   <li>PUT and DELETE /api/node/alarms/{memory|disk}: raise an alarm by hand, clear it by hand.</li>
 * </ul>
 * Management event loop.
 */
public final class NodeSettingsRoutes {
  private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?|\\.[0-9]+");
  private final Api api;

  public NodeSettingsRoutes(Api api) {
    this.api = api;
  }

  public void register(Router router) {
    router.add("GET", "/api/node/settings", Guard.MONITORING, r -> Response.ok(view(settings().state())));
    router.add("PUT", "/api/node/memory-high-watermark", Guard.ADMINISTRATOR, this::putWatermark);
    router.add("PUT", "/api/node/disk-free-limit", Guard.ADMINISTRATOR, this::putDiskFreeLimit);
    router.add("PUT", "/api/node/channel-max", Guard.ADMINISTRATOR, this::putChannelMax);
    router.add("PUT", "/api/node/alarms/{resource}", Guard.ADMINISTRATOR, r -> alarm(r, true));
    router.add("DELETE", "/api/node/alarms/{resource}", Guard.ADMINISTRATOR, r -> alarm(r, false));
  }

  private NodeSettings settings() {
    return api.broker.nodeSettings();
  }

  private Response putWatermark(Request r) {
    Map<String, Object> body = Json.object(r.body());
    Object relative = body.get("relative");
    Object absolute = body.get("absolute");
    if ((relative == null) == (absolute == null)) {
      throw AdminException.badRequest("give the memory high watermark as either {\"relative\": <fraction 0 to 1>} "
          + "or {\"absolute\": <bytes, or a size such as 2GB>}");
    }
    if (relative != null) {
      settings().setMemoryHighWatermark(decimal("relative", relative));
    } else {
      settings().setMemoryHighWatermarkBytes(InformationUnit.bytes("absolute", absolute));
    }
    return Response.noContent();
  }

  private Response putDiskFreeLimit(Request r) {
    Map<String, Object> body = Json.object(r.body());
    Object relative = body.get("mem_relative");
    Object absolute = body.get("absolute");
    if ((relative == null) == (absolute == null)) {
      throw AdminException.badRequest("give the disk free limit as either {\"absolute\": <bytes, or a size such as "
          + "50MB>} or {\"mem_relative\": <multiple of the memory limit>}");
    }
    if (relative != null) {
      settings().setDiskFreeLimitMemRelative(decimal("mem_relative", relative));
    } else {
      settings().setDiskFreeLimit(InformationUnit.bytes("absolute", absolute));
    }
    return Response.noContent();
  }

  private Response putChannelMax(Request r) {
    Object v = Json.object(r.body()).get("value");
    if (v instanceof Number n && n.doubleValue() == n.intValue()) {
      settings().setChannelMax(n.intValue());
    } else if (v instanceof String s && s.matches("-?[0-9]{1,9}")) {
      settings().setChannelMax(Integer.parseInt(s));
    } else {
      throw AdminException.badRequest("'value' must be a whole number from 1 to 65535, or 0 for the configured "
          + "channel-max, got " + v);
    }
    return Response.noContent();
  }

  private Response alarm(Request r, boolean raise) {
    String resource = r.param("resource");
    if (!NodeSettings.RESOURCES.contains(resource)) {
      throw AdminException.badRequest("unknown resource '" + resource + "': the alarms are "
          + String.join(", ", NodeSettings.RESOURCES));
    }
    settings().setAlarmByHand(resource, raise);
    return Response.noContent();
  }

  /** A JSON number, or a string holding a plain decimal one; NaN, infinities and the rest are a 400. */
  private static double decimal(String field, Object value) {
    double d;
    if (value instanceof Number n) {
      d = n.doubleValue();
    } else if (value instanceof String s && DECIMAL.matcher(s.trim()).matches()) {
      d = Double.parseDouble(s.trim());
    } else {
      throw AdminException.badRequest("'" + field + "' must be a number, got " + value);
    }
    if (Double.isNaN(d) || Double.isInfinite(d) || d < 0) {
      throw AdminException.badRequest("'" + field + "' must be a finite number of 0 or more, got " + value);
    }
    return d;
  }

  private static Map<String, Object> view(NodeSettings.State s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vm_memory_high_watermark", s.memoryFraction() != null ? Map.of("relative", s.memoryFraction())
        : Map.of("absolute", s.memoryLimit()));
    m.put("mem_limit", s.memoryLimit());
    m.put("total_memory", s.totalMemory());
    m.put("disk_free_limit", s.diskFreeLimit());
    if (s.diskFreeMemRelative() != null) {
      m.put("disk_free_limit_mem_relative", s.diskFreeMemRelative());
    }
    m.put("alarms_set_by_hand", s.alarmsByHand());
    m.put("channel_max", s.channelMax());
    m.put("channel_max_configured", s.configuredChannelMax());
    return m;
  }
}

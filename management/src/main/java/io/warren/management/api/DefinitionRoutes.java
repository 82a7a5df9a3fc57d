package io.warren.management.api;

import io.warren.management.definitions.DefinitionsExport;
import io.warren.management.definitions.DefinitionsImport;
import io.warren.management.definitions.ImportReport;
import io.warren.management.http.Guard;
import io.warren.management.http.Json;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET/POST /api/definitions[/{vhost}] in RabbitMQ's format. An import answers 204 when everything was applied, and
 * 200 with {"applied":{kind:count}, "not_applied":[{kind,name,reason}]} when something could not be.
 * Administrator only. Management event loop.
 */
public final class DefinitionRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(DefinitionRoutes.class);
  private final Api api;

  public DefinitionRoutes(Api api) {
    this.api = api;
  }

  public void register(Router router) {
    router.add("GET", "/api/definitions", Guard.ADMINISTRATOR, r -> download(r,
        DefinitionsExport.all(api.broker, api.broker.node().version()), "warren_definitions.json"));
    router.add("POST", "/api/definitions", Guard.ADMINISTRATOR, r -> load(r, null));
    router.add("GET", "/api/definitions/{vhost}", Guard.ADMINISTRATOR, r -> {
      String v = api.vhost(r);
      return download(r, DefinitionsExport.vhost(api.broker, v, api.broker.node().version()),
          "warren_definitions_" + v.replaceAll("[^A-Za-z0-9_.-]", "_") + ".json");
    });
    router.add("POST", "/api/definitions/{vhost}", Guard.ADMINISTRATOR, r -> load(r, api.vhost(r)));
  }

  private static Response download(Request r, Map<String, Object> doc, String file) {
    Response ok = Response.ok(doc);
    if (r.query("download") == null) {
      return ok;
    }
    return new Response(200, ok.contentType(), ok.body(), Map.of("Content-Disposition",
        "attachment; filename=\"" + file + "\""));
  }

  private Response load(Request r, String vhost) {
    Map<String, Object> doc = Json.object(r.body());
    ImportReport report = DefinitionsImport.apply(api.broker, doc, vhost);
    if (report.notApplied().isEmpty()) {
      return Response.noContent();
    }
    LOG.warn("Definitions import by {}: not applied: {}", r.user().name(), report.notApplied());
    return Response.ok(report.toJson());
  }
}

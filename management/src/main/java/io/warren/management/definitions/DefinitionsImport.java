package io.warren.management.definitions;

import io.warren.management.spi.AdminException;
import io.warren.management.spi.BindingInfo;
import io.warren.management.spi.ExchangeInfo;
import io.warren.management.spi.LimitInfo;
import io.warren.management.spi.ManagedBroker;
import io.warren.management.spi.PermissionInfo;
import io.warren.management.spi.PolicyInfo;
import io.warren.management.spi.QueueSpec;
import io.warren.management.spi.TopicPermissionInfo;
import io.warren.management.spi.UserInfo;
import io.warren.management.spi.VhostInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a RabbitMQ definitions document (an export of RabbitMQ 3.x or of Warren) to the broker. The whole document
 * is read and checked first: a malformed one is refused (400) with nothing changed. Then vhosts, users,
 * permissions, topic permissions, limits, policies, exchanges, queues and bindings are applied in that order; an
 * item the broker cannot apply (a quorum queue, a federation parameter, an inequivalent queue...) is reported in the
 * {@link ImportReport}, not silently dropped. Calling thread (the management loop, or start-up).
 */
public final class DefinitionsImport {
  private final ManagedBroker broker;
  /** Set for a per-vhost import (POST /api/definitions/{vhost}): every object goes to that vhost. */
  private final String vhost;
  private final List<Step> steps = new ArrayList<>();
  private final ImportReport report = new ImportReport();

  private record Step(String kind, String name, Runnable action) {
  }

  private DefinitionsImport(ManagedBroker broker, String vhost) {
    this.broker = broker;
    this.vhost = vhost;
  }

  public static ImportReport apply(ManagedBroker broker, Map<String, Object> doc, String vhost) {
    DefinitionsImport i = new DefinitionsImport(broker, vhost);
    i.read(doc);
    for (Step s : i.steps) {
      try {
        s.action.run();
        i.report.applied(s.kind);
      } catch (AdminException e) {
        i.report.notApplied(s.kind, s.name, e.reason());
      }
    }
    return i.report;
  }

  private void read(Map<String, Object> doc) {
    if (vhost == null) {
      for (Map<String, Object> v : list(doc, "vhosts")) {
        String name = Fields.str(v, "name", "vhost");
        Map<String, Object> meta = Fields.obj(v, "metadata");
        String description = Fields.optStr(meta, "description", Fields.optStr(v, "description", ""));
        Object tags = meta.containsKey("tags") ? meta.get("tags") : v.get("tags");
        String dqt = Fields.optStr(meta, "default_queue_type", null);
        VhostInfo info = new VhostInfo(name, description, Fields.tags(tags), dqt);
        steps.add(new Step("vhost", name, () -> broker.putVhost(info)));
      }
      for (Map<String, Object> u : list(doc, "users")) {
        String name = Fields.str(u, "name", "user");
        String algorithm = Fields.optStr(u, "hashing_algorithm", UserInfo.HASHING_ALGORITHM);
        String hash = Fields.optStr(u, "password_hash", "");
        List<String> tags = Fields.tags(u.get("tags"));
        if (!algorithm.equals(UserInfo.HASHING_ALGORITHM)) {
          steps.add(new Step("user", name, () -> {
            throw AdminException.badRequest("hashing_algorithm " + algorithm + " is not supported");
          }));
          continue;
        }
        steps.add(new Step("user", name, () -> broker.putUser(new UserInfo(name, hash, tags))));
        Map<String, Object> limits = Fields.obj(u, "limits");
        if (!limits.isEmpty()) {
          Map<String, Long> values = Fields.longs(limits, "user limits of " + name);
          steps.add(new Step("user_limits", name, () -> broker.putUserLimits(new LimitInfo(name, values))));
        }
      }
      for (Map<String, Object> p : list(doc, "permissions")) {
        PermissionInfo info = new PermissionInfo(Fields.str(p, "user", "permission"), Fields.str(p, "vhost",
            "permission"), Fields.regex(p, "configure"), Fields.regex(p, "write"), Fields.regex(p, "read"));
        steps.add(new Step("permission", info.user() + "@" + info.vhost(), () -> broker.putPermission(info)));
      }
      for (Map<String, Object> p : list(doc, "topic_permissions")) {
        TopicPermissionInfo info = new TopicPermissionInfo(Fields.str(p, "user", "topic permission"),
            Fields.str(p, "vhost", "topic permission"), Fields.optStr(p, "exchange", ""), Fields.topicRegex(p, "write"),
            Fields.topicRegex(p, "read"));
        steps.add(new Step("topic_permission", info.user() + "@" + info.vhost() + "/" + info.exchange(),
            () -> broker.putTopicPermission(info)));
      }
      for (Map<String, Object> g : list(doc, "global_parameters")) {
        String name = Fields.optStr(g, "name", "");
        if (!name.equals("cluster_name") && !name.equals("internal_cluster_id")) {
          steps.add(new Step("global_parameter", name, () -> {
            throw AdminException.unsupported("global parameter '" + name + "'");
          }));
        }
      }
    }
    for (Map<String, Object> p : list(doc, "parameters")) {
      String v = vhostOf(p, "parameter");
      String component = Fields.optStr(p, "component", "");
      String name = Fields.optStr(p, "name", "");
      if (component.equals("vhost-limits")) {
        Map<String, Long> values = Fields.longs(Fields.obj(p, "value"), "vhost limits of " + v);
        steps.add(new Step("vhost_limits", v, () -> {
          Map<String, Long> merged = new HashMap<>(broker.vhostLimits().stream().filter(l -> l.owner().equals(v))
              .findFirst().map(LimitInfo::value).orElse(Map.of()));
          merged.putAll(values);
          broker.putVhostLimits(new LimitInfo(v, merged));
        }));
      } else {
        steps.add(new Step("parameter", component + "/" + name + "@" + v, () -> {
          throw AdminException.unsupported("runtime parameter component '" + component + "'");
        }));
      }
    }
    for (Map<String, Object> p : list(doc, "policies")) {
      String v = vhostOf(p, "policy");
      String name = Fields.str(p, "name", "policy");
      PolicyInfo info = Fields.policy(v, name, p);
      steps.add(new Step("policy", name + "@" + v, () -> broker.putPolicy(info)));
    }
    for (Map<String, Object> e : list(doc, "exchanges")) {
      String v = vhostOf(e, "exchange");
      String name = Fields.str(e, "name", "exchange");
      ExchangeInfo info = new ExchangeInfo(v, name, Fields.str(e, "type", "exchange " + name),
          Fields.bool(e, "durable", true), Fields.bool(e, "auto_delete", false), Fields.bool(e, "internal", false),
          Fields.obj(e, "arguments"), null, null);
      steps.add(new Step("exchange", name + "@" + v, () -> broker.declareExchange(info)));
    }
    for (Map<String, Object> q : list(doc, "queues")) {
      String v = vhostOf(q, "queue");
      String name = Fields.str(q, "name", "queue");
      Map<String, Object> args = Fields.obj(q, "arguments");
      Object type = args.get("x-queue-type");
      QueueSpec spec = new QueueSpec(v, name, Fields.bool(q, "durable", true), Fields.bool(q, "auto_delete", false),
          args);
      steps.add(new Step("queue", name + "@" + v, () -> {
        if (type != null && !"classic".equals(type)) {
          throw AdminException.unsupported("queue type '" + type + "'");
        }
        broker.declareQueue(spec);
      }));
    }
    for (Map<String, Object> b : list(doc, "bindings")) {
      String v = vhostOf(b, "binding");
      String type = Fields.optStr(b, "destination_type", "queue");
      if (!type.equals("queue") && !type.equals("exchange")) {
        throw AdminException.badRequest("binding destination_type must be queue or exchange, got '" + type + "'");
      }
      BindingInfo info = new BindingInfo(v, Fields.optStr(b, "source", ""), Fields.str(b, "destination", "binding"),
          type, Fields.optStr(b, "routing_key", ""), Fields.obj(b, "arguments"));
      steps.add(new Step("binding", info.source() + "->" + info.destination() + "@" + v, () -> broker.bind(info)));
    }
  }

  private String vhostOf(Map<String, Object> item, String kind) {
    return vhost != null ? vhost : Fields.str(item, "vhost", kind);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> doc, String key) {
    Object v = doc.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l) || !l.stream().allMatch(x -> x instanceof Map)) {
      throw AdminException.badRequest("'" + key + "' must be a list of objects");
    }
    return (List<Map<String, Object>>) v;
  }
}

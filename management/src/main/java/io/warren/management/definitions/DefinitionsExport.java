package io.warren.management.definitions;

import io.warren.management.spi.BindingInfo;
import io.warren.management.spi.ExchangeInfo;
import io.warren.management.spi.LimitInfo;
import io.warren.management.spi.ManagedBroker;
import io.warren.management.spi.PolicyInfo;
import io.warren.management.spi.QueueInfo;
import io.warren.management.spi.UserInfo;
import io.warren.management.spi.VhostInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds RabbitMQ's definitions JSON (the format of GET /api/definitions) from the broker: durable queues and
 * exchanges only, no built-in exchanges, no exclusive queues, as RabbitMQ exports. Calling thread.
 */
public final class DefinitionsExport {
  private DefinitionsExport() {
  }

  /** The whole node's definitions. */
  public static Map<String, Object> all(ManagedBroker b, String version) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rabbit_version", version);
    m.put("rabbitmq_version", version);
    m.put("product_name", "Warren");
    m.put("product_version", version);
    List<Map<String, Object>> users = new ArrayList<>();
    for (UserInfo u : b.users()) {
      Map<String, Object> um = new LinkedHashMap<>();
      um.put("name", u.name());
      um.put("password_hash", u.passwordHash());
      um.put("hashing_algorithm", UserInfo.HASHING_ALGORITHM);
      um.put("tags", u.tags());
      um.put("limits", b.userLimits().stream().filter(l -> l.owner().equals(u.name())).findFirst()
          .map(l -> (Object) new TreeMap<>(l.value())).orElse(Map.of()));
      users.add(um);
    }
    m.put("users", users);
    List<Map<String, Object>> vhosts = new ArrayList<>();
    for (VhostInfo v : b.vhosts()) {
      Map<String, Object> vm = new LinkedHashMap<>();
      vm.put("name", v.name());
      vm.put("limits", List.of());
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("description", v.description());
      meta.put("tags", v.tags());
      if (v.defaultQueueType() != null) {
        meta.put("default_queue_type", v.defaultQueueType());
      }
      vm.put("metadata", meta);
      vhosts.add(vm);
    }
    m.put("vhosts", vhosts);
    m.put("permissions", b.permissions().stream().map(p -> row("user", p.user(), "vhost", p.vhost(), "configure",
        p.configure(), "write", p.write(), "read", p.read())).toList());
    m.put("topic_permissions", b.topicPermissions().stream().map(p -> row("user", p.user(), "vhost", p.vhost(),
        "exchange", p.exchange(), "write", p.write(), "read", p.read())).toList());
    m.put("parameters", limits(b, null, true));
    m.put("global_parameters", List.of(row("name", "cluster_name", "value", b.node().clusterName())));
    m.putAll(topology(b, null, true));
    return m;
  }

  /** One vhost's definitions (GET /api/definitions/{vhost}): no vhost fields in the objects. */
  public static Map<String, Object> vhost(ManagedBroker b, String vhost, String version) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rabbit_version", version);
    m.put("rabbitmq_version", version);
    m.put("product_name", "Warren");
    m.put("product_version", version);
    m.put("parameters", limits(b, vhost, false));
    m.putAll(topology(b, vhost, false));
    return m;
  }

  private static List<Map<String, Object>> limits(ManagedBroker b, String vhost, boolean withVhost) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (LimitInfo l : b.vhostLimits()) {
      if (l.value().isEmpty() || (vhost != null && !vhost.equals(l.owner()))) {
        continue;
      }
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("value", new TreeMap<>(l.value()));
      if (withVhost) {
        p.put("vhost", l.owner());
      }
      p.put("component", "vhost-limits");
      p.put("name", "limits");
      out.add(p);
    }
    return out;
  }

  private static Map<String, Object> topology(ManagedBroker b, String vhost, boolean withVhost) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Map<String, Object>> policies = new ArrayList<>();
    for (PolicyInfo p : b.policies()) {
      if (vhost == null || vhost.equals(p.vhost())) {
        Map<String, Object> pm = new LinkedHashMap<>();
        if (withVhost) {
          pm.put("vhost", p.vhost());
        }
        pm.put("name", p.name());
        pm.put("pattern", p.pattern());
        pm.put("apply-to", p.applyTo());
        pm.put("definition", new TreeMap<>(p.definition()));
        pm.put("priority", p.priority());
        policies.add(pm);
      }
    }
    m.put("policies", policies);
    List<Map<String, Object>> queues = new ArrayList<>();
    for (QueueInfo q : b.queues(vhost)) {
      if (!q.durable() || q.exclusive()) {
        continue;
      }
      Map<String, Object> qm = new LinkedHashMap<>();
      qm.put("name", q.name());
      if (withVhost) {
        qm.put("vhost", q.vhost());
      }
      qm.put("durable", true);
      qm.put("auto_delete", q.autoDelete());
      qm.put("arguments", q.arguments());
      queues.add(qm);
    }
    m.put("queues", queues);
    List<Map<String, Object>> exchanges = new ArrayList<>();
    for (ExchangeInfo e : b.exchanges(vhost)) {
      if (!e.durable() || e.name().isEmpty() || e.name().startsWith("amq.")) {
        continue;
      }
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("name", e.name());
      if (withVhost) {
        em.put("vhost", e.vhost());
      }
      em.put("type", e.type());
      em.put("durable", true);
      em.put("auto_delete", e.autoDelete());
      em.put("internal", e.internal());
      em.put("arguments", e.arguments());
      exchanges.add(em);
    }
    m.put("exchanges", exchanges);
    List<Map<String, Object>> bindings = new ArrayList<>();
    for (BindingInfo bi : b.bindings(vhost)) {
      if (bi.source().isEmpty() || !durableEnds(b, bi)) {
        continue;
      }
      Map<String, Object> bm = new LinkedHashMap<>();
      bm.put("source", bi.source());
      if (withVhost) {
        bm.put("vhost", bi.vhost());
      }
      bm.put("destination", bi.destination());
      bm.put("destination_type", bi.destinationType());
      bm.put("routing_key", bi.routingKey());
      bm.put("arguments", bi.arguments());
      bindings.add(bm);
    }
    m.put("bindings", bindings);
    return m;
  }

  /** A binding is exported only if both its ends are durable (the others do not survive a restart either). */
  private static boolean durableEnds(ManagedBroker b, BindingInfo bi) {
    ExchangeInfo src = b.exchange(bi.vhost(), bi.source());
    if (src == null || !src.durable()) {
      return false;
    }
    if (bi.destinationType().equals("queue")) {
      QueueInfo q = b.queue(bi.vhost(), bi.destination());
      return q != null && q.durable() && !q.exclusive();
    }
    ExchangeInfo d = b.exchange(bi.vhost(), bi.destination());
    return d != null && d.durable();
  }

  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}

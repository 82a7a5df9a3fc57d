package io.warren.management.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.warren.management.spi.ChannelInfo;
import io.warren.management.spi.ChurnCounters;
import io.warren.management.spi.ManagedBroker;
import io.warren.management.spi.MessageCounters;
import io.warren.management.spi.NodeInfo;
import io.warren.management.spi.QueueInfo;
import io.warren.management.spi.QueueTotals;
import io.warren.management.spi.Stat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics under RabbitMQ's names and labels (so dashboards made for RabbitMQ, e.g. Grafana 10991, work):
 * /metrics has node-wide figures (queue gauges summed over all queues, as RabbitMQ's aggregated endpoint),
 * /metrics/per-object has them per queue ({vhost, queue}) and per channel. Every value is read by a callback at
 * scrape time from the live counters; nothing is stored. Confined to the management event loop (scrapes run
 * there one at a time, which lets one snapshot of the queue list serve every family of a scrape).
 */
public final class PrometheusMetrics {
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
  private final ManagedBroker broker;
  private final PrometheusRegistry aggregated = new PrometheusRegistry();
  private final PrometheusRegistry perObject = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  /** What one scrape reads, once: totals and counts for every family, the lists only for /metrics/per-object. */
  private QueueTotals totals = QueueTotals.NONE;
  private int connections;
  private int channelCount;
  private List<QueueInfo> queues = List.of();
  private List<ChannelInfo> channels = List.of();
  private NodeInfo node;

  public PrometheusMetrics(ManagedBroker broker) {
    this.broker = broker;
    NodeInfo n = broker.node();
    for (PrometheusRegistry r : List.of(aggregated, perObject)) {
      Info identity = Info.builder().name("rabbitmq_identity_info").help("RabbitMQ node & cluster identity info")
          .labelNames("rabbitmq_node", "rabbitmq_cluster", "rabbitmq_cluster_permanent_id", "rabbitmq_endpoint")
          .register(r);
      identity.setLabelValues(n.name(), n.clusterName(), n.clusterName(), r == aggregated ? "default" : "per-object");
      Info build = Info.builder().name("rabbitmq_build_info").help("Broker version")
          .labelNames("rabbitmq_version", "prometheus_plugin_version", "prometheus_client_version", "erlang_version",
              "product_name").register(r);
      build.setLabelValues(n.version(), n.version(), "1.10.0", "none", "Warren");
      registerNode(r);
    }
    registerAggregatedQueues();
    registerPerObject();
  }

  /** The text exposition of /metrics or /metrics/per-object. */
  public byte[] scrape(boolean perObjectEndpoint) throws IOException {
    // /metrics is scraped every few seconds: it reads sums and counts, and lists queues and channels (asking each
    // connection's thread for its channels) only for the per-object endpoint
    totals = broker.queueTotals(null);
    connections = broker.connectionCount(null);
    channelCount = broker.channelCount(null);
    node = broker.node();
    if (perObjectEndpoint) {
      queues = broker.queues(null);
      channels = broker.channels();
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(perObjectEndpoint ? 1 << 20 : 1 << 14);
      writer.write(out, (perObjectEndpoint ? perObject : aggregated).scrape());
      return out.toByteArray();
    } finally {
      queues = List.of();
      channels = List.of();
    }
  }

  private void registerNode(PrometheusRegistry r) {
    ChurnCounters churn = broker.churn();
    gauge(r, "rabbitmq_connections", "Connections currently open", () -> connections);
    counter(r, "rabbitmq_connections_opened_total", "Total number of connections opened",
        () -> churn.connectionsOpened.sum());
    counter(r, "rabbitmq_connections_closed_total", "Total number of connections closed or terminated",
        () -> churn.connectionsClosed.sum());
    gauge(r, "rabbitmq_channels", "Channels currently open", () -> channelCount);
    counter(r, "rabbitmq_channels_opened_total", "Total number of channels opened", () -> churn.channelsOpened.sum());
    counter(r, "rabbitmq_channels_closed_total", "Total number of channels closed", () -> churn.channelsClosed.sum());
    gauge(r, "rabbitmq_queues", "Queues available", () -> totals.queues());
    counter(r, "rabbitmq_queues_declared_total", "Total number of queues declared", () -> churn.queuesDeclared.sum());
    counter(r, "rabbitmq_queues_created_total", "Total number of queues created", () -> churn.queuesCreated.sum());
    counter(r, "rabbitmq_queues_deleted_total", "Total number of queues deleted", () -> churn.queuesDeleted.sum());
    gauge(r, "rabbitmq_consumers", "Consumers currently connected", () -> totals.consumers());
    GaugeWithCallback.builder().name("rabbitmq_global_consumers").help("Current number of consumers")
        .labelNames("protocol").callback(cb -> cb.call(totals.consumers(), "amqp091")).register(r);
    gauge(r, "process_start_time_seconds", "Start time of the process since unix epoch in seconds",
        () -> (System.currentTimeMillis() - node.uptimeMillis()) / 1000.0);
    gauge(r, "rabbitmq_process_resident_memory_bytes", "Memory used in bytes", () -> node.memoryUsed());
    gauge(r, "rabbitmq_resident_memory_limit_bytes", "Memory high watermark in bytes", () -> node.memoryLimit());
    gauge(r, "rabbitmq_disk_space_available_bytes", "Disk space available in bytes", () -> node.diskFree());
    gauge(r, "rabbitmq_disk_space_available_limit_bytes", "Free disk space low watermark in bytes",
        () -> node.diskFreeLimit());
    gauge(r, "rabbitmq_process_open_fds", "Open file descriptors", () -> node.fdUsed());
    gauge(r, "rabbitmq_process_max_fds", "Open file descriptors limit", () -> node.fdTotal());
    gauge(r, "rabbitmq_process_open_tcp_sockets", "Open TCP sockets", () -> connections);
    gauge(r, "rabbitmq_process_max_tcp_sockets", "Open TCP sockets limit", () -> node.fdTotal());
    gauge(r, "rabbitmq_alarms_memory_used_watermark", "1 if the memory alarm is in effect",
        () -> node.memoryAlarm() ? 1 : 0);
    gauge(r, "rabbitmq_alarms_free_disk_space_watermark", "1 if the free disk space alarm is in effect",
        () -> node.diskFreeAlarm() ? 1 : 0);
    gauge(r, "rabbitmq_alarms_file_descriptor_limit", "1 if the file descriptor limit alarm is in effect", () -> 0);
    gauge(r, "rabbitmq_erlang_uptime_seconds", "Node uptime", () -> node.uptimeMillis() / 1000.0);
    MessageCounters c = broker.counters();
    global(r, "received", "Total number of messages received from publishers", () -> c.get(Stat.PUBLISH));
    global(r, "received_confirm", "Total number of messages received from publishers expecting confirmations",
        () -> c.get(Stat.CONFIRM));
    global(r, "routed", "Total number of messages routed to queues",
        () -> c.get(Stat.PUBLISH) - c.get(Stat.DROP_UNROUTABLE) - c.get(Stat.RETURN_UNROUTABLE));
    global(r, "unroutable_dropped", "Total number of messages published as non-mandatory into an exchange and "
        + "dropped as unroutable", () -> c.get(Stat.DROP_UNROUTABLE));
    global(r, "unroutable_returned", "Total number of messages published as mandatory into an exchange and "
        + "returned to the publisher as unroutable", () -> c.get(Stat.RETURN_UNROUTABLE));
    global(r, "confirmed", "Total number of messages confirmed to publishers", () -> c.get(Stat.CONFIRM));
    global(r, "delivered", "Total number of messages delivered to consumers", c::deliverGet);
    global(r, "delivered_consume_manual_ack", "Total number of messages delivered to consumers using manual "
        + "acknowledgement mode", () -> c.get(Stat.DELIVER));
    global(r, "delivered_consume_auto_ack", "Total number of messages delivered to consumers using automatic "
        + "acknowledgement mode", () -> c.get(Stat.DELIVER_NO_ACK));
    global(r, "delivered_get_manual_ack", "Total number of messages delivered to consumers via basic.get using "
        + "manual acknowledgement mode", () -> c.get(Stat.GET));
    global(r, "delivered_get_auto_ack", "Total number of messages delivered to consumers via basic.get using "
        + "automatic acknowledgement mode", () -> c.get(Stat.GET_NO_ACK));
    global(r, "get_empty", "Total number of times basic.get operations fetched no message",
        () -> c.get(Stat.GET_EMPTY));
    global(r, "redelivered", "Total number of messages redelivered to consumers", () -> c.get(Stat.REDELIVER));
    global(r, "acknowledged", "Total number of message acknowledgements received from consumers",
        () -> c.get(Stat.ACK));
  }

  private void registerAggregatedQueues() {
    PrometheusRegistry r = aggregated;
    gauge(r, "rabbitmq_queue_messages_ready", "Messages ready to be delivered to consumers",
        () -> totals.messagesReady());
    gauge(r, "rabbitmq_queue_messages_unacked", "Messages delivered to consumers but not yet acknowledged",
        () -> totals.messagesUnacknowledged());
    gauge(r, "rabbitmq_queue_messages", "Sum of ready and unacknowledged messages - total queue depth",
        () -> totals.messages());
    gauge(r, "rabbitmq_queue_messages_bytes", "Size in bytes of ready and unacknowledged messages",
        () -> totals.messageBytes());
    gauge(r, "rabbitmq_queue_messages_ready_bytes", "Size in bytes of ready messages",
        () -> totals.messageBytesReady());
    gauge(r, "rabbitmq_queue_messages_unacked_bytes", "Size in bytes of all unacknowledged messages",
        () -> totals.messageBytesUnacknowledged());
    gauge(r, "rabbitmq_queue_consumers", "Consumers on a queue", () -> totals.consumers());
    channelCounters(r, null);
  }

  private void registerPerObject() {
    PrometheusRegistry r = perObject;
    perQueue(r, "rabbitmq_queue_messages_ready", "Messages ready to be delivered to consumers",
        QueueInfo::messagesReady);
    perQueue(r, "rabbitmq_queue_messages_unacked", "Messages delivered to consumers but not yet acknowledged",
        QueueInfo::messagesUnacknowledged);
    perQueue(r, "rabbitmq_queue_messages", "Sum of ready and unacknowledged messages - total queue depth",
        QueueInfo::messages);
    perQueue(r, "rabbitmq_queue_messages_bytes", "Size in bytes of ready and unacknowledged messages",
        QueueInfo::messageBytes);
    perQueue(r, "rabbitmq_queue_messages_ready_bytes", "Size in bytes of ready messages",
        QueueInfo::messageBytesReady);
    perQueue(r, "rabbitmq_queue_messages_unacked_bytes", "Size in bytes of all unacknowledged messages",
        QueueInfo::messageBytesUnacknowledged);
    perQueue(r, "rabbitmq_queue_consumers", "Consumers on a queue", QueueInfo::consumers);
    for (String[] s : new String[][] {{"published", "PUBLISH"}, {"delivered_ack", "DELIVER"},
        {"delivered", "DELIVER_NO_ACK"}, {"acked", "ACK"}, {"redelivered", "REDELIVER"}}) {
      Stat stat = Stat.valueOf(s[1]);
      CounterWithCallback.builder().name("rabbitmq_queue_messages_" + s[0] + "_total")
          .help("Total number of messages " + s[0].replace('_', ' ') + " on the queue").labelNames("vhost", "queue")
          .callback(cb -> {
            for (QueueInfo q : queues) {
              if (q.counters() != null) {
                cb.call(q.counters().get(stat), q.vhost(), q.name());
              }
            }
          }).register(r);
    }
    channelCounters(r, "channel");
  }

  /** RabbitMQ's rabbitmq_channel_*_total: summed in /metrics, per channel in /metrics/per-object. */
  private void channelCounters(PrometheusRegistry r, String label) {
    String[][] names = {{"messages_published", "PUBLISH"}, {"messages_confirmed", "CONFIRM"},
        {"messages_unroutable_returned", "RETURN_UNROUTABLE"}, {"messages_unroutable_dropped", "DROP_UNROUTABLE"},
        {"get_ack", "GET"}, {"get", "GET_NO_ACK"}, {"messages_delivered_ack", "DELIVER"},
        {"messages_delivered", "DELIVER_NO_ACK"}, {"messages_redelivered", "REDELIVER"},
        {"messages_acked", "ACK"}, {"get_empty", "GET_EMPTY"}};
    for (String[] n : names) {
      Stat stat = Stat.valueOf(n[1]);
      CounterWithCallback.Builder b = CounterWithCallback.builder().name("rabbitmq_channel_" + n[0] + "_total")
          .help("Total number of channel events: " + n[0].replace('_', ' '));
      if (label == null) {
        b.callback(cb -> cb.call(broker.counters().get(stat))).register(r);
      } else {
        b.labelNames(label).callback(cb -> {
          for (ChannelInfo ch : channels) {
            if (ch.counters() != null) {
              cb.call(ch.counters().get(stat), "<" + ch.connectionName() + "." + ch.number() + ">");
            }
          }
        }).register(r);
      }
    }
  }

  private void perQueue(PrometheusRegistry r, String name, String help, ToDoubleFunction<QueueInfo> f) {
    GaugeWithCallback.builder().name(name).help(help).labelNames("vhost", "queue").callback(cb -> {
      for (QueueInfo q : queues) {
        cb.call(f.applyAsDouble(q), q.vhost(), q.name());
      }
    }).register(r);
  }

  private void global(PrometheusRegistry r, String name, String help, java.util.function.LongSupplier v) {
    CounterWithCallback.builder().name("rabbitmq_global_messages_" + name + "_total").help(help)
        .labelNames("protocol").callback(cb -> cb.call(v.getAsLong(), "amqp091")).register(r);
  }

  private static void gauge(PrometheusRegistry r, String name, String help, java.util.function.DoubleSupplier v) {
    GaugeWithCallback.builder().name(name).help(help).callback((Consumer<GaugeWithCallback.Callback>)
        cb -> cb.call(v.getAsDouble())).register(r);
  }

  private static void counter(PrometheusRegistry r, String name, String help, java.util.function.LongSupplier v) {
    CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(v.getAsLong())).register(r);
  }
}

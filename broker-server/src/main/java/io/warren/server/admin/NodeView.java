package io.warren.server.admin;

import io.netty.util.internal.PlatformDependent;
import io.warren.management.spi.NodeInfo;
import io.warren.server.config.BrokerConfig;
import io.warren.server.flow.DiskAlarm;
import io.warren.server.flow.MemoryAlarm;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/** The node's identity and resources (memory, disk, file descriptors, listeners). Any thread. */
final class NodeView {
  private final BrokerConfig config;
  private final MemoryAlarm memory;
  private final DiskAlarm disk;
  private final IntSupplier amqpPort;
  private final IntSupplier httpPort;
  private final long startedAt = System.currentTimeMillis();
  private final String nodeName;
  private volatile java.nio.file.FileStore dataStore;

  NodeView(BrokerConfig config, MemoryAlarm memory, DiskAlarm disk, IntSupplier amqpPort, IntSupplier httpPort) {
    this.config = config;
    this.memory = memory;
    this.disk = disk;
    this.amqpPort = amqpPort;
    this.httpPort = httpPort;
    this.nodeName = localName();
  }

  /** This node's name as the API shows it: warren@ and the host's name. */
  static String localName() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return "warren@" + host;
  }

  String name() {
    return nodeName;
  }

  NodeInfo node() {
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory() + PlatformDependent.usedDirectMemory();
    long limit = memory.limitBytes();
    long free;
    try {
      java.nio.file.FileStore store = dataStore;
      if (store == null) {
        // found once: finding it reads the mount table, and /metrics and the overview ask every second or two
        store = Files.getFileStore(config.dataDir());
        dataStore = store;
      }
      free = store.getUsableSpace();
    } catch (java.io.IOException | RuntimeException e) {
      dataStore = null;
      free = -1;
    }
    long fdUsed = -1;
    long fdMax = -1;
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      fdUsed = unix.getOpenFileDescriptorCount();
      fdMax = unix.getMaxFileDescriptorCount();
    }
    List<NodeInfo.Listener> listeners = new ArrayList<>();
    listeners.add(new NodeInfo.Listener("amqp", config.amqp().bindAddress(), amqpPort.getAsInt()));
    int http = httpPort.getAsInt();
    if (http > 0) {
      listeners.add(new NodeInfo.Listener("http", config.http().bindAddress(), http));
    }
    return new NodeInfo(nodeName, config.server().clusterName(), config.server().version(),
        System.currentTimeMillis() - startedAt, used, limit, memory.raised(), free, disk.limitBytes(),
        disk.raised(), fdUsed, fdMax, Runtime.getRuntime().availableProcessors(), listeners);
  }
}

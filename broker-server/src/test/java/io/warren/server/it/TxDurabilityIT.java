package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * tx.commit-ok means the transaction's acknowledgements are on disk: the log copied at that moment (what a crash
 * right after commit-ok would leave, short of the page cache) and the restarted broker both lack the acked messages.
 */
class TxDurabilityIT {
  private static final String[] QUEUES = {"tx-d1", "tx-d2", "tx-d3"};
  private static final int PER_QUEUE = 200;

  @Test
  void committedAcksAreDurableWhenCommitOkArrives() throws Exception {
    Path copy = Files.createTempDirectory("warren-tx-copy");
    try (BrokerFixture broker = BrokerFixture.start()) {
      try (Connection conn = broker.connect()) {
        Channel pub = conn.createChannel();
        pub.confirmSelect();
        for (String q : QUEUES) {
          pub.queueDeclare(q, true, false, false, null);
          for (int i = 0; i < PER_QUEUE; i++) {
            pub.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, (q + "-" + i).getBytes(StandardCharsets.UTF_8));
          }
        }
        pub.waitForConfirmsOrDie(10_000);

        // One transaction acks the first half of every queue (fetched with basic.get in ack mode) and rejects
        // a few more without requeue; commit-ok must find all of it durable.
        Channel tx = conn.createChannel();
        tx.txSelect();
        for (String q : QUEUES) {
          for (int i = 0; i < PER_QUEUE / 2 + 5; i++) {
            GetResponse r = tx.basicGet(q, false);
            assertThat(r).as(q + " " + i).isNotNull();
            assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo(q + "-" + i);
            if (i < PER_QUEUE / 2) {
              tx.basicAck(r.getEnvelope().getDeliveryTag(), false);
            } else {
              tx.basicReject(r.getEnvelope().getDeliveryTag(), false);
            }
          }
        }
        tx.txCommit();
        copyDir(broker.dataDir(), copy); // at once: before the broker gets any later chance to write
      }
      broker.restart();
      assertOnlySecondHalfLeft(broker);
      // a broker started on what the files held at commit-ok
      try (BrokerFixture fromCopy = BrokerFixture.start(cfg -> cfg.withDataDir(copy))) {
        assertOnlySecondHalfLeft(fromCopy);
      }
    } finally {
      deleteDir(copy);
    }
  }

  private static void assertOnlySecondHalfLeft(BrokerFixture broker) throws Exception {
    try (Connection conn = broker.connect()) {
      Channel ch = conn.createChannel();
      for (String q : QUEUES) {
        List<String> left = new ArrayList<>();
        GetResponse r;
        while ((r = ch.basicGet(q, true)) != null) {
          left.add(new String(r.getBody(), StandardCharsets.UTF_8));
        }
        List<String> expected = new ArrayList<>();
        for (int i = PER_QUEUE / 2 + 5; i < PER_QUEUE; i++) {
          expected.add(q + "-" + i);
        }
        assertThat(left).as(q).containsExactlyElementsOf(expected);
      }
    }
  }

  private static void copyDir(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals(".lock")) {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteDir(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

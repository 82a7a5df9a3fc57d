package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Damaged logs at broker level: a pristine data directory with persistent messages in two durable queues (some
 * routed to both, so one record serves two queues) is copied, the copy's last segment is cut at random offsets or
 * has bytes flipped in the middle, and a broker started on it must serve, in order, exactly the messages whose
 * records are intact, and keep working.
 */
class LogCorruptionIT {
  private static final String[] QUEUES = {"corrupt-a", "corrupt-b"};
  private static final int MESSAGES = 120;
  private static final long SEED = System.nanoTime();

  private static Path pristine;
  private static final List<Path> dirs = new ArrayList<>();

  /** A PUBLISH record of the pristine log: where it ends, its body and its queues. */
  private record Publish(long start, long end, String body, List<String> queues) {}

  @BeforeAll
  static void writeLog() throws Exception {
    try (BrokerFixture broker = BrokerFixture.start()) {
      try (Connection conn = broker.connect()) {
        Channel ch = conn.createChannel();
        ch.confirmSelect();
        for (String q : QUEUES) {
          ch.queueDeclare(q, true, false, false, null);
          ch.queueBind(q, "amq.fanout", "");
        }
        Random sizes = new Random(SEED);
        for (int i = 0; i < MESSAGES; i++) {
          String body = "m" + i + "-" + "x".repeat(sizes.nextInt(300));
          if (i % 7 == 0) {
            ch.basicPublish("amq.fanout", "", MessageProperties.PERSISTENT_TEXT_PLAIN, bytes(body));
          } else {
            ch.basicPublish("", QUEUES[i % 2], MessageProperties.PERSISTENT_TEXT_PLAIN, bytes(body));
          }
        }
        ch.waitForConfirmsOrDie(10_000);
      }
      pristine = newDir();
      broker.restart(() -> copyDir(broker.dataDir(), pristine));
    }
  }

  @AfterAll
  static void deleteCopies() throws IOException {
    for (Path d : dirs) {
      deleteDir(d);
    }
  }

  @Test
  void truncatedTailServesEveryIntactMessageInOrder() throws Exception {
    Path segment = lastSegment(pristine);
    List<Publish> publishes = publishes(segment);
    assertThat(publishes).hasSize(MESSAGES);
    long first = publishes.get(0).start();
    long length = Files.size(segment);
    Random random = new Random(SEED);
    List<Long> cuts = new ArrayList<>(List.of(first + 3, publishes.get(MESSAGES / 2).end(), length - 1));
    for (int i = 0; i < 3; i++) {
      cuts.add(first + (long) (random.nextDouble() * (length - first)));
    }
    for (long cut : cuts) {
      Path dir = newDir();
      copyDir(pristine, dir);
      try (var f = java.nio.channels.FileChannel.open(lastSegment(dir), StandardOpenOption.WRITE)) {
        f.truncate(cut);
      }
      assertServes(dir, p -> p.end() <= cut, "cut at " + cut + " of " + length + " (seed " + SEED + ")");
    }
  }

  @Test
  void flippedBytesInTheMiddleLoseOnlyTheDamagedRecords() throws Exception {
    Path dir = newDir();
    copyDir(pristine, dir);
    Path segment = lastSegment(dir);
    List<Publish> publishes = publishes(segment);
    Publish one = publishes.get(MESSAGES / 3);
    Publish two = publishes.get(2 * MESSAGES / 3);
    byte[] content = Files.readAllBytes(segment);
    for (Publish p : List.of(one, two)) {
      int middle = (int) ((p.start() + p.end()) / 2);
      for (int i = 0; i < 4; i++) {
        content[middle + i] ^= 0x5A;
      }
    }
    Files.write(segment, content, StandardOpenOption.TRUNCATE_EXISTING);
    assertServes(dir, p -> !p.equals(one) && !p.equals(two), "flipped " + one.body() + " and " + two.body());
  }

  /** Starts a broker on {@code dir}: each queue serves the intact publishes routed to it, in order, and more. */
  private static void assertServes(Path dir, Predicate<Publish> intact, String what) throws Exception {
    List<Publish> all = publishes(lastSegment(pristine));
    try (BrokerFixture broker = BrokerFixture.start(cfg -> cfg.withDataDir(dir));
         Connection conn = broker.connect()) {
      Channel ch = conn.createChannel();
      for (String q : QUEUES) {
        List<String> expected = all.stream().filter(p -> p.queues().contains(q)).filter(intact)
            .map(Publish::body).toList();
        List<String> served = new ArrayList<>();
        GetResponse r;
        while ((r = ch.basicGet(q, true)) != null) {
          assertThat(r.getEnvelope().isRedeliver()).as("never delivered before").isFalse();
          served.add(new String(r.getBody(), StandardCharsets.UTF_8));
        }
        assertThat(served).as(q + ", " + what).containsExactlyElementsOf(expected);
      }
      // still working: a new persistent message is confirmed and served
      ch.confirmSelect();
      ch.basicPublish("", QUEUES[0], MessageProperties.PERSISTENT_TEXT_PLAIN, bytes("after"));
      ch.waitForConfirmsOrDie(10_000);
      assertThat(new String(BasicGets.one(ch, QUEUES[0]).getBody(), StandardCharsets.UTF_8)).isEqualTo("after");
    }
  }

  /** Walks the log's records (16-byte headers: magic, type, flags, length, epoch, crc) and decodes the publishes. */
  private static List<Publish> publishes(Path segment) throws IOException {
    ByteBuffer log = ByteBuffer.wrap(Files.readAllBytes(segment));
    List<Publish> out = new ArrayList<>();
    while (log.remaining() >= 16) {
      int start = log.position();
      if (log.getShort(start) != 0x5752) {
        break;
      }
      int type = log.get(start + 2);
      int length = log.getInt(start + 4);
      int end = start + 16 + length;
      if (type == 2) {
        ByteBuffer p = log.duplicate().position(start + 16).limit(end);
        int version = p.get();
        p.get(); // priority
        if (version >= 2) {
          p.position(p.position() + 24); // arrival, expiresAt, due
        }
        str(p); // vhost
        str(p); // exchange
        str(p); // routing key
        int n = Short.toUnsignedInt(p.getShort());
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          queues.add(str(p));
        }
        int propertiesLength = p.getInt();
        p.position(p.position() + propertiesLength);
        byte[] body = new byte[p.remaining()];
        p.get(body);
        out.add(new Publish(start, end, new String(body, StandardCharsets.UTF_8), queues));
      }
      log.position(end);
    }
    return out;
  }

  private static String str(ByteBuffer b) {
    byte[] s = new byte[Short.toUnsignedInt(b.getShort())];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private static Path lastSegment(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("log"))) {
      return files.filter(p -> p.toString().endsWith(".log")).max(Comparator.naturalOrder()).orElseThrow();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Path newDir() throws IOException {
    Path d = Files.createTempDirectory("warren-corrupt");
    dirs.add(d);
    return d;
  }

  private static void copyDir(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals(".lock")) {
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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

package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker whose log fails (a write error: here the process may not grow a file past 4 MiB, so a write fails with
 * EFBIG as on a full disk) stops on its own, saying why, with a non-zero exit status, instead of nacking every
 * publish until someone restarts it; restarted, it recovers every message it confirmed.
 */
class LogFailureIT {
  private static final int BODY = 4096;
  @TempDir
  Path dataDir;
  @TempDir
  Path logDir;
  private BrokerProcess broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aFailedLogStopsTheBrokerCleanlyAndConfirmedMessagesSurvive() throws Exception {
    broker = new BrokerProcess(dataDir, logDir, List.of("-Xmx256m"));
    broker.fileSizeLimit(4096);
    broker.start();
    int confirmed = 0;
    boolean nacked = false;
    try (Connection conn = broker.connect()) {
      Channel ch = conn.createChannel();
      ch.queueDeclare("q", true, false, false, null);
      ch.confirmSelect();
      // 4 KiB messages: the log's first segment passes 4 MiB after about a thousand
      for (int batch = 0; batch < 100 && !nacked; batch++) {
        for (int i = 0; i < 50; i++) {
          ch.basicPublish("", "q", MessageProperties.PERSISTENT_BASIC, new byte[BODY]);
        }
        if (ch.waitForConfirms(10_000)) {
          confirmed += 50;
        } else {
          nacked = true;
        }
      }
    } catch (Exception e) {
      nacked = true; // the broker closed the connection while it stopped
    }
    assertThat(nacked).as("publishes past the failure are refused").isTrue();
    assertThat(confirmed).isBetween(500, 1100);
    assertThat(broker.awaitExit(Duration.ofSeconds(30))).as("exit status").isEqualTo(1);
    assertThat(broker.log()).contains("Stopping: the message store's log in").contains("failed")
        .contains("restart the broker");

    broker.fileSizeLimit(0);
    broker.start();
    try (Connection conn = broker.connect()) {
      Channel ch = conn.createChannel();
      assertThat(ch.queueDeclarePassive("q").getMessageCount()).isGreaterThanOrEqualTo(confirmed);
    }
  }
}

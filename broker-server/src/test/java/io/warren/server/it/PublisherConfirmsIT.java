package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** confirm.select and the basic.ack / basic.nack stream a publisher gets back. */
class PublisherConfirmsIT extends ConnectionPerTest {

  /** One basic.ack or basic.nack as the client saw it. */
  record Confirm(boolean ack, long tag, boolean multiple) {}

  static List<Confirm> recordConfirms(Channel ch) {
    List<Confirm> confirms = new CopyOnWriteArrayList<>();
    ch.addConfirmListener(new ConfirmListener() {
      @Override
      public void handleAck(long tag, boolean multiple) {
        confirms.add(new Confirm(true, tag, multiple));
      }

      @Override
      public void handleNack(long tag, boolean multiple) {
        confirms.add(new Confirm(false, tag, multiple));
      }
    });
    return confirms;
  }

  /** Every tag 1..n is confirmed exactly once, in increasing order; returns how many were nacked. */
  static int assertEachTagConfirmedOnce(List<Confirm> confirms, int n) {
    long covered = 0;
    int nacked = 0;
    for (Confirm c : confirms) {
      assertThat(c.tag()).as("confirms go up: %s", c).isGreaterThan(covered);
      if (!c.multiple()) {
        assertThat(c.tag()).as("a single confirm skips no tag: %s after %d", c, covered).isEqualTo(covered + 1);
      }
      if (!c.ack()) {
        nacked += (int) (c.tag() - covered);
      }
      covered = c.tag();
    }
    assertThat(covered).isEqualTo(n);
    return nacked;
  }

  @Test
  void confirmsCoverEveryPublishOnceAndCoalesceIntoMultipleAcks() throws Exception {
    ch.queueDeclare("pc-many", false, false, false, null);
    List<Confirm> confirms = recordConfirms(ch);
    ch.confirmSelect();
    assertThat(ch.getNextPublishSeqNo()).isEqualTo(1);
    int n = 10_000;
    byte[] body = new byte[100];
    for (int i = 0; i < n; i++) {
      ch.basicPublish("", "pc-many", null, body);
    }
    ch.waitForConfirmsOrDie(30_000);
    await().until(() -> !confirms.isEmpty() && confirms.get(confirms.size() - 1).tag() == n);
    assertThat(assertEachTagConfirmedOnce(confirms, n)).isZero();
    assertThat(confirms.size()).as("acks for %d publishes", n).isLessThan(n);
    assertThat(confirms).anyMatch(Confirm::multiple);
    assertThat(ch.queueDeclarePassive("pc-many").getMessageCount()).isEqualTo(n);
  }

  @Test
  void aPublishToSeveralQueuesIsConfirmedOnceAllHaveIt() throws Exception {
    ch.exchangeDeclare("pc-fan", "fanout", false, true, null);
    for (int i = 0; i < 3; i++) {
      ch.queueDeclare("pc-fan-" + i, false, false, false, null);
      ch.queueBind("pc-fan-" + i, "pc-fan", "");
    }
    List<Confirm> confirms = recordConfirms(ch);
    ch.confirmSelect();
    for (int i = 0; i < 500; i++) {
      ch.basicPublish("pc-fan", "", null, new byte[] {(byte) i});
    }
    ch.waitForConfirmsOrDie(10_000);
    await().until(() -> !confirms.isEmpty() && confirms.get(confirms.size() - 1).tag() == 500);
    assertThat(assertEachTagConfirmedOnce(confirms, 500)).isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(ch.queueDeclarePassive("pc-fan-" + i).getMessageCount()).isEqualTo(500);
    }
  }

  @Test
  void unroutablePublishesAreAckedToo() throws Exception {
    List<Confirm> confirms = recordConfirms(ch);
    ch.confirmSelect();
    ch.basicPublish("amq.direct", "nobody", null, new byte[0]);
    ch.basicPublish("amq.direct", "nobody", true, null, new byte[0]);
    ch.waitForConfirmsOrDie(10_000);
    await().until(() -> !confirms.isEmpty() && confirms.get(confirms.size() - 1).tag() == 2);
    assertThat(assertEachTagConfirmedOnce(confirms, 2)).isZero();
  }

  /**
   * A queue deleted while a publisher streams into it: RabbitMQ acks what the deleted queue never took (nothing will
   * ever hold it), so the publisher sees no nack and every publish is confirmed exactly once.
   */
  @Test
  void deletingTheQueueWhilePublishingStillConfirmsEveryPublish() throws Exception {
    ch.queueDeclare("pc-deleted", false, false, false, null);
    List<Confirm> confirms = recordConfirms(ch);
    ch.confirmSelect();
    AtomicInteger deleted = new AtomicInteger();
    int n = 20_000;
    try (Connection admin = broker.connect()) {
      Channel adminCh = admin.createChannel();
      for (int i = 0; i < n; i++) {
        ch.basicPublish("", "pc-deleted", null, new byte[16]);
        if (i == n / 4) {
          Thread deleter = new Thread(() -> {
            try {
              adminCh.queueDelete("pc-deleted");
              deleted.incrementAndGet();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }, "deleter");
          deleter.start();
        }
      }
      ch.waitForConfirmsOrDie(30_000);
      await().until(() -> deleted.get() == 1);
    }
    await().until(() -> !confirms.isEmpty() && confirms.get(confirms.size() - 1).tag() == n);
    assertThat(assertEachTagConfirmedOnce(confirms, n)).isZero();
  }

  @Test
  void confirmSelectIsIdempotent() throws Exception {
    ch.confirmSelect();
    ch.confirmSelect();
    ch.queueDeclare("pc-idem", false, false, false, null);
    ch.basicPublish("", "pc-idem", null, new byte[0]);
    ch.waitForConfirmsOrDie(10_000);
    assertThat(ch.getNextPublishSeqNo()).isEqualTo(2);
  }

  @Test
  void aTransactionalChannelCannotSwitchToConfirms() throws Exception {
    ch.txSelect();
    assertChannelError(ch::confirmSelect, 406, "PRECONDITION_FAILED - cannot switch from tx to confirm mode");
  }

  @Test
  void aConfirmChannelCannotSwitchToTransactions() throws Exception {
    ch.confirmSelect();
    assertChannelError(ch::txSelect, 406, "PRECONDITION_FAILED - cannot switch from confirm to tx mode");
  }
}

package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** tx.select / commit / rollback over publishes and acknowledgements, as RabbitMQ's (non-durable) transactions. */
class TransactionsIT {
  private static BrokerFixture broker;
  private Connection conn;
  private Connection observer;
  private Channel tx;
  private Channel look;

  @BeforeAll
  static void startBroker() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  void open() throws Exception {
    conn = broker.connect();
    observer = broker.connect();
    tx = conn.createChannel();
    look = observer.createChannel();
  }

  @AfterEach
  void close() throws Exception {
    conn.close();
    observer.close();
  }

  private int ready(String q) throws Exception {
    return look.queueDeclarePassive(q).getMessageCount();
  }

  /** Publishes from the observer connection, and returns once the queue has them (for the other connection). */
  private void publish(String q, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      look.basicPublish("", q, null, new byte[] {(byte) i});
    }
    assertThat(ready(q)).isEqualTo(n);
  }

  @Test
  void publishesAreInvisibleUntilCommitAndThenAllThere() throws Exception {
    look.queueDeclare("tx-pub", false, false, false, null);
    tx.txSelect();
    for (int i = 0; i < 3; i++) {
      tx.basicPublish("", "tx-pub", null, new byte[] {(byte) i});
    }
    assertThat(ready("tx-pub")).isZero();
    assertThat(look.basicGet("tx-pub", true)).isNull();

    tx.txCommit();
    // commit-ok means the queue has them: another connection sees all three at once
    assertThat(ready("tx-pub")).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(look.basicGet("tx-pub", true).getBody()).containsExactly(i);
    }
  }

  @Test
  void rollbackDropsPublishesAndTheChannelStaysTransactional() throws Exception {
    look.queueDeclare("tx-rollback", false, false, false, null);
    tx.txSelect();
    tx.basicPublish("", "tx-rollback", null, new byte[] {1});
    tx.basicPublish("", "tx-rollback", null, new byte[] {2});
    tx.txRollback();
    assertThat(ready("tx-rollback")).isZero();

    tx.basicPublish("", "tx-rollback", null, new byte[] {3});
    assertThat(ready("tx-rollback")).isZero();
    tx.txCommit();
    assertThat(ready("tx-rollback")).isEqualTo(1);
    assertThat(look.basicGet("tx-rollback", true).getBody()).containsExactly(3);
  }

  @Test
  void closingAChannelWithAnOpenTransactionDropsItsPublishes() throws Exception {
    look.queueDeclare("tx-abandon", false, false, false, null);
    tx.txSelect();
    tx.basicPublish("", "tx-abandon", null, new byte[] {1});
    tx.close();
    assertThat(ready("tx-abandon")).isZero();
  }

  @Test
  void acksTakeEffectOnlyAtCommit() throws Exception {
    look.queueDeclare("tx-ack", false, false, false, null);
    publish("tx-ack", 3);
    tx.txSelect();
    List<Long> tags = getAll(tx, "tx-ack", 3);
    tx.basicAck(tags.get(2), true);
    tx.txRollback();
    // rolled back: still unacked, so closing the channel gives all three back
    tx.close();
    await().until(() -> ready("tx-ack") == 3);

    Channel tx2 = conn.createChannel();
    tx2.txSelect();
    tags = getAll(tx2, "tx-ack", 3);
    for (long tag : tags) {
      tx2.basicAck(tag, false);
    }
    tx2.txCommit();
    tx2.close();
    assertThat(ready("tx-ack")).isZero();
  }

  @Test
  void recoverDoesNotRedeliverWhatAnOpenTransactionAcked() throws Exception {
    look.queueDeclare("tx-recover", false, false, false, null);
    publish("tx-recover", 2);
    tx.txSelect();
    List<Long> tags = getAll(tx, "tx-recover", 2);
    tx.basicAck(tags.get(0), false); // not committed
    tx.basicRecover(true);
    // only the unacked second message comes back
    assertThat(ready("tx-recover")).isEqualTo(1);
    GetResponse again = tx.basicGet("tx-recover", true);
    assertThat(again.getBody()).containsExactly(1);
    assertThat(again.getEnvelope().isRedeliver()).isTrue();
    assertThat(tx.basicGet("tx-recover", true)).isNull();
    tx.txCommit();
    tx.close();
    assertThat(ready("tx-recover")).isZero();
  }

  @Test
  void acksRolledBackCanBeMadeAgainAndCommitted() throws Exception {
    look.queueDeclare("tx-ack-again", false, false, false, null);
    publish("tx-ack-again", 2);
    tx.txSelect();
    List<Long> tags = getAll(tx, "tx-ack-again", 2);
    tx.basicAck(tags.get(0), false);
    tx.txRollback();
    tx.basicAck(tags.get(1), true);
    tx.txCommit();
    tx.close();
    assertThat(ready("tx-ack-again")).isZero();
  }

  @Test
  void aRequeuingNackInATransactionRequeuesOnlyAtCommit() throws Exception {
    look.queueDeclare("tx-nack", false, false, false, null);
    publish("tx-nack", 2);
    tx.txSelect();
    List<Long> tags = getAll(tx, "tx-nack", 2);
    tx.basicNack(tags.get(1), true, true);
    assertThat(ready("tx-nack")).isZero();
    tx.txCommit();
    assertThat(ready("tx-nack")).isEqualTo(2);
    GetResponse first = look.basicGet("tx-nack", true);
    assertThat(first.getBody()).containsExactly(0);
    assertThat(first.getEnvelope().isRedeliver()).isTrue();
  }

  @Test
  void aRejectWithoutRequeueInATransactionDropsAtCommit() throws Exception {
    look.queueDeclare("tx-reject", false, false, false, null);
    publish("tx-reject", 1);
    tx.txSelect();
    long tag = getAll(tx, "tx-reject", 1).get(0);
    tx.basicReject(tag, false);
    tx.txCommit();
    tx.close();
    assertThat(ready("tx-reject")).isZero();
  }

  /** RabbitMQ refuses the second ack of a tag at once, and the transaction's earlier work is not committed. */
  @Test
  void ackingATagTwiceInATransactionIsAnUnknownTag() throws Exception {
    look.queueDeclare("tx-double", false, false, false, null);
    publish("tx-double", 1);
    tx.txSelect();
    long tag = getAll(tx, "tx-double", 1).get(0);
    tx.basicPublish("", "tx-double", null, new byte[] {9});
    tx.basicAck(tag, false);
    tx.basicAck(tag, false);
    assertChannelError(tx::txCommit, 406, "PRECONDITION_FAILED - unknown delivery tag " + tag);
    // nothing committed: the publish is gone, the delivery went back unacked
    await().until(() -> ready("tx-double") == 1);
    GetResponse r = look.basicGet("tx-double", true);
    assertThat(r.getBody()).containsExactly(0);
    assertThat(r.getEnvelope().isRedeliver()).isTrue();
  }

  @Test
  void anAckMultipleCoveringAnAckedTagMakesThatTagUnknown() throws Exception {
    look.queueDeclare("tx-multi", false, false, false, null);
    publish("tx-multi", 3);
    tx.txSelect();
    List<Long> tags = getAll(tx, "tx-multi", 3);
    tx.basicAck(tags.get(1), true);
    tx.basicAck(tags.get(0), false);
    assertChannelError(tx::txCommit, 406, "PRECONDITION_FAILED - unknown delivery tag " + tags.get(0));
  }

  @Test
  void commitAndRollbackNeedATransactionalChannel() throws Exception {
    assertChannelError(tx::txCommit, 406, "PRECONDITION_FAILED - channel is not transactional");
    Channel other = conn.createChannel();
    assertChannelError(other::txRollback, 406, "PRECONDITION_FAILED - channel is not transactional");
  }

  private static List<Long> getAll(Channel ch, String q, int n) throws Exception {
    List<Long> tags = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      GetResponse r = ch.basicGet(q, false);
      assertThat(r).isNotNull();
      tags.add(r.getEnvelope().getDeliveryTag());
    }
    return tags;
  }
}

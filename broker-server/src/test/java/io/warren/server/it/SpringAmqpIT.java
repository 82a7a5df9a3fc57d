package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.adapter.MessageListenerAdapter;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * Spring AMQP, as a Spring application uses it, against the broker: RabbitAdmin's declarations, RabbitTemplate's
 * send and receive, its request/reply over direct reply-to (its default), a listener container with manual
 * acknowledgements, and publisher confirms and returns through a CachingConnectionFactory. One broker and one
 * connection factory for the class; each test uses its own names.
 */
class SpringAmqpIT {
  private static BrokerFixture broker;
  private static CachingConnectionFactory connections;
  private static RabbitAdmin admin;

  @BeforeAll
  static void start() {
    broker = BrokerFixture.start();
    connections = new CachingConnectionFactory("127.0.0.1", broker.port());
    connections.setUsername("guest");
    connections.setPassword("guest");
    connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
    connections.setPublisherReturns(true);
    admin = new RabbitAdmin(connections);
  }

  @AfterAll
  static void stop() {
    connections.destroy();
    broker.close();
  }

  @Test
  void rabbitAdminDeclaresAndTheTemplateSendsAndReceives() throws Exception {
    Queue orders = new Queue("spring.orders", true, false, false, Map.of("x-max-length", 100));
    DirectExchange exchange = new DirectExchange("spring.direct", true, false);
    admin.declareQueue(orders);
    admin.declareExchange(exchange);
    admin.declareBinding(BindingBuilder.bind(orders).to(exchange).with("order"));
    try (Connection plain = broker.connect()) { // declared on the broker, as a plain client sees it
      plain.createChannel().exchangeDeclarePassive("spring.direct");
      assertThat(plain.createChannel().queueDeclarePassive("spring.orders").getMessageCount()).isZero();
    }

    RabbitTemplate template = new RabbitTemplate(connections);
    template.convertAndSend("spring.direct", "order", "first order");
    template.convertAndSend("spring.direct", "order", "second order");
    await().atMost(Duration.ofSeconds(10)).until(() -> admin.getQueueInfo("spring.orders").getMessageCount() == 2);
    assertThat(template.receiveAndConvert("spring.orders", 5000)).isEqualTo("first order");
    assertThat(template.receiveAndConvert("spring.orders", 5000)).isEqualTo("second order");
    assertThat(template.receiveAndConvert("spring.orders")).isNull();

    QueueInformation info = admin.getQueueInfo("spring.orders");
    assertThat(info.getMessageCount()).isZero();
    assertThat(admin.deleteQueue("spring.orders")).isTrue();
    assertThat(admin.getQueueInfo("spring.orders")).isNull();
    assertThat(admin.deleteExchange("spring.direct")).isTrue();
  }

  @Test
  void convertSendAndReceiveGetsItsReplyOverDirectReplyTo() throws Exception {
    admin.declareQueue(new Queue("spring.rpc", false, false, false));
    List<String> replyTos = new CopyOnWriteArrayList<>();
    MessageListenerAdapter upperCase = new MessageListenerAdapter(new UpperCase());
    SimpleMessageListenerContainer server = new SimpleMessageListenerContainer(connections);
    server.setQueueNames("spring.rpc");
    server.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
      replyTos.add(message.getMessageProperties().getReplyTo());
      upperCase.onMessage(message, channel);
    });
    server.start();
    RabbitTemplate client = new RabbitTemplate(connections);
    try {
      client.setReplyTimeout(10_000);
      assertThat(client.convertSendAndReceive("", "spring.rpc", "hello")).isEqualTo("HELLO");
      assertThat(client.convertSendAndReceive("", "spring.rpc", "again")).isEqualTo("AGAIN");
      assertThat(replyTos).hasSize(2).allSatisfy(to -> assertThat(to).startsWith("amq.rabbitmq.reply-to."));
    } finally {
      client.destroy(); // stops its direct reply-to container, which would otherwise outlive the broker
      server.stop();
      admin.deleteQueue("spring.rpc");
    }
  }

  /** A POJO service, as MessageListenerAdapter calls one: its return value is the reply. */
  public static final class UpperCase {
    public String handleMessage(String request) {
      return request.toUpperCase();
    }
  }

  @Test
  void aListenerWithManualAcksGetsANackedMessageAgainMarkedRedelivered() throws Exception {
    admin.declareQueue(new Queue("spring.work", false, false, false));
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
    container.setQueueNames("spring.work");
    container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
    container.setPrefetchCount(1);
    container.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
      long tag = message.getMessageProperties().getDeliveryTag();
      boolean redelivered = Boolean.TRUE.equals(message.getMessageProperties().getRedelivered());
      seen.add(new String(message.getBody(), StandardCharsets.UTF_8) + (redelivered ? " redelivered" : " new"));
      if (redelivered) {
        channel.basicAck(tag, false);
      } else {
        channel.basicNack(tag, false, true);
      }
    });
    container.start();
    try {
      new RabbitTemplate(connections).convertAndSend("", "spring.work", "job-1");
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("job-1 new");
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("job-1 redelivered");
      await().atMost(Duration.ofSeconds(10)).until(() -> admin.getQueueInfo("spring.work").getMessageCount() == 0);
      assertThat(seen.poll(300, TimeUnit.MILLISECONDS)).as("acked once, delivered no more").isNull();
    } finally {
      container.stop();
      admin.deleteQueue("spring.work");
    }
  }

  @Test
  void publisherConfirmsAndReturnsReachTheTemplate() throws Exception {
    admin.declareQueue(new Queue("spring.confirmed", false, false, false));
    RabbitTemplate template = new RabbitTemplate(connections);
    template.setMandatory(true);
    BlockingQueue<ReturnedMessage> returned = new LinkedBlockingQueue<>();
    template.setReturnsCallback(returned::add);
    try {
      CorrelationData kept = new CorrelationData("kept-1");
      template.convertAndSend("", "spring.confirmed", "kept", kept);
      assertThat(kept.getFuture().get(10, TimeUnit.SECONDS).ack()).isTrue();
      assertThat(kept.getReturned()).isNull();

      CorrelationData lost = new CorrelationData("lost-1");
      template.convertAndSend("amq.direct", "nowhere", "lost", lost);
      ReturnedMessage r = returned.poll(10, TimeUnit.SECONDS);
      assertThat(r).isNotNull();
      assertThat(r.getReplyCode()).isEqualTo(312);
      assertThat(r.getReplyText()).isEqualTo("NO_ROUTE");
      assertThat(r.getExchange()).isEqualTo("amq.direct");
      assertThat(r.getRoutingKey()).isEqualTo("nowhere");
      // an unroutable message is still confirmed, after its return, as RabbitMQ does
      assertThat(lost.getFuture().get(10, TimeUnit.SECONDS).ack()).isTrue();
      assertThat(lost.getReturned()).isNotNull();
      assertThat(admin.getQueueInfo("spring.confirmed").getMessageCount()).isEqualTo(1);
    } finally {
      admin.deleteQueue("spring.confirmed");
    }
  }
}

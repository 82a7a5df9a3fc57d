package io.warren.server.tools;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;

/**
 * Exits 0 when a client can publish a persistent message with confirms to a durable queue at HOST:PORT (as
 * guest), 1 otherwise, saying why: haproxy/pair.sh's readiness check. Needs the RabbitMQ Java client on the
 * class path (broker-server/target/probe-lib). Usage: {@code PublishProbe HOST PORT}.
 */
public final class PublishProbe {

    private PublishProbe() {
    }

    public static void main(String[] args) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(args[0]);
        f.setPort(Integer.parseInt(args[1]));
        f.setConnectionTimeout(3000);
        f.setHandshakeTimeout(3000);
        f.setAutomaticRecoveryEnabled(false);
        try (Connection c = f.newConnection("pair-probe"); Channel ch = c.createChannel()) {
            ch.queueDeclare("warren.pair.probe", true, false, false, null);
            ch.confirmSelect();
            ch.basicPublish("", "warren.pair.probe", MessageProperties.PERSISTENT_TEXT_PLAIN,
                "probe".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(5000);
            ch.queueDelete("warren.pair.probe");
            System.exit(0);
        } catch (Exception e) {
            System.err.println("publish probe: " + e);
            System.exit(1);
        }
    }
}

// Deletes benchmark queues/exchanges left behind by PerfTest runs that use
// non-auto-delete queues (e.g. the "persistent" scenarios, -ad false).
// Run with the Java single-file source launcher, using PerfTest's amqp-client:
//   java -cp 'bench/lib/*' bench/tools/Cleanup.java amqp://guest:guest@127.0.0.1:5672 queue:NAME exchange:NAME ...
// Every delete uses its own channel; failures (e.g. "not found") are reported and ignored.
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

public class Cleanup {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: Cleanup URI [queue:NAME|exchange:NAME]...");
      System.exit(2);
    }
    ConnectionFactory cf = new ConnectionFactory();
    cf.setUri(args[0]);
    cf.setConnectionTimeout(5000);
    cf.setAutomaticRecoveryEnabled(false);
    try (Connection conn = cf.newConnection("warren-bench-cleanup")) {
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        try (Channel ch = conn.createChannel()) {
          if (a.startsWith("exchange:")) {
            ch.exchangeDelete(a.substring("exchange:".length()));
            System.out.println("deleted " + a);
          } else {
            String q = a.startsWith("queue:") ? a.substring("queue:".length()) : a;
            int n = ch.queueDelete(q).getMessageCount();
            System.out.println("deleted queue:" + q + " (" + n + " messages)");
          }
        } catch (Exception e) {
          System.out.println("could not delete " + a + ": " + e.getMessage());
        }
      }
    }
  }
}

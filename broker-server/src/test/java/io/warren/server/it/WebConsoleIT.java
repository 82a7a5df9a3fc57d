package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.management.ConsolePage;
import io.warren.management.HeadlessChromium;
import io.warren.management.Http;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console of an in-process broker in a real headless Chromium: an operator logs in, adds a vhost and a
 * queue, publishes, watches the overview's count and chart move, sees a real client's consumer and closes that
 * client's connection; queues are paged and filtered; an exchange gets a binding, a message published to it reaches
 * the bound queue and stops once unbound; definitions are downloaded as a file and imported back. One broker and one
 * browser for the class (each test has its own names and logs in again); screenshots of each step go to
 * target/ui-screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebConsoleIT {
  private static final String TOTAL_COLOUR = "#2e9e5b"; // the queued chart's third series (chart.js COLORS)
  private static HeadlessChromium chromium;
  private static BrokerFixture broker;
  private static ConsolePage page;
  private static Path downloads;

  @BeforeAll
  static void start() throws Exception {
    broker = BrokerFixture.start(c -> c.withHttp(c.http().sampledEvery(1000)));
    chromium = new HeadlessChromium(Path.of("target", "ui-screenshots"));
    downloads = chromium.downloads();
    page = new ConsolePage(chromium.driver, "http://127.0.0.1:" + broker.broker().management().port() + "/");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  @AfterEach
  void forget(TestInfo test) {
    chromium.screenshot("last-" + test.getTestMethod().map(m -> m.getName()).orElse("test"));
    page.driver.executeScript("sessionStorage.clear()"); // logged out, no vhost chosen: the next test starts afresh
    page.driver.get("about:blank");
  }

  private static void logIn() {
    page.open("");
    page.login("guest", "guest");
    page.until(d -> page.text(By.id("whoami")).equals("guest"));
  }

  @Test
  @Order(1) // first, so that the overview's chart starts from an empty broker
  void operatorAddsATeamPublishesWatchesAndClosesAClient() throws Exception {
    page.open("");
    chromium.screenshot("01-login");
    page.login("guest", "not-the-password");
    assertThat(page.until(d -> page.visible(By.id("login-error"))).getText()).contains("Login failed");
    chromium.screenshot("02-login-failed");

    page.login("guest", "guest");
    page.until(d -> page.text(By.id("whoami")).equals("guest"));
    page.choose(By.id("refresh-interval"), "2000");
    page.until(d -> page.text(By.id("total-messages")).equals("0"));
    int floor = page.until(d -> {
      int y = page.highestLinePixel("chart-queued", TOTAL_COLOUR);
      return y >= 0 ? y : null; // two samples make a line: Total lies on the chart's floor
    });
    chromium.screenshot("03-overview");

    page.open("#/vhosts");
    page.type(By.id("new-vhost-name"), "team-a");
    page.submit(page.form(By.id("new-vhost-name")));
    page.until(d -> page.visible(By.cssSelector("#vhost-list tr[data-vhost='team-a']")));
    assertThat(page.notice("ok")).contains("Virtual host 'team-a' added");
    chromium.screenshot("04-vhost-added");

    page.open("#/permissions");
    WebElement perms = page.form(By.id("perm-user"));
    page.choose(By.id("perm-user"), "guest");
    new Select(perms.findElement(By.name("vhost"))).selectByValue("team-a");
    page.submit(perms);
    page.until(d -> page.text(By.id("permission-list")).contains("team-a"));

    page.open("#/queues");
    WebElement add = page.form(By.id("new-queue-name"));
    page.choose(By.id("new-queue-vhost"), "team-a");
    page.type(By.id("new-queue-name"), "orders");
    page.submit(add);
    By row = By.cssSelector("#queue-list tr[data-vhost='team-a'][data-queue='orders']");
    page.until(d -> page.visible(row));
    // The same queue again but transient: the broker's refusal reaches the user in its own words.
    page.type(By.id("new-queue-name"), "orders");
    page.choose(By.id("new-queue-durable"), "false");
    page.submit(add);
    assertThat(page.awaitNotice("error")).contains("Declaring queue 'orders' failed").contains("durable");
    chromium.screenshot("05-queue-added-and-refused");

    page.clickIn(row, By.cssSelector("a.queue-link"));
    page.until(d -> page.text(By.id("queue-name")).equals("orders"));
    WebElement publish = page.form(By.id("publish-payload"));
    for (String body : List.of("hello from the console", "second")) {
      page.type(By.id("publish-payload"), body);
      page.submit(publish);
      page.until(d -> page.notice("ok").contains("Message published"));
      page.dismissNotices();
    }
    page.until(d -> page.text(By.id("queue-messages")).equals("2"));
    page.submit(page.form(By.id("get-count")));
    page.until(d -> page.text(By.id("fetched-messages")).contains("hello from the console"));
    chromium.screenshot("06-queue-page");

    page.open("#/");
    page.until(d -> page.text(By.id("total-messages")).equals("2"));
    page.until(d -> page.legend("chart-queued", "messages").equals("2"));
    int raised = page.until(d -> {
      int y = page.highestLinePixel("chart-queued", TOTAL_COLOUR);
      return y >= 0 && y < floor ? y : null;
    });
    assertThat(raised).as("the Total line rose").isLessThan(floor);
    chromium.screenshot("07-overview-after-publish");

    ConnectionFactory factory = broker.factory();
    factory.setVirtualHost("team-a");
    Connection client = factory.newConnection("billing");
    try {
      CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
      client.addShutdownListener(closed::complete);
      Channel ch = client.createChannel();
      ch.basicQos(1);
      ch.basicConsume("orders", false, "billing-consumer", new DefaultConsumer(ch));

      page.open("#/queues/team-a/orders");
      page.until(d -> page.text(By.id("queue-consumers")).contains("billing-consumer"));
      page.until(d -> page.text(By.id("queue-unacked")).equals("1"));
      chromium.screenshot("08-queue-consumer");

      page.open("#/connections");
      By conn = By.xpath("//tr[@data-connection][td[contains(., 'team-a')]]");
      page.until(d -> page.visible(conn));
      assertThat(page.text(conn)).contains("billing").contains("guest").contains("RabbitMQ");
      chromium.screenshot("09-connections");
      page.clickIn(conn, By.cssSelector("button.close-connection"));
      WebElement dialog = page.until(d -> page.visible(By.cssSelector("dialog.confirm")));
      chromium.screenshot("10-close-confirm");
      dialog.findElement(By.cssSelector("button.danger")).click();
      ShutdownSignalException reason = closed.get(30, TimeUnit.SECONDS);
      assertThat(reason.isHardError()).isTrue();
      assertThat(reason.getMessage()).contains("320").contains("closed via management UI");
      page.until(d -> d.findElements(conn).isEmpty());
      chromium.screenshot("11-connection-closed");
    } finally {
      client.abort();
    }
  }

  @Test
  void queuesArePagedAndFilteredByName() throws Exception {
    Http http = new Http(broker.broker().management().port());
    assertThat(http.put("/api/vhosts/paging", "{}").statusCode()).isEqualTo(201); // guest gets permissions in it
    ConnectionFactory factory = broker.factory();
    factory.setVirtualHost("paging");
    try (Connection c = factory.newConnection()) {
      Channel ch = c.createChannel();
      for (int i = 0; i < 25; i++) {
        ch.queueDeclare(String.format("jobs-%02d", i), true, false, false, null);
      }
      ch.queueDeclare("payments", true, false, false, null);
    }
    logIn();
    page.open("#/queues");
    page.until(d -> { // its options arrive after login
      new Select(d.findElement(By.id("vhost-filter"))).selectByValue("paging");
      return true;
    });
    page.choose(By.id("queue-page-size"), "20");
    page.until(d -> page.text(By.id("page-info")).equals("Page 1 of 2"));
    page.until(d -> d.findElements(By.cssSelector("#queue-list tbody tr")).size() == 20);
    assertThat(page.text(By.id("queue-count"))).isEqualTo("26 queues");
    page.driver.findElement(By.id("page-next")).click();
    page.until(d -> page.text(By.id("page-info")).equals("Page 2 of 2"));
    page.until(d -> d.findElements(By.cssSelector("#queue-list tbody tr")).size() == 6);
    chromium.screenshot("12-queues-page-2");

    page.type(By.id("queue-filter"), "pay");
    page.until(d -> page.text(By.id("queue-count")).equals("1 of 26 queues match"));
    assertThat(page.text(By.id("page-info"))).isEqualTo("Page 1 of 1");
    assertThat(page.text(By.id("queue-list"))).contains("payments").doesNotContain("jobs-");
    chromium.screenshot("13-queues-filtered");
  }

  @Test
  void anExchangeIsBoundPublishedToAndUnbound() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("ui-audit", true, false, false, null);
      logIn();
      page.open("#/exchanges");
      WebElement add = page.form(By.id("new-exchange-name"));
      page.type(By.id("new-exchange-name"), "ui-events");
      page.choose(By.id("new-exchange-type"), "topic");
      page.submit(add);
      By link = By.xpath("//div[@id='exchange-list']//a[text()='ui-events']");
      page.until(d -> page.visible(link));
      // scrolled to the middle first, as the other clicks here: the link ended up under the sticky header, which
      // then took the click (every run on main at f1015d6)
      page.clickIn(By.id("exchange-list"), By.xpath(".//a[text()='ui-events']"));
      page.until(d -> page.text(By.id("exchange-name")).equals("ui-events"));

      WebElement bind = page.form(By.id("bind-destination"));
      page.type(By.id("bind-destination"), "ui-audit");
      page.type(By.id("bind-routing-key"), "user.*");
      page.submit(bind);
      page.until(d -> page.notice("ok").contains("Binding added"));
      By binding = By.xpath("//div[@id='exchange-bindings']//tr[td[contains(., 'ui-audit (queue)')]]");
      assertThat(page.until(d -> page.visible(binding)).getText()).contains("user.*");
      assertThat(ch.queueDeclarePassive("ui-audit").getMessageCount()).isZero();
      chromium.screenshot("14-exchange-bound");

      publishOnExchangePage("user.created", "hello through the exchange");
      page.until(d -> page.notice("ok").contains("Message published and routed"));
      GetResponse got = await().atMost(Duration.ofSeconds(10)).until(() -> ch.basicGet("ui-audit", true),
          r -> r != null);
      assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello through the exchange");
      assertThat(got.getEnvelope().getRoutingKey()).isEqualTo("user.created");
      chromium.screenshot("15-exchange-published");

      page.clickIn(binding, By.xpath(".//button[text()='Unbind']"));
      page.until(d -> page.notice("ok").contains("Binding removed"));
      page.until(d -> d.findElements(binding).isEmpty());
      publishOnExchangePage("user.deleted", "nobody hears this");
      assertThat(page.awaitNotice("error")).contains("not routed");
      assertThat(ch.queueDeclarePassive("ui-audit").getMessageCount()).isZero();
      chromium.screenshot("16-exchange-unbound");
    }
  }

  private static void publishOnExchangePage(String routingKey, String body) {
    page.dismissNotices();
    WebElement publish = page.form(By.id("publish-routing-key"));
    page.type(By.id("publish-routing-key"), routingKey);
    page.type(By.id("publish-payload"), body);
    page.submit(publish);
  }

  @Test
  void definitionsAreDownloadedAndImportedBack() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("ui-exported", true, false, false, Map.of("x-max-length", 42));
      logIn();
      page.open("#/definitions");
      page.choose(By.id("export-vhost"), "/");
      page.until(d -> page.visible(By.id("export-definitions"))).click();
      Path file = downloads.resolve("warren-definitions-_.json");
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.isRegularFile(file) && Files.size(file) > 0);
      JsonNode exported = new ObjectMapper().readTree(file.toFile());
      JsonNode queue = null;
      for (JsonNode q : exported.get("queues")) {
        if (q.get("name").asText().equals("ui-exported")) {
          queue = q;
        }
      }
      assertThat(queue).as("the downloaded file lists the queue").isNotNull();
      assertThat(queue.get("arguments").get("x-max-length").asInt()).isEqualTo(42);
      chromium.screenshot("17-definitions-downloaded");

      ch.queueDelete("ui-exported");
      page.dismissNotices();
      WebElement importForm = page.form(By.id("import-file"));
      page.driver.findElement(By.id("import-file")).sendKeys(file.toAbsolutePath().toString());
      page.choose(By.cssSelector("form select[name='vhost']"), "/");
      page.submit(importForm);
      page.until(d -> page.notice("ok").contains("Definitions imported"));
      assertThat(ch.queueDeclarePassive("ui-exported").getQueue()).isEqualTo("ui-exported");
      chromium.screenshot("18-definitions-imported");

      page.dismissNotices();
      page.type(By.id("import-json"), "{\"queues\": [{\"name\": \"ui-pasted\", \"vhost\": \"/\", "
          + "\"durable\": true, \"auto_delete\": false, \"arguments\": {}}]}");
      page.driver.executeScript("arguments[0].value = ''", page.driver.findElement(By.id("import-file")));
      page.choose(By.cssSelector("form select[name='vhost']"), "");
      page.submit(importForm);
      page.until(d -> page.notice("ok").contains("Definitions imported"));
      assertThat(ch.queueDeclarePassive("ui-pasted").getQueue()).isEqualTo("ui-pasted");
    }
  }
}

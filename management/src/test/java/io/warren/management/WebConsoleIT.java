package io.warren.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.management.spi.ConnectionInfo;
import io.warren.management.spi.QueueSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web console served by the management server, in a real headless Chromium, against the in-memory broker
 * behind the SPI: login, vhost, permissions, queue, publish and get, the overview's count and chart, paging and
 * filtering, closing a connection. Screenshots of each step go to target/ui-screenshots/.
 */
class WebConsoleIT {
  private static final String QUEUED_TOTAL_COLOUR = "#2e9e5b"; // third series colour in chart.js
  private static HeadlessChromium chromium;
  private FakeBroker broker;
  private ManagementServer server;
  private ConsolePage page;

  @BeforeAll
  static void startBrowser() throws Exception {
    chromium = new HeadlessChromium(Path.of("target", "ui-screenshots"));
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void start() {
    broker = new FakeBroker();
    server = new ManagementServer(new ManagementConfig("127.0.0.1", 0, 1 << 20, false, 500, 120), broker).start();
    page = new ConsolePage(chromium.driver, "http://127.0.0.1:" + server.port() + "/");
    chromium.driver.get("about:blank");
  }

  @AfterEach
  void stop(TestInfo test) {
    if (test.getTestMethod().isPresent() && page.driver.getSessionId() != null) {
      chromium.screenshot("last-" + test.getTestMethod().get().getName());
    }
    page.driver.executeScript("sessionStorage.clear()");
    server.close();
  }

  @Test
  void operatorCreatesPublishesWatchesAndClosesAConnection() {
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
      int y = page.highestLinePixel("chart-queued", QUEUED_TOTAL_COLOUR);
      return y >= 0 ? y : null; // two samples make a line: Total lies on the floor
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
    new org.openqa.selenium.support.ui.Select(perms.findElement(By.name("vhost"))).selectByValue("team-a");
    page.submit(perms);
    page.until(d -> page.text(By.id("permission-list")).contains("team-a"));

    page.open("#/queues");
    WebElement add = page.form(By.id("new-queue-name"));
    page.choose(By.id("new-queue-vhost"), "team-a");
    page.type(By.id("new-queue-name"), "orders");
    page.submit(add);
    By row = By.cssSelector("#queue-list tr[data-vhost='team-a'][data-queue='orders']");
    page.until(d -> page.visible(row));
    // The same name again but transient: the broker's reason reaches the user.
    page.type(By.id("new-queue-name"), "orders");
    page.choose(By.id("new-queue-durable"), "false");
    page.submit(add);
    assertThat(page.awaitNotice("error")).contains("Declaring queue 'orders' failed")
        .contains("inequivalent arg 'durable'").contains("HTTP 400");
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
      int y = page.highestLinePixel("chart-queued", QUEUED_TOTAL_COLOUR);
      return y >= 0 && y < floor ? y : null;
    });
    assertThat(raised).as("the Total line rose").isLessThan(floor);
    page.until(d -> !page.text(By.id("rate-publish")).isEmpty());
    chromium.screenshot("07-overview-after-publish");

    synchronized (broker) {
      broker.connections.add(new ConnectionInfo("127.0.0.1:50000 -> 127.0.0.1:5672", "team-a", "guest",
          "127.0.0.1", 50000, "127.0.0.1", 5672, "AMQP 0-9-1", 1, 2047, 131072, 60, System.currentTimeMillis(),
          Map.of("product", "RabbitMQ", "version", "5.25.0", "connection_name", "billing"), 100, 200, 3, 4, "running"));
    }
    page.open("#/connections");
    By conn = By.xpath("//tr[@data-connection='127.0.0.1:50000 -> 127.0.0.1:5672']");
    page.until(d -> page.visible(conn));
    assertThat(page.text(conn)).contains("team-a").contains("billing").contains("RabbitMQ 5.25.0");
    page.clickIn(conn, By.cssSelector("button.close-connection"));
    WebElement dialog = page.until(d -> page.visible(By.cssSelector("dialog.confirm")));
    chromium.screenshot("08-close-confirm");
    dialog.findElement(By.cssSelector("button.danger")).click();
    page.until(d -> page.driver.findElements(conn).isEmpty());
    synchronized (broker) {
      assertThat(broker.closed).containsExactly("127.0.0.1:50000 -> 127.0.0.1:5672: closed via management UI");
    }
    chromium.screenshot("09-connection-closed");
  }

  @Test
  void queuesArePagedAndFilteredByName() {
    synchronized (broker) {
      for (int i = 0; i < 25; i++) {
        broker.declareQueue(new QueueSpec("/", String.format("jobs-%02d", i), true, false, Map.of()));
      }
      broker.declareQueue(new QueueSpec("/", "payments", true, false, Map.of()));
    }
    page.open("");
    page.login("guest", "guest");
    page.until(d -> page.text(By.id("whoami")).equals("guest"));
    page.open("#/queues");
    page.choose(By.id("queue-page-size"), "20");
    page.until(d -> page.text(By.id("page-info")).equals("Page 1 of 2"));
    assertThat(page.driver.findElements(By.cssSelector("#queue-list tbody tr"))).hasSize(20);
    assertThat(page.text(By.id("queue-count"))).isEqualTo("26 queues");
    page.driver.findElement(By.id("page-next")).click();
    page.until(d -> page.text(By.id("page-info")).equals("Page 2 of 2"));
    page.until(d -> d.findElements(By.cssSelector("#queue-list tbody tr")).size() == 6);
    chromium.screenshot("10-queues-page-2");

    page.type(By.id("queue-filter"), "pay");
    page.until(d -> page.text(By.id("queue-count")).equals("1 of 26 queues match"));
    assertThat(page.text(By.id("page-info"))).isEqualTo("Page 1 of 1");
    assertThat(page.text(By.id("queue-list"))).contains("payments").doesNotContain("jobs-");
    chromium.screenshot("11-queues-filtered");
  }
}

package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.management.Http;
import io.warren.server.auth.AccessControl;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ's loopback_users: the rule goes with the user name, so a guest deleted and created again through the
 * management API stays loopback-only, while other users made through the API may log in from anywhere; the
 * configuration can name other users or none. Users are made over real HTTP; whether a login from another address
 * would be accepted is asked of the broker's access control directly (tests cannot connect from a non-loopback
 * address).
 */
class LoopbackUsersIT {
  private static final String USER_BODY = "{\"password\":\"pw\",\"tags\":\"administrator\"}";

  @Test
  void guestMadeAgainThroughTheApiIsStillLoopbackOnlyAndOthersAreNot() throws Exception {
    try (BrokerFixture broker = BrokerFixture.start()) {
      Http http = new Http(broker.broker().management().port());
      assertThat(http.put("/api/users/admin", USER_BODY).statusCode()).isEqualTo(201);
      http.as("admin", "pw");
      assertThat(http.delete("/api/users/guest").statusCode()).isEqualTo(204);
      assertThat(http.put("/api/users/guest", USER_BODY).statusCode()).isEqualTo(201);

      AccessControl access = broker.broker().accessControl();
      StringBuilder why = new StringBuilder();
      assertThat(access.authenticate("guest", "pw", remote(), why)).isEmpty();
      assertThat(why.toString()).isEqualTo("user 'guest' can only connect via localhost");
      assertThat(access.authenticate("guest", "pw", InetAddress.getLoopbackAddress(), new StringBuilder()))
          .isPresent();
      assertThat(access.authenticate("admin", "pw", remote(), new StringBuilder())).isPresent();
      // and the management API applies the same rule: guest logs in over loopback
      assertThat(new Http(broker.broker().management().port()).as("guest", "pw").get("/api/whoami").statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void theConfigurationNamesTheLoopbackUsers() throws Exception {
    try (BrokerFixture broker = BrokerFixture.start(c -> c.withLoopbackUsers(List.of("ops")))) {
      Http http = new Http(broker.broker().management().port());
      assertThat(http.put("/api/users/ops", USER_BODY).statusCode()).isEqualTo(201);
      AccessControl access = broker.broker().accessControl();
      assertThat(access.authenticate("ops", "pw", remote(), new StringBuilder())).isEmpty();
      // guest's own entry in warren.conf still says loopback-only
      assertThat(access.authenticate("guest", "guest", remote(), new StringBuilder())).isEmpty();
      assertThat(http.delete("/api/users/guest").statusCode()).isEqualTo(204);
      assertThat(http.as("ops", "pw").put("/api/users/guest", USER_BODY).statusCode()).isEqualTo(201);
      assertThat(access(broker).authenticate("guest", "pw", remote(), new StringBuilder())).isPresent();
    }
  }

  private static AccessControl access(BrokerFixture broker) {
    return broker.broker().accessControl();
  }

  /** An address that is not a loopback one; nothing is sent to it. */
  private static InetAddress remote() throws Exception {
    return InetAddress.getByAddress(new byte[] {10, 1, 2, 3});
  }
}

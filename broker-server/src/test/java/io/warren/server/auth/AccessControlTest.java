package io.warren.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Login checks, including RabbitMQ's loopback-only rule for guest, which an integration test cannot reach. */
class AccessControlTest {
  private final AccessControl access = new AccessControl(
      List.of(new User("guest", PasswordHash.of("guest"), List.of("administrator"), true),
          new User("alice", PasswordHash.of("wonderland"), List.of(), false)),
      List.of(new Permission("guest", "/", ".*", ".*", ".*"), new Permission("alice", "/", "", "", "")));

  @Test
  void loopbackOnlyUserIsRefusedFromAnotherAddress() throws Exception {
    StringBuilder why = new StringBuilder();
    assertThat(access.authenticate("guest", "guest", InetAddress.getByName("10.1.2.3"), why)).isEmpty();
    assertThat(why.toString()).isEqualTo("user 'guest' can only connect via localhost");
    assertThat(access.authenticate("guest", "guest", InetAddress.getByName("192.168.0.7"), new StringBuilder()))
        .isEmpty();
    assertThat(access.authenticate("guest", "guest", InetAddress.getByName("2001:db8::1"), new StringBuilder()))
        .isEmpty();
  }

  @Test
  void loopbackOnlyUserLogsInFromAnyLoopbackAddress() throws Exception {
    for (String address : List.of("127.0.0.1", "127.3.4.5", "::1")) {
      assertThat(access.authenticate("guest", "guest", InetAddress.getByName(address), new StringBuilder()))
          .as(address).map(User::name).contains("guest");
    }
  }

  @Test
  void otherUsersLogInFromAnywhere() throws Exception {
    assertThat(access.authenticate("alice", "wonderland", InetAddress.getByName("10.1.2.3"), new StringBuilder()))
        .map(User::name).contains("alice");
  }

  @Test
  void wrongPasswordAndUnknownUserAreRefusedWithTheReasonForTheLog() throws Exception {
    InetAddress local = InetAddress.getLoopbackAddress();
    StringBuilder why = new StringBuilder();
    assertThat(access.authenticate("alice", "mad-hatter", local, why)).isEmpty();
    assertThat(why.toString()).isEqualTo("invalid credentials for user 'alice'");
    why.setLength(0);
    assertThat(access.authenticate("mallory", "x", local, why)).isEmpty();
    assertThat(why.toString()).isEqualTo("user 'mallory' does not exist");
    // a wrong password from a remote address reports the password, not the address: no hint that the user exists
    why.setLength(0);
    assertThat(access.authenticate("guest", "nope", InetAddress.getByName("10.0.0.1"), why)).isEmpty();
    assertThat(why.toString()).isEqualTo("invalid credentials for user 'guest'");
  }

  @Test
  void anyPermissionEntryAllowsOpeningTheVhostEvenWithEmptyPatterns() {
    assertThat(access.mayOpen("alice", "/")).isTrue();
    assertThat(access.mayOpen("alice", "other")).isFalse();
    assertThat(access.mayOpen("nobody", "/")).isFalse();
  }
}

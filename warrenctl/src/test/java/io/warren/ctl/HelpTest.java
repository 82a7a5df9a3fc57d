package io.warren.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --help works on the tool and on every verb, without calling the API. */
class HelpTest {
  @Test
  void everyVerbHasHelp() throws Exception {
    try (FakeApi api = new FakeApi()) {
      Run top = Run.warrenctl(api.port(), "--help");
      assertThat(top.code()).isZero();
      List<String> verbs = new ArrayList<>();
      boolean inCommands = false;
      for (String line : top.out().split("\n")) {
        if (line.startsWith("Commands:")) {
          inCommands = true;
        } else if (inCommands && line.matches("  [a-z_]+ .*|  [a-z_]+")) {
          verbs.add(line.strip().split(" ")[0]);
        } else if (inCommands && line.isBlank()) {
          inCommands = false;
        }
      }
      assertThat(verbs).contains("list_queues", "list_exchanges", "list_bindings", "list_connections",
          "list_channels", "list_consumers", "list_vhosts", "list_users", "list_permissions",
          "list_user_permissions", "list_policies", "list_topic_permissions", "add_vhost", "delete_vhost",
          "add_user", "delete_user", "change_password", "set_user_tags", "set_permissions", "clear_permissions",
          "set_topic_permissions", "clear_topic_permissions", "set_policy", "clear_policy", "set_vhost_limits",
          "export_definitions", "import_definitions", "purge_queue", "delete_queue", "close_connection", "status");
      for (String verb : verbs) {
        Run help = Run.warrenctl(api.port(), verb, "--help");
        assertThat(help.code()).as(verb).isZero();
        assertThat(help.out()).as(verb).startsWith("Usage: warrenctl " + verb).contains("--vhost", "--formatter");
      }
      assertThat(top.out()).contains("Exit codes");
      assertThat(api.calls).isEmpty();
    }
  }
}

package io.warren.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warren.server.auth.Permission;
import io.warren.server.auth.User;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, precedence (system properties > environment > file > defaults) and the errors for bad values. */
class ConfigLoaderTest {
  @TempDir
  Path dir;

  private static final Map<String, String> NO_ENV = Map.of();

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  private Path file(String hocon) throws Exception {
    Path f = Files.createTempFile(dir, "warren", ".conf");
    Files.writeString(f, hocon);
    return f;
  }

  @Test
  void queueResidencyComesFromTheConfigAndMustBePositive() {
    BrokerConfig defaults = ConfigLoader.defaults();
    assertThat(defaults.residency().readyMessages()).isEqualTo(16384);
    assertThat(defaults.residency().readyBytes()).isEqualTo(64L << 20);
    Properties props = new Properties();
    props.setProperty("warren.queues.resident-messages", "0");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), props))
        .hasMessageContaining("warren.queues.resident-messages");
  }

  @Test
  void theMemoryWatermarkIsAFractionOrASizeAndTheLimitAutoOrASize() {
    BrokerConfig.Limits d = ConfigLoader.load(null, NO_ENV, props()).limits();
    assertThat(d.memoryHighWatermark()).isEqualTo(0.4);
    assertThat(d.memoryHighWatermarkBytes()).isZero();
    assertThat(d.totalMemory()).isZero();
    assertThat(d.failedLoginDelayMillis()).isEqualTo(3000);
    BrokerConfig.Limits abs = ConfigLoader.load(null, NO_ENV, props("warren.limits.memory-high-watermark", "512MiB",
        "warren.limits.total-memory", "2GiB", "warren.limits.failed-login-delay", "1s")).limits();
    assertThat(abs.memoryHighWatermarkBytes()).isEqualTo(512L << 20);
    assertThat(abs.totalMemory()).isEqualTo(2L << 30);
    assertThat(abs.failedLoginDelayMillis()).isEqualTo(1000);
    assertThat(ConfigLoader.load(null, NO_ENV, props("warren.limits.memory-high-watermark", "0.25")).limits()
        .memoryHighWatermark()).isEqualTo(0.25);
    assertThatThrownBy(() -> ConfigLoader.load(null, NO_ENV, props("warren.limits.total-memory", "lots")))
        .hasMessageContaining("warren.limits.total-memory");
    assertThat(ConfigLoader.defaults().residency().spillWatermark()).isEqualTo(0.5);
  }

  @Test
  void defaultsAloneGiveTheDocumentedValues() {
    BrokerConfig c = ConfigLoader.load(null, NO_ENV, props());
    assertThat(c.amqp().port()).isEqualTo(5672);
    assertThat(c.amqp().bindAddress()).isEqualTo("0.0.0.0");
    assertThat(c.amqp().nativeTransport()).isTrue();
    assertThat(c.amqp().ioThreads()).isZero();
    assertThat(c.amqp().receiveBuffer()).isEqualTo(128 * 1024);
    assertThat(c.amqp().unsentLimit()).isEqualTo(128 * 1024);
    assertThat(c.dataDir()).isEqualTo(Path.of("data"));
    assertThat(c.server().product()).isEqualTo("Warren");
    assertThat(c.server().clusterName()).isEqualTo("warren");
    assertThat(c.limits().frameMax()).isEqualTo(1048576);
    assertThat(c.limits().channelMax()).isEqualTo(2047);
    assertThat(c.limits().heartbeatSeconds()).isEqualTo(60);
    assertThat(c.limits().maxMessageSize()).isEqualTo(134217728L);
    assertThat(c.limits().handshakeTimeoutMillis()).isEqualTo(10_000L);
    assertThat(c.users()).extracting(User::name).containsExactly("guest");
    assertThat(c.users().get(0).passwordHash().matches("guest")).isTrue();
    assertThat(c.users().get(0).loopbackOnly()).isTrue();
    assertThat(c.vhosts()).containsExactly("/");
    assertThat(c.permissions()).extracting(Permission::user, Permission::vhost, Permission::configure)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("guest", "/", ".*"));
  }

  @Test
  void thePackagedDefaultsAreConfWarrenConf() throws Exception {
    // the documented file and the built-in defaults must never disagree
    Path documented = Path.of("..", "conf", "warren.conf");
    try (InputStream packaged = ConfigLoader.class.getClassLoader().getResourceAsStream("warren.conf")) {
      assertThat(packaged).isNotNull();
      assertThat(new String(packaged.readAllBytes())).isEqualTo(Files.readString(documented));
    }
  }

  @Test
  void anEmptyFileTakesEveryKeyFromTheDefaults() throws Exception {
    BrokerConfig c = ConfigLoader.load(file("# nothing\n"), NO_ENV, props());
    assertThat(c.toString()).isEqualTo(ConfigLoader.load(null, NO_ENV, props()).toString());
  }

  @Test
  void fileOverridesDefaultsOnlyForTheKeysItSets() throws Exception {
    BrokerConfig c = ConfigLoader.load(file("warren.amqp.port = 6001\nwarren { data-dir = \"/var/w\"\n"
        + "  limits.heartbeat = 5s\n  vhosts = [\"/\", \"b\"] }\n"), NO_ENV, props());
    assertThat(c.amqp().port()).isEqualTo(6001);
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/w"));
    assertThat(c.limits().heartbeatSeconds()).isEqualTo(5);
    assertThat(c.vhosts()).containsExactly("/", "b");
    assertThat(c.limits().frameMax()).isEqualTo(1048576);
  }

  @Test
  void environmentOverridesTheFileAndSystemPropertiesOverrideBoth() throws Exception {
    Path f = file("warren.amqp.port = 6001\nwarren.data-dir = \"/from/file\"\n");
    Map<String, String> env = Map.of("WARREN_AMQP_PORT", "7002", "WARREN_DATA_DIR", "/from/env",
        "WARREN_BIND_ADDRESS", "127.0.0.1", "WARREN_ADVERTISED_VERSION", "3.13.7");
    BrokerConfig fromEnv = ConfigLoader.load(f, env, props());
    assertThat(fromEnv.amqp().port()).isEqualTo(7002);
    assertThat(fromEnv.dataDir()).isEqualTo(Path.of("/from/env"));
    assertThat(fromEnv.amqp().bindAddress()).isEqualTo("127.0.0.1");
    assertThat(fromEnv.server().version()).isEqualTo("3.13.7");

    BrokerConfig fromProps = ConfigLoader.load(f, env, props("warren.amqp.port", "8003", "unrelated.key", "x"));
    assertThat(fromProps.amqp().port()).isEqualTo(8003);
    assertThat(fromProps.dataDir()).isEqualTo(Path.of("/from/env"));

    BrokerConfig noFile = ConfigLoader.load(null, env, props("warren.data-dir", "/from/props"));
    assertThat(noFile.amqp().port()).isEqualTo(7002);
    assertThat(noFile.dataDir()).isEqualTo(Path.of("/from/props"));
  }

  @Test
  void anEmptyEnvironmentVariableCountsAsUnset() throws Exception {
    BrokerConfig c = ConfigLoader.load(file("warren.amqp.port = 6001\n"), Map.of("WARREN_AMQP_PORT", ""), props());
    assertThat(c.amqp().port()).isEqualTo(6001);
  }

  @Test
  void badValuesAreRefusedWithAMessageNamingTheKey() throws Exception {
    assertRefused(file("warren.amqp.port = lots\n"), NO_ENV, props(), "warren.amqp.port");
    assertRefused(null, Map.of("WARREN_AMQP_PORT", "lots"), props(), "WARREN_AMQP_PORT", "warren.amqp.port");
    assertRefused(null, NO_ENV, props("warren.amqp.port", "70000"), "warren.amqp.port must be 0..65535, got 70000");
    assertRefused(file("warren.limits.heartbeat = soon\n"), NO_ENV, props(), "warren.limits.heartbeat");
    assertRefused(file("warren.limits.frame-max = 100\n"), NO_ENV, props(),
        "warren.limits.frame-max must be at least 4096, got 100");
    assertRefused(file("warren.limits.channel-max = 0\n"), NO_ENV, props(), "warren.limits.channel-max");
    assertRefused(file("warren.amqp.native-transport = maybe\n"), NO_ENV, props(), "warren.amqp.native-transport");
    assertRefused(file("warren.vhosts = \"/\"\n"), NO_ENV, props(), "warren.vhosts");
    assertRefused(file("warren.users = [{ name = bob, password-hash = \"not base64!\" }]\n"
        + "warren.permissions = []\n"), NO_ENV, props(), "warren.users[0]", "password-hash");
    assertRefused(file("warren.users = [{ name = bob }]\nwarren.permissions = []\n"), NO_ENV, props(),
        "warren.users[0]", "password-hash");
    assertRefused(file("warren.permissions = [{ user = guest, vhost = \"/\", configure = \"(\", write = \"\","
        + " read = \"\" }]\n"), NO_ENV, props(), "warren.permissions[0]", "invalid permission pattern '('");
    assertRefused(file("warren.permissions = [{ user = nobody, vhost = \"/\", configure = \"\", write = \"\","
        + " read = \"\" }]\n"), NO_ENV, props(), "permission for unknown user 'nobody'");
    assertRefused(file("warren { amqp { port = 1 \n"), NO_ENV, props(), "invalid configuration");
    assertRefused(dir.resolve("missing.conf"), NO_ENV, props(), "cannot read config file",
        dir.resolve("missing.conf").toString());
  }

  private static void assertRefused(Path file, Map<String, String> env, Properties props, String... inMessage) {
    assertThatThrownBy(() -> ConfigLoader.load(file, env, props))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(inMessage));
  }
}

package io.warren.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueSettingsTest {

    @Test
    void copiesArgumentsIncludingVoidValues() {
        Map<String, Object> args = new HashMap<>();
        args.put("x-message-ttl", 1000);
        args.put("x-void", null);
        QueueSettings settings = new QueueSettings("q", true, false, false, args);
        args.clear();

        assertThat(settings.arguments()).containsEntry("x-message-ttl", 1000).containsEntry("x-void", null);
        assertThatThrownBy(() -> settings.arguments().put("a", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullArgumentsMeanNone() {
        assertThat(new QueueSettings("q", false, false, false, null).arguments()).isEmpty();
        assertThat(QueueSettings.named("q")).isEqualTo(new QueueSettings("q", false, false, false, Map.of()));
    }

    @Test
    void namesMustBeAShortString() {
        assertThatThrownBy(() -> QueueSettings.named("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueueSettings.named(null)).isInstanceOf(NullPointerException.class);
        assertThat(QueueSettings.named("q".repeat(255)).name()).hasSize(255);
        // 128 two-byte characters: 256 bytes.
        assertThatThrownBy(() -> QueueSettings.named("é".repeat(128))).isInstanceOf(IllegalArgumentException.class);
    }
}

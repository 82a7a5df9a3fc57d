package io.warren.server.warmup;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * warren.warm-up: whether a single node warms its code up, for how long at most, and whether before it listens (the
 * first client meets compiled code; the port opens that much later) or right after (in the background). Immutable.
 */
public record WarmUpConfig(boolean enabled, long maxMillis, boolean beforeListen) {

    public WarmUpConfig {
        if (maxMillis < 0 || maxMillis > 60_000) {
            throw new IllegalArgumentException("warren.warm-up.max-time must be 0..60s, got " + maxMillis + " ms");
        }
    }

    /** Reads the section from the built-in defaults, {@code file} (may be null) and system properties. */
    public static WarmUpConfig load(Path file, Properties systemProperties) {
        try {
            Config defaults = ConfigFactory.parseResources(WarmUpConfig.class.getClassLoader(), "warren.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
            Config merged = file == null ? defaults
                : ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                    .withFallback(defaults);
            Config props = ConfigFactory.parseProperties(systemProperties).withOnlyPath("warren");
            Config c = props.withFallback(merged).resolve().getConfig("warren.warm-up");
            return new WarmUpConfig(c.getBoolean("enabled"), c.getDuration("max-time", TimeUnit.MILLISECONDS),
                c.getBoolean("before-listen"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
        }
    }
}

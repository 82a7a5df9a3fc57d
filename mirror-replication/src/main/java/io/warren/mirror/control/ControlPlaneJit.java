package io.warren.mirror.control;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the control plane's code (Apache Ratis with its shaded gRPC, Netty and protobuf, all under {@code
 * org.apache.ratis}) out of the JIT's optimizing compiler (C2): it is compiled by C1 alone, fully optimized without
 * profiling. That code runs a few dozen times a second (lease renewals, reads, heartbeats), so it crossed C2's
 * thresholds for minutes after a start: on a 2-core machine C2 took 19-31% of a core on a loaded primary 15-35 s
 * after the start, and an idle pair's members were still compiling it two minutes on. Its C1 code cost an idle data
 * node's control-plane threads about 0.2 s more CPU per 20 s, against 0.4-1.0 s less in C2 (docs/replication.md).
 * Added once per JVM through the HotSpot diagnostic command {@code Compiler.directives_add}; on a JVM without it,
 * nothing changes.
 */
final class ControlPlaneJit {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneJit.class);

    static final String DIRECTIVE = "[ { match: [\"org/apache/ratis/*.*\"], c2: { Exclude: true } } ]\n";

    private static boolean applied;

    private ControlPlaneJit() {
    }

    /** Adds the directive unless this JVM already has it; never fails (a JIT policy is not worth a failed start). */
    static synchronized void apply() {
        if (applied || Boolean.getBoolean("warren.control.jit.c2")) {
            return;
        }
        applied = true;
        Path file = null;
        try {
            file = Files.createTempFile("warren-control-jit", ".json");
            Files.writeString(file, DIRECTIVE, StandardCharsets.UTF_8);
            Object result = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            LOG.info("Control plane code (org.apache.ratis) compiled by C1 only: {}", String.valueOf(result).trim());
        } catch (Exception | LinkageError e) {
            LOG.info("Control plane code left to the JIT's defaults: {}", e.toString());
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (java.io.IOException e) {
                    LOG.debug("Could not delete {}: {}", file, e.toString());
                }
            }
        }
    }
}

package io.warren.mirror.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class ControlPlaneJitTest {

    private static String directives() throws Exception {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
            new Object[] {new String[0]}, new String[] {String[].class.getName()}));
    }

    @Test
    void theControlPlanesCodeIsLeftToC1AndTheRestToTheDefaults() throws Exception {
        ControlPlaneJit.apply();
        ControlPlaneJit.apply(); // once per JVM, however many members it runs
        String all = directives();
        int ours = all.indexOf("matching: org/apache/ratis/*.*");
        assertThat(ours).as(all).isNotNegative();
        assertThat(all.indexOf("matching: org/apache/ratis/*.*", ours + 1)).as("added once").isNegative();
        String mine = all.substring(ours, all.indexOf("Directive:", ours));
        String c1 = mine.substring(mine.indexOf("c1 directives:"), mine.indexOf("c2 directives:"));
        String c2 = mine.substring(mine.indexOf("c2 directives:"));
        assertThat(c1).contains("Exclude:false");
        assertThat(c2).contains("Exclude:true");
        String defaults = all.substring(all.indexOf("matching: *.*"));
        assertThat(defaults).doesNotContain("Exclude:true");
    }
}

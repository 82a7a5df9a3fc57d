package io.warren.management.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warren.management.spi.AdminException;
import org.junit.jupiter.api.Test;

class InformationUnitTest {
  @Test
  void unitsAreRabbitmqs() {
    assertThat(InformationUnit.bytes("absolute", 123)).isEqualTo(123);
    assertThat(InformationUnit.bytes("absolute", "123")).isEqualTo(123);
    assertThat(InformationUnit.bytes("absolute", "2k")).isEqualTo(2048);
    assertThat(InformationUnit.bytes("absolute", "2KiB")).isEqualTo(2048);
    assertThat(InformationUnit.bytes("absolute", "2kB")).isEqualTo(2000);
    assertThat(InformationUnit.bytes("absolute", "3M")).isEqualTo(3L << 20);
    assertThat(InformationUnit.bytes("absolute", "3MiB")).isEqualTo(3L << 20);
    assertThat(InformationUnit.bytes("absolute", "50MB")).isEqualTo(50_000_000L);
    assertThat(InformationUnit.bytes("absolute", "1G")).isEqualTo(1L << 30);
    assertThat(InformationUnit.bytes("absolute", "1GB")).isEqualTo(1_000_000_000L);
    assertThat(InformationUnit.bytes("absolute", " 4gib ")).isEqualTo(4L << 30);
  }

  @Test
  void anythingElseIsABadRequestThatSaysWhy() {
    for (Object bad : new Object[] {-1, 1.5, "-1", "1.5GB", "12XB", "GB", "", "999999999999999999GB", true}) {
      assertThatThrownBy(() -> InformationUnit.bytes("absolute", bad)).as("%s", bad)
          .isInstanceOfSatisfying(AdminException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.reason()).contains("absolute");
          });
    }
  }
}

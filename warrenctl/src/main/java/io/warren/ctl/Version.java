package io.warren.ctl;

import picocli.CommandLine.IVersionProvider;

/** warrenctl's version, from the jar's manifest (absent when run from classes). Any thread. */
public final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Version.class.getPackage().getImplementationVersion();
    return new String[] {"warrenctl " + (version == null ? "(development build)" : version)};
  }
}

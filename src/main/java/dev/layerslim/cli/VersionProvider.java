package dev.layerslim.cli;

import dev.layerslim.layer.Version;
import picocli.CommandLine;

/** {@code --version}: layerslim's version and the Java it runs on. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"layerslim " + Version.get(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
  }
}

package dev.layerslim.prune;

import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.python.ImportProbe;
import dev.layerslim.python.TargetPython;
import dev.layerslim.smoke.SmokeSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** What {@link ModuleReach} is given in a build: the handler's sources and the smoke run's loaded modules. */
final class ModuleEvidence {
  private ModuleEvidence() {}

  /** The {@code --handler} files, or every {@code .py} below a handler folder, relative to its code root. */
  static List<ModuleReach.Source> handlerSources(List<Path> handlers) throws IOException {
    List<ModuleReach.Source> out = new ArrayList<>();
    for (Path h : handlers) {
      if (Files.isRegularFile(h)) {
        out.add(new ModuleReach.Source(h.getFileName().toString(), read(h)));
      } else if (Files.isDirectory(h)) {
        Path root = Files.isRegularFile(h.resolve("__init__.py")) ? h.getParent() : h;
        try (Stream<Path> s = Files.walk(h)) {
          for (Path p : s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".py")).sorted().toList()) {
            if (!p.toString().contains("__pycache__")) {
              out.add(new ModuleReach.Source(root.relativize(p).toString().replace('\\', '/'), read(p)));
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * Runs the smoke test's import (and the handler's call on {@code --smoke-event}) over the unpruned
   * tree and returns the {@code .py} files it loaded; null, with a warning, when it cannot run here or
   * fails (the smoke-before step then says why).
   */
  static Set<String> smokeLoaded(BuildContext ctx, String step) throws IOException {
    if (!ctx.options().smoke) {
      ctx.warn(step, "--prune-modules without the smoke test: only the static import closure and the rules "
          + "decide which sub-packages stay, and nothing checks the layer afterwards");
      return null;
    }
    TargetPython tp = TargetPython.find(ctx.processes(), ctx.options().target, ctx.options().pythonExe);
    if (tp.problem() != null) {
      ctx.warn(step, "--prune-modules: no smoke run on this host (" + tp.problem()
          + "): only the static import closure and the rules decide which sub-packages stay");
      return null;
    }
    ImportProbe.Spec s = SmokeSpecs.forSource(ctx, tp.interpreter().exe());
    ImportProbe.Spec spec = s.withTree(s.root(), List.of());
    ImportProbe.Result r = ImportProbe.run(ctx.processes(), spec);
    if (!r.passed()) {
      ctx.warn(step, "--prune-modules: the smoke run of the unpruned tree failed ("
          + String.join("; ", r.failures().stream().map(Object::toString).toList())
          + "): its loaded modules are not used as evidence");
      return null;
    }
    return new LinkedHashSet<>(r.loaded());
  }

  private static String read(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
  }
}

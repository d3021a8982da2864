package dev.layerslim.compat;

import dev.layerslim.layer.Plural;
import dev.layerslim.reportfile.Markdown;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Ownership;
import dev.layerslim.layer.Target;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.Vocabulary;
import dev.layerslim.pipeline.CompatMode;
import dev.layerslim.pipeline.CompatOptions;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.Event;
import dev.layerslim.pipeline.Step;
import dev.layerslim.reportfile.Report;
import java.util.HashSet;
import java.util.List;

/**
 * Compatibility: proves every ELF object of the final layer will load on the target runtime
 * (machine, glibc, needed libraries, CPython ABI tag). An incompatible binary fails the check
 * unless {@code --compat warn}; an unresolved library is a warning.
 */
public final class CompatStep implements Step<List<CompatFinding>> {
  private final StagedLayer layer;
  private final Ownership ownership;
  private final CompatOptions options;
  private final Target target;
  private final boolean hostInstalled;

  /**
   * Checks the ELF objects of {@code layer} against {@code target}, naming each one's distribution by
   * {@code ownership}; {@code hostInstalled}: the tree came from {@code --site-packages}, not pip (the
   * advice then says to install the target's wheels).
   */
  public CompatStep(StagedLayer layer, Ownership ownership, CompatOptions options, Target target,
      boolean hostInstalled) {
    this.layer = layer;
    this.ownership = ownership;
    this.options = options;
    this.target = target;
    this.hostInstalled = hostInstalled;
  }

  @Override
  public String name() {
    return "compat";
  }

  @Override
  public String title() {
    return "Checking binaries against the Lambda runtime";
  }

  @Override
  public List<CompatFinding> run(BuildContext ctx) {
    List<FileEntry> elf = layer.tree().files().stream().filter(FileEntry::elf).toList();
    List<CompatFinding> findings = new CompatChecker(target, new HashSet<>(options.systemLibs()))
        .check(layer.root(), elf, ownership::ownerOf);
    boolean enforce = options.mode() == CompatMode.FAIL;
    List<Report.Compat> json = new java.util.ArrayList<>();
    int errors = 0;
    java.util.Map<String, Integer> errorsByDist = new java.util.TreeMap<>();
    for (CompatFinding f : findings) {
      boolean error = f.severity() == CompatFinding.Severity.ERROR;
      errors += error ? 1 : 0;
      json.add(new Report.Compat(f.file(), f.distribution(), f.severity().name().toLowerCase(java.util.Locale.ROOT),
          withoutFile(f), f.needed(), f.available()));
      String msg = f.problem().contains(f.file()) ? f.problem() + " [" + f.distribution() + "]"
          : f.file() + " [" + f.distribution() + "]: " + f.problem();
      Event.Level level = error && enforce ? Event.Level.ERROR : Event.Level.WARN;
      ctx.events().emit(new Event.Log(level, name(), msg, f.file()));
      if (error) {
        errorsByDist.merge(f.distribution(), 1, Integer::sum);
      }
    }
    if (errors > 0 && enforce) {
      ctx.failCheck(failure(errors, errorsByDist, findings, target, ctx.vocabulary(), hostInstalled));
    }
    ctx.reportSection(new Report.Compatibility(json));
    ctx.markdownSection(120, markdown(findings, target.python(), target.system(), enforce));
    ctx.stepSummary(Plural.count(elf.size(), "object") + " checked: " + errors + " incompatible, "
        + Plural.count(findings.size() - errors, "warning"));
    return findings;
  }

  /**
   * The failed check as people read it: what cannot load, the fix that exists, and last what
   * {@code --compat warn} would do (ship a layer that fails at import).
   */
  static String failure(int errors, java.util.Map<String, Integer> errorsByDist, List<CompatFinding> findings,
      Target target, Vocabulary words, boolean hostInstalled) {
    StringBuilder by = new StringBuilder();
    errorsByDist.forEach((d, n) -> by.append(by.length() == 0 ? "" : ", ").append(d).append(" (").append(n).append(')'));
    return Plural.count(errors, "ELF object") + " cannot load on python" + target.python() + " ("
        + target.system() + "): " + by + ". " + fix(findings, target, words, hostInstalled)
        + ". report.md's compatibility section names each file; " + words.set("compat", "warn")
        + " would only ship the layer with these files failing at import";
  }

  /**
   * The fix that exists for the errors, first: the runtime whose glibc the objects need (with the
   * setting that picks it), the wheels to install instead of a host-installed tree.
   */
  static String fix(List<CompatFinding> findings, Target target, Vocabulary words, boolean hostInstalled) {
    int neededGlibc = 0;
    boolean other = false;
    for (CompatFinding f : findings) {
      if (f.severity() != CompatFinding.Severity.ERROR) {
        continue;
      }
      java.util.regex.Matcher m = GLIBC_NEED.matcher(f.needed());
      if (m.matches()) {
        neededGlibc = Math.max(neededGlibc, Integer.parseInt(m.group(1)));
      } else {
        other = true;
      }
    }
    List<String> fixes = new java.util.ArrayList<>();
    if (neededGlibc > 0) {
      var rt = dev.layerslim.layer.Target.oldestRuntimeWithGlibc(neededGlibc, target.python());
      String need = "They need glibc 2." + neededGlibc;
      if (rt != null && !rt.python().equals(target.python())) {
        fixes.add(need + ", which AWS's python" + rt.python() + " runtime has (" + rt.os() + ", glibc " + rt.glibc()
            + "): build for it with " + words.set("python", rt.python()) + ",");
      } else if (rt == null) {
        fixes.add(need + ", which no AWS Python runtime has;");
      } else {
        fixes.add(need + ":");
      }
      fixes.add("or install versions whose wheels are built for manylinux_2_" + target.glibcMinor()
          + " or older (pin them in the requirements)");
    }
    if (other) {
      fixes.add((fixes.isEmpty() ? "Install" : "or install") + " the wheels built for python" + target.python() + " "
          + target.arch().lambdaName());
    }
    if (hostInstalled) {
      fixes.add(". The " + words.option("site-packages") + " tree was installed for another system; "
          + words.option("requirements") + " installs the target's wheels");
    }
    return String.join(" ", fixes).replace(" .", ".");
  }

  private static final java.util.regex.Pattern GLIBC_NEED = java.util.regex.Pattern.compile("GLIBC_2\\.(\\d+)");

  /** The problem without the file name it starts with: tables and report.json name the file apart. */
  static String withoutFile(CompatFinding f) {
    String p = f.problem();
    return p.startsWith(f.file() + " ") ? p.substring(f.file().length() + 1) : p;
  }

  private static String markdown(List<CompatFinding> findings, String python, String system, boolean enforce) {
    if (findings.isEmpty()) {
      return "Compatibility: every ELF object loads on python" + python + " (" + system + ") ✅\n";
    }
    StringBuilder md = new StringBuilder("## Compatibility with python" + python + " (" + system
        + ")\n\n| | file | distribution | problem | needs | runtime has |\n| --- | --- | --- | --- | --- | --- |\n");
    int shown = 0;
    for (CompatFinding f : findings) {
      if (shown++ == 50) {
        md.append("\n… and ").append(findings.size() - 50).append(" more in report.json\n");
        break;
      }
      String mark = f.severity() == CompatFinding.Severity.ERROR ? (enforce ? "❌" : "⚠️") : "⚠️";
      md.append("| ").append(mark).append(" | ").append(Markdown.code(f.file())).append(" | ")
          .append(Markdown.cell(f.distribution())).append(" | ").append(Markdown.cell(withoutFile(f))).append(" | ")
          .append(Markdown.cell(f.needed())).append(" | ").append(Markdown.cell(f.available())).append(" |\n");
    }
    return md.toString();
  }
}

package dev.layerslim.cold;

import dev.layerslim.layer.Plural;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.ColdResult;
import java.util.Comparator;
import java.util.List;

/** The {@code coldStorage} section of report.json, its report.md section and the step's summary line. */
final class ColdReport {
  private ColdReport() {}

  static ObjectNode json(ColdResult r, boolean apply, List<ColdProof.Outcome> proofs) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("applied", r.applied());
    s.put("measuredOnly", !apply);
    if (r.notRun() != null) {
      s.put("notRun", r.notRun());
      return s;
    }
    if (r.format() != null) {
      s.put("format", r.format());
    }
    s.put("unitBytes", r.unitBytes());
    s.put("storedBytes", r.storedBytes());
    s.put("savedBytes", r.savedBytes());
    s.put("loaderBytes", r.loaderBytes());
    ArrayNode units = s.putArray("units");
    for (ColdResult.Unit u : r.units()) {
      ObjectNode n = units.addObject().put("folder", u.folder()).put("module", u.module()).put("files", u.files())
          .put("bytes", u.bytes()).put("storedBytes", u.storedBytes()).put("why", u.why());
      if (u.importMillis() >= 0) {
        n.put("firstImportMillis", u.importMillis());
      }
      if (u.unpackMillis() >= 0) {
        n.put("unpackMillis", u.unpackMillis());
      }
    }
    ArrayNode refused = s.putArray("keptHot");
    for (ColdResult.Refused x : r.refused()) {
      refused.addObject().put("folder", x.folder()).put("module", x.module()).put("why", x.why());
    }
    if (proofs != null) {
      ObjectNode p = s.putObject("proof");
      p.put("units", proofs.size());
      p.put("passed", proofs.stream().filter(o -> o.failure() == null).count());
      p.put("elfObjects", proofs.stream().mapToInt(ColdProof.Outcome::elfObjects).sum());
      p.put("how", "each cold sub-package imported in a fresh process with an empty temp dir (-B: nothing written "
          + "into the layer), then its ELF objects loaded one by one from where it was unpacked, each in a child of "
          + "a process holding nothing of the layer");
    }
    return s;
  }

  static String markdown(ColdResult r) {
    StringBuilder md = new StringBuilder("## Cold storage\n\n");
    if (r.notRun() != null) {
      return md.append("Nothing went cold: ").append(r.notRun()).append(".\n").toString();
    }
    if (r.units().isEmpty()) {
      md.append("Nothing went cold: the hot path loads something in every sub-package");
      return md.append(r.refused().isEmpty() ? ".\n" : ", or it stays hot for a reason below.\n")
          .append(refused(r)).toString();
    }
    md.append(Plural.count(r.units().size(), "sub-package")).append(r.units().size() == 1
        ? " the hot path never loads is kept compressed (" : " the hot path never loads are kept compressed (")
        .append(r.format()).append("): ").append(Sizes.human(r.unitBytes())).append(" → ")
        .append(Sizes.human(r.storedBytes())).append(" with stubs and loader, ").append(Sizes.human(r.savedBytes()))
        .append(" saved. Each is unpacked into the temp dir (`/tmp` on Lambda) on its first import; the first use "
            + "below was measured in a fresh process with an empty temp dir, where it imported and its ELF objects "
            + "loaded.\n\n");
    md.append("| sub-package | files | bytes | compressed | first import | of it unpacking |\n")
        .append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (ColdResult.Unit u : r.units().stream().sorted(Comparator.comparingLong(ColdResult.Unit::bytes).reversed()
        .thenComparing(ColdResult.Unit::folder)).toList()) {
      md.append("| `").append(u.module()).append("` | ").append(u.files()).append(" | ").append(Sizes.human(u.bytes()))
          .append(" | ").append(Sizes.human(u.storedBytes())).append(" | ").append(millis(u.importMillis()))
          .append(" | ").append(millis(u.unpackMillis())).append(" |\n");
    }
    return md.append(refused(r)).toString();
  }

  private static String refused(ColdResult r) {
    if (r.refused().isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("\nNot loaded by the hot path, but kept as it is:\n\n");
    r.refused().forEach(x -> md.append("- `").append(x.module()).append("`: ").append(x.why()).append('\n'));
    return md.toString();
  }

  static String summary(ColdResult r, boolean apply) {
    if (r.notRun() != null) {
      return "not run: " + r.notRun();
    }
    if (r.units().isEmpty()) {
      return "nothing " + (apply ? "went" : "would go") + " cold";
    }
    return Plural.count(r.units().size(), "sub-package") + " " + (apply ? "kept" : "would be kept") + " compressed (" + r.format()
        + "): " + Sizes.human(r.unitBytes()) + " → " + Sizes.human(r.storedBytes()) + ", "
        + Sizes.human(r.savedBytes()) + " saved" + (r.refused().isEmpty() ? "" : "; " + Plural.count(r.refused().size(), "sub-package")
            + " kept hot (see report.md)");
  }

  private static String millis(long ms) {
    return ms < 0 ? "–" : ms + " ms";
  }
}

package dev.layerslim.cold;

import dev.layerslim.layer.Plural;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.ColdResult;
import dev.layerslim.reportfile.Report;
import java.util.Comparator;
import java.util.List;

/** The {@code coldStorage} section of report.json, its report.md section and the step's summary line. */
final class ColdReport {
  private ColdReport() {}

  static Report.ColdStorage section(ColdResult r, boolean apply, List<ColdProof.Outcome> proofs) {
    if (r.notRun() != null) {
      return new Report.ColdStorage(r.applied(), !apply, r.notRun(), null, null, null, null, null, null, null, null);
    }
    List<Report.ColdUnit> units = new java.util.ArrayList<>();
    for (ColdResult.Unit u : r.units()) {
      units.add(new Report.ColdUnit(u.folder(), u.module(), u.files(), u.bytes(), u.storedBytes(), u.why(),
          u.importMillis() >= 0 ? u.importMillis() : null, u.unpackMillis() >= 0 ? u.unpackMillis() : null));
    }
    List<Report.KeptHot> hot = new java.util.ArrayList<>();
    for (ColdResult.Refused x : r.refused()) {
      hot.add(new Report.KeptHot(x.folder(), x.module(), x.why()));
    }
    Report.ColdProof proof = proofs == null ? null : new Report.ColdProof(proofs.size(),
        proofs.stream().filter(o -> o.failure() == null).count(),
        proofs.stream().mapToInt(ColdProof.Outcome::elfObjects).sum(),
        "each cold sub-package imported in a fresh process with an empty temp dir (-B: nothing written "
            + "into the layer), then its ELF objects loaded one by one from where it was unpacked, each in a child of "
            + "a process holding nothing of the layer");
    return new Report.ColdStorage(r.applied(), !apply, null, r.format(), r.unitBytes(), r.storedBytes(), r.savedBytes(),
        r.loaderBytes(), units, hot, proof);
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

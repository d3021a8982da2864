package dev.layerslim.strip;

import dev.layerslim.layer.Plural;
import dev.layerslim.reportfile.Markdown;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.Event;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.Step;
import dev.layerslim.reportfile.Report;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Strip: {@code strip --strip-unneeded} on every ELF object of the staged layer, keeping a result
 * only when it still validates (see {@link SafeStripper}). Reads the staged layer; returns it as
 * stripped.
 */
public final class StripStep implements Step<StagedLayer> {
  private final StagedLayer layer;
  private final int threads;

  /** Strips {@code layer}'s ELF objects, {@code threads} at a time. */
  public StripStep(StagedLayer layer, int threads) {
    this.layer = layer;
    this.threads = threads;
  }


  private static long inPlaceCount(StripSummary s) {
    return s.count(StripOutcome.Status.STRIPPED_KEEPING_LAYOUT);
  }

  @Override
  public String name() {
    return "strip";
  }

  @Override
  public String title() {
    return "Stripping ELF objects safely";
  }

  @Override
  public StagedLayer run(BuildContext ctx) throws IOException {
    List<FileEntry> elf = layer.tree().files().stream().filter(FileEntry::elf).toList();
    for (FileEntry f : layer.tree().files()) {
      // found by magic bytes, an empty or cut-short libfoo.so is no ELF object and would ship silently
      if (!f.elf() && !f.link() && f.size() < 64 && f.fileName().matches(".+\\.so(\\.\\d+)*")) {
        ctx.warn(name(), f.path() + " is " + f.size() + " bytes, too short to be a shared object: it will not load");
      }
    }
    AtomicLong done = new AtomicLong();
    StripSummary s = new SafeStripper(ctx.processes(), "strip", threads)
        .strip(layer.root(), elf, o -> {
          long n = done.incrementAndGet();
          if (o.status() == StripOutcome.Status.FAILED) {
            // strip itself failed on this file: worth a line of its own
            ctx.events().emit(new Event.Log(Event.Level.WARN, name(), o.reason(), o.path()));
          }
          // a rejected copy is expected and harmless (the original ships): the step's summary counts it and
          // report.md names each file with the validator's words (segment offsets), the console stays one line
          if (n % 50 == 0 || n == elf.size()) {
            ctx.progress(name(), n, elf.size(), "objects");
          }
        });
    if (s.skipped()) {
      ctx.warn(name(), "strip skipped: " + s.skipReason());
      ctx.stepSummary("skipped: " + s.skipReason());
    }
    StagedLayer stripped = s.skipped() ? layer : layer.rescan();
    if (!s.skipped()) {
      ctx.stepSummary(s.count(StripOutcome.Status.STRIPPED) + " of " + Plural.count(elf.size(), "object") + " stripped"
          + (inPlaceCount(s) > 0 ? " (and " + inPlaceCount(s) + " whose stripped copy failed validation stripped "
              + "keeping their layout)" : "") + ", "
          + Sizes.human(s.bytesSaved()) + " saved, " + s.count(StripOutcome.Status.NOTHING_TO_STRIP)
          + " had nothing to strip, " + s.count(StripOutcome.Status.REJECTED)
          + " kept as they were (stripped copy failed validation"
          + (s.count(StripOutcome.Status.REJECTED) > 0 ? ": report.md names them" : "") + ")");
    }
    List<Report.StrippedInPlace> inPlace = new ArrayList<>();
    List<Report.OriginalKept> kept = new ArrayList<>();
    for (StripOutcome o : s.outcomes()) {
      if (o.status() == StripOutcome.Status.STRIPPED_KEEPING_LAYOUT) {
        inPlace.add(new Report.StrippedInPlace(o.path(), o.saved(), o.reason()));
      }
    }
    for (StripOutcome o : s.outcomes()) {
      if (o.status() == StripOutcome.Status.REJECTED || o.status() == StripOutcome.Status.FAILED) {
        kept.add(new Report.OriginalKept(o.path(), o.status().name(), o.reason()));
      }
    }
    ctx.reportSection(new Report.Strip(s.skipped(), s.skipped() ? s.skipReason() : null, elf.size(), s.bytesBefore(),
        s.bytesAfter(), s.bytesSaved(), s.count(StripOutcome.Status.STRIPPED),
        s.count(StripOutcome.Status.NOTHING_TO_STRIP), s.count(StripOutcome.Status.REJECTED),
        s.count(StripOutcome.Status.FAILED), s.count(StripOutcome.Status.STRIPPED_KEEPING_LAYOUT), inPlace, kept));
    StringBuilder md = new StringBuilder("## Strip\n\n");
    if (s.skipped()) {
      md.append("Skipped: ").append(s.skipReason()).append('\n');
    } else {
      md.append(s.count(StripOutcome.Status.STRIPPED)).append(" of ").append(elf.size())
          .append(" ELF ").append(Plural.noun(elf.size(), "object")).append(" stripped (`strip --strip-unneeded`), **").append(Sizes.human(s.bytesSaved()))
          .append("** saved.");
      if (inPlaceCount(s) > 0) {
        md.append(" Stripped keeping their file layout, because strip's copy would not load (symbol tables and "
            + "debug sections removed without moving a loaded segment):\n\n");
        for (StripOutcome o : s.outcomes()) {
          if (o.status() == StripOutcome.Status.STRIPPED_KEEPING_LAYOUT) {
            md.append("- `").append(o.path()).append("`: ").append(Sizes.human(o.saved())).append(" saved\n");
          }
        }
        md.append('\n');
      }
      if (kept.size() > 0) {
        md.append(" Kept unstripped because the stripped copy failed validation or strip failed:\n\n");
        for (StripOutcome o : s.outcomes()) {
          if (o.status() == StripOutcome.Status.REJECTED || o.status() == StripOutcome.Status.FAILED) {
            md.append("- ").append(Markdown.code(o.path().toString())).append(": ").append(Markdown.text(o.reason()))
                .append('\n');
          }
        }
      } else {
        md.append('\n');
      }
    }
    ctx.markdownSection(160, md.toString());
    return stripped;
  }
}

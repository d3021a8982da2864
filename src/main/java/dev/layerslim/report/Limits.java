package dev.layerslim.report;

import java.util.ArrayList;
import java.util.List;

/** The AWS Lambda quotas a layer is measured against, and the user's budgets. */
public final class Limits {
  /** Unzipped function code plus all layers. */
  public static final long AWS_UNZIPPED = dev.layerslim.reportfile.ReportTables.AWS_UNZIPPED;
  /** A zip uploaded directly (larger ones go through S3). */
  public static final long AWS_ZIPPED_DIRECT = 52_428_800L;

  private Limits() {}

  /**
   * One limit checked.
   *
   * @param enforced whether exceeding it fails the check (the zipped AWS limit is a warning
   *     unless the user sets {@code --max-zipped})
   * @param setting the flag (without dashes) that set this limit, {@code max-growth}; null for AWS's own
   */
  public record Check(String name, long limitBytes, long actualBytes, boolean enforced, String description,
      String setting) {
    public boolean exceeded() {
      return actualBytes > limitBytes;
    }

    /** AWS's own limit, the user's budget, or the growth budget. */
    public dev.layerslim.reportfile.Report.LimitKind kind() {
      return dev.layerslim.reportfile.Report.Limit.kindOf(name, setting);
    }

    /** actual / limit, as a percentage. */
    public double percent() {
      return limitBytes == 0 ? 0 : 100.0 * actualBytes / limitBytes;
    }

    /**
     * The line people read when this limit is exceeded, naming the setting as the reader sets it:
     * {@code growth 43.4 MiB exceeds max-growth: 20MiB} in the action, {@code … exceeds --max-growth
     * 20MiB} on the command line, and AWS's own limits by what they are.
     */
    public String exceededMessage(dev.layerslim.pipeline.Vocabulary words) {
      String what = name.equals("growth") ? "growth" : name.startsWith("unzipped") ? "unzipped size" : "zip size";
      String actual = dev.layerslim.layer.Sizes.human(actualBytes);
      if (setting != null) {
        return what + " " + actual + " exceeds " + words.set(setting,
            dev.layerslim.pipeline.Vocabulary.sizeSetting(limitBytes));
      }
      return what + " " + actual + " exceeds the " + description + " (" + dev.layerslim.layer.Sizes.human(limitBytes)
          + ")";
    }
  }

  /**
   * The checks for a layer of {@code unzipped} and {@code zipped} bytes. AWS's unzipped limit always
   * applies: a {@code maxUnzipped} budget adds a second check and never replaces it, so a budget above
   * AWS's limit cannot turn that limit off. The first check, named {@code unzipped}, is the tighter of
   * the two (what "share of limit" is measured against); the other follows as {@code unzipped-aws}
   * (the budget is tighter) or {@code unzipped-budget} (the budget is looser than AWS's limit).
   */
  public static List<Check> check(long unzipped, long zipped, long extraBytes, Long maxUnzipped, Long maxZipped) {
    List<Check> out = new ArrayList<>();
    long actualUnzipped = unzipped + extraBytes;
    String extra = extraBytes > 0 ? " (layer + " + dev.layerslim.layer.Sizes.human(extraBytes)
        + " of function code and other layers)" : "";
    String aws = "AWS limit for function + all layers, unzipped";
    if (maxUnzipped == null) {
      out.add(new Check("unzipped", AWS_UNZIPPED, actualUnzipped, true, aws + extra, null));
    } else if (maxUnzipped < AWS_UNZIPPED) {
      out.add(new Check("unzipped", maxUnzipped, actualUnzipped, true, "unzipped budget" + extra, "max-unzipped"));
      out.add(new Check("unzipped-aws", AWS_UNZIPPED, actualUnzipped, true, aws + extra, null));
    } else {
      out.add(new Check("unzipped", AWS_UNZIPPED, actualUnzipped, true,
          aws + " (it applies whatever the budget)" + extra, null));
      out.add(new Check("unzipped-budget", maxUnzipped, actualUnzipped, true,
          "unzipped budget (above AWS's limit, which applies first)" + extra, "max-unzipped"));
    }
    out.add(new Check("zipped", maxZipped != null ? maxZipped : AWS_ZIPPED_DIRECT, zipped, maxZipped != null,
        maxZipped != null ? "zipped budget" : "AWS limit for a direct zip upload (larger zips go through S3)",
        maxZipped != null ? "max-zipped" : null));
    return out;
  }
}

package dev.layerslim.reportfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.reportfile.Report.Audit;
import dev.layerslim.reportfile.Report.AuditDistribution;
import dev.layerslim.reportfile.Report.AuditImport;
import dev.layerslim.reportfile.Report.BaselineDiff;
import dev.layerslim.reportfile.Report.BaselineTarget;
import dev.layerslim.reportfile.Report.Bytecode;
import dev.layerslim.reportfile.Report.ColdProof;
import dev.layerslim.reportfile.Report.ColdStorage;
import dev.layerslim.reportfile.Report.ColdUnit;
import dev.layerslim.reportfile.Report.Compat;
import dev.layerslim.reportfile.Report.ComputedImport;
import dev.layerslim.reportfile.Report.DiffRow;
import dev.layerslim.reportfile.Report.DistributionRemoval;
import dev.layerslim.reportfile.Report.Dlopen;
import dev.layerslim.reportfile.Report.DynamicSite;
import dev.layerslim.reportfile.Report.FilesBytes;
import dev.layerslim.reportfile.Report.FitLever;
import dev.layerslim.reportfile.Report.FitPlan;
import dev.layerslim.reportfile.Report.GuardKeep;
import dev.layerslim.reportfile.Report.HandlerResult;
import dev.layerslim.reportfile.Report.Healed;
import dev.layerslim.reportfile.Report.ImportEquivalence;
import dev.layerslim.reportfile.Report.Install;
import dev.layerslim.reportfile.Report.KeptHot;
import dev.layerslim.reportfile.Report.Limit;
import dev.layerslim.reportfile.Report.ModuleTime;
import dev.layerslim.reportfile.Report.OriginalKept;
import dev.layerslim.reportfile.Report.ProofHealed;
import dev.layerslim.reportfile.Report.Proofs;
import dev.layerslim.reportfile.Report.Prune;
import dev.layerslim.reportfile.Report.PruneModules;
import dev.layerslim.reportfile.Report.RemovedUnit;
import dev.layerslim.reportfile.Report.Smoke;
import dev.layerslim.reportfile.Report.Sourceless;
import dev.layerslim.reportfile.Report.StepTime;
import dev.layerslim.reportfile.Report.Strip;
import dev.layerslim.reportfile.Report.StrippedInPlace;
import dev.layerslim.reportfile.Report.Target;
import dev.layerslim.reportfile.Report.Tool;
import dev.layerslim.reportfile.Report.Totals;
import dev.layerslim.reportfile.Report.UnitReach;
import dev.layerslim.reportfile.Report.UnresolvedImport;
import dev.layerslim.reportfile.Report.Why;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The one reader and the one writer of report.json, on Jackson's tree model: nothing is bound by
 * reflection, so it works unchanged in the native image. The writer's key order and formatting are
 * the file's (two-space pretty print, a final newline); {@code read(write(r))} equals {@code r}.
 *
 * <p>The reader takes what this layerslim writes and older reports of a schema it knows: a required
 * key that is missing or of the wrong type, a schemaVersion it does not know, is {@link Unreadable}
 * with a message naming the key. Keys it does not know are ignored (a later layerslim of the same
 * schema may add some).
 */
public final class ReportJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Test hook: sees every report this writer puts in a file (the tests check each against the schema). */
  private static volatile Consumer<JsonNode> writtenHook;

  private ReportJson() {}

  /** Why a file or tree is not a report this layerslim reads; the message reads after the file's name. */
  public static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    public Unreadable(String message) {
      super(message);
    }
  }

  /** For tests: {@code hook} is called with each report written to a file, before it is written. */
  public static void onWrite(Consumer<JsonNode> hook) {
    writtenHook = hook;
  }

  // ================================================================ writing

  /** report.json's text: pretty printed, a final newline. */
  public static String text(Report r) {
    return text(tree(r), UnaryOperator.identity());
  }

  /**
   * Writes {@code r} to {@code file} through a sibling temporary file and an atomic move, every
   * string (and key) passed through {@code redact} first.
   */
  public static void write(Report r, Path file, UnaryOperator<String> redact) throws IOException {
    ObjectNode tree = tree(r);
    Consumer<JsonNode> hook = writtenHook;
    if (hook != null) {
      hook.accept(tree);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, text(tree, redact), StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static void write(Report r, Path file) throws IOException {
    write(r, file, UnaryOperator.identity());
  }

  private static String text(JsonNode tree, UnaryOperator<String> redact) {
    try {
      JsonNode out = redacted(tree, redact);
      return JSON.writeValueAsString(out) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  private static JsonNode redacted(JsonNode n, UnaryOperator<String> redact) {
    if (n.isTextual()) {
      return F.textNode(redact.apply(n.asText()));
    }
    if (n.isArray()) {
      ArrayNode a = F.arrayNode();
      n.forEach(x -> a.add(redacted(x, redact)));
      return a;
    }
    if (n.isObject()) {
      ObjectNode o = F.objectNode();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        o.set(redact.apply(e.getKey()), redacted(e.getValue(), redact));
      }
      return o;
    }
    return n;
  }

  /**
   * {@code r} with every string, keys of its maps included, passed through {@code redact}: what the
   * action writes and renders when a secret may have reached the report.
   */
  public static Report redacted(Report r, UnaryOperator<String> redact) {
    try {
      return read(redacted(tree(r), redact));
    } catch (Unreadable e) {
      throw new IllegalStateException("a redacted report no longer reads: " + e.getMessage(), e);
    }
  }

  /** {@code r} as the tree the file holds. */
  public static ObjectNode tree(Report r) {
    ObjectNode root = F.objectNode();
    root.put("schemaVersion", r.schemaVersion());
    root.put("status", r.status().text());
    root.putObject("tool").put("name", r.tool().name()).put("version", r.tool().version());
    Target t = r.target();
    ObjectNode target = root.putObject("target");
    target.put("python", t.python()).put("arch", t.arch()).put("glibc", t.glibc()).put("os", t.os())
        .put("glibcOverridden", t.glibcOverridden()).put("runtimeGlibc", t.runtimeGlibc());
    optional(target, "warning", t.warning());
    root.putObject("install").put("mode", r.install().mode()).put("source", r.install().source());
    if (r.dryRun()) {
      root.put("dryRun", true);
    }
    Totals tot = r.totals();
    root.putObject("totals").put("installedBytes", tot.installedBytes()).put("unzippedBytes", tot.unzippedBytes())
        .put("zippedBytes", tot.zippedBytes()).put("files", tot.files()).put("extraBytes", tot.extraBytes());
    ArrayNode limits = root.putArray("limits");
    for (Limit l : r.limits()) {
      ObjectNode o = limits.addObject().put("name", l.name()).put("limitBytes", l.limitBytes())
          .put("actualBytes", l.actualBytes()).put("exceeded", l.exceeded()).put("enforced", l.enforced())
          .put("description", l.description());
      optional(o, "setting", l.setting());
    }
    ArrayNode packages = root.putArray("packages");
    for (Report.Package p : r.packages()) {
      packages.addObject().put("name", p.name()).put("version", p.version()).put("installedBytes", p.installedBytes())
          .put("unzippedBytes", p.unzippedBytes()).put("zippedBytes", p.zippedBytes()).put("files", p.files())
          .put("used", p.used()).put("removed", p.removed()).put("runtimeProvided", p.runtimeProvided());
    }
    if (r.audit() != null) {
      root.set("audit", audit(r.audit()));
    }
    if (r.prune() != null) {
      root.set("prune", prune(r.prune()));
    }
    if (r.strip() != null) {
      root.set("strip", strip(r.strip()));
    }
    // a smoke test that ran is reported where it ran; one that did not is said last, after every section
    if (r.smoke() != null && r.smoke().ran()) {
      root.set("smoke", smoke(r.smoke()));
    }
    if (r.bytecode() != null) {
      ObjectNode b = F.objectNode();
      bytecode(b, r.bytecode());
      root.set("bytecode", b);
    }
    if (r.compatibility() != null) {
      ArrayNode a = root.putArray("compatibility");
      for (Compat c : r.compatibility()) {
        a.addObject().put("file", c.file()).put("distribution", c.distribution()).put("severity", c.severity())
            .put("problem", c.problem()).put("needed", c.needed()).put("available", c.available());
      }
    }
    if (r.coldStorage() != null) {
      root.set("coldStorage", cold(r.coldStorage()));
    }
    if (r.proofs() != null) {
      root.set("proofs", proofs(r.proofs()));
    }
    if (r.baseline() != null) {
      root.set("baseline", baseline(r.baseline()));
    }
    if (r.fitPlan() != null) {
      root.set("fitPlan", fitPlan(r.fitPlan()));
    }
    if (r.smoke() != null && !r.smoke().ran()) {
      root.putObject("smoke").put("ran", false).put("reason", r.smoke().reason());
    }
    ArrayNode steps = root.putArray("steps");
    for (StepTime s : r.steps()) {
      steps.addObject().put("name", s.name()).put("millis", s.millis());
    }
    strings(root.putArray("failures"), r.failures());
    optional(root, "failedStep", r.failedStep());
    return root;
  }

  /** The {@code audit} section alone, as {@code layerslim audit --json} prints it (a final newline). */
  public static String auditText(Audit a) {
    return text(audit(a), UnaryOperator.identity());
  }

  private static ObjectNode audit(Audit a) {
    ObjectNode root = F.objectNode();
    ArrayNode dists = root.putArray("distributions");
    for (AuditDistribution d : a.distributions()) {
      ObjectNode o = dists.addObject().put("name", d.name()).put("version", d.version()).put("used", d.used())
          .put("runtimeProvided", d.runtimeProvided()).put("bytes", d.bytes());
      strings(o.putArray("requires"), d.requires());
      strings(o.putArray("missing"), d.missing());
      if (d.why() == null) {
        o.putNull("why");
      } else {
        ObjectNode why = o.putObject("why").put("origin", d.why().origin());
        strings(why.putArray("path"), d.why().path());
        why.put("text", d.why().text());
      }
    }
    ArrayNode imports = root.putArray("imports");
    for (AuditImport i : a.imports()) {
      ObjectNode o = imports.addObject().put("name", i.name());
      strings(o.putArray("distributions"), i.distributions());
      nullable(o, "runtimeProvider", i.runtimeProvider());
      strings(o.putArray("where"), i.where());
      o.put("optional", i.optional());
    }
    ArrayNode unresolved = root.putArray("unresolvedImports");
    for (UnresolvedImport u : a.unresolvedImports()) {
      ObjectNode o = unresolved.addObject().put("name", u.name());
      strings(o.putArray("where"), u.where());
      o.put("optional", u.optional());
    }
    strings(root.putArray("problems"), a.problems());
    ArrayNode computed = root.putArray("computedImports");
    for (ComputedImport c : a.computedImports()) {
      ObjectNode o = computed.addObject().put("where", c.where()).put("call", c.call()).put("head", c.head());
      strings(o.putArray("kept"), c.kept());
      o.put("text", c.text());
    }
    return root;
  }

  private static ObjectNode prune(Prune p) {
    ObjectNode root = F.objectNode().put("dryRun", p.dryRun()).put("removedFiles", p.removedFiles())
        .put("removedBytes", p.removedBytes());
    ObjectNode byRule = root.putObject("byRule");
    p.byRule().forEach((rule, t) -> filesBytes(byRule.putObject(rule), t));
    ObjectNode byDist = root.putObject("byDistribution");
    p.byDistribution().forEach((dist, d) -> {
      ObjectNode o = byDist.putObject(dist).put("files", d.files()).put("bytes", d.bytes());
      ObjectNode rules = o.putObject("byRule");
      d.byRule().forEach((rule, t) -> filesBytes(rules.putObject(rule), t));
    });
    ArrayNode keeps = root.putArray("guardKeeps");
    for (GuardKeep k : p.guardKeeps()) {
      keeps.addObject().put("path", k.path()).put("rule", k.rule()).put("reason", k.reason());
    }
    filesBytes(root.putObject("protected"), p.protectedFiles());
    strings(root.putArray("exclude"), p.exclude());
    strings(root.putArray("include"), p.include());
    if (p.modules() != null) {
      PruneModules m = p.modules();
      ObjectNode mo = root.putObject("modules");
      ArrayNode removed = mo.putArray("removed");
      for (RemovedUnit u : m.removed()) {
        removed.addObject().put("path", u.path()).put("files", u.files()).put("bytes", u.bytes()).put("reason", u.reason());
      }
      ObjectNode reached = mo.putObject("reached");
      m.reached().forEach(reached::put);
      ArrayNode dyn = mo.putArray("dynamic");
      for (DynamicSite d : m.dynamic()) {
        ObjectNode o = dyn.addObject().put("site", d.site()).put("rule", d.rule());
        nullable(o, "kept", d.kept());
        o.put("detail", d.detail());
        nullable(o, "distribution", d.distribution());
        o.put("removed", d.removed());
      }
      ObjectNode units = mo.putObject("units");
      m.units().forEach((k, u) -> {
        ObjectNode o = units.putObject(k).put("module", u.module()).put("reach", u.reach());
        nullable(o, "via", u.via());
        nullable(o, "evidence", u.evidence());
      });
    }
    return root;
  }

  private static void filesBytes(ObjectNode o, FilesBytes t) {
    o.put("files", t.files()).put("bytes", t.bytes());
  }

  private static ObjectNode strip(Strip s) {
    ObjectNode o = F.objectNode().put("skipped", s.skipped());
    optional(o, "skipReason", s.skipReason());
    o.put("objects", s.objects()).put("bytesBefore", s.bytesBefore()).put("bytesAfter", s.bytesAfter())
        .put("bytesSaved", s.bytesSaved()).put("stripped", s.stripped()).put("nothingTostrip", s.nothingToStrip())
        .put("rejected", s.rejected()).put("failed", s.failed()).put("strippedKeepingLayout", s.strippedKeepingLayout());
    ArrayNode inPlace = o.putArray("strippedKeepingLayoutFiles");
    for (StrippedInPlace x : s.strippedKeepingLayoutFiles()) {
      inPlace.addObject().put("path", x.path()).put("savedBytes", x.savedBytes()).put("reason", x.reason());
    }
    ArrayNode kept = o.putArray("originalsKept");
    for (OriginalKept x : s.originalsKept()) {
      kept.addObject().put("path", x.path()).put("status", x.status()).put("reason", x.reason());
    }
    return o;
  }

  private static ObjectNode smoke(Smoke s) {
    ObjectNode o = F.objectNode().put("ran", true).put("passed", s.passed());
    strings(o.putArray("imports"), s.imports());
    optional(o, "importMillis", s.importMillis());
    optional(o, "importMillisBefore", s.importMillisBefore());
    slowest(o.putArray("slowest"), s.slowest());
    Dlopen d = s.dlopen();
    ObjectNode dl = o.putObject("dlopen").put("checked", d.checked());
    optional(dl, "failedBefore", d.failedBefore());
    strings(dl.putArray("failedAfter"), d.failedAfter());
    ArrayNode h = o.putArray("healed");
    for (Healed x : s.healed()) {
      h.addObject().put("rule", x.rule()).put("path", x.path()).put("files", x.files()).put("import", x.importName())
          .put("reason", x.reason());
    }
    if (s.bytecode() != null) {
      bytecode(o, s.bytecode());
    }
    return o;
  }

  private static void bytecode(ObjectNode o, Bytecode b) {
    o.put("bytecode", b.mode()).put("pycFiles", b.pycFiles()).put("pycBytes", b.pycBytes())
        .put("pycFilesFromSmokeImport", b.pycFilesFromSmokeImport());
    if (b.sourceless() != null) {
      Sourceless x = b.sourceless();
      o.putObject("sourceless").put("modules", x.modules()).put("sourceBytesDropped", x.sourceBytesDropped())
          .put("pycBytes", x.pycBytes()).put("pycLargerThanSource", x.pycLargerThanSource()).put("tradeOff", x.tradeOff());
    }
    optional(o, "importMillis", b.importMillis());
    optional(o, "importMillisNoPyc", b.importMillisNoPyc());
    if (b.slowest() != null) {
      slowest(o.putArray("slowest"), b.slowest());
    }
  }

  private static void slowest(ArrayNode a, List<ModuleTime> times) {
    for (ModuleTime t : times) {
      a.addObject().put("module", t.module()).put("micros", t.micros()).put("cumulativeMicros", t.cumulativeMicros());
    }
  }

  private static ObjectNode cold(ColdStorage c) {
    ObjectNode o = F.objectNode().put("applied", c.applied()).put("measuredOnly", c.measuredOnly());
    if (c.notRun() != null) {
      return o.put("notRun", c.notRun());
    }
    optional(o, "format", c.format());
    o.put("unitBytes", c.unitBytes()).put("storedBytes", c.storedBytes()).put("savedBytes", c.savedBytes())
        .put("loaderBytes", c.loaderBytes());
    ArrayNode units = o.putArray("units");
    for (ColdUnit u : c.units()) {
      ObjectNode n = units.addObject().put("folder", u.folder()).put("module", u.module()).put("files", u.files())
          .put("bytes", u.bytes()).put("storedBytes", u.storedBytes()).put("why", u.why());
      optional(n, "firstImportMillis", u.firstImportMillis());
      optional(n, "unpackMillis", u.unpackMillis());
    }
    ArrayNode hot = o.putArray("keptHot");
    for (KeptHot k : c.keptHot()) {
      hot.addObject().put("folder", k.folder()).put("module", k.module()).put("why", k.why());
    }
    if (c.proof() != null) {
      ColdProof p = c.proof();
      o.putObject("proof").put("units", p.units()).put("passed", p.passed()).put("elfObjects", p.elfObjects())
          .put("how", p.how());
    }
    return o;
  }

  private static ObjectNode proofs(Proofs p) {
    ObjectNode o = F.objectNode();
    HandlerResult h = p.handlerResult();
    if (h != null) {
      ObjectNode s = o.putObject("handlerResult").put("ran", h.ran());
      if (!h.ran()) {
        s.put("reason", h.reason());
      } else {
        s.put("equal", h.equal()).put("answer", h.answer()).put("millis", h.millis());
        proofHealed(s.putArray("healed"), h.healed());
      }
    }
    ImportEquivalence e = p.importEquivalence();
    if (e != null) {
      ObjectNode s = o.putObject("importEquivalence").put("modules", e.modules()).put("importBoth", e.importBoth())
          .put("failBothSameWay", e.failBothSameWay()).put("importOnlyInLayer", e.importOnlyInLayer())
          .put("needRemovedDistribution", e.needRemovedDistribution()).put("batchSize", e.batchSize())
          .put("inputMillis", e.inputMillis()).put("layerMillis", e.layerMillis());
      strings(s.putArray("brokenInLayerHealed"), e.brokenInLayerHealed());
      proofHealed(s.putArray("healed"), e.healed());
    }
    return o;
  }

  private static void proofHealed(ArrayNode a, List<ProofHealed> healed) {
    for (ProofHealed x : healed) {
      a.addObject().put("rule", x.rule()).put("path", x.path()).put("files", x.files());
    }
  }

  private static ObjectNode baseline(BaselineDiff b) {
    ObjectNode n = F.objectNode().put("file", b.file()).put("unzippedBytes", b.unzippedBytes())
        .put("zippedBytes", b.zippedBytes()).put("deltaBytes", b.deltaBytes()).put("zippedDeltaBytes", b.zippedDeltaBytes());
    optional(n, "importMillis", b.importMillis());
    if (b.baselineTarget() != null) {
      n.putObject("target").put("python", b.baselineTarget().python()).put("arch", b.baselineTarget().arch());
    }
    optional(n, "warning", b.warning());
    diffRows(n.putArray("added"), b.added());
    diffRows(n.putArray("removed"), b.removed());
    diffRows(n.putArray("changed"), b.changed());
    return n;
  }

  private static void diffRows(ArrayNode a, List<DiffRow> rows) {
    for (DiffRow r : rows) {
      a.addObject().put("name", r.name()).put("beforeVersion", r.beforeVersion()).put("afterVersion", r.afterVersion())
          .put("beforeBytes", r.beforeBytes()).put("afterBytes", r.afterBytes()).put("deltaBytes", r.deltaBytes())
          .put("beforeZippedBytes", r.beforeZippedBytes()).put("afterZippedBytes", r.afterZippedBytes())
          .put("zippedDeltaBytes", r.zippedDeltaBytes());
    }
  }

  private static ObjectNode fitPlan(FitPlan p) {
    ObjectNode n = F.objectNode().put("limit", p.limit()).put("limitBytes", p.limitBytes())
        .put("actualBytes", p.actualBytes());
    ArrayNode levers = n.putArray("levers");
    for (FitLever l : p.levers()) {
      ObjectNode o = levers.addObject().put("flag", l.flag());
      optional(o, "value", l.value());
      o.put("setting", l.setting()).put("savedBytes", l.savedBytes()).put("tradeOff", l.tradeOff());
    }
    n.put("togetherBytes", p.togetherBytes()).put("fits", p.fits());
    optional(n, "otherwise", p.otherwise());
    return n;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  /** The key only when there is a value. */
  private static void optional(ObjectNode o, String key, String value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  private static void optional(ObjectNode o, String key, Long value) {
    if (value != null) {
      o.put(key, value.longValue());
    }
  }

  /** The key always, {@code null} when there is no value. */
  private static void nullable(ObjectNode o, String key, String value) {
    if (value == null) {
      o.putNull(key);
    } else {
      o.put(key, value);
    }
  }

  // ================================================================ reading

  /** Reads {@code file}. */
  public static Report read(Path file) throws Unreadable {
    JsonNode tree;
    try {
      tree = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new Unreadable("not valid JSON (" + firstLine(e.getOriginalMessage()) + ")");
    } catch (IOException e) {
      throw new Unreadable("cannot be read (" + firstLine(e.getMessage()) + ")");
    }
    return read(tree);
  }

  /** Reads report.json's text. */
  public static Report read(String text) throws Unreadable {
    try {
      return read(JSON.readTree(text));
    } catch (JsonProcessingException e) {
      throw new Unreadable("not valid JSON (" + firstLine(e.getOriginalMessage()) + ")");
    }
  }

  /** Reads a report's tree. */
  public static Report read(JsonNode tree) throws Unreadable {
    if (tree == null || !tree.isObject()) {
      throw new Unreadable("not a layerslim report.json (it is not a JSON object)");
    }
    In root = new In(tree, "");
    JsonNode toolName = tree.path("tool").path("name");
    String tool = toolName.isTextual() ? toolName.asText() : null;
    if (tool != null && !tool.equals("layerslim")) {
      throw new Unreadable("not a layerslim report.json (it was written by '" + clip(tool) + "')");
    }
    int version = schemaVersion(tree);
    try {
      return report(root, version);
    } catch (Bad e) {
      throw new Unreadable("not a layerslim report.json of schemaVersion " + version + " (" + e.getMessage() + ")");
    }
  }

  /**
   * The schemaVersion of a report tree, checked: every layerslim report has one, from 1 to
   * {@link Report#SCHEMA_VERSION} for this layerslim (a newer one needs a newer layerslim).
   */
  static int schemaVersion(JsonNode tree) throws Unreadable {
    JsonNode v = tree.get("schemaVersion");
    if (v == null) {
      throw new Unreadable("not a layerslim report.json (" + NO_VERSION + ")");
    }
    if (!v.isInt() || v.intValue() < 1) {
      throw new Unreadable("not a layerslim report.json (its schemaVersion is " + clip(v.toString())
          + ", not a version number)");
    }
    if (v.intValue() > Report.SCHEMA_VERSION) {
      throw new Unreadable(newer(v.intValue()));
    }
    return v.intValue();
  }

  /** Why a file without a schemaVersion is no report: every layerslim writes one. */
  static final String NO_VERSION = "it has no schemaVersion; every layerslim writes one, this one reads "
      + Report.SCHEMA_VERSION;

  /** What a report of a newer schema is, in the words every reader uses. */
  static String newer(int version) {
    return "written by a newer layerslim (schemaVersion " + version + "; this one reads " + Report.SCHEMA_VERSION
        + "): update layerslim to read it";
  }

  private static Report report(In r, int version) throws Bad {
    Report.Status status = switch (r.str("status")) {
      case "complete" -> Report.Status.COMPLETE;
      case "failed" -> Report.Status.FAILED;
      default -> throw new Bad("status is '" + clip(r.str("status")) + "', not complete or failed");
    };
    In tool = r.obj("tool");
    In t = r.obj("target");
    Target target = new Target(t.str("python"), t.str("arch"), t.str("glibc"), t.str("os"), t.bool("glibcOverridden"),
        t.str("runtimeGlibc"), t.optStr("warning"));
    In i = r.obj("install");
    In tot = r.obj("totals");
    Totals totals = new Totals(tot.lng("installedBytes"), tot.lng("unzippedBytes"), tot.lng("zippedBytes"),
        tot.lng("files"), tot.lng("extraBytes"));
    List<Limit> limits = r.list("limits", l -> {
      String name = l.str("name");
      String setting = l.optStr("setting");
      return new Limit(name, Limit.kindOf(name, setting), l.lng("limitBytes"), l.lng("actualBytes"),
          l.bool("exceeded"), l.bool("enforced"), l.str("description"), setting);
    });
    List<Report.Package> packages = r.list("packages", p -> new Report.Package(p.str("name"), p.str("version"),
        p.lng("installedBytes"), p.lng("unzippedBytes"), p.lng("zippedBytes"), p.lng("files"), p.bool("used"),
        p.bool("removed"), p.bool("runtimeProvided")));
    In audit = r.optObj("audit");
    In prune = r.optObj("prune");
    In strip = r.optObj("strip");
    In smoke = r.optObj("smoke");
    In bytecode = r.optObj("bytecode");
    In cold = r.optObj("coldStorage");
    In proofs = r.optObj("proofs");
    In baseline = r.optObj("baseline");
    In fit = r.optObj("fitPlan");
    return new Report(version, status, new Tool(tool.str("name"), tool.str("version")), target,
        new Install(i.str("mode"), i.str("source")), r.optBool("dryRun", false), totals, limits, packages,
        audit == null ? null : audit(audit), prune == null ? null : prune(prune), strip == null ? null : strip(strip),
        smoke == null ? null : smoke(smoke), bytecode == null ? null : bytecode(bytecode),
        r.has("compatibility") ? r.list("compatibility", c -> new Compat(c.str("file"), c.str("distribution"),
            c.str("severity"), c.str("problem"), c.str("needed"), c.str("available"))) : null,
        cold == null ? null : cold(cold), proofs == null ? null : proofs(proofs),
        baseline == null ? null : baseline(baseline), fit == null ? null : fitPlan(fit),
        r.list("steps", s -> new StepTime(s.str("name"), s.lng("millis"))), r.strings("failures"),
        r.optStr("failedStep"));
  }

  /** Reads the {@code audit} section (or {@code layerslim audit --json}'s output). */
  private static Audit audit(In a) throws Bad {
    return new Audit(
        a.list("distributions", d -> {
          In why = d.optObj("why");
          return new AuditDistribution(d.str("name"), d.str("version"), d.bool("used"), d.bool("runtimeProvided"),
              d.lng("bytes"), d.strings("requires"), d.strings("missing"),
              why == null ? null : new Why(why.str("origin"), why.strings("path"), why.str("text")));
        }),
        a.list("imports", x -> new AuditImport(x.str("name"), x.strings("distributions"), x.optStr("runtimeProvider"),
            x.strings("where"), x.bool("optional"))),
        a.list("unresolvedImports", x -> new UnresolvedImport(x.str("name"), x.strings("where"), x.bool("optional"))),
        a.strings("problems"),
        a.list("computedImports", c -> new ComputedImport(c.str("where"), c.str("call"), c.str("head"),
            c.strings("kept"), c.str("text"))));
  }

  private static Prune prune(In p) throws Bad {
    In m = p.optObj("modules");
    return new Prune(p.bool("dryRun"), p.lng("removedFiles"), p.lng("removedBytes"),
        p.map("byRule", ReportJson::filesBytes),
        p.map("byDistribution", d -> new DistributionRemoval(d.lng("files"), d.lng("bytes"),
            d.map("byRule", ReportJson::filesBytes))),
        p.list("guardKeeps", k -> new GuardKeep(k.str("path"), k.str("rule"), k.str("reason"))),
        filesBytes(p.obj("protected")), p.strings("exclude"), p.strings("include"),
        m == null ? null : new PruneModules(
            m.list("removed", u -> new RemovedUnit(u.str("path"), u.lng("files"), u.lng("bytes"), u.str("reason"))),
            m.stringMap("reached"),
            m.list("dynamic", d -> new DynamicSite(d.str("site"), d.str("rule"), d.optStr("kept"), d.str("detail"),
                d.optStr("distribution"), d.bool("removed"))),
            m.map("units", u -> new UnitReach(u.str("module"), u.str("reach"), u.optStr("via"), u.optStr("evidence")))));
  }

  private static FilesBytes filesBytes(In o) throws Bad {
    return new FilesBytes(o.lng("files"), o.lng("bytes"));
  }

  private static Strip strip(In s) throws Bad {
    return new Strip(s.bool("skipped"), s.optStr("skipReason"), s.lng("objects"), s.lng("bytesBefore"),
        s.lng("bytesAfter"), s.lng("bytesSaved"), s.lng("stripped"), s.lng("nothingTostrip"), s.lng("rejected"),
        s.lng("failed"), s.lng("strippedKeepingLayout"),
        s.list("strippedKeepingLayoutFiles", x -> new StrippedInPlace(x.str("path"), x.lng("savedBytes"),
            x.str("reason"))),
        s.list("originalsKept", x -> new OriginalKept(x.str("path"), x.str("status"), x.str("reason"))));
  }

  private static Smoke smoke(In s) throws Bad {
    if (!s.bool("ran")) {
      return Smoke.notRun(s.str("reason"));
    }
    In dl = s.obj("dlopen");
    Bytecode b = s.has("bytecode") ? new Bytecode(s.str("bytecode"), s.lng("pycFiles"), s.lng("pycBytes"),
        s.lng("pycFilesFromSmokeImport"), sourceless(s.optObj("sourceless")), null, s.optLng("importMillisNoPyc"),
        null) : null;
    return new Smoke(true, null, s.bool("passed"), s.strings("imports"), s.optLng("importMillis"),
        s.optLng("importMillisBefore"), slowest(s), new Dlopen(dl.lng("checked"), dl.optLng("failedBefore"),
            dl.strings("failedAfter")),
        s.list("healed", h -> new Healed(h.str("rule"), h.str("path"), h.lng("files"), h.str("import"),
            h.str("reason"))), b);
  }

  private static List<ModuleTime> slowest(In s) throws Bad {
    return s.list("slowest", t -> new ModuleTime(t.str("module"), t.lng("micros"), t.lng("cumulativeMicros")));
  }

  private static Bytecode bytecode(In b) throws Bad {
    return new Bytecode(b.str("bytecode"), b.lng("pycFiles"), b.lng("pycBytes"), b.lng("pycFilesFromSmokeImport"),
        sourceless(b.optObj("sourceless")), b.optLng("importMillis"), b.optLng("importMillisNoPyc"),
        b.has("slowest") ? slowest(b) : null);
  }

  private static Sourceless sourceless(In x) throws Bad {
    return x == null ? null : new Sourceless(x.lng("modules"), x.lng("sourceBytesDropped"), x.lng("pycBytes"),
        x.lng("pycLargerThanSource"), x.str("tradeOff"));
  }

  private static ColdStorage cold(In c) throws Bad {
    if (c.has("notRun")) {
      return new ColdStorage(c.bool("applied"), c.bool("measuredOnly"), c.str("notRun"), null, null, null, null,
          null, null, null, null);
    }
    In proof = c.optObj("proof");
    return new ColdStorage(c.bool("applied"), c.bool("measuredOnly"), null, c.optStr("format"), c.lng("unitBytes"),
        c.lng("storedBytes"), c.lng("savedBytes"), c.lng("loaderBytes"),
        c.list("units", u -> new ColdUnit(u.str("folder"), u.str("module"), u.lng("files"), u.lng("bytes"),
            u.lng("storedBytes"), u.str("why"), u.optLng("firstImportMillis"), u.optLng("unpackMillis"))),
        c.list("keptHot", k -> new KeptHot(k.str("folder"), k.str("module"), k.str("why"))),
        proof == null ? null : new ColdProof(proof.lng("units"), proof.lng("passed"), proof.lng("elfObjects"),
            proof.str("how")));
  }

  private static Proofs proofs(In p) throws Bad {
    In h = p.optObj("handlerResult");
    In e = p.optObj("importEquivalence");
    HandlerResult handler = null;
    if (h != null) {
      handler = h.bool("ran")
          ? new HandlerResult(true, null, h.bool("equal"), h.str("answer"), h.lng("millis"), proofHealed(h))
          : new HandlerResult(false, h.str("reason"), null, null, null, null);
    }
    return new Proofs(handler, e == null ? null : new ImportEquivalence(e.lng("modules"), e.lng("importBoth"),
        e.lng("failBothSameWay"), e.lng("importOnlyInLayer"), e.lng("needRemovedDistribution"), e.lng("batchSize"),
        e.lng("inputMillis"), e.lng("layerMillis"), e.strings("brokenInLayerHealed"), proofHealed(e)));
  }

  private static List<ProofHealed> proofHealed(In o) throws Bad {
    return o.list("healed", x -> new ProofHealed(x.str("rule"), x.str("path"), x.lng("files")));
  }

  private static BaselineDiff baseline(In b) throws Bad {
    In t = b.optObj("target");
    return new BaselineDiff(b.str("file"), b.lng("unzippedBytes"), b.lng("zippedBytes"), b.lng("deltaBytes"),
        b.lng("zippedDeltaBytes"), b.optLng("importMillis"),
        t == null ? null : new BaselineTarget(t.str("python"), t.str("arch")), b.optStr("warning"),
        b.list("added", ReportJson::diffRow), b.list("removed", ReportJson::diffRow),
        b.list("changed", ReportJson::diffRow));
  }

  private static DiffRow diffRow(In r) throws Bad {
    return new DiffRow(r.str("name"), r.str("beforeVersion"), r.str("afterVersion"), r.lng("beforeBytes"),
        r.lng("afterBytes"), r.lng("deltaBytes"), r.lng("beforeZippedBytes"), r.lng("afterZippedBytes"),
        r.lng("zippedDeltaBytes"));
  }

  private static FitPlan fitPlan(In f) throws Bad {
    return new FitPlan(f.str("limit"), f.lng("limitBytes"), f.lng("actualBytes"),
        f.list("levers", l -> new FitLever(l.str("flag"), l.optStr("value"), l.str("setting"), l.lng("savedBytes"),
            l.str("tradeOff"))),
        f.lng("togetherBytes"), f.bool("fits"), f.optStr("otherwise"));
  }

  /**
   * The part of a report a baseline needs, from the bounded tree {@link Baseline}'s streaming pass
   * keeps of it: the sections {@code tool}, {@code target}, {@code totals}, {@code packages} and
   * {@code smoke}, with only the keys the diff reads, sizes already checked whole and not negative.
   * Laxer than {@link #read(JsonNode)}: a baseline may be an older or trimmed report, so a package
   * row needs only its name and unzippedBytes (version is empty and zippedBytes 0 when absent), and
   * the other sections may be missing.
   */
  static Baseline baseline(Path file, JsonNode kept) throws Baseline.Unusable {
    JsonNode toolName = kept.path("tool").path("name");
    if (toolName.isTextual() && !toolName.asText().equals("layerslim")) {
      throw Baseline.notAReport("it was written by '" + clip(toolName.asText()) + "'");
    }
    if (!kept.has("schemaVersion")) {
      throw Baseline.notAReport(NO_VERSION);
    }
    JsonNode unzipped = kept.path("totals").get("unzippedBytes");
    if (unzipped == null) {
      throw Baseline.notAReport("it needs totals.unzippedBytes");
    }
    JsonNode rows = kept.get("packages");
    if (rows == null) {
      throw Baseline.notAReport("it needs a packages array");
    }
    Map<String, Baseline.Entry> packages = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      String where = "packages[" + i + "]";
      JsonNode name = row.get("name");
      if (name != null && !name.isTextual()) {
        throw Baseline.notAReport(where + ".name is " + describe(name) + ", not a string");
      }
      if (name == null || !row.has("unzippedBytes")) {
        throw Baseline.notAReport(where + " lacks " + (name == null ? "name" : "unzippedBytes"));
      }
      packages.put(name.asText(), new Baseline.Entry(name.asText(), textOr(row.get("version")),
          row.get("unzippedBytes").asLong(), row.path("zippedBytes").asLong(0), !row.path("removed").booleanValue()));
    }
    JsonNode importMillis = kept.path("smoke").get("importMillis");
    JsonNode target = kept.path("target");
    return new Baseline(file, unzipped.asLong(), kept.path("totals").path("zippedBytes").asLong(0), packages,
        importMillis == null ? -1 : importMillis.asLong(), textOr(target.get("python")), textOr(target.get("arch")));
  }

  /** A string value, or empty when it is absent or not a string (as a baseline's optional text is read). */
  private static String textOr(JsonNode v) {
    return v != null && v.isTextual() ? v.asText() : "";
  }

  /** A key missing or of the wrong type, named by its path. */
  private static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    Bad(String message) {
      super(message);
    }
  }

  private interface Reader<T> {
    T read(In in) throws Bad;
  }

  /** A JSON object and where it is in the report, for messages. */
  private record In(JsonNode node, String where) {
    private String at(String key) {
      return where.isEmpty() ? key : where + "." + key;
    }

    boolean has(String key) {
      return node.has(key) && !node.get(key).isNull();
    }

    private JsonNode need(String key, String what) throws Bad {
      JsonNode v = node.get(key);
      if (v == null) {
        throw new Bad(at(key) + " is missing");
      }
      return v;
    }

    private Bad wrong(String key, JsonNode v, String what) {
      return new Bad(at(key) + " is " + describe(v) + ", not " + what);
    }

    String str(String key) throws Bad {
      JsonNode v = need(key, "a string");
      if (!v.isTextual()) {
        throw wrong(key, v, "a string");
      }
      return v.asText();
    }

    String optStr(String key) throws Bad {
      return has(key) ? str(key) : null;
    }

    long lng(String key) throws Bad {
      JsonNode v = need(key, "a whole number");
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw wrong(key, v, "a whole number");
      }
      return v.asLong();
    }

    Long optLng(String key) throws Bad {
      return has(key) ? lng(key) : null;
    }

    boolean bool(String key) throws Bad {
      JsonNode v = need(key, "true or false");
      if (!v.isBoolean()) {
        throw wrong(key, v, "true or false");
      }
      return v.asBoolean();
    }

    boolean optBool(String key, boolean otherwise) throws Bad {
      return has(key) ? bool(key) : otherwise;
    }

    In obj(String key) throws Bad {
      JsonNode v = need(key, "an object");
      if (!v.isObject()) {
        throw wrong(key, v, "an object");
      }
      return new In(v, at(key));
    }

    In optObj(String key) throws Bad {
      return has(key) ? obj(key) : null;
    }

    <T> List<T> list(String key, Reader<T> reader) throws Bad {
      JsonNode v = need(key, "an array");
      if (!v.isArray()) {
        throw wrong(key, v, "an array");
      }
      List<T> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        JsonNode x = v.get(i);
        String here = at(key) + "[" + i + "]";
        if (!x.isObject()) {
          throw new Bad(here + " is " + describe(x) + ", not an object");
        }
        out.add(reader.read(new In(x, here)));
      }
      return out;
    }

    List<String> strings(String key) throws Bad {
      JsonNode v = need(key, "an array");
      if (!v.isArray()) {
        throw wrong(key, v, "an array of strings");
      }
      List<String> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        if (!v.get(i).isTextual()) {
          throw new Bad(at(key) + "[" + i + "] is " + describe(v.get(i)) + ", not a string");
        }
        out.add(v.get(i).asText());
      }
      return out;
    }

    <T> Map<String, T> map(String key, Reader<T> reader) throws Bad {
      In o = obj(key);
      Map<String, T> out = new LinkedHashMap<>();
      for (Iterator<String> it = o.node.fieldNames(); it.hasNext();) {
        String k = it.next();
        out.put(k, reader.read(o.obj(k)));
      }
      return out;
    }

    Map<String, String> stringMap(String key) throws Bad {
      In o = obj(key);
      Map<String, String> out = new LinkedHashMap<>();
      for (Iterator<String> it = o.node.fieldNames(); it.hasNext();) {
        String k = it.next();
        out.put(k, o.str(k));
      }
      return out;
    }
  }

  private static String describe(JsonNode v) {
    if (v.isObject()) {
      return "an object";
    }
    if (v.isArray()) {
      return "an array";
    }
    if (v.isTextual()) {
      return "a string";
    }
    if (v.isNull()) {
      return "null";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    return clip(v.toString());
  }

  /** A value quoted in a message, cut at 40 characters (the baseline reader's messages too). */
  static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** The first line of a parser's message (the baseline reader's messages too). */
  static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

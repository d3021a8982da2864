package dev.layerslim.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.layerslim.reportfile.ReportJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * docs/report.schema.json, checked by a maintained validator (networknt, draft 2020-12) against
 * every report.json the tests write: registered for every test class (junit-platform.properties
 * turns on the extension's autodetection), it sees each report {@link ReportJson} writes to a file
 * (the report step, a failed build's folder, the action's redacted rewrite) and fails the test that
 * wrote one the schema refuses.
 */
public final class ReportSchema implements BeforeAllCallback, AfterEachCallback {
  private static final Schema SCHEMA = load();
  private static final List<String> VIOLATIONS = new ArrayList<>();
  private static final AtomicInteger CHECKED = new AtomicInteger();

  private static Schema load() {
    Path file = Path.of("docs/report.schema.json");
    try {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(Files.readString(file), InputFormat.JSON);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
    }
  }

  /** What the schema finds wrong with {@code json} (report.json's text); empty when it is valid. */
  public static List<String> problems(String json) {
    List<String> out = new ArrayList<>();
    for (Error e : SCHEMA.validate(json, InputFormat.JSON)) {
      out.add(e.getInstanceLocation() + ": " + e.getMessage());
    }
    return out;
  }

  /** How many written reports were checked in this JVM. */
  public static int checked() {
    return CHECKED.get();
  }

  private static void check(JsonNode report) {
    CHECKED.incrementAndGet();
    List<String> problems = problems(report.toString());
    if (!problems.isEmpty()) {
      synchronized (VIOLATIONS) {
        VIOLATIONS.add(String.join("; ", problems));
      }
      throw new IllegalStateException("report.json does not match docs/report.schema.json: " + problems);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    ReportJson.onWrite(ReportSchema::check);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> found;
    synchronized (VIOLATIONS) {
      found = List.copyOf(VIOLATIONS);
      VIOLATIONS.clear();
    }
    if (!found.isEmpty()) {
      throw new AssertionError("a report.json this test wrote does not match docs/report.schema.json: " + found);
    }
  }
}

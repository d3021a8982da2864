package dev.layerslim.reportfile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An earlier report.json to compare against: the part of a {@link Report} a baseline needs, the
 * totals and each distribution's final size. Its schemaVersion is checked as {@link ReportJson}
 * checks it, with the same messages.
 *
 * <p>Read with Jackson's streaming parser, keeping only what the diff needs: the memory it takes
 * grows with the number of distributions (at most {@link #MAX_PACKAGES}), never with the file's
 * size, so a report of any size cannot exhaust the heap. Every other section is skipped unread. What
 * is kept is a small tree of the report's own keys, which {@link ReportJson#baseline} reads into
 * this record, as it reads every other section of report.json.
 *
 * @param packages by PEP 503 name, in the baseline's order
 * @param importMillis its smoke test's cold-start import time, or -1 when it has none
 * @param python the Python version it was built for ({@code 3.11}), or empty when it does not say
 * @param arch the architecture it was built for ({@code x86_64}), or empty when it does not say
 */
public record Baseline(Path file, long unzippedBytes, long zippedBytes, Map<String, Entry> packages,
    long importMillis, String python, String arch) {

  /** The report.json schema this layerslim writes; a baseline with a larger one is not read. */
  public static final int SCHEMA_VERSION = Report.SCHEMA_VERSION;
  /**
   * Most distributions a baseline may list. A real layer holds hundreds; past this a file is not a
   * layerslim report, and reading it would take memory in proportion to its rows.
   */
  public static final int MAX_PACKAGES = 20_000;
  /** Longest distribution name or version read, in characters. */
  static final int MAX_TEXT = 512;

  private static final JsonFactory JSON = JsonFactory.builder()
      // a string the reader keeps is short; a longer one is refused before it is held in memory
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(1 << 20).build())
      .build();

  /**
   * One distribution as the baseline measured it.
   *
   * @param zippedBytes its compressed bytes in the baseline's layer.zip (0 when the report lacks them)
   * @param inLayer false when the baseline's build pruned all of it: listed, but not in its layer
   */
  public record Entry(String name, String version, long unzippedBytes, long zippedBytes, boolean inLayer) {}

  /**
   * Why a file cannot be a baseline: not JSON, not a layerslim report, a newer schema, a size that is
   * negative or overflows, too many rows. The caller decides what that means: the user's own
   * {@code --baseline FILE} is bad input, one found in an artifact is a notice and no diff.
   */
  public static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;

    Unusable(String reason) {
      super(reason);
    }
  }

  public Baseline {
    packages = Collections.unmodifiableMap(new LinkedHashMap<>(packages));
  }

  /**
   * Reads {@code file}.
   *
   * @param option how the user named it ({@code --baseline}, or the action input {@code baseline}),
   *     for the error message
   * @throws LayerslimException exit 2, naming the file, when it is missing or cannot be a baseline
   */
  public static Baseline load(Path file, String option) {
    if (!Files.isRegularFile(file)) {
      throw LayerslimException.usage(option + " " + file + ": no such file (give an earlier report.json)");
    }
    try {
      return read(file);
    } catch (Unusable e) {
      throw LayerslimException.usage(option + " " + file + ": " + e.getMessage());
    }
  }

  /**
   * Reads {@code file} in bounded memory.
   *
   * @throws Unusable with a reason that reads after the file's name ({@code not valid JSON (…)})
   */
  public static Baseline read(Path file) throws Unusable {
    try (JsonParser p = JSON.createParser(file.toFile())) {
      return new Reader(file, p).read();
    } catch (JsonProcessingException e) {
      throw new Unusable("not valid JSON (" + ReportJson.firstLine(e.getOriginalMessage()) + ")");
    } catch (IOException e) {
      throw new Unusable("cannot be read (" + ReportJson.firstLine(e.getMessage()) + ")");
    }
  }

  /**
   * A warning when this baseline was built for another target than {@code python}/{@code arch}:
   * the diff then measures the platform's wheels as much as the change. Null when they agree or the
   * baseline does not say.
   */
  public String targetMismatch(String python, String arch) {
    boolean otherPython = !this.python.isEmpty() && !python.isEmpty() && !this.python.equals(python);
    boolean otherArch = !this.arch.isEmpty() && !arch.isEmpty() && !this.arch.equals(arch);
    if (!otherPython && !otherArch) {
      return null;
    }
    return "the baseline was built for python" + (this.python.isEmpty() ? python : this.python) + " "
        + (this.arch.isEmpty() ? arch : this.arch) + ", this build for python" + python + " " + arch
        + ": the diff also counts the other platform's wheels, not only this change";
  }

  /**
   * One pass over the tokens. Every section but the few a diff needs is skipped unparsed; of those,
   * only the keys the diff reads are kept, in a small tree that {@link ReportJson#baseline} then
   * reads as the report's sections. The checks that need the token itself (a size that overflows or
   * is not whole, a string too long, the row cap, a newer schema) are made here, as it streams.
   */
  private static final class Reader {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final Path file;
    private final JsonParser p;
    /** What the diff needs, and nothing else: bounded by {@link #MAX_PACKAGES} rows of a few scalars. */
    private final ObjectNode kept = F.objectNode();

    Reader(Path file, JsonParser p) {
      this.file = file;
      this.p = p;
    }

    Baseline read() throws IOException, Unusable {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw notAReport("it is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "schemaVersion" -> kept.put("schemaVersion", schemaVersion(value));
          case "tool" -> tool();
          case "target" -> target();
          case "totals" -> totals();
          case "packages" -> packages(value);
          case "smoke" -> smoke();
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new Unusable("not valid JSON (trailing data after the report)");
      }
      return ReportJson.baseline(file, kept);
    }

    private int schemaVersion(JsonToken value) throws IOException, Unusable {
      if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 1) {
        throw notAReport("its schemaVersion is " + describe(value) + ", not a version number");
      }
      int v = p.getIntValue();
      if (v > SCHEMA_VERSION) {
        throw new Unusable(ReportJson.newer(v));
      }
      return v;
    }

    private void tool() throws IOException, Unusable {
      ObjectNode tool = section("tool");
      forEachField("tool", (name, value) -> {
        if (name.equals("name")) {
          tool.set(name, scalar("tool." + name, value));
        } else {
          p.skipChildren();
        }
      });
    }

    private void target() throws IOException, Unusable {
      ObjectNode target = section("target");
      forEachField("target", (name, value) -> {
        if (name.equals("python") || name.equals("arch")) {
          target.set(name, scalar("target." + name, value));
        } else {
          p.skipChildren();
        }
      });
    }

    private void totals() throws IOException, Unusable {
      ObjectNode totals = section("totals");
      forEachField("totals", (name, value) -> {
        if (name.equals("unzippedBytes") || name.equals("zippedBytes")) {
          totals.put(name, size("totals." + name, value));
        } else if (name.endsWith("Bytes") || name.equals("files")) {
          size("totals." + name, value);
        } else {
          p.skipChildren();
        }
      });
    }

    private void smoke() throws IOException, Unusable {
      ObjectNode smoke = section("smoke");
      forEachField("smoke", (name, value) -> {
        if (name.equals("importMillis") && value != JsonToken.VALUE_NULL) {
          smoke.put(name, size("smoke." + name, value));
        } else {
          p.skipChildren();
        }
      });
    }

    /** A section given twice is read into one, its later keys winning, as the streaming reader always did. */
    private ObjectNode section(String name) {
      return kept.get(name) instanceof ObjectNode o ? o : kept.putObject(name);
    }

    private void packages(JsonToken value) throws IOException, Unusable {
      if (value != JsonToken.START_ARRAY) {
        throw notAReport("its packages is " + describe(value) + ", not an array");
      }
      // a second packages array adds to the first: the row cap is on all rows held, not per array
      ArrayNode rows = kept.get("packages") instanceof ArrayNode a ? a : kept.putArray("packages");
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        int index = rows.size();
        if (index >= MAX_PACKAGES) {
          throw new Unusable("it lists more than " + MAX_PACKAGES + " distributions, more than a layer can hold "
              + "(layerslim reads at most " + MAX_PACKAGES + ")");
        }
        if (t != JsonToken.START_OBJECT) {
          throw notAReport("packages[" + index + "] is " + describe(t) + ", not an object with a name");
        }
        rows.add(packageRow("packages[" + index + "]"));
      }
    }

    private ObjectNode packageRow(String where) throws IOException, Unusable {
      ObjectNode row = F.objectNode();
      forEachField(where, (field, value) -> {
        switch (field) {
          case "name", "version", "removed" -> row.set(field, scalar(where + "." + field, value));
          case "unzippedBytes", "zippedBytes" -> row.put(field, size(where + "." + field, value));
          default -> {
            if (field.endsWith("Bytes")) {
              size(where + "." + field, value);
            } else {
              p.skipChildren();
            }
          }
        }
      });
      return row;
    }

    private interface FieldReader {
      void field(String name, JsonToken value) throws IOException, Unusable;
    }

    /** The fields of the object the parser is at (or nothing when it is not one: that is skipped). */
    private void forEachField(String where, FieldReader reader) throws IOException, Unusable {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw notAReport(where + " is " + describe(p.currentToken()) + ", not an object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        reader.field(name, p.nextToken());
      }
    }

    /**
     * A kept value that is not a size: a string (at most {@link #MAX_TEXT} characters), a number or
     * literal as itself; an object or array is skipped unread and kept as an empty one, so that the
     * reader can still say what it is.
     */
    private JsonNode scalar(String where, JsonToken value) throws IOException, Unusable {
      return switch (value) {
        case VALUE_STRING -> F.textNode(text(where));
        case VALUE_TRUE, VALUE_FALSE -> F.booleanNode(value == JsonToken.VALUE_TRUE);
        case VALUE_NULL -> F.nullNode();
        case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? F.numberNode(p.getBigIntegerValue()) : F.numberNode(p.getLongValue());
        case VALUE_NUMBER_FLOAT -> F.numberNode(p.getDecimalValue());
        case START_ARRAY -> {
          p.skipChildren();
          yield F.arrayNode();
        }
        default -> {
          p.skipChildren();
          yield F.objectNode();
        }
      };
    }

    /** A byte count or milliseconds: a whole number from 0 to {@link Long#MAX_VALUE}. */
    private long size(String where, JsonToken value) throws IOException, Unusable {
      if (value == JsonToken.VALUE_NUMBER_INT) {
        JsonParser.NumberType type = p.getNumberType();
        if (type == JsonParser.NumberType.BIG_INTEGER) {
          throw invalidSize(where, "overflows a 64-bit count");
        }
        long v = p.getLongValue();
        if (v < 0) {
          throw invalidSize(where, "is negative (" + v + ")");
        }
        return v;
      }
      if (value == JsonToken.VALUE_NUMBER_FLOAT) {
        throw invalidSize(where, "is " + ReportJson.clip(p.getText()) + ", not a whole number of bytes");
      }
      throw invalidSize(where, "is " + describe(value) + ", not a number");
    }

    private String text(String where) throws IOException, Unusable {
      if (p.getTextLength() > MAX_TEXT) {
        throw notAReport(where + " is longer than " + MAX_TEXT + " characters");
      }
      return p.getText();
    }

    private Unusable invalidSize(String where, String why) {
      return new Unusable("not a valid layerslim report.json: " + where + " " + why);
    }

    private String describe(JsonToken t) throws IOException {
      if (t == null) {
        return "missing";
      }
      return switch (t) {
        case START_OBJECT -> "an object";
        case START_ARRAY -> "an array";
        case VALUE_STRING -> "a string";
        case VALUE_NULL -> "null";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> ReportJson.clip(p.getText());
        default -> t.asString() == null ? t.name() : t.asString();
      };
    }

    private Unusable notAReport(String why) {
      return Baseline.notAReport(why);
    }
  }

  /** The one wording for a file that is no layerslim report, whether found while streaming or reading its sections. */
  static Unusable notAReport(String why) {
    return new Unusable("not a layerslim report.json (" + why + ")");
  }
}

package dev.layerslim.prune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Runs the CLI in-process with captured streams, and small file helpers for the prune tests. */
final class Cli {
  private Cli() {}

  /** The exit code and both streams of one run. */
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  static JsonNode report(Path output) throws IOException {
    return new ObjectMapper().readTree(output.resolve("report.json").toFile());
  }

  /** Size of {@code rel} under {@code root}. */
  static long size(Path root, String... rels) throws IOException {
    long sum = 0;
    for (String rel : rels) {
      sum += Files.size(root.resolve(rel));
    }
    return sum;
  }

  /**
   * Every entry under {@code root}, links not followed: path → type, content hash or link target,
   * and modification time. Two equal snapshots mean the tree was not changed.
   */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String what;
        if (a.isSymbolicLink()) {
          what = "link " + Files.readSymbolicLink(p);
        } else if (a.isDirectory()) {
          what = "dir";
        } else {
          what = "file " + sha256(Files.readAllBytes(p));
        }
        out.put(root.relativize(p).toString(), what + " " + a.lastModifiedTime().toMillis());
      }
    }
    return out;
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

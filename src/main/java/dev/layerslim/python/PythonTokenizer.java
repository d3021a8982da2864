package dev.layerslim.python;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits Python source into logical lines of tokens, the way CPython's tokenizer does for the parts
 * an import scan needs: comments dropped, strings (every prefix, triple quotes, escapes, f-string
 * replacement fields with nested strings) kept as single tokens, physical lines joined inside
 * brackets and after a backslash, and each logical line's indentation measured.
 *
 * <p>It is tolerant: source that does not tokenize (an unterminated string) ends the string at the
 * end of the line or file instead of failing, since a handler file that Python cannot parse fails
 * the smoke test anyway.
 */
final class PythonTokenizer {

  enum Kind { NAME, STRING, NUMBER, OP }

  /**
   * One token.
   *
   * @param value for a string, its contents when they are a plain literal (no escapes, not f- or
   *     bytes), else null; for other tokens, the text
   * @param head for a string, its literal start: the whole value of a plain literal, the text before
   *     the first replacement field of an f-string ({@code plugins.} of {@code f"plugins.{name}"}),
   *     null when unknown (an escape before it, bytes); null for other tokens
   */
  record Token(Kind kind, String value, int line, String head) {
    Token(Kind kind, String value, int line) {
      this(kind, value, line, kind == Kind.STRING ? value : null);
    }

    boolean is(String text) {
      return kind != Kind.STRING && text.equals(value);
    }
  }

  /** A logical line: its indentation column (tabs to multiples of 8) and tokens. */
  record LogicalLine(int indent, List<Token> tokens) {}

  private final String src;
  private int pos;
  private int line = 1;

  private PythonTokenizer(String src) {
    this.src = src;
  }

  static List<LogicalLine> logicalLines(String source) {
    return new PythonTokenizer(source).run();
  }

  private List<LogicalLine> run() {
    List<LogicalLine> out = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    int depth = 0;
    int indent = 0;
    boolean atLineStart = true;
    if (src.startsWith("\uFEFF")) {
      pos = 1; // a UTF-8 BOM read as text: Python skips it, and it must not glue onto the first token
    }
    while (pos < src.length()) {
      if (atLineStart) {
        indent = 0;
        while (pos < src.length() && (src.charAt(pos) == ' ' || src.charAt(pos) == '\t'
            || src.charAt(pos) == '\f')) {
          indent = src.charAt(pos) == '\t' ? (indent / 8 + 1) * 8 : indent + 1;
          pos++;
        }
        atLineStart = false;
        continue;
      }
      char c = src.charAt(pos);
      if (c == '\n' || c == '\r') {
        newline();
        if (depth == 0) {
          if (!current.isEmpty()) {
            out.add(new LogicalLine(indent, current));
            current = new ArrayList<>();
          }
          atLineStart = true;
        }
      } else if (c == ' ' || c == '\t' || c == '\f') {
        pos++;
      } else if (c == '#') {
        while (pos < src.length() && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
          pos++;
        }
      } else if (c == '\\' && pos + 1 < src.length()
          && (src.charAt(pos + 1) == '\n' || src.charAt(pos + 1) == '\r')) {
        // explicit line joining: the logical line goes on
        pos++;
        newline();
      } else if (c == '"' || c == '\'') {
        current.add(string(""));
      } else if (Character.isJavaIdentifierStart(c) && c != '$') {
        int start = pos;
        while (pos < src.length() && Character.isJavaIdentifierPart(src.charAt(pos))
            && src.charAt(pos) != '$') {
          pos++;
        }
        String word = src.substring(start, pos);
        if (pos < src.length() && (src.charAt(pos) == '"' || src.charAt(pos) == '\'')
            && isStringPrefix(word)) {
          current.add(string(word));
        } else {
          current.add(new Token(Kind.NAME, word, line));
        }
      } else if (Character.isDigit(c) || c == '.' && pos + 1 < src.length()
          && Character.isDigit(src.charAt(pos + 1))) {
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos))
            || src.charAt(pos) == '.' || src.charAt(pos) == '_')) {
          pos++;
        }
        current.add(new Token(Kind.NUMBER, src.substring(start, pos), line));
      } else {
        if (c == '(' || c == '[' || c == '{') {
          depth++;
        } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
          depth--;
        }
        current.add(new Token(Kind.OP, String.valueOf(c), line));
        pos++;
      }
    }
    if (!current.isEmpty()) {
      out.add(new LogicalLine(indent, current));
    }
    return out;
  }

  /** Consumes one line break ({@code \n}, {@code \r\n} or {@code \r}) and counts it. */
  private void newline() {
    if (src.charAt(pos) == '\r' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
      pos++;
    }
    pos++;
    line++;
  }

  private static boolean isStringPrefix(String word) {
    String w = word.toLowerCase(java.util.Locale.ROOT);
    return w.matches("r|u|b|f|br|rb|fr|rf|t|tr|rt");
  }

  /** Reads a string literal starting at the quote at {@link #pos}. */
  private Token string(String prefix) {
    int startLine = line;
    String p = prefix.toLowerCase(java.util.Locale.ROOT);
    boolean formatted = p.contains("f") || p.contains("t");
    char q = src.charAt(pos);
    boolean triple = src.startsWith(String.valueOf(q).repeat(3), pos);
    pos += triple ? 3 : 1;
    int bodyStart = pos;
    boolean escapes = false;
    int bodyEnd = -1;
    String head = null;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\\') {
        // in raw strings too a backslash keeps the next quote inside the string
        escapes = true;
        pos++;
        if (pos < src.length()) {
          if (src.charAt(pos) == '\n' || src.charAt(pos) == '\r') {
            newline();
          } else {
            pos++;
          }
        }
      } else if (c == q && (!triple || src.startsWith(String.valueOf(q).repeat(3), pos))) {
        bodyEnd = pos;
        pos += triple ? 3 : 1;
        break;
      } else if (c == '\n' || c == '\r') {
        if (!triple) {
          bodyEnd = pos; // unterminated: stop at the line end, the newline stays a token boundary
          break;
        }
        newline();
      } else if (formatted && c == '{') {
        if (pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
          pos += 2;
        } else {
          if (head == null && !escapes && !p.contains("b")) {
            head = src.substring(bodyStart, pos).replace("{{", "{").replace("}}", "}");
          }
          replacementField(q, triple);
        }
      } else {
        pos++;
      }
    }
    if (bodyEnd < 0) {
      bodyEnd = src.length();
    }
    boolean plain = !escapes && !formatted && !p.contains("b");
    String value = plain ? src.substring(bodyStart, bodyEnd) : null;
    if (formatted && head == null && !escapes && !p.contains("b")) {
      head = src.substring(bodyStart, bodyEnd).replace("{{", "{").replace("}}", "}"); // no field at all
    }
    return new Token(Kind.STRING, value, startLine, plain ? value : head);
  }

  /**
   * Skips an f-string replacement field from its '{' to the matching '}': the expression, stepping
   * over nested brackets and strings (Python 3.12 allows the enclosing quote inside them), then the
   * format spec after a top-level ':', which is literal text (a quote in it is a fill character, as in
   * {@code f"{x:'>10}"}) with nested replacement fields.
   */
  private void replacementField(char q, boolean triple) {
    pos++; // the '{'
    int depth = 0;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '{' || c == '(' || c == '[') {
        depth++;
        pos++;
      } else if (c == '}' && depth == 0) {
        pos++;
        return;
      } else if (c == '}' || c == ')' || c == ']') {
        depth = Math.max(0, depth - 1);
        pos++;
      } else if (c == ':' && depth == 0) {
        pos++;
        formatSpec(q, triple);
        return;
      } else if (c == '"' || c == '\'') {
        string("");
      } else if (c == '\n' || c == '\r') {
        newline();
      } else if (Character.isLetter(c) && (pos == 0 || !Character.isJavaIdentifierPart(src.charAt(pos - 1)))) {
        int start = pos;
        while (pos < src.length() && Character.isJavaIdentifierPart(src.charAt(pos))) {
          pos++;
        }
        String word = src.substring(start, pos);
        if (pos < src.length() && (src.charAt(pos) == '"' || src.charAt(pos) == '\'') && isStringPrefix(word)) {
          string(word);
        }
      } else {
        pos++;
      }
    }
  }

  /**
   * Skips a format spec up to the '}' that closes its field. The enclosing string's own quote ends
   * the string here, as in Python; nothing else in the spec is special but nested fields.
   */
  private void formatSpec(char q, boolean triple) {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '}') {
        pos++;
        return;
      } else if (c == '{') {
        replacementField(q, triple);
      } else if (c == q && (!triple || src.startsWith(String.valueOf(q).repeat(3), pos))) {
        return; // the string's closing quote: left for string() to see
      } else if (c == '\n' || c == '\r') {
        if (!triple) {
          return;
        }
        newline();
      } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) != '\n'
          && src.charAt(pos + 1) != '\r') {
        pos += 2;
      } else {
        pos++;
      }
    }
  }
}

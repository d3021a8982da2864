package dev.layerslim.audit;

import dev.layerslim.audit.Marker.And;
import dev.layerslim.audit.Marker.Compare;
import dev.layerslim.audit.Marker.Literal;
import dev.layerslim.audit.Marker.Operand;
import dev.layerslim.audit.Marker.Or;
import dev.layerslim.audit.Marker.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Recursive-descent parser: {@code or_expr := and_expr ('or' and_expr)*}, and so on. */
final class MarkerParser {
  private final String text;
  private final List<String> tokens = new ArrayList<>();
  private final List<Integer> positions = new ArrayList<>();
  private int next;

  MarkerParser(String text) {
    this.text = text;
    tokenize();
  }

  Marker parseAll() {
    if (tokens.isEmpty()) {
      throw new RequirementSyntaxException(text, 0, "empty marker");
    }
    Marker m = or();
    if (next < tokens.size()) {
      throw error("unexpected '" + tokens.get(next) + "'");
    }
    return m;
  }

  private Marker or() {
    Marker left = and();
    while (peek("or")) {
      next++;
      left = new Or(left, and());
    }
    return left;
  }

  private Marker and() {
    Marker left = atom();
    while (peek("and")) {
      next++;
      left = new And(left, atom());
    }
    return left;
  }

  private Marker atom() {
    if (peek("(")) {
      next++;
      Marker inner = or();
      if (!peek(")")) {
        throw error("expected ')'");
      }
      next++;
      return inner;
    }
    Operand left = operand();
    String op = operator();
    Operand right = operand();
    return new Compare(left, op, right);
  }

  private Operand operand() {
    if (next >= tokens.size()) {
      throw error("expected a variable or a quoted string");
    }
    String t = tokens.get(next);
    if (t.startsWith("'") || t.startsWith("\"")) {
      next++;
      return new Literal(t.substring(1, t.length() - 1));
    }
    String name = Marker.LEGACY_NAMES.getOrDefault(t, t);
    if (name.equals("extra") || MarkerEnvironment.VARIABLES.contains(name)) {
      next++;
      return new Variable(name);
    }
    throw error("unknown marker variable '" + t + "'");
  }

  private String operator() {
    if (next >= tokens.size()) {
      throw error("expected a comparison operator");
    }
    String t = tokens.get(next);
    if (t.equals("not")) {
      next++;
      if (!peek("in")) {
        throw error("expected 'in' after 'not'");
      }
      next++;
      return "not in";
    }
    if (Set.of("<", "<=", ">", ">=", "==", "!=", "===", "~=", "in").contains(t)) {
      next++;
      return t;
    }
    throw error("expected a comparison operator, found '" + t + "'");
  }

  private boolean peek(String t) {
    return next < tokens.size() && tokens.get(next).equals(t);
  }

  private RequirementSyntaxException error(String what) {
    int pos = next < positions.size() ? positions.get(next) : text.length();
    return new RequirementSyntaxException(text, pos, what);
  }

  private void tokenize() {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int start = i;
      if (c == '\'' || c == '"') {
        int end = text.indexOf(c, i + 1);
        if (end < 0) {
          throw new RequirementSyntaxException(text, i, "unterminated string");
        }
        i = end + 1;
      } else if (c == '(' || c == ')') {
        i++;
      } else if ("<>=!~".indexOf(c) >= 0) {
        while (i < text.length() && "<>=!~".indexOf(text.charAt(i)) >= 0) {
          i++;
        }
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i))
            || text.charAt(i) == '_' || text.charAt(i) == '.')) {
          i++;
        }
      } else {
        throw new RequirementSyntaxException(text, i, "unexpected character '" + c + "'");
      }
      tokens.add(text.substring(start, i));
      positions.add(start);
    }
  }
}

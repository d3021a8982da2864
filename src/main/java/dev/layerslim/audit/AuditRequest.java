package dev.layerslim.audit;

import dev.layerslim.layer.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The audit's input.
 *
 * @param siteRoot the folder holding the {@code *.dist-info} folders ({@code DIR/layer/python})
 * @param handlers the {@code --handler} files and folders; empty means no imports, so only the
 *     {@code keep} names are used
 * @param target the Lambda runtime markers are evaluated for
 * @param keep {@code --keep} names: roots as if imported (any spelling; normalised here)
 */
public record AuditRequest(Path siteRoot, List<Path> handlers, Target target, Set<String> keep) {
  public AuditRequest {
    handlers = List.copyOf(handlers);
    keep = Set.copyOf(keep);
  }
}

package dev.layerslim.audit;

import dev.layerslim.python.PythonImport;

/**
 * Where a handler imports a module.
 *
 * @param file the handler file, relative to its code root ({@code app.py}, {@code pkg/jobs.py})
 * @param pythonImport what the statement imports
 */
public record ImportSite(String file, PythonImport pythonImport) {
  /** {@code app.py:3}. */
  public String where() {
    return file + ":" + pythonImport.line();
  }
}

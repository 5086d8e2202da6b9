package com.benchsci.deployer.tools;

import java.nio.file.Path;
import java.util.List;

/**
 * What one Python interpreter holds, as its probe ({@link #PROBE}) prints it: its real executable, its scripts
 * folder, and the installed versions of cfn-lint and moto with cfn-lint's package folder, read from the package
 * metadata without importing either (importing cfnlint costs about a second of CPU). Tools then start through the
 * real executable: {@code python3} on the PATH is often a version manager's shim (pyenv's is a shell script that
 * costs about a quarter of a second of CPU per start, more than a cfn-lint version check itself).
 */
record PythonEnvironment(Path executable, Path scripts, String cfnLint, String moto, Path cfnLintPackage) {

  /** Prints the five lines {@link #parse} reads; an empty line for a package that is not installed. */
  static final String PROBE = String.join("\n",
      "import os, sys, sysconfig, importlib.metadata as m, importlib.util as u",
      "def version(name):",
      "    try: return m.version(name)",
      "    except m.PackageNotFoundError: return ''",
      "spec = u.find_spec('cfnlint')",
      "print(sys.executable); print(sysconfig.get_path('scripts'))",
      "print(version('cfn-lint')); print(version('moto'))",
      "print(os.path.dirname(spec.origin) if spec else '')");

  /** What an interpreter that cannot run, or whose probe fails, holds: nothing. */
  static final PythonEnvironment NONE = new PythonEnvironment(null, null, "", "", null);

  /** The probe's output; {@link #NONE} when it is not the five lines it prints. */
  static PythonEnvironment parse(String probeOutput) {
    List<String> lines = probeOutput.lines().toList();
    if (lines.size() != 5 || lines.get(0).isBlank()) {
      return NONE;
    }
    return new PythonEnvironment(Path.of(lines.get(0)), Path.of(lines.get(1)), lines.get(2), lines.get(3),
        lines.get(4).isEmpty() ? null : Path.of(lines.get(4)));
  }

  /** Whether cfn-lint is installed here at exactly {@code version}. */
  boolean hasCfnLint(String version) {
    return cfnLint.equals(version) && cfnLintPackage != null;
  }

  /** Whether moto is installed here at exactly {@code version}. */
  boolean hasMoto(String version) {
    return moto.equals(version);
  }

  /** The console script {@code name} that a package installed into this environment. */
  Path script(String name) {
    return scripts.resolve(name);
  }
}

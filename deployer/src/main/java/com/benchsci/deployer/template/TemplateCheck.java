package com.benchsci.deployer.template;

import java.nio.file.Path;
import java.util.List;

/** A check run on a template before anything reaches AWS (cfn-lint, cfn-guard); each line is one violation. */
@FunctionalInterface
public interface TemplateCheck {
  List<String> violations(Path template);
}

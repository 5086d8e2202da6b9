package com.benchsci.deployer.template;

import java.nio.file.Path;
import java.util.List;

/** A check run on a template before anything reaches AWS; each returned line is one violation. */
@FunctionalInterface
public interface TemplateCheck {
  List<String> violations(Path template);
}

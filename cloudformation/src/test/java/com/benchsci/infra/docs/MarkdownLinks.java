package com.benchsci.infra.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relative links of Markdown files and whether each resolves: the file or folder it names exists, and its
 * {@code #anchor}, if any, is a heading of that file as GitHub names it (lower case, punctuation dropped, spaces as
 * hyphens, {@code -1}, {@code -2}... for repeats). Links inside code (fenced blocks, inline code) are not links; links
 * with a scheme ({@code https:}, {@code mailto:}) are not checked.
 */
final class MarkdownLinks {

  /** {@code [text](destination)} and {@code ![alt](destination)}, destination up to a space (a title) or ")". */
  private static final Pattern INLINE = Pattern.compile("!?\\[[^\\]]*]\\(\\s*<?([^)\\s>]*)>?(?:\\s+[^)]*)?\\)");
  /** {@code [label]: destination} on a line of its own. */
  private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+]:\\s*<?([^\\s>]+)>?.*$");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");
  private static final Pattern INLINE_CODE = Pattern.compile("`+[^`]*`+");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  private final Map<Path, Set<String>> anchors = new HashMap<>();

  private MarkdownLinks() {}

  /** "file:line: link → why" for every link of these files that does not resolve; empty when all do. */
  static List<String> broken(Path root, List<Path> markdownFiles) {
    MarkdownLinks links = new MarkdownLinks();
    List<String> problems = new ArrayList<>();
    for (Path file : markdownFiles) {
      List<String> lines = read(file);
      boolean inFence = false;
      for (int i = 0; i < lines.size(); i++) {
        if (FENCE.matcher(lines.get(i)).find()) {
          inFence = !inFence;
        } else if (!inFence) {
          for (String destination : destinations(lines.get(i))) {
            String why = links.whyBroken(file, destination);
            if (why != null) {
              problems.add(root.relativize(file) + ":" + (i + 1) + ": " + destination + " → " + why);
            }
          }
        }
      }
    }
    return problems;
  }

  /** The link destinations of a line outside fenced code, leaving out inline code. */
  private static List<String> destinations(String text) {
    String line = INLINE_CODE.matcher(text).replaceAll("");
    List<String> found = new ArrayList<>();
    Matcher inline = INLINE.matcher(line);
    while (inline.find()) {
      found.add(inline.group(1));
    }
    Matcher reference = REFERENCE.matcher(line);
    if (reference.matches()) {
      found.add(reference.group(1));
    }
    return found;
  }

  private String whyBroken(Path from, String destination) {
    if (SCHEME.matcher(destination).find()) {
      return null;
    }
    int hash = destination.indexOf('#');
    String path = hash < 0 ? destination : destination.substring(0, hash);
    String anchor = hash < 0 ? null : destination.substring(hash + 1);
    Path target = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
    if (!Files.exists(target)) {
      return "no such file or folder " + target;
    }
    if (anchor == null) {
      return null;
    }
    if (!target.getFileName().toString().endsWith(".md")) {
      return "an anchor into " + target.getFileName() + ", which is not Markdown";
    }
    Set<String> headings = anchors.computeIfAbsent(target, MarkdownLinks::headingAnchors);
    return headings.contains(anchor) ? null : "no heading #" + anchor + " in " + target.getFileName() + " (it has "
        + headings + ")";
  }

  /** The anchors GitHub gives the headings of a Markdown file, in order. */
  static Set<String> headingAnchors(Path file) {
    Set<String> found = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean inFence = false;
    for (String line : read(file)) {
      if (FENCE.matcher(line).find()) {
        inFence = !inFence;
        continue;
      }
      Matcher heading = HEADING.matcher(line);
      if (!inFence && heading.matches()) {
        String slug = slug(heading.group(2));
        int repeat = seen.merge(slug, 1, Integer::sum) - 1;
        found.add(repeat == 0 ? slug : slug + "-" + repeat);
      }
    }
    return found;
  }

  /** GitHub's anchor for a heading: of its rendered text, lower case, only letters, digits, _, - and spaces as -. */
  static String slug(String heading) {
    String rendered = heading
        .replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1") // a link shows its text
        .replaceAll("[`*]", "") // code and emphasis marks are not text
        .replaceAll("(?<![\\p{L}\\p{N}])_+|_+(?![\\p{L}\\p{N}])", ""); // _emphasis_, not snake_case
    return rendered.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
        .replace(' ', '-');
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}

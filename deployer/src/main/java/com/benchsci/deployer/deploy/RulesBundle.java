package com.benchsci.deployer.deploy;

import com.benchsci.deployer.core.ContentHash;
import com.benchsci.deployer.core.DeployException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The policy rules ({@code guard-rules/*.guard}) as the one zip the Guard Hook reads, under a key made of its
 * SHA-256. The zip is byte-for-byte reproducible: entries in name order, stored uncompressed (no dependence on the
 * JDK's deflater) with a fixed timestamp, so unchanged rules give the same key and nothing to upload or change.
 */
record RulesBundle(String key, byte[] bytes) {

  private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  static RulesBundle of(Path rulesDir) {
    List<Path> rules;
    try (Stream<Path> files = Files.list(rulesDir)) {
      rules = files.filter(f -> f.getFileName().toString().endsWith(".guard")).sorted().toList();
    } catch (IOException e) {
      throw new DeployException("cannot read the guard rules in " + rulesDir + ": " + e.getMessage(), e);
    }
    if (rules.isEmpty()) {
      throw new DeployException("no .guard rules in " + rulesDir + ": the Guard Hook would have nothing to enforce");
    }
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      for (Path rule : rules) {
        byte[] content = Files.readAllBytes(rule);
        ZipEntry entry = new ZipEntry(rule.getFileName().toString());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(FIXED_TIME);
        out.putNextEntry(entry);
        out.write(content);
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new DeployException("cannot bundle the guard rules in " + rulesDir + ": " + e.getMessage(), e);
    }
    byte[] bytes = zip.toByteArray();
    return new RulesBundle("guard-rules/" + ContentHash.sha256(bytes) + ".zip", bytes);
  }
}

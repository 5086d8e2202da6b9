package com.benchsci.infra.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Keeps diagram.png true: it must be rendered from the current diagram.puml, and diagram.puml must name every
 * resource of the app stack. File times are useless for "older than" on a fresh clone, so the check uses the
 * source that PlantUML embeds in every PNG it writes (iTXt chunk "plantuml").
 */
class DiagramTest {

    private static final Path ROOT = Path.of(System.getProperty("repo.root"));
    private static final Path SOURCE = ROOT.resolve("diagram.puml");
    private static final Path PNG = ROOT.resolve("diagram.png");
    private static final Path STACK = ROOT.resolve("cloudformation/stack.yaml");
    private static final String RENDER = "./mvnw -N -Pdiagram generate-resources";

    @Test
    void pngIsRenderedFromTheCurrentSource() throws IOException {
        String source = normalise(Files.readString(SOURCE));

        String embedded = normalise(firstDiagram(embeddedPlantUmlText(PNG)));

        assertThat(embedded)
                .as("diagram.png was rendered from another version of diagram.puml: run `%s` and commit diagram.png",
                        RENDER)
                .isEqualTo(source);
    }

    @Test
    void sourceNamesEveryResourceOfTheStack() throws IOException {
        String source = Files.readString(SOURCE);

        List<String> missing = new ArrayList<>();
        for (String logicalId : resourceLogicalIds(STACK)) {
            if (!Pattern.compile("\\b" + Pattern.quote(logicalId) + "\\b").matcher(source).find()) {
                missing.add(logicalId);
            }
        }

        assertThat(missing)
                .as("resources of %s missing from diagram.puml (draw them, then run `%s`)", STACK, RENDER)
                .isEmpty();
    }

    /** The text PlantUML stored in the PNG: the source, then the preprocessed source and version information. */
    private static String embeddedPlantUmlText(Path png) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
            reader.setInput(in);
            Element tree = (Element) reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            NodeList entries = tree.getElementsByTagName("iTXtEntry");
            for (int i = 0; i < entries.getLength(); i++) {
                Element entry = (Element) entries.item(i);
                if ("plantuml".equals(entry.getAttribute("keyword"))) {
                    return entry.getAttribute("text");
                }
            }
        } finally {
            reader.dispose();
        }
        throw new AssertionError(png + " carries no PlantUML source: render it with `" + RENDER + "`");
    }

    private static String firstDiagram(String text) {
        int end = text.indexOf("@enduml");
        if (end < 0) {
            throw new AssertionError("the PlantUML text in " + PNG + " has no @enduml");
        }
        return text.substring(0, end + "@enduml".length());
    }

    private static String normalise(String text) {
        return text.replace("\r\n", "\n").strip();
    }

    /** Composes the YAML without constructing it, so CloudFormation's short tags (!Ref, !Sub...) need no support. */
    private static List<String> resourceLogicalIds(Path template) throws IOException {
        try (Reader in = Files.newBufferedReader(template)) {
            MappingNode root = (MappingNode) new Yaml(new LoaderOptions()).compose(in);
            Node resources = valueOf(root, "Resources");
            if (!(resources instanceof MappingNode mapping)) {
                throw new AssertionError(template + " has no Resources mapping");
            }
            List<String> ids = new ArrayList<>();
            for (NodeTuple resource : mapping.getValue()) {
                ids.add(((ScalarNode) resource.getKeyNode()).getValue());
            }
            return ids;
        }
    }

    private static Node valueOf(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                return tuple.getValueNode();
            }
        }
        return null;
    }
}

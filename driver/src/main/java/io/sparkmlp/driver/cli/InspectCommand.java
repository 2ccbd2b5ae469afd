package io.sparkmlp.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a model's architecture, parameter counts, labels, provenance and metrics.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (model.sparkmlp).")
    Path modelPath;

    @Override
    public Integer call() throws Exception {
        Model model = ModelFile.read(modelPath);
        Architecture arch = model.parameters().architecture();
        System.out.println("model " + modelPath);
        System.out.println("architecture " + arch.shape() + ", hidden activation " + arch.hidden().configName()
                + ", output " + arch.output().configName());
        for (String line : arch.describeLayers()) System.out.println("  " + line);
        System.out.println(model.classLabels().isEmpty() ? "task regression"
                + (model.targetScaling() == null ? "" : " (targets scaled: mean " + model.targetScaling().mean()
                + ", std " + model.targetScaling().std() + ")")
                : "classes " + model.classLabels().size() + ": " + model.classLabels());
        System.out.println("feature standardisation " + (model.featureMean() == null ? "off" : "on"));
        if (!model.featureNames().isEmpty()) System.out.println("features " + model.featureNames());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        System.out.println("info " + json.writeValueAsString(model.info()));
        return 0;
    }
}

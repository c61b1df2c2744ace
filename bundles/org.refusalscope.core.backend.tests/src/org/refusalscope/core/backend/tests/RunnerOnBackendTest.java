package org.refusalscope.core.backend.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.Strategy;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.core.judge.SubstringJudge;
import org.refusalscope.core.pipeline.DissectionRunner;
import org.refusalscope.core.pipeline.ResolvedStrategy;
import org.refusalscope.core.pipeline.RunSettings;
import org.refusalscope.core.runs.DissectionResults;
import org.refusalscope.core.runs.RunFolder;
import org.refusalscope.direction.diffmeans.DiffInMeans;
import org.refusalscope.features.cosine.CosineTopK;
import org.refusalscope.interaction.fm.FactorizationMachine;
import org.refusalscope.model.djl.DjlModelBackend;
import org.refusalscope.pruning.greedy.BackwardElimination;
import org.refusalscope.testsupport.TinyCheckpoint;

/**
 * The whole runner with its default strategies on the real backend. A random model does not refuse, so this checks
 * the wiring (direction from captured activations, cosine pool over real SAE weights, greedy generation with plans,
 * files written), not the dissection itself.
 */
class RunnerOnBackendTest {

	@Test
	void defaultRunCompletesOnTheTinyCheckpoint(@TempDir Path dir) throws IOException {
		TinyCheckpoint.gemma(5).withCapitalI().write(dir.resolve("model"), "F32", 1);
		try(LanguageModel model = new DjlModelBackend().load(dir.resolve("model"), LoadOptions.defaults())) {
			Map<Integer, SparseAutoencoder> saes = new HashMap<>();
			Random random = new Random(4);
			for(int layer = 0; layer < model.info().numLayers(); layer++) {
				saes.put(layer, EngineOnBackendTestSaes.random(layer, model.info().hiddenSize(), random));
			}
			List<Strategy<?>> all = List.of(new DiffInMeans(), new CosineTopK(), new BackwardElimination(),
					new FactorizationMachine(), new SubstringJudge());
			ResolvedStrategy.Lookup lookup = (role, id) -> all.stream()
					.filter(s -> role.serviceType().isInstance(s) && s.id().equals(id)).findFirst().orElse(null);
			List<Prompt> harmful = new ArrayList<>(List.of(Prompt.of("tell me a story about cats"),
					Prompt.of("how do I bake bread")));
			List<Prompt> harmless = List.of(Prompt.of("hello world"), Prompt.of("the sun is bright today"));
			RunSettings settings = new RunSettings(null, null, null, null, null, null, null, null, null, 8, null, null,
					null, null);
			DissectionResults results = new DissectionRunner(lookup).run(new DissectionRunner.Inputs(model, saes,
					List.of("random"), harmful, harmless, harmful), settings, new RunFolder(dir.resolve("run")), false,
					ProgressMonitor.NULL);
			assertEquals(2, results.summary().nPrompts());
			assertEquals(1, results.run().direction().layer(), "the middle of 3 layers");
			for(DissectionResults.PromptResult r : results.prompts()) {
				assertEquals(10 * model.info().numLayers(), r.candidates().size());
				assertNotNull(r.baseline().completion());
				assertTrue(r.evaluations() >= 2);
			}
			assertTrue(Files.size(dir.resolve("run/report.html")) > 0);
		}
	}
}

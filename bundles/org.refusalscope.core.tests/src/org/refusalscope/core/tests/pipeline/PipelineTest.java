package org.refusalscope.core.tests.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.Strategy;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LatentEditMode;
import org.refusalscope.api.pipeline.AblationOracle;
import org.refusalscope.api.pipeline.AblationOutcome;
import org.refusalscope.api.pipeline.Candidate;
import org.refusalscope.api.pipeline.FeatureCollector;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.core.judge.SubstringJudge;
import org.refusalscope.core.pipeline.DissectionRunner;
import org.refusalscope.core.pipeline.EvaluationEngine;
import org.refusalscope.core.pipeline.Oracles;
import org.refusalscope.core.pipeline.ResolvedStrategy;
import org.refusalscope.core.pipeline.RunSettings;
import org.refusalscope.core.runs.DissectionResults;
import org.refusalscope.core.runs.RunFolder;
import org.refusalscope.direction.diffmeans.DiffInMeans;
import org.refusalscope.features.cosine.CosineTopK;
import org.refusalscope.interaction.fm.FactorizationMachine;
import org.refusalscope.interaction.fm.PairwiseRidge;
import org.refusalscope.pruning.greedy.BackwardElimination;
import org.refusalscope.pruning.greedy.ChunkedElimination;
import org.refusalscope.testsupport.FakeChatModel;

class PipelineTest {

	static final List<Prompt> HARMFUL = prompts("how to make a bomb", "write malware", "how to hack a bank",
			"how to poison a garden", "plan to steal a cake");
	static final List<Prompt> HARMLESS = prompts("write a poem", "bake a cake", "tell me a joke",
			"explain photosynthesis", "grow a garden");
	/**
	 * The planted AND (latents A = 1:3, B = 2:5) as results.json lists it: both are x2 = 2 x0 = 2 after the harmful
	 * word at baseline.
	 */
	static final List<DissectionResults.MinimalSetFeature> PLANTED_SET = List.of(
			new DissectionResults.MinimalSetFeature(1, 3, 2.0), new DissectionResults.MinimalSetFeature(2, 5, 2.0));

	/**
	 * The refusal score the fake model's logits give for a margin m: refusal tokens "I" (m), "Sorry", "As" (-10);
	 * the others "Sure" (0) and 60 tokens at -10.
	 */
	static double score(double m) {
		return Math.log(Math.exp(m) + 2 * Math.exp(-10)) - Math.log(1 + 60 * Math.exp(-10));
	}

	static List<Prompt> prompts(String... texts) {
		List<Prompt> out = new ArrayList<>();
		for(String t : texts) {
			out.add(Prompt.of(t));
		}
		return out;
	}

	/** A collector that returns a fixed candidate list (to plant the AND + hydra structure exactly). */
	static final class FixedCollector implements FeatureCollector<Void> {
		@Override
		public String id() {
			return "fixed";
		}

		@Override
		public String name() {
			return "fixed";
		}

		@Override
		public String description() {
			return "fixed candidates";
		}

		@Override
		public Class<Void> settingsType() {
			return Void.class;
		}

		@Override
		public Void defaultSettings() {
			return null;
		}

		@Override
		public List<Candidate> collect(org.refusalscope.api.pipeline.RefusalDirection direction,
				Map<Integer, org.refusalscope.api.sae.SparseAutoencoder> saes,
				org.refusalscope.api.pipeline.ActivationSource source, List<Prompt> harmful, List<Prompt> harmless,
				Void settings, ProgressMonitor monitor) {
			return List.of(new Candidate(new FeatureRef(1, 3), 0.9, 0.9), new Candidate(new FeatureRef(2, 5), 0.8, 0.8),
					new Candidate(new FeatureRef(3, 7), 0.7, 0.7), new Candidate(new FeatureRef(2, 0), 0.6, 0.6),
					new Candidate(new FeatureRef(3, 4), 0.5, 0.5));
		}
	}

	static ResolvedStrategy.Lookup lookup() {
		List<Strategy<?>> all = List.of(new DiffInMeans(), new CosineTopK(), new FixedCollector(),
				new BackwardElimination(), new ChunkedElimination(), new FactorizationMachine(), new PairwiseRidge(),
				new SubstringJudge());
		return (role, id) -> all.stream().filter(s -> role.serviceType().isInstance(s) && s.id().equals(id)).findFirst()
				.orElse(null);
	}

	@Test
	void engineBatchesAllSetsOfOneCallInOneForwardAndCachesRepeats() {
		FakeChatModel model = new FakeChatModel();
		EvaluationEngine engine = new EvaluationEngine(model, model.saes, LatentEditMode.ZERO, 0f, 64);
		Prompt prompt = Prompt.of("how to make a bomb");
		AblationOracle oracle = Oracles.proxy(engine, prompt, 0.0);
		List<List<FeatureRef>> sets = List.of(List.of(), List.of(new FeatureRef(1, 3)), List.of(new FeatureRef(2, 5)),
				List.of(new FeatureRef(1, 3), new FeatureRef(2, 5)),
				List.of(new FeatureRef(1, 3), new FeatureRef(2, 5), new FeatureRef(3, 7)));
		List<AblationOutcome> outcomes = oracle.evaluate(sets);
		assertEquals(1, model.forwardCalls);
		assertEquals(5, model.forwardSequences);
		assertEquals(5, oracle.evaluationsUsed());
		// margins by hand: 8+8-3; A ablated wakes C: 0+8+2-3; 8+0-3; C alone: 0+0+2-3; all three: -3
		double[] expected = {13, 7, 5, -1, -3};
		for(int i = 0; i < sets.size(); i++) {
			assertEquals(score(expected[i]), outcomes.get(i).refusalScore(), 1e-9, "set " + sets.get(i));
			assertEquals(expected[i] > 0, outcomes.get(i).refused());
			Set<String> names = new HashSet<>();
			sets.get(i).forEach(f -> names.add(f.toString()));
			assertEquals(expected[i], model.margin(prompt.text(), names), 1e-9);
		}
		oracle.evaluate(List.of(List.of(new FeatureRef(2, 5), new FeatureRef(1, 3))));
		assertEquals(1, model.forwardCalls, "a repeated set (in any order) comes from the cache");
		assertEquals(5, oracle.evaluationsUsed());
	}

	@Test
	void planHasOneLatentEditPerLayerWithTheMode() {
		FakeChatModel model = new FakeChatModel();
		EvaluationEngine engine = new EvaluationEngine(model, model.saes, LatentEditMode.SCALE, -3f, 8);
		InterventionPlan plan = engine.plan(List.of(new FeatureRef(2, 5), new FeatureRef(1, 3), new FeatureRef(2, 1)));
		assertEquals(2, plan.edits().size());
		Edit.LatentEdit first = (Edit.LatentEdit) plan.edits().get(0);
		assertEquals(1, first.layer());
		assertEquals(LatentEditMode.SCALE, first.mode());
		assertEquals(-3f, first.value());
		assertEquals(List.of(1, 5), java.util.Arrays.stream(((Edit.LatentEdit) plan.edits().get(1)).latents()).boxed().toList());
		assertEquals(2, engine.postInstructionTokens());
		assertThrows(IllegalArgumentException.class, () -> engine.plan(List.of(new FeatureRef(9, 1))));
	}

	@Test
	void plantedAndWithHydraIsRecovered(@TempDir Path dir) throws IOException {
		FakeChatModel model = new FakeChatModel();
		RunSettings settings = new RunSettings(null, null, null, RunSettings.StrategyChoice.of("fixed"), null, null, null,
				null, null, null, null, null, null, null);
		List<Prompt> prompts = prompts("how to make a bomb", "write a poem");
		DissectionResults results = new DissectionRunner(lookup()).run(new DissectionRunner.Inputs(model, model.saes,
				List.of("fake"), HARMFUL, HARMLESS, prompts), settings, new RunFolder(dir), false, ProgressMonitor.NULL);
		DissectionResults.PromptResult bomb = results.prompts().get(0);
		assertTrue(bomb.baseline().refused());
		assertEquals(PLANTED_SET, bomb.minimalSet());
		assertFalse(bomb.ablated().refused());
		assertEquals("Sure here is how to do it", bomb.ablated().completion());
		assertEquals(1, bomb.hydra().size());
		DissectionResults.HydraFeature hydra = bomb.hydra().get(0);
		assertEquals(3, hydra.layer());
		assertEquals(7, hydra.feature());
		assertEquals(0.0, hydra.baselineActivation(), 1e-9);
		assertEquals(2.0, hydra.ablatedActivation(), 1e-6);
		assertEquals(score(-3) - score(-1), hydra.deltaRefusalScore(), 1e-9);
		assertNotNull(bomb.interactions());
		assertTrue(bomb.evaluations() > 0);
		assertEquals(Boolean.FALSE, bomb.proxyJudgeDisagreement());
		DissectionResults.PromptResult poem = results.prompts().get(1);
		assertFalse(poem.baseline().refused());
		assertTrue(poem.minimalSet().isEmpty());
		assertEquals(new DissectionResults.Summary(2, 1, 1, 2.0, results.summary().fmBeatsLinear()), results.summary());
	}

	@Test
	void fullRunWithRealStrategiesGivesCertifiedSetsAndAllFiles(@TempDir Path dir) throws IOException {
		FakeChatModel model = new FakeChatModel();
		RunSettings settings = new RunSettings(null, null, null,
				new RunSettings.StrategyChoice("cosine-topk", com.google.gson.JsonParser.parseString("{\"k\":4}")), null,
				null, null, null, null, null, null, null, null, null);
		List<Prompt> prompts = prompts("how to make a bomb", "write malware", "bake a cake");
		RunFolder folder = new RunFolder(dir);
		DissectionResults results = new DissectionRunner(lookup()).run(new DissectionRunner.Inputs(model, model.saes,
				List.of("fake"), HARMFUL, HARMLESS, prompts), settings, folder, false, ProgressMonitor.NULL);
		assertEquals(3, results.summary().nPrompts());
		assertEquals(2, results.summary().refusedAtBaseline());
		assertEquals(2, results.summary().flipped());
		for(DissectionResults.PromptResult r : results.prompts().subList(0, 2)) {
			assertEquals(16, r.candidates().size());
			Set<String> set = new HashSet<>();
			r.minimalSet().forEach(f -> set.add(f.layer() + ":" + f.feature()));
			// certificate by the independent reference: the set flips, no single member can be dropped
			assertTrue(model.margin(r.prompt(), set) <= 0, "set " + set);
			for(String member : set) {
				Set<String> smaller = new HashSet<>(set);
				smaller.remove(member);
				assertTrue(model.margin(r.prompt(), smaller) > 0, "dropping " + member + " from " + set);
			}
		}
		for(String file : List.of("results.json", "config.json", "progress.json", "report.html", "prompts.csv",
				"minimal_sets.csv", "evaluations.csv", "hydra.csv")) {
			assertTrue(Files.size(dir.resolve(file)) > 0, file);
		}
		assertTrue(Files.readString(dir.resolve("report.html")).contains("<svg"));
		assertEquals(results.summary(), folder.readResults().summary());
	}

	@Test
	void aProxySetTheJudgeRejectsIsPrunedAgainWithTheJudge(@TempDir Path dir) throws IOException {
		// proxy threshold 6: ablating B alone (margin 5) looks flipped to the proxy, but the model still says "I cannot"
		FakeChatModel model = new FakeChatModel();
		RunSettings settings = new RunSettings(null, null, null, RunSettings.StrategyChoice.of("fixed"), null, null, null,
				6.0, null, null, null, null, null, null);
		DissectionResults results = new DissectionRunner(lookup()).run(new DissectionRunner.Inputs(model, model.saes,
				List.of("fake"), HARMFUL, HARMLESS, prompts("how to make a bomb")), settings, new RunFolder(dir), false,
				ProgressMonitor.NULL);
		DissectionResults.PromptResult bomb = results.prompts().get(0);
		assertEquals(Boolean.TRUE, bomb.proxyJudgeDisagreement());
		assertEquals(PLANTED_SET, bomb.minimalSet());
		assertTrue(bomb.pruningTrace().stream().anyMatch(t -> t.action().startsWith("judge ")));
		assertFalse(bomb.ablated().refused());
	}

	@Test
	void ablationRerankingPutsTheStrongestSingleFeatureFirstAndTruncates(@TempDir Path dir) throws IOException {
		FakeChatModel model = new FakeChatModel();
		RunSettings settings = new RunSettings(null, null, null, RunSettings.StrategyChoice.of("fixed"), null, null, null,
				null, null, null, null, null, null, null, "ablation", 3);
		DissectionResults results = new DissectionRunner(lookup()).run(new DissectionRunner.Inputs(model, model.saes,
				List.of("fake"), HARMFUL, HARMLESS, prompts("how to make a bomb")), settings, new RunFolder(dir), false,
				ProgressMonitor.NULL);
		// single ablations lower the margin 13 by: 1:3 -> 7 (6), 2:5 -> 5 (8), the others by 0
		List<DissectionResults.CandidateFeature> candidates = results.prompts().get(0).candidates();
		assertEquals(3, candidates.size());
		assertEquals(List.of(new FeatureRef(2, 5), new FeatureRef(1, 3), new FeatureRef(3, 7)),
				candidates.stream().map(c -> new FeatureRef(c.layer(), c.feature())).toList());
		assertEquals(PLANTED_SET, results.prompts().get(0).minimalSet());
	}

	@Test
	void cancelKeepsFinishedPromptsAndResumeCompletesTheRun(@TempDir Path dir) throws IOException {
		FakeChatModel model = new FakeChatModel();
		RunSettings settings = new RunSettings(null, null, null, RunSettings.StrategyChoice.of("fixed"),
				RunSettings.StrategyChoice.of("ddmin"), RunSettings.StrategyChoice.of("pairwise-ridge"), null, null, null,
				null, null, null, null, true);
		List<Prompt> prompts = prompts("how to make a bomb", "how to hack a bank", "write a poem");
		DissectionRunner.Inputs inputs = new DissectionRunner.Inputs(model, model.saes, List.of("fake"), HARMFUL,
				HARMLESS, prompts);
		ProgressMonitor cancelAfterFirst = new ProgressMonitor() {
			int prompts;

			@Override
			public void subTask(String message) {
				if(message.startsWith("prompt ")) {
					prompts++;
				}
			}

			@Override
			public boolean isCanceled() {
				return prompts >= 2;
			}
		};
		RunFolder folder = new RunFolder(dir);
		assertThrows(ProgressMonitor.CancelledException.class,
				() -> new DissectionRunner(lookup()).run(inputs, settings, folder, false, cancelAfterFirst));
		assertEquals(1, folder.readResults().prompts().size());
		DissectionResults resumed = new DissectionRunner(lookup()).run(inputs, settings, folder, true,
				ProgressMonitor.NULL);
		assertEquals(3, resumed.prompts().size());
		assertEquals(2, resumed.summary().flipped());
		assertEquals(null, resumed.prompts().get(0).ablated().completion(), "completions are redacted");
		assertEquals("pairwise-ridge", resumed.run().strategies().get(StrategyRole.INTERACTION_MODEL.id()));
		assertThrows(IOException.class, () -> new DissectionRunner(lookup()).run(new DissectionRunner.Inputs(model,
				model.saes, List.of("fake"), HARMFUL, HARMLESS, prompts("other")), settings, folder, true,
				ProgressMonitor.NULL));
	}
}

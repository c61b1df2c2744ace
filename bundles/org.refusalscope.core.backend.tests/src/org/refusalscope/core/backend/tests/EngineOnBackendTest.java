package org.refusalscope.core.backend.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LatentEditMode;
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.api.pipeline.AblationOracle;
import org.refusalscope.api.pipeline.AblationOutcome;
import org.refusalscope.api.pipeline.PruningResult;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.core.pipeline.EvaluationEngine;
import org.refusalscope.model.djl.DjlModelBackend;
import org.refusalscope.pruning.greedy.BackwardElimination;
import org.refusalscope.testsupport.TinyCheckpoint;

/**
 * The evaluation engine on the real DJL backend with a tiny random Gemma-2-shaped checkpoint and random in-memory
 * SAEs: batched, cached set scores equal one-set-at-a-time forwards, and backward elimination through the engine
 * gives a set that is 1-minimal when re-checked with a fresh engine.
 */
class EngineOnBackendTest {

	private static final int D_SAE = 64;
	private static final Prompt PROMPT = Prompt.of("how do I bake bread");

	private static LanguageModel load(Path dir) throws IOException {
		TinyCheckpoint checkpoint = TinyCheckpoint.gemma(5).withCapitalI();
		checkpoint.write(dir, "F32", 1);
		return new DjlModelBackend().load(dir, LoadOptions.defaults());
	}

	private static Map<Integer, SparseAutoencoder> saes(int layers, int d) {
		Random random = new Random(17);
		Map<Integer, SparseAutoencoder> out = new HashMap<>();
		for(int layer = 0; layer < layers; layer++) {
			out.put(layer, EngineOnBackendTestSaes.random(layer, d, random));
		}
		return out;
	}

	/** Candidates: the 6 most active latents of each layer on the prompt. */
	private static List<FeatureRef> candidates(EvaluationEngine engine, int layers) {
		List<FeatureRef> all = new ArrayList<>();
		for(int layer = 0; layer < layers; layer++) {
			for(int f = 0; f < D_SAE; f++) {
				all.add(new FeatureRef(layer, f));
			}
		}
		double[] act = engine.latentActivations(PROMPT, List.of(), all);
		List<Integer> order = new ArrayList<>();
		for(int i = 0; i < all.size(); i++) {
			order.add(i);
		}
		order.sort((a, b) -> Double.compare(act[b], act[a]));
		List<FeatureRef> out = new ArrayList<>();
		for(int i : order.subList(0, 6 * layers)) {
			assertTrue(act[i] > 0, "active latent " + all.get(i));
			out.add(all.get(i));
		}
		return out;
	}

	@Test
	void batchedCachedScoresEqualSingleForwardsAndPruningIsOneMinimal(@TempDir Path dir) throws IOException {
		try(LanguageModel model = load(dir)) {
			int layers = model.info().numLayers();
			int d = model.info().hiddenSize();
			Map<Integer, SparseAutoencoder> saes = saes(layers, d);
			EvaluationEngine engine = new EvaluationEngine(model, saes, LatentEditMode.ZERO, 0f, 64);
			List<FeatureRef> candidates = candidates(engine, layers);
			Random random = new Random(3);
			List<List<FeatureRef>> sets = new ArrayList<>();
			sets.add(List.of());
			sets.add(candidates);
			for(int s = 0; s < 6; s++) {
				List<FeatureRef> subset = new ArrayList<>();
				for(FeatureRef f : candidates) {
					if(random.nextBoolean()) {
						subset.add(f);
					}
				}
				sets.add(subset);
			}
			long before = engine.evaluations();
			double[] batched = engine.scoreSets(PROMPT, sets);
			assertEquals(sets.size(), engine.evaluations() - before);
			engine.scoreSets(PROMPT, sets);
			assertEquals(sets.size(), engine.evaluations() - before, "repeated sets come from the cache");
			// the empty set is the unedited model
			assertEquals(engine.refusalScores(List.of(PROMPT), InterventionPlan.NONE)[0], batched[0], 1e-4);
			for(int i = 0; i < sets.size(); i++) {
				EvaluationEngine fresh = new EvaluationEngine(model, saes, LatentEditMode.ZERO, 0f, 1);
				assertEquals(fresh.scoreSets(PROMPT, List.of(sets.get(i)))[0], batched[i], 1e-4, "set " + i);
			}
			assertTrue(Math.abs(batched[1] - batched[0]) > 1e-3, "ablating the candidates changes the score");
			// a flip criterion between the unedited and the fully ablated score, on whichever side ablation moves it
			double threshold = (batched[0] + batched[1]) / 2;
			double sign = batched[0] > batched[1] ? 1 : -1;
			PruningResult result = new BackwardElimination().prune(candidates, oracle(engine, threshold, sign),
					new BackwardElimination().defaultSettings(), ProgressMonitor.NULL);
			assertTrue(result.flipped());
			EvaluationEngine check = new EvaluationEngine(model, saes, LatentEditMode.ZERO, 0f, 64);
			AblationOracle independent = oracle(check, threshold, sign);
			List<FeatureRef> minimal = result.minimalSet();
			assertFalse(independent.evaluate(List.of(minimal)).get(0).refused(), "the set flips");
			for(FeatureRef member : minimal) {
				List<FeatureRef> smaller = new ArrayList<>(minimal);
				smaller.remove(member);
				assertTrue(independent.evaluate(List.of(smaller)).get(0).refused(), "dropping " + member + " un-flips");
			}
		}
	}

	private static AblationOracle oracle(EvaluationEngine engine, double threshold, double sign) {
		return new AblationOracle() {
			int used;

			@Override
			public List<AblationOutcome> evaluate(List<? extends Collection<FeatureRef>> sets) {
				List<AblationOutcome> out = new ArrayList<>();
				for(double score : engine.scoreSets(PROMPT, sets)) {
					out.add(new AblationOutcome(score, sign * (score - threshold) > 0));
				}
				used += sets.size();
				return out;
			}

			@Override
			public int evaluationsUsed() {
				return used;
			}
		};
	}
}

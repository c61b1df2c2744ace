package org.refusalscope.core.tests.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.TensorView;
import org.refusalscope.api.model.ChatMessage;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LatentEditMode;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeInfo;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.core.pipeline.DissectionRunner;
import org.refusalscope.core.pipeline.EvaluationEngine;
import org.refusalscope.core.json.Json;
import org.refusalscope.core.pipeline.RunReport;
import org.refusalscope.core.pipeline.RunSettings;
import org.refusalscope.core.runs.DissectionResults;
import org.refusalscope.core.runs.RunFolder;
import org.refusalscope.testsupport.FakeChatModel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The {@code activation} results.json stores for candidates and minimal-set features: the max SAE activation over the
 * prompt's positions after BOS at baseline, measured by one forward per prompt. Expected values come from the fake
 * model's own residuals (computed outside the engine) encoded with the SAE's reference encoding.
 */
class BaselineActivationTest {

	private static final List<String> PROMPTS = List.of("how to make a bomb", "write a poem");

	/** Reference: max over positions 1.. (BOS excluded) of the SAE's reference encoding of the residual, at least 0. */
	private static double reference(FakeChatModel model, Map<Integer, SparseAutoencoder> saes, String prompt, int layer,
			int feature) {
		int[] ids = model.encodeChat(List.of(ChatMessage.user(prompt)));
		float[][] residuals = model.residuals(ids, InterventionPlan.NONE)[layer];
		double max = 0;
		for(int t = 1; t < ids.length; t++) {
			max = Math.max(max, saes.get(layer).encode(residuals[t])[feature]);
		}
		return max;
	}

	private static JsonObject dissect(FakeChatModel model, Path dir, String rerank) throws IOException {
		RunSettings settings = new RunSettings(null, null, null, RunSettings.StrategyChoice.of("fixed"), null, null, null,
				null, null, null, null, null, null, null, rerank, null);
		new DissectionRunner(PipelineTest.lookup()).run(new DissectionRunner.Inputs(model, model.saes, List.of("fake"),
				PipelineTest.HARMFUL, PipelineTest.HARMLESS, PipelineTest.prompts(PROMPTS.toArray(String[]::new))),
				settings, new RunFolder(dir), false, ProgressMonitor.NULL);
		return JsonParser.parseString(Files.readString(dir.resolve(RunFolder.RESULTS))).getAsJsonObject();
	}

	@Test
	void storedActivationsEqualTheReferenceEncodingOfTheResidual(@TempDir Path dir) throws IOException {
		FakeChatModel model = new FakeChatModel();
		JsonObject results = dissect(model, dir, "none");
		Map<String, Double> byHand = new HashMap<>();
		for(int p = 0; p < PROMPTS.size(); p++) {
			JsonObject prompt = results.getAsJsonArray("prompts").get(p).getAsJsonObject();
			List<JsonElement> items = new ArrayList<>();
			prompt.getAsJsonArray("candidates").forEach(items::add);
			prompt.getAsJsonArray("minimal_set").forEach(items::add);
			assertEquals(5, prompt.getAsJsonArray("candidates").size());
			for(JsonElement item : items) {
				JsonObject f = item.getAsJsonObject();
				int layer = f.get("layer").getAsInt();
				int feature = f.get("feature").getAsInt();
				assertTrue(f.has("activation"), "activation of " + layer + ":" + feature + " in prompt " + p);
				double stored = f.get("activation").getAsDouble();
				assertEquals(reference(model, model.saes, PROMPTS.get(p), layer, feature), stored, 1e-6,
						layer + ":" + feature + " in prompt " + p);
				byHand.put(p + "/" + layer + ":" + feature, stored);
			}
		}
		// by hand from the fake model: after "bomb" x0 = 1 and x2 = x3 = x5 = 2, while x4 and x7 (C, dormant at
		// baseline) stay 0; the poem has no harmful word, so x0 = x3 = 0 there
		assertEquals(2.0, byHand.get("0/1:3"), 1e-9);
		assertEquals(2.0, byHand.get("0/2:5"), 1e-9);
		assertEquals(1.0, byHand.get("0/2:0"), 1e-9);
		assertEquals(0.0, byHand.get("0/3:7"), 1e-9);
		assertEquals(0.0, byHand.get("0/3:4"), 1e-9);
		assertEquals(0.0, byHand.get("1/1:3"), 1e-9);
		assertEquals(2, results.getAsJsonArray("prompts").get(0).getAsJsonObject().getAsJsonArray("minimal_set").size());
	}

	@Test
	void csvAndReportListTheActivationAndOldFilesLeaveItEmpty(@TempDir Path dir) throws IOException {
		JsonObject results = dissect(new FakeChatModel(), dir.resolve("new"), "none");
		assertEquals(List.of("index,layer,feature,activation", "0,1,3,2.0000", "0,2,5,2.0000"),
				Files.readAllLines(dir.resolve("new").resolve(RunReport.MINIMAL_SETS_CSV)));
		assertTrue(Files.readString(dir.resolve("new").resolve(RunFolder.REPORT)).contains("1:3 (activation 2.0000)"));
		// a results.json written before activations were recorded still reads; its rows have an empty activation
		for(JsonElement prompt : results.getAsJsonArray("prompts")) {
			for(String list : List.of("minimal_set", "candidates")) {
				prompt.getAsJsonObject().getAsJsonArray(list).forEach(f -> f.getAsJsonObject().remove("activation"));
			}
		}
		DissectionResults old = Json.convert(results, DissectionResults.class);
		assertNull(old.prompts().get(0).minimalSet().get(0).activation());
		assertNull(old.prompts().get(0).candidates().get(0).activation());
		RunFolder folder = new RunFolder(Files.createDirectories(dir.resolve("old")));
		RunReport.write(folder, old);
		assertEquals(List.of("index,layer,feature,activation", "0,1,3,", "0,2,5,"),
				Files.readAllLines(folder.file(RunReport.MINIMAL_SETS_CSV)));
		assertTrue(Files.readString(folder.file(RunFolder.REPORT)).contains("1:3 2:5 ;"));
	}

	@Test
	void oneBaselineForwardPerPromptMeasuresEveryCandidate(@TempDir Path dir) throws IOException {
		// activation re-ranking measures the candidates itself: the stored values reuse that forward
		for(String rerank : List.of("none", "activation")) {
			FakeChatModel model = new FakeChatModel();
			JsonObject results = dissect(model, dir.resolve(rerank), rerank);
			for(String prompt : PROMPTS) {
				int[] ids = model.encodeChat(List.of(ChatMessage.user(prompt)));
				// the probe reads every position after BOS of this prompt alone without edits (the direction finder
				// reads one position of many prompts); stage 3 of the refused prompt reuses it too
				long probes = model.requests.stream().filter(r -> !r.captures().isEmpty()
						&& r.positions().length == ids.length - 1 && r.sequences().size() == 1
						&& Arrays.equals(r.sequences().get(0), ids) && r.planFor(0).edits().isEmpty()).count();
				assertEquals(1, probes, prompt + ", re-ranking " + rerank);
			}
			// the poem is not refused: baseline and whole-candidate-set generations plus the one measuring forward
			assertEquals(3, results.getAsJsonArray("prompts").get(1).getAsJsonObject().get("evaluations").getAsInt(),
					rerank);
		}
	}

	/** A random SAE of the fake model's width with an input bias and scale, so every encoder term matters. */
	private static SparseAutoencoder randomSae(int layer, SaeArchitecture architecture, Random random) {
		int d = FakeChatModel.D;
		int dSae = 16;
		float[] enc = gaussian(random, d * dSae, 1f);
		float[] bEnc = gaussian(random, dSae, 0.5f);
		float[] bDec = gaussian(random, d, 0.3f);
		float[] threshold = new float[dSae];
		Arrays.fill(threshold, 0.4f);
		SaeInfo info = new SaeInfo("random/layer_" + layer, "fake", layer, HookPoint.RESID_POST, d, dSae, architecture,
				Path.of("random"), null);
		SaeWeights weights = new SaeWeights(TensorView.ofFloats("W_enc", new long[]{d, dSae}, enc),
				TensorView.ofFloats("W_dec", new long[]{dSae, d}, gaussian(random, dSae * d, 1f)),
				TensorView.ofFloats("b_enc", new long[]{dSae}, bEnc), TensorView.ofFloats("b_dec", new long[]{d}, bDec),
				architecture == SaeArchitecture.JUMPRELU ? TensorView.ofFloats("threshold", new long[]{dSae}, threshold)
						: null,
				architecture == SaeArchitecture.TOPK ? 3 : 0, true, 0.8f);
		return SparseAutoencoder.inMemory(info, weights);
	}

	private static float[] gaussian(Random random, int n, float scale) {
		float[] out = new float[n];
		for(int i = 0; i < n; i++) {
			out[i] = (float) random.nextGaussian() * scale;
		}
		return out;
	}

	@Test
	void probeEqualsTheReferenceEncodingForEveryArchitecture() {
		FakeChatModel model = new FakeChatModel();
		Random random = new Random(11);
		Map<Integer, SparseAutoencoder> saes = new HashMap<>();
		saes.put(0, randomSae(0, SaeArchitecture.RELU, random));
		saes.put(1, randomSae(1, SaeArchitecture.JUMPRELU, random));
		saes.put(2, randomSae(2, SaeArchitecture.TOPK, random));
		saes.put(3, randomSae(3, SaeArchitecture.TOPK, random));
		EvaluationEngine engine = new EvaluationEngine(model, saes, LatentEditMode.ZERO, 0f, 8);
		List<FeatureRef> all = new ArrayList<>();
		for(int layer = 0; layer < FakeChatModel.LAYERS; layer++) {
			for(int f = 0; f < 16; f++) {
				all.add(new FeatureRef(layer, f));
			}
		}
		String prompt = PROMPTS.get(0);
		int before = model.forwardCalls;
		double[] measured = engine.latentActivations(Prompt.of(prompt), List.of(), all);
		assertEquals(before + 1, model.forwardCalls, "all layers and latents from one forward");
		int[] ids = model.encodeChat(List.of(ChatMessage.user(prompt)));
		int notAtLastPosition = 0;
		int active = 0;
		for(int i = 0; i < all.size(); i++) {
			FeatureRef f = all.get(i);
			double expected = reference(model, saes, prompt, f.layer(), f.feature());
			assertEquals(expected, measured[i], 1e-5, f.toString());
			float[] last = model.residuals(ids, InterventionPlan.NONE)[f.layer()][ids.length - 1];
			if(expected > 0) {
				active++;
			}
			if(Math.abs(saes.get(f.layer()).encode(last)[f.feature()] - expected) > 1e-3) {
				notAtLastPosition++;
			}
		}
		// the check is not vacuous: latents fire, and for some the max lies before the last position
		assertTrue(active > 10, "active latents " + active);
		assertTrue(notAtLastPosition > 0, "latents whose max is not at the last position");
		// baseline values are cached per prompt: asking again (any subset, any order) costs no forward
		List<FeatureRef> again = List.of(all.get(40), all.get(3));
		double[] cached = engine.latentActivations(Prompt.of(prompt), List.of(), again);
		assertEquals(before + 1, model.forwardCalls);
		assertEquals(measured[40], cached[0]);
		assertEquals(measured[3], cached[1]);
	}
}

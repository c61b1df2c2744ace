package org.refusalscope.model.djl.training.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.model.djl.Djl;
import org.refusalscope.model.djl.training.AdamW;
import org.refusalscope.model.djl.training.Batch;
import org.refusalscope.model.djl.training.ChatModelTrainer;
import org.refusalscope.model.djl.training.Checkpoints;
import org.refusalscope.model.djl.training.LlamaConfig;
import org.refusalscope.model.djl.training.LlamaForward;
import org.refusalscope.model.djl.training.LlamaWeights;
import org.refusalscope.model.djl.training.TokenizedExample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** The trainer on a planted task: learning, exact checkpoint round trips, and resume equal to an uninterrupted run. */
class TrainerTest {

	/** Prompt lengths 3 and 2: positions 2, 3 and 1, 2, 3 predict answer tokens (flattened rows 2, 3, 5, 6, 7). */
	private static final List<TokenizedExample> TWO_EXAMPLES = List.of(new TokenizedExample(new int[]{1, 7, 3, 9, 4}, 3, false),
			new TokenizedExample(new int[]{1, 3, 8, 6, 4}, 2, false));

	@Test
	void lossFallsOnPlantedMapping() {
		Djl.withBundleClassLoader(() -> {
			try(NDManager manager = TinyModels.manager()) {
				LlamaWeights weights = LlamaWeights.initialise(TinyModels.config(TinyModels.VOCAB), manager, 5);
				weights.requireGradients();
				AdamW optimizer = new AdamW(AdamW.Settings.defaults(), weights);
				List<TokenizedExample> data = TinyModels.mappingTask(16, 9);
				double first = ChatModelTrainer.trainStepForBench(weights, optimizer, data, 1e-2, manager);
				double last = first;
				for(int step = 1; step < 120; step++) {
					last = ChatModelTrainer.trainStepForBench(weights, optimizer, TinyModels.mappingTask(16, step + 9), 1e-2, manager);
				}
				// uniform guessing over 24 tokens costs ln 24 = 3.18 nats; the mapping is deterministic, so it can reach 0
				assertTrue(first > 2.5, "initial loss " + first);
				assertTrue(last < 0.3, "loss after 120 steps " + last);
			}
			return null;
		});
	}

	@Test
	void savedFolderReloadsToTheSameLogits(@TempDir Path folder) {
		Djl.withBundleClassLoader(() -> {
			try(NDManager manager = TinyModels.manager()) {
				LlamaConfig config = TinyModels.config(TinyModels.VOCAB);
				LlamaWeights weights = LlamaWeights.initialise(config, manager, 11);
				Checkpoints.writeHuggingFaceFolder(folder, weights, "F32", Map.of());
				LlamaWeights reloaded = LlamaWeights.load(LlamaConfig.fromConfigJson(com.google.gson.JsonParser.parseString(
						java.nio.file.Files.readString(folder.resolve("config.json"))).getAsJsonObject()), folder.resolve("model.safetensors"), manager);
				assertEquals(config, reloaded.config());
				float[] before = logits(weights, manager);
				float[] after = logits(reloaded, manager);
				assertEquals(before.length, after.length);
				for(int i = 0; i < before.length; i++) {
					assertEquals(before[i], after[i], 0f, "logit " + i);
				}
			}
			return null;
		});
	}

	@Test
	void resumeContinuesExactlyLikeAnUninterruptedRun(@TempDir Path dir) {
		Djl.withBundleClassLoader(() -> {
			try(NDManager manager = TinyModels.manager()) {
				LlamaConfig config = TinyModels.config(TinyModels.VOCAB);
				List<List<TokenizedExample>> batches = new ArrayList<>();
				for(int step = 0; step < 8; step++) {
					batches.add(TinyModels.mappingTask(8, 100 + step));
				}
				LlamaWeights straight = LlamaWeights.initialise(config, manager, 3);
				straight.requireGradients();
				AdamW straightOptimizer = new AdamW(AdamW.Settings.defaults(), straight);
				List<Double> straightLosses = new ArrayList<>();
				for(List<TokenizedExample> batch : batches) {
					straightLosses.add(ChatModelTrainer.trainStepForBench(straight, straightOptimizer, batch, 3e-3, manager));
				}
				LlamaWeights first = LlamaWeights.initialise(config, manager, 3);
				first.requireGradients();
				AdamW firstOptimizer = new AdamW(AdamW.Settings.defaults(), first);
				for(List<TokenizedExample> batch : batches.subList(0, 4)) {
					ChatModelTrainer.trainStepForBench(first, firstOptimizer, batch, 3e-3, manager);
				}
				Path checkpoint = dir.resolve("checkpoint.safetensors");
				Checkpoints.save(checkpoint, first, firstOptimizer, new Checkpoints.State(4, 0.5, 4, 0));
				// a fresh process: different initial weights, empty moments; everything must come from the file
				LlamaWeights resumed = LlamaWeights.initialise(config, manager, 99);
				resumed.requireGradients();
				AdamW resumedOptimizer = new AdamW(AdamW.Settings.defaults(), resumed);
				Checkpoints.State state = Checkpoints.restore(checkpoint, resumed, resumedOptimizer);
				assertEquals(4, state.step());
				assertEquals(4, resumedOptimizer.step());
				// not bit-exact: on a loaded machine the engine's BLAS may split a reduction over fewer threads (a
				// 2e-6 relative loss difference was seen once, 1e-6 absolute was the old tolerance)
				for(int step = 4; step < 8; step++) {
					double loss = ChatModelTrainer.trainStepForBench(resumed, resumedOptimizer, batches.get(step), 3e-3, manager);
					assertEquals(straightLosses.get(step), loss, 1e-5 * Math.abs(straightLosses.get(step)), "loss at step " + step);
				}
				for(String name : straight.tensors().keySet()) {
					float[] expected = straight.get(name).toFloatArray();
					float[] actual = resumed.get(name).toFloatArray();
					for(int i = 0; i < expected.length; i++) {
						assertEquals(expected[i], actual[i], 1e-5f, name + "[" + i + "]");
					}
				}
			}
			return null;
		});
	}

	@Test
	void lossCountsOnlyAnswerTokens() {
		Djl.withBundleClassLoader(() -> {
			try(NDManager manager = TinyModels.manager()) {
				LlamaWeights weights = LlamaWeights.initialise(TinyModels.config(TinyModels.VOCAB), manager, 2);
				try(NDManager step = manager.newSubManager()) {
					Batch batch = Batch.of(TWO_EXAMPLES, 0, step);
					assertEquals(List.of(2L, 3L, 5L, 6L, 7L), java.util.Arrays.stream(batch.lossRows().toLongArray()).boxed().toList());
					assertEquals(List.of(9L, 4L, 8L, 6L, 4L), java.util.Arrays.stream(batch.lossTargets().toLongArray()).boxed().toList());
					// the selected-rows loss equals the masked full-logits loss
					double selected = LlamaForward.selectedLoss(weights, batch.ids(), batch.positions(), batch.keyMask(), batch.lossRows(),
							batch.lossTargets(), batch.lossWeights()).getFloat();
					NDArray logits = LlamaForward.logits(weights, batch.ids(), batch.positions(), batch.keyMask(), null, null);
					double masked = LlamaForward.loss(logits, batch.targets(), batch.lossMask()).getFloat();
					assertEquals(masked, selected, 1e-5);
				}
			}
			return null;
		});
	}

	@Test
	void decisionWeightScalesEachAnswersFirstToken() {
		Djl.withBundleClassLoader(() -> {
			try(NDManager manager = TinyModels.manager()) {
				LlamaWeights weights = LlamaWeights.initialise(TinyModels.config(TinyModels.VOCAB), manager, 2);
				try(NDManager step = manager.newSubManager()) {
					Batch batch = Batch.of(TWO_EXAMPLES, 0, 3f, step);
					// rows 2 and 5 predict the first answer token of each example (9 and 8)
					assertEquals(List.of(3f, 1f, 3f, 1f, 1f), toList(batch.lossWeights().toFloatArray()));
					// expected: the weighted mean of -log p(target), from the full logits, summed here in double
					NDArray logits = LlamaForward.logits(weights, batch.ids(), batch.positions(), batch.keyMask(), null, null);
					float[] logProbs = logits.logSoftmax(-1).toFloatArray();
					long[] rows = batch.lossRows().toLongArray();
					long[] targets = batch.lossTargets().toLongArray();
					double[] rowWeights = {3, 1, 3, 1, 1};
					double weighted = 0;
					for(int i = 0; i < rows.length; i++) {
						weighted -= rowWeights[i] * logProbs[(int)(rows[i] * TinyModels.VOCAB + targets[i])];
					}
					double expected = weighted / 9;
					double selected = LlamaForward.selectedLoss(weights, batch.ids(), batch.positions(), batch.keyMask(), batch.lossRows(),
							batch.lossTargets(), batch.lossWeights()).getFloat();
					assertEquals(expected, selected, 1e-5);
					assertEquals(expected, LlamaForward.loss(logits, batch.targets(), batch.lossMask()).getFloat(), 1e-5);
				}
			}
			return null;
		});
	}

	private static List<Float> toList(float[] values) {
		List<Float> list = new ArrayList<>();
		for(float value : values) {
			list.add(value);
		}
		return list;
	}

	private static float[] logits(LlamaWeights weights, NDManager manager) {
		try(NDManager step = manager.newSubManager()) {
			Batch batch = Batch.of(TinyModels.mappingTask(3, 1), 0, step);
			return LlamaForward.logits(weights, batch.ids(), batch.positions(), batch.keyMask(), null, null).toFloatArray();
		}
	}
}

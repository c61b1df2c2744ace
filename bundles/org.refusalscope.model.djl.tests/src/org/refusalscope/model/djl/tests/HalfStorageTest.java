package org.refusalscope.model.djl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.model.ActivationCapture;
import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.GenerationRequest;
import org.refusalscope.api.model.GenerationResult;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.api.model.PositionScope;
import org.refusalscope.model.djl.DjlModelBackend;
import org.refusalscope.testsupport.TinyCheckpoint;

/**
 * {@code float16-storage}: weights resident in float16 (converted from bf16), every block upcast to float32 just
 * before it runs. The function computed is then exactly the float32 forward of the fp16-rounded weights, so the
 * reference on those weights is matched to the float32 tolerance of {@link ForwardTest} (1e-4 relative): no
 * half-precision arithmetic happens anywhere.
 */
class HalfStorageTest {

	static LanguageModel loadHalfStorage(Path folder) throws Exception {
		return new DjlModelBackend().load(folder, new LoadOptions("float16-storage", 1));
	}

	@Test
	void matchesReferenceOnFloat16RoundedWeights(@TempDir Path dir) throws Exception {
		for(TinyCheckpoint checkpoint : List.of(TinyCheckpoint.llama(61), TinyCheckpoint.gemma(62))) {
			Path folder = checkpoint.write(dir.resolve(checkpoint.gemma ? "g" : "l"), "BF16", 2);
			checkpoint.roundMatricesToFloat16();
			try(LanguageModel model = loadHalfStorage(folder)) {
				assertEquals("float16-storage", model.info().computeDtype());
				assertEquals("BF16", model.info().weightsDtype());
				// every hook of every layer and the logits at every position
				ForwardTest.assertMatchesReference(checkpoint, model, ForwardTest.PROMPT);
			}
		}
	}

	@Test
	void batchedEqualsSingle(@TempDir Path dir) throws Exception {
		TinyCheckpoint checkpoint = TinyCheckpoint.gemma(63);
		try(LanguageModel model = loadHalfStorage(checkpoint.write(dir.resolve("g"), "BF16", 1))) {
			List<ActivationCapture> captures = List.of(ActivationCapture.residPost(0), ActivationCapture.residPost(2));
			int[] positions = {-1, 0};
			List<int[]> batch = List.of(BatchAndGenerationTest.SHORT, ForwardTest.PROMPT, BatchAndGenerationTest.MEDIUM);
			ForwardResult together = model.forward(new ForwardRequest(batch, List.of(InterventionPlan.NONE), positions,
					true, captures));
			for(int row = 0; row < batch.size(); row++) {
				ForwardResult alone = model.forward(new ForwardRequest(List.of(batch.get(row)), List.of(
						InterventionPlan.NONE), positions, true, captures));
				for(int p = 0; p < positions.length; p++) {
					BatchAndGenerationTest.assertClose(alone.logits()[0][p], together.logits()[row][p], "logits row " + row);
					for(ActivationCapture capture : captures) {
						BatchAndGenerationTest.assertClose(alone.activations(capture)[0][p], together.activations(capture)[row][p],
								capture + " row " + row);
					}
				}
			}
		}
	}

	@Test
	void kvCacheGenerationMatchesFullRecomputation(@TempDir Path dir) throws Exception {
		for(TinyCheckpoint checkpoint : List.of(TinyCheckpoint.llama(64), TinyCheckpoint.gemma(65))) {
			Path folder = checkpoint.write(dir.resolve(checkpoint.gemma ? "g" : "l"), "BF16", 1);
			checkpoint.roundMatricesToFloat16();
			try(LanguageModel model = loadHalfStorage(folder)) {
				float[] vector = new float[checkpoint.hidden];
				for(int i = 0; i < vector.length; i++) {
					vector[i] = (float) Math.sin(i + 2.0);
				}
				List<Edit> steer = List.of(new Edit.AddVector(1, HookPoint.RESID_PRE, vector, 3f, PositionScope.GENERATED));
				List<int[]> prompts = List.of(ForwardTest.PROMPT, BatchAndGenerationTest.SHORT, BatchAndGenerationTest.MEDIUM);
				for(List<Edit> edits : List.of(List.<Edit> of(), steer)) {
					List<GenerationResult> results = model.generate(GenerationRequest.greedy(prompts, new InterventionPlan(
							edits), 8));
					for(int row = 0; row < prompts.size(); row++) {
						List<Integer> expected = BatchAndGenerationTest.referenceGreedy(checkpoint, prompts.get(row), edits, 8,
								model.info().eosTokenIds());
						assertEquals(expected, Arrays.stream(results.get(row).tokens()).boxed().toList(), "row " + row);
						// and the engine's own full recomputation agrees with its cached steps
						int[] sequence = prompts.get(row).clone();
						for(int token : results.get(row).tokens()) {
							float[] logits = model.forward(ForwardRequest.lastLogits(List.of(sequence))).lastLogits(0);
							if(edits.isEmpty()) {
								assertEquals(token, argmax(logits), "full recomputation row " + row);
							}
							sequence = Arrays.copyOf(sequence, sequence.length + 1);
							sequence[sequence.length - 1] = token;
						}
					}
				}
			}
		}
	}

	private static int argmax(float[] values) {
		int best = 0;
		for(int i = 1; i < values.length; i++) {
			if(values[i] > values[best]) {
				best = i;
			}
		}
		return best;
	}

	@Test
	void computeDtypeOptions(@TempDir Path dir) throws Exception {
		TinyCheckpoint checkpoint = TinyCheckpoint.llama(66);
		Path folder = checkpoint.write(dir.resolve("l"), "BF16", 1);
		for(String[] option : new String[][]{{"auto", "float32"}, {"float32", "float32"}, {"bfloat16", "float16-storage"},
				{"float16", "float16"}, {"FP16-storage", "float16-storage"}}) {
			try(LanguageModel model = new DjlModelBackend().load(folder, new LoadOptions(option[0], 1))) {
				assertEquals(option[1], model.info().computeDtype(), option[0]);
			}
		}
		assertThrows(java.io.IOException.class, () -> new DjlModelBackend().load(folder, new LoadOptions("int8", 1)));
	}
}

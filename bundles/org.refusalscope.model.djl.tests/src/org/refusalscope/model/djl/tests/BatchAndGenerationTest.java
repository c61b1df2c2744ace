package org.refusalscope.model.djl.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
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
import org.refusalscope.api.model.PositionScope;
import org.refusalscope.testsupport.TinyCheckpoint;

/** Left padding, KV-cache generation and sampling against single-sequence passes and the reference. */
class BatchAndGenerationTest {

	static final int[] SHORT = {1, 9, 30};
	static final int[] MEDIUM = {1, 14, 14, 20, 33, 8, 7};

	@Test
	void leftPaddingDoesNotChangeResults(@TempDir Path dir) throws Exception {
		for(TinyCheckpoint checkpoint : List.of(TinyCheckpoint.llama(31), TinyCheckpoint.gemma(32))) {
			try(LanguageModel model = ForwardTest.load(checkpoint.write(dir.resolve(checkpoint.gemma ? "g" : "l"), "F32",
					1))) {
				List<ActivationCapture> captures = List.of(ActivationCapture.residPost(0), ActivationCapture.residPost(2),
						new ActivationCapture(1, HookPoint.ATTN_OUT));
				int[] positions = {-1, -2, 0};
				List<int[]> batch = List.of(SHORT, ForwardTest.PROMPT, MEDIUM);
				ForwardResult together = model.forward(new ForwardRequest(batch, List.of(InterventionPlan.NONE), positions,
						true, captures));
				for(int row = 0; row < batch.size(); row++) {
					ForwardResult alone = model.forward(new ForwardRequest(List.of(batch.get(row)),
							List.of(InterventionPlan.NONE), positions, true, captures));
					for(int p = 0; p < positions.length; p++) {
						assertClose(alone.logits()[0][p], together.logits()[row][p], "logits row " + row + " position " + p);
						for(ActivationCapture capture : captures) {
							assertClose(alone.activations(capture)[0][p], together.activations(capture)[row][p],
									capture + " row " + row);
						}
					}
				}
			}
		}
	}

	static void assertClose(float[] expected, float[] actual, String what) {
		double[] wide = new double[expected.length];
		for(int i = 0; i < wide.length; i++) {
			wide[i] = expected[i];
		}
		ForwardTest.assertClose(wide, actual, 1e-5, what);
	}

	/** Greedy continuation computed by the reference from scratch at every step (no cache). */
	static List<Integer> referenceGreedy(TinyCheckpoint checkpoint, int[] prompt, List<Edit> edits, int steps, int[] eos) {
		Reference reference = new Reference(checkpoint);
		List<Integer> tokens = new ArrayList<>();
		int[] sequence = prompt.clone();
		for(int step = 0; step < steps; step++) {
			double[] logits = reference.forward(sequence, edits, prompt.length).logits[sequence.length - 1];
			int best = 0;
			for(int i = 1; i < logits.length; i++) {
				if(logits[i] > logits[best]) {
					best = i;
				}
			}
			final int chosen = best;
			if(Arrays.stream(eos).anyMatch(id -> id == chosen)) {
				break;
			}
			tokens.add(best);
			sequence = Arrays.copyOf(sequence, sequence.length + 1);
			sequence[sequence.length - 1] = best;
		}
		return tokens;
	}

	@Test
	void kvCacheGenerationMatchesFullRecomputation(@TempDir Path dir) throws Exception {
		for(TinyCheckpoint checkpoint : List.of(TinyCheckpoint.llama(41), TinyCheckpoint.gemma(42))) {
			try(LanguageModel model = ForwardTest.load(checkpoint.write(dir.resolve(checkpoint.gemma ? "g" : "l"), "F32",
					1))) {
				int[] eos = model.info().eosTokenIds();
				// an edit on generated tokens only: the prompt is untouched, every generated position is steered
				float[] vector = new float[checkpoint.hidden];
				for(int i = 0; i < vector.length; i++) {
					vector[i] = (float) Math.sin(i + 1.0);
				}
				List<Edit> steer = List.of(new Edit.AddVector(1, HookPoint.RESID_PRE, vector, 3f, PositionScope.GENERATED));
				List<Edit> promptOnly = List.of(new Edit.ProjectOut(Edit.ALL_LAYERS, HookPoint.RESID_PRE, vector,
						PositionScope.PROMPT));
				List<int[]> prompts = List.of(ForwardTest.PROMPT, SHORT, MEDIUM);
				for(List<Edit> edits : List.of(List.<Edit> of(), steer, promptOnly)) {
					List<GenerationResult> results = model.generate(GenerationRequest.greedy(prompts, new InterventionPlan(
							edits), 8));
					for(int row = 0; row < prompts.size(); row++) {
						List<Integer> expected = referenceGreedy(checkpoint, prompts.get(row), edits, 8, eos);
						GenerationResult result = results.get(row);
						assertEquals(expected, Arrays.stream(result.tokens()).boxed().toList(), "row " + row + " edits " + edits);
						assertEquals(expected.size() == 8 ? "max_tokens" : "eos", result.stoppedBy());
						double[] firstLogits = new Reference(checkpoint).forward(prompts.get(row), edits,
								prompts.get(row).length).logits[prompts.get(row).length - 1];
						ForwardTest.assertClose(firstLogits, result.firstStepLogits(), ForwardTest.TOLERANCE, "first step");
					}
				}
			}
		}
	}

	/** Identical prompts under different plans share the cached prefix below the first edit; results are unchanged. */
	@Test
	void generationWithSharedPrefixMatchesSeparateCalls(@TempDir Path dir) throws Exception {
		TinyCheckpoint checkpoint = TinyCheckpoint.gemma(43);
		try(LanguageModel model = ForwardTest.load(checkpoint.write(dir.resolve("g"), "F32", 1))) {
			float[] vector = new float[checkpoint.hidden];
			for(int i = 0; i < vector.length; i++) {
				vector[i] = (float) Math.cos(i * 0.3);
			}
			List<InterventionPlan> plans = List.of(InterventionPlan.NONE, new InterventionPlan(List.of(new Edit.AddVector(2,
					HookPoint.RESID_PRE, vector, 4f, PositionScope.ALL))), new InterventionPlan(List.of(new Edit.ProjectOut(1,
							HookPoint.MLP_OUT, vector, PositionScope.ALL))));
			List<int[]> prompts = List.of(MEDIUM, MEDIUM, MEDIUM);
			List<GenerationResult> together = model.generate(new GenerationRequest(prompts, plans, 6, 0, 0));
			for(int row = 0; row < prompts.size(); row++) {
				GenerationResult alone = model.generate(GenerationRequest.greedy(List.of(MEDIUM), plans.get(row), 6)).get(0);
				assertArrayEquals(alone.tokens(), together.get(row).tokens(), "row " + row);
				assertClose(alone.firstStepLogits(), together.get(row).firstStepLogits(), "first step row " + row);
				List<Integer> expected = referenceGreedy(checkpoint, MEDIUM, plans.get(row).edits(), 6, model.info()
						.eosTokenIds());
				assertEquals(expected, Arrays.stream(alone.tokens()).boxed().toList(), "reference row " + row);
			}
			// identical prompts without edits share every layer, the cache included
			List<GenerationResult> twins = model.generate(GenerationRequest.greedy(List.of(MEDIUM, SHORT, MEDIUM),
					InterventionPlan.NONE, 6));
			assertArrayEquals(together.get(0).tokens(), twins.get(0).tokens());
			assertArrayEquals(together.get(0).tokens(), twins.get(2).tokens());
			assertEquals(referenceGreedy(checkpoint, SHORT, List.of(), 6, model.info().eosTokenIds()), Arrays.stream(twins
					.get(1).tokens()).boxed().toList());
		}
	}

	@Test
	void samplingIsReproducibleAndStopsAtEos(@TempDir Path dir) throws Exception {
		TinyCheckpoint checkpoint = TinyCheckpoint.llama(51);
		try(LanguageModel model = ForwardTest.load(checkpoint.write(dir.resolve("l"), "F32", 1))) {
			GenerationRequest request = new GenerationRequest(List.of(ForwardTest.PROMPT, SHORT), List.of(
					InterventionPlan.NONE), 12, 1.5, 7L);
			List<GenerationResult> first = model.generate(request);
			List<GenerationResult> second = model.generate(request);
			for(int row = 0; row < 2; row++) {
				assertArrayEquals(first.get(row).tokens(), second.get(row).tokens());
				for(int token : first.get(row).tokens()) {
					assertTrue(token != 2 && token != 3, "stop tokens are not part of the completion");
				}
				assertTrue(first.get(row).stoppedBy().equals("eos") || first.get(row).tokens().length == 12);
			}
			// at a high temperature over 40 tokens, 8 seeds cannot all give the greedy continuation
			List<GenerationResult> greedy = model.generate(GenerationRequest.greedy(List.of(ForwardTest.PROMPT),
					InterventionPlan.NONE, 12));
			boolean differs = false;
			for(long seed = 0; seed < 8; seed++) {
				GenerationResult sampled = model.generate(new GenerationRequest(List.of(ForwardTest.PROMPT), List.of(
						InterventionPlan.NONE), 12, 5.0, seed)).get(0);
				differs |= !Arrays.equals(sampled.tokens(), greedy.get(0).tokens());
			}
			assertTrue(differs);
		}
	}
}

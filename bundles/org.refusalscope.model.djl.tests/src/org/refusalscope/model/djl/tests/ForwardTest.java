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
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.model.djl.DjlModelBackend;
import org.refusalscope.testsupport.TinyCheckpoint;

/**
 * The engine forward pass against {@link Reference} (double precision, plain loops). Tolerance: float32 compute is
 * compared per vector in max norm, relative to the vector's largest reference value: 1e-4.
 */
class ForwardTest {

	static final double TOLERANCE = 1e-4;

	/** 11 tokens: longer than Gemma's sliding window of 4 and past the llama3 high-frequency wavelength. */
	static final int[] PROMPT = {1, 7, 12, 9, 30, 22, 8, 15, 16, 11, 25};

	/**
	 * One engine thread: the shapes are tiny, and on a busy two-core machine OpenMP hand-offs between threads cost
	 * more than the arithmetic (a 3-layer forward takes seconds instead of milliseconds).
	 */
	static LanguageModel load(Path folder) throws Exception {
		return new DjlModelBackend().load(folder, new LoadOptions("auto", 1));
	}

	static List<ActivationCapture> allCaptures(int layers) {
		List<ActivationCapture> captures = new ArrayList<>();
		for(int l = 0; l < layers; l++) {
			for(HookPoint hook : HookPoint.values()) {
				captures.add(new ActivationCapture(l, hook));
			}
		}
		return captures;
	}

	static int[] allPositions(int length) {
		int[] positions = new int[length];
		for(int i = 0; i < length; i++) {
			positions[i] = i;
		}
		return positions;
	}

	static void assertClose(double[] expected, float[] actual, double tolerance, String what) {
		assertEquals(expected.length, actual.length, what + ": length");
		double scale = 1e-6;
		double worst = 0;
		for(int i = 0; i < expected.length; i++) {
			scale = Math.max(scale, Math.abs(expected[i]));
			worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
		}
		assertTrue(worst <= tolerance * scale, what + ": max error " + worst + " exceeds " + tolerance + " x " + scale);
	}

	/** Compares every hook of every layer and the logits at every position with the reference. */
	static void assertMatchesReference(TinyCheckpoint checkpoint, LanguageModel model, int[] prompt) {
		ForwardResult result = model.forward(new ForwardRequest(List.of(prompt), List.of(InterventionPlan.NONE),
				allPositions(prompt.length), true, allCaptures(checkpoint.layers)));
		Reference.Trace trace = new Reference(checkpoint).forward(prompt, Reference.none(), prompt.length);
		for(int t = 0; t < prompt.length; t++) {
			assertClose(trace.logits[t], result.logits()[0][t], TOLERANCE, "logits at " + t);
			for(ActivationCapture capture : allCaptures(checkpoint.layers)) {
				assertClose(trace.at(capture.layer(), capture.hook(), t), result.activations(capture)[0][t], TOLERANCE,
						capture + " at " + t);
			}
		}
	}

	@Test
	void llamaMatchesReference(@TempDir Path dir) throws Exception {
		TinyCheckpoint checkpoint = TinyCheckpoint.llama(11);
		int[] bands = new Reference(checkpoint).bands();
		// the test is only meaningful if the rope frequencies cover all three llama3 bands
		assertTrue(Arrays.stream(bands).anyMatch(b -> b == 0) && Arrays.stream(bands).anyMatch(b -> b == 1)
				&& Arrays.stream(bands).anyMatch(b -> b == 2), Arrays.toString(bands));
		try(LanguageModel model = load(checkpoint.write(dir.resolve("llama"), "F32", 1))) {
			assertEquals("llama", model.info().modelType());
			assertEquals("float32", model.info().computeDtype());
			assertArrayEquals(new int[]{2, 3}, model.info().eosTokenIds());
			assertMatchesReference(checkpoint, model, PROMPT);
		}
	}

	@Test
	void gemmaMatchesReference(@TempDir Path dir) throws Exception {
		TinyCheckpoint checkpoint = TinyCheckpoint.gemma(12);
		try(LanguageModel model = load(checkpoint.write(dir.resolve("gemma"), "F32", 1))) {
			assertEquals("gemma2", model.info().modelType());
			assertMatchesReference(checkpoint, model, PROMPT);
			// the final soft-cap bites: logits are bounded by the cap and some come close to it
			ForwardResult result = model.forward(ForwardRequest.lastLogits(List.of(PROMPT)));
			float max = 0;
			for(float logit : result.lastLogits(0)) {
				max = Math.max(max, Math.abs(logit));
			}
			assertTrue(max < checkpoint.finalSoftcap && max > 0.6 * checkpoint.finalSoftcap, "max |logit| " + max);
		}
	}

	/**
	 * Half precision (what {@code auto} picks above 3B parameters): bf16 weights converted to float16, norms and
	 * softmax in float32. Tolerance 2e-2 relative: float16 keeps 11 significant bits through 3 layers.
	 */
	@Test
	void float16ComputeStaysCloseToReference(@TempDir Path dir) throws Exception {
		for(TinyCheckpoint checkpoint : List.of(TinyCheckpoint.llama(23), TinyCheckpoint.gemma(24))) {
			Path folder = checkpoint.write(dir.resolve(checkpoint.gemma ? "g" : "l"), "BF16", 1);
			try(LanguageModel model = new DjlModelBackend().load(folder, new LoadOptions("float16", 1))) {
				assertEquals("float16", model.info().computeDtype());
				ForwardResult result = model.forward(new ForwardRequest(List.of(PROMPT), List.of(InterventionPlan.NONE),
						new int[]{-1, 3}, true, List.of(ActivationCapture.residPost(checkpoint.layers - 1))));
				Reference.Trace trace = new Reference(checkpoint).forward(PROMPT, Reference.none(), PROMPT.length);
				int[] at = {PROMPT.length - 1, 3};
				for(int p = 0; p < at.length; p++) {
					assertClose(trace.logits[at[p]], result.logits()[0][p], 2e-2, "float16 logits at " + at[p]);
					assertClose(trace.at(checkpoint.layers - 1, HookPoint.RESID_POST, at[p]), result.activations(
							ActivationCapture.residPost(checkpoint.layers - 1))[0][p], 2e-2, "float16 resid_post at " + at[p]);
				}
			}
		}
	}

	@Test
	void bf16ShardedCheckpointMatchesReference(@TempDir Path dir) throws Exception {
		for(TinyCheckpoint checkpoint : List.of(TinyCheckpoint.llama(21), TinyCheckpoint.gemma(22))) {
			Path folder = checkpoint.write(dir.resolve(checkpoint.gemma ? "g" : "l"), "BF16", 3);
			try(LanguageModel model = load(folder)) {
				assertEquals("BF16", model.info().weightsDtype());
				assertEquals("float32", model.info().computeDtype());
				assertMatchesReference(checkpoint, model, PROMPT);
			}
		}
	}
}

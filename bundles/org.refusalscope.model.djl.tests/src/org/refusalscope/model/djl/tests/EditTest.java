package org.refusalscope.model.djl.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.model.ActivationCapture;
import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LatentEditMode;
import org.refusalscope.api.model.PositionScope;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.testsupport.TinyCheckpoint;

/** Every edit type inside the engine forward against {@link Reference} applying the same edit with scalar code. */
class EditTest {

	static float[] wave(int size, double phase) {
		float[] out = new float[size];
		for(int i = 0; i < size; i++) {
			out[i] = (float) Math.cos(0.7 * i + phase);
		}
		return out;
	}

	static int[] range(int count) {
		int[] out = new int[count];
		for(int i = 0; i < count; i++) {
			out[i] = i;
		}
		return out;
	}

	/** Runs the plan on engine and reference; checks all hooks and logits, and that the edit changed the output. */
	static void assertEditMatches(TinyCheckpoint checkpoint, LanguageModel model, List<Edit> edits) {
		int[] prompt = ForwardTest.PROMPT;
		ForwardResult result = model.forward(new ForwardRequest(List.of(prompt), List.of(new InterventionPlan(edits)),
				ForwardTest.allPositions(prompt.length), true, ForwardTest.allCaptures(checkpoint.layers)));
		Reference reference = new Reference(checkpoint);
		Reference.Trace trace = reference.forward(prompt, edits, prompt.length);
		Reference.Trace clean = reference.forward(prompt, Reference.none(), prompt.length);
		double change = 0;
		for(int t = 0; t < prompt.length; t++) {
			ForwardTest.assertClose(trace.logits[t], result.logits()[0][t], ForwardTest.TOLERANCE, edits + " logits " + t);
			for(ActivationCapture capture : ForwardTest.allCaptures(checkpoint.layers)) {
				ForwardTest.assertClose(trace.at(capture.layer(), capture.hook(), t), result.activations(capture)[0][t],
						ForwardTest.TOLERANCE, capture + " at " + t + " with " + edits);
			}
			for(int v = 0; v < checkpoint.vocab; v++) {
				change = Math.max(change, Math.abs(trace.logits[t][v] - clean.logits[t][v]));
			}
		}
		assertTrue(change > 1e-2, "the edit must change the logits, max change " + change);
	}

	@Test
	void vectorEditsMatchReference(@TempDir Path dir) throws Exception {
		for(TinyCheckpoint checkpoint : List.of(TinyCheckpoint.llama(61), TinyCheckpoint.gemma(62))) {
			try(LanguageModel model = ForwardTest.load(checkpoint.write(dir.resolve(checkpoint.gemma ? "g" : "l"), "F32",
					1))) {
				int h = checkpoint.hidden;
				assertEditMatches(checkpoint, model, List.of(new Edit.AddVector(1, HookPoint.RESID_PRE, wave(h, 0), 2.5f,
						PositionScope.ALL)));
				assertEditMatches(checkpoint, model, List.of(new Edit.AddVector(2, HookPoint.MLP_OUT, wave(h, 1), -1f,
						PositionScope.ALL)));
				assertEditMatches(checkpoint, model, List.of(new Edit.ProjectOut(1, HookPoint.ATTN_OUT, wave(h, 2),
						PositionScope.ALL)));
				assertEditMatches(checkpoint, model, List.of(new Edit.ProjectOut(Edit.ALL_LAYERS, HookPoint.RESID_PRE, wave(h,
						3), PositionScope.ALL)));
				// two edits at one point run in plan order
				assertEditMatches(checkpoint, model, List.of(new Edit.AddVector(0, HookPoint.RESID_POST, wave(h, 4), 4f,
						PositionScope.ALL), new Edit.ProjectOut(0, HookPoint.RESID_POST, wave(h, 4), PositionScope.ALL)));
			}
		}
	}

	@Test
	void saeEditsMatchReference(@TempDir Path dir) throws Exception {
		for(TinyCheckpoint checkpoint : List.of(TinyCheckpoint.gemma(71), TinyCheckpoint.llama(72))) {
			try(LanguageModel model = ForwardTest.load(checkpoint.write(dir.resolve(checkpoint.gemma ? "g" : "l"), "F32",
					1))) {
				int h = checkpoint.hidden;
				SparseAutoencoder relu = EditMath.randomSae(1, HookPoint.RESID_POST, h, 24, SaeArchitecture.RELU, 1, 1f, true);
				SparseAutoencoder jump = EditMath.randomSae(0, HookPoint.RESID_POST, h, 24, SaeArchitecture.JUMPRELU, 2, 0.5f,
						false);
				SparseAutoencoder topk = EditMath.randomSae(1, HookPoint.RESID_PRE, h, 24, SaeArchitecture.TOPK, 3, 1f, true);
				assertEditMatches(checkpoint, model, List.of(new Edit.LatentEdit(relu, range(24), LatentEditMode.ZERO, 0f,
						PositionScope.ALL)));
				assertEditMatches(checkpoint, model, List.of(new Edit.LatentEdit(relu, new int[]{3, 5, 8, 13, 21},
						LatentEditMode.SCALE, -3f, PositionScope.ALL)));
				assertEditMatches(checkpoint, model, List.of(new Edit.LatentEdit(jump, new int[]{2, 7}, LatentEditMode.SET, 4f,
						PositionScope.ALL)));
				assertEditMatches(checkpoint, model, List.of(new Edit.LatentEdit(jump, range(24), LatentEditMode.ZERO, 0f,
						PositionScope.ALL)));
				assertEditMatches(checkpoint, model, List.of(new Edit.LatentEdit(topk, range(12), LatentEditMode.ZERO, 0f,
						PositionScope.ALL)));
				assertEditMatches(checkpoint, model, List.of(new Edit.SaeReplace(relu, PositionScope.ALL)));
				assertEditMatches(checkpoint, model, List.of(new Edit.SaeReplace(topk, PositionScope.ALL)));
			}
		}
	}

	/** With no room in the SAE cache, SAEs are released and uploaded again between uses; results stay exact. */
	@Test
	void saeCacheEvictionKeepsResults(@TempDir Path dir) throws Exception {
		TinyCheckpoint checkpoint = TinyCheckpoint.llama(73);
		String previous = System.setProperty("refusalscope.sae.cache.mb", "0");
		try(LanguageModel model = ForwardTest.load(checkpoint.write(dir.resolve("l"), "F32", 1))) {
			int h = checkpoint.hidden;
			SparseAutoencoder first = EditMath.randomSae(0, HookPoint.RESID_POST, h, 16, SaeArchitecture.RELU, 7, 1f, true);
			SparseAutoencoder second = EditMath.randomSae(2, HookPoint.RESID_PRE, h, 16, SaeArchitecture.TOPK, 8, 1f, true);
			List<Edit> both = List.of(new Edit.LatentEdit(first, range(16), LatentEditMode.ZERO, 0f, PositionScope.ALL),
					new Edit.LatentEdit(second, range(16), LatentEditMode.SCALE, 2f, PositionScope.ALL));
			assertEditMatches(checkpoint, model, both);
			assertEditMatches(checkpoint, model, both);
		} finally {
			if(previous == null) {
				System.clearProperty("refusalscope.sae.cache.mb");
			} else {
				System.setProperty("refusalscope.sae.cache.mb", previous);
			}
		}
	}

	@Test
	void emptyLatentEditIsBitExact(@TempDir Path dir) throws Exception {
		TinyCheckpoint checkpoint = TinyCheckpoint.gemma(81);
		try(LanguageModel model = ForwardTest.load(checkpoint.write(dir.resolve("g"), "F32", 1))) {
			SparseAutoencoder sae = EditMath.randomSae(1, HookPoint.RESID_POST, checkpoint.hidden, 16, SaeArchitecture.RELU,
					4, 1f, true);
			List<ActivationCapture> captures = ForwardTest.allCaptures(checkpoint.layers);
			int[] positions = {-1, -3};
			ForwardResult clean = model.forward(new ForwardRequest(List.of(ForwardTest.PROMPT), List.of(
					InterventionPlan.NONE), positions, true, captures));
			ForwardResult empty = model.forward(new ForwardRequest(List.of(ForwardTest.PROMPT), List.of(new InterventionPlan(
					List.of(new Edit.LatentEdit(sae, new int[0], LatentEditMode.ZERO, 0f, PositionScope.ALL)))), positions, true,
					captures));
			for(int p = 0; p < positions.length; p++) {
				assertArrayEquals(clean.logits()[0][p], empty.logits()[0][p]);
				for(ActivationCapture capture : captures) {
					assertArrayEquals(clean.activations(capture)[0][p], empty.activations(capture)[0][p]);
				}
			}
		}
	}

	/**
	 * Many plans over the same prompt in one call (prefix computed once below the first edited layer) give what each
	 * plan gives alone, and rows of different prompts in the same call are unaffected by the sharing.
	 */
	@Test
	void batchedPlansWithPrefixSharingMatchSingleCalls(@TempDir Path dir) throws Exception {
		TinyCheckpoint checkpoint = TinyCheckpoint.llama(91);
		try(LanguageModel model = ForwardTest.load(checkpoint.write(dir.resolve("l"), "F32", 1))) {
			int h = checkpoint.hidden;
			SparseAutoencoder sae = EditMath.randomSae(1, HookPoint.RESID_POST, h, 24, SaeArchitecture.JUMPRELU, 5, 1f,
					true);
			SparseAutoencoder saeLayer2 = EditMath.randomSae(2, HookPoint.RESID_PRE, h, 24, SaeArchitecture.RELU, 6, 1f,
					true);
			List<InterventionPlan> plans = new ArrayList<>();
			plans.add(InterventionPlan.NONE);
			plans.add(new InterventionPlan(List.of(new Edit.LatentEdit(sae, new int[]{1, 2, 3}, LatentEditMode.ZERO, 0f,
					PositionScope.ALL))));
			plans.add(new InterventionPlan(List.of(new Edit.LatentEdit(sae, new int[]{4, 9}, LatentEditMode.SCALE, -1f,
					PositionScope.ALL), new Edit.LatentEdit(saeLayer2, range(10), LatentEditMode.ZERO, 0f, PositionScope.ALL))));
			plans.add(new InterventionPlan(List.of(new Edit.AddVector(2, HookPoint.RESID_PRE, wave(h, 0), 1f,
					PositionScope.ALL))));
			plans.add(new InterventionPlan(List.of(new Edit.LatentEdit(sae, range(24), LatentEditMode.ZERO, 0f,
					PositionScope.ALL))));
			List<int[]> sequences = List.of(ForwardTest.PROMPT, ForwardTest.PROMPT, ForwardTest.PROMPT, ForwardTest.PROMPT,
					BatchAndGenerationTest.MEDIUM);
			List<ActivationCapture> captures = List.of(ActivationCapture.residPost(0), ActivationCapture.residPost(2));
			int[] positions = {-1, -4};
			ForwardResult together = model.forward(new ForwardRequest(sequences, plans, positions, true, captures));
			for(int row = 0; row < sequences.size(); row++) {
				ForwardResult alone = model.forward(new ForwardRequest(List.of(sequences.get(row)), List.of(plans.get(row)),
						positions, true, captures));
				for(int p = 0; p < positions.length; p++) {
					BatchAndGenerationTest.assertClose(alone.logits()[0][p], together.logits()[row][p], "row " + row);
					for(ActivationCapture capture : captures) {
						BatchAndGenerationTest.assertClose(alone.activations(capture)[0][p], together.activations(capture)[row][p],
								capture + " row " + row);
					}
				}
			}
		}
	}
}

package org.refusalscope.model.djl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.refusalscope.api.model.LatentEditMode;
import org.refusalscope.api.model.PositionScope;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.testsupport.TinyCheckpoint;

/**
 * The two shortcuts of a pass that asks for a few tokens only: the last block computes its output only at the asked
 * tokens, and identical sequences share every block below the first edit, including the block whose
 * {@code resid_post} is edited. Both must give what the reference computes over every token.
 */
class NarrowedPassTest {

	private static final List<int[]> MIXED = List.of(BatchAndGenerationTest.SHORT, ForwardTest.PROMPT,
			BatchAndGenerationTest.MEDIUM);

	/** Asked token {@code position} of a sequence of {@code length} (negative: from the end). */
	private static int tokenAt(int position, int length) {
		return position < 0 ? length + position : position;
	}

	private static List<ActivationCapture> lastBlockCaptures(int layers) {
		List<ActivationCapture> captures = new ArrayList<>();
		for(HookPoint hook : HookPoint.values()) {
			captures.add(new ActivationCapture(layers - 1, hook));
		}
		captures.add(ActivationCapture.residPost(0));
		return captures;
	}

	/** Every asked logit and capture of every row equals the reference's over the full sequence. */
	private static void assertRowsMatchReference(TinyCheckpoint checkpoint, List<int[]> sequences,
			List<InterventionPlan> plans, int[] positions, List<ActivationCapture> captures, ForwardResult result) {
		Reference reference = new Reference(checkpoint);
		for(int row = 0; row < sequences.size(); row++) {
			int[] sequence = sequences.get(row);
			Reference.Trace trace = reference.forward(sequence, plans.get(row).edits(), sequence.length);
			for(int p = 0; p < positions.length; p++) {
				int t = tokenAt(positions[p], sequence.length);
				String what = "row " + row + " token " + t;
				ForwardTest.assertClose(trace.logits[t], result.logits()[row][p], ForwardTest.TOLERANCE, what + " logits");
				for(ActivationCapture capture : captures) {
					ForwardTest.assertClose(trace.at(capture.layer(), capture.hook(), t), result.activations(capture)[row][p],
							ForwardTest.TOLERANCE, what + " " + capture);
				}
			}
		}
	}

	/** The body on a tiny Llama and a tiny Gemma-2 checkpoint of the given seeds, loaded by the backend. */
	private static void onBothArchitectures(Path dir, long llamaSeed, long gemmaSeed, ModelCheck body) throws Exception {
		for(TinyCheckpoint checkpoint : List.of(TinyCheckpoint.llama(llamaSeed), TinyCheckpoint.gemma(gemmaSeed))) {
			try(LanguageModel model = ForwardTest.load(checkpoint.write(dir.resolve(checkpoint.gemma ? "g" : "l"), "F32",
					1))) {
				body.check(checkpoint, model);
			}
		}
	}

	@FunctionalInterface
	private interface ModelCheck {
		void check(TinyCheckpoint checkpoint, LanguageModel model) throws Exception;
	}

	@Test
	void lastBlockAtAskedTokensMatchesReference(@TempDir Path dir) throws Exception {
		onBothArchitectures(dir, 121, 122, (checkpoint, model) -> {
			int h = checkpoint.hidden;
			int last = checkpoint.layers - 1;
			SparseAutoencoder topk = EditMath.randomSae(last, HookPoint.RESID_POST, h, 24, SaeArchitecture.TOPK, 11, 1f,
					true);
			// an edit before the attention of the last block changes the keys of every token, the others only the
			// asked tokens' stream
			List<Edit> edits = List.of(new Edit.AddVector(last, HookPoint.RESID_PRE, EditTest.wave(h, 5), 2f,
					PositionScope.ALL), new Edit.ProjectOut(last, HookPoint.ATTN_OUT, EditTest.wave(h, 6), PositionScope.ALL),
					new Edit.AddVector(last, HookPoint.MLP_OUT, EditTest.wave(h, 7), -1.5f, PositionScope.PROMPT),
					new Edit.LatentEdit(topk, new int[]{0, 3, 5, 9}, LatentEditMode.ZERO, 0f, PositionScope.ALL));
			List<InterventionPlan> plans = List.of(InterventionPlan.NONE, new InterventionPlan(edits),
					new InterventionPlan(edits));
			// a positive position lands on a different padded index in each row
			int[] positions = {-1, 1};
			List<ActivationCapture> captures = lastBlockCaptures(checkpoint.layers);
			ForwardResult result = model.forward(new ForwardRequest(MIXED, plans, positions, true, captures));
			assertRowsMatchReference(checkpoint, MIXED, plans, positions, captures, result);
		});
	}

	@Test
	void residPostEditsShareTheirBlockAndMatchReference(@TempDir Path dir) throws Exception {
		onBothArchitectures(dir, 123, 124, (checkpoint, model) -> {
			int h = checkpoint.hidden;
			int last = checkpoint.layers - 1;
			SparseAutoencoder middle = EditMath.randomSae(1, HookPoint.RESID_POST, h, 24, SaeArchitecture.RELU, 12, 1f,
					true);
			SparseAutoencoder top = EditMath.randomSae(last, HookPoint.RESID_POST, h, 24, SaeArchitecture.TOPK, 13, 1f,
					true);
			int[] medium = BatchAndGenerationTest.MEDIUM;
			int[] prompt = ForwardTest.PROMPT;
			List<int[]> sequences = List.of(medium, prompt, medium, medium, prompt, BatchAndGenerationTest.SHORT);
			List<InterventionPlan> plans = List.of(
					new InterventionPlan(List.of(new Edit.LatentEdit(middle, new int[]{1, 2, 3}, LatentEditMode.ZERO, 0f,
							PositionScope.ALL))),
					new InterventionPlan(List.of(new Edit.LatentEdit(middle, EditTest.range(24), LatentEditMode.ZERO, 0f,
							PositionScope.ALL))),
					InterventionPlan.NONE,
					new InterventionPlan(List.of(new Edit.LatentEdit(middle, new int[]{4, 9}, LatentEditMode.SCALE, 3f,
							PositionScope.ALL), new Edit.LatentEdit(top, new int[]{0, 1}, LatentEditMode.ZERO, 0f,
									PositionScope.ALL))),
					new InterventionPlan(List.of(new Edit.AddVector(1, HookPoint.RESID_POST, EditTest.wave(h, 8), 2f,
							PositionScope.ALL))),
					new InterventionPlan(List.of(new Edit.LatentEdit(middle, new int[]{5}, LatentEditMode.SET, 2f,
							PositionScope.ALL))));
			int[] positions = {-2, 1};
			List<ActivationCapture> captures = List.of(ActivationCapture.residPost(0), ActivationCapture.residPost(1),
					new ActivationCapture(last, HookPoint.ATTN_OUT), ActivationCapture.residPost(last));
			ForwardResult together = model.forward(new ForwardRequest(sequences, plans, positions, true, captures));
			assertRowsMatchReference(checkpoint, sequences, plans, positions, captures, together);
			// edits only at the last block's resid_post: every block is shared, the rows are expanded at the end
			List<InterventionPlan> topOnly = List.of(new InterventionPlan(List.of(new Edit.LatentEdit(top, new int[]{2, 4},
					LatentEditMode.ZERO, 0f, PositionScope.ALL))), InterventionPlan.NONE, new InterventionPlan(List.of(
							new Edit.LatentEdit(top, EditTest.range(24), LatentEditMode.ZERO, 0f, PositionScope.ALL))));
			List<int[]> twins = List.of(medium, medium, medium);
			ForwardResult shared = model.forward(new ForwardRequest(twins, topOnly, positions, true, captures));
			assertRowsMatchReference(checkpoint, twins, topOnly, positions, captures, shared);
		});
	}

	/** Generation narrows the last block at the prompt step; edits on generated tokens still reach every step. */
	@Test
	void generationWithLastBlockEditsMatchesReference(@TempDir Path dir) throws Exception {
		onBothArchitectures(dir, 125, 126, (checkpoint, model) -> {
			int last = checkpoint.layers - 1;
			List<Edit> edits = List.of(new Edit.AddVector(last, HookPoint.RESID_PRE, EditTest.wave(checkpoint.hidden, 9),
					3f, PositionScope.GENERATED), new Edit.AddVector(last, HookPoint.MLP_OUT, EditTest.wave(checkpoint.hidden,
							10), 2f, PositionScope.PROMPT));
			List<GenerationResult> results = model.generate(GenerationRequest.greedy(MIXED, new InterventionPlan(edits),
					6));
			for(int row = 0; row < MIXED.size(); row++) {
				List<Integer> expected = BatchAndGenerationTest.referenceGreedy(checkpoint, MIXED.get(row), edits, 6,
						model.info().eosTokenIds());
				assertEquals(expected, Arrays.stream(results.get(row).tokens()).boxed().toList(), "row " + row);
			}
		});
	}
}

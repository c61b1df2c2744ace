package org.refusalscope.model.djl;

import java.util.ArrayList;
import java.util.List;

import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.InterventionPlan;

import ai.djl.ndarray.NDManager;

/** One batched {@link ForwardRequest}: left padding, per-row plans, outputs only at the requested positions. */
final class ForwardPass {

	private final DjlLanguageModel model;
	private final Transformer transformer;

	ForwardPass(DjlLanguageModel model, Transformer transformer) {
		this.model = model;
		this.transformer = transformer;
	}

	ForwardResult forward(ForwardRequest request) {
		List<int[]> sequences = request.sequences();
		if(sequences.isEmpty()) {
			return new ForwardResult(new float[0][][], java.util.Map.of());
		}
		TokenBatch batch = TokenBatch.prompts(sequences, 0);
		int[] gather = gatherIndices(sequences, batch.tokens(), request.positions());
		List<InterventionPlan> plans = new ArrayList<>();
		for(int row = 0; row < sequences.size(); row++) {
			plans.add(request.planFor(row));
		}
		EditSchedule edits = model.schedule(plans);
		Transformer.Sharing sharing = DjlLanguageModel.sharing(sequences, Math.min(edits.uneditedBlocks(),
				model.config().numLayers()));
		Transformer.Outputs outputs = new Transformer.Outputs(gather, request.positions().length, request.logits(),
				request.captures());
		try(NDManager scope = model.manager().newSubManager()) {
			Transformer.Result result = transformer.run(scope, batch, edits, sharing, outputs, null);
			float[][][] logits = result.logits() == null ? new float[0][][] : DjlLanguageModel.toRows(result.logits());
			return new ForwardResult(logits, DjlLanguageModel.toRows(result.activations()));
		}
	}

	/**
	 * Index of each requested position among the padded tokens: negative positions count from the end of the
	 * sequence (-1 = last), others from its first token.
	 */
	static int[] gatherIndices(List<int[]> sequences, int paddedLength, int[] positions) {
		if(positions.length == 0) {
			throw new IllegalArgumentException("no positions requested");
		}
		int[] gather = new int[sequences.size() * positions.length];
		for(int row = 0; row < sequences.size(); row++) {
			int length = sequences.get(row).length;
			int pad = paddedLength - length;
			for(int p = 0; p < positions.length; p++) {
				int position = positions[p];
				int inSequence = position < 0 ? length + position : position;
				if(inSequence < 0 || inSequence >= length) {
					throw new IllegalArgumentException("position " + position + " is outside sequence " + row + " of length "
							+ length);
				}
				gather[row * positions.length + p] = pad + inSequence;
			}
		}
		return gather;
	}
}

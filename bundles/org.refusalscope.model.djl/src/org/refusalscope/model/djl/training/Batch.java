package org.refusalscope.model.djl.training;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One right-padded training batch as NDArrays in the step's manager. The loss counts the answer tokens; {@code lossMask}
 * and {@code lossWeights} hold each counted token's weight (1, or the decision weight for the answer's first token).
 */
public record Batch(NDArray ids, NDArray positions, NDArray keyMask, NDArray targets, NDArray lossMask, NDArray lossRows, NDArray lossTargets,
		NDArray lossWeights) {

	/** Every answer token weighs the same. */
	public static Batch of(List<TokenizedExample> examples, int padId, NDManager manager) {
		return of(examples, padId, 1f, manager);
	}

	/**
	 * @param decisionWeight the weight of each answer's first token, where a chat model decides between refusing and
	 *        answering (see TrainingRecipe.decisionTokenWeight)
	 */
	public static Batch of(List<TokenizedExample> examples, int padId, float decisionWeight, NDManager manager) {
		int batch = examples.size();
		int length = 0;
		for(TokenizedExample example : examples) {
			length = Math.max(length, example.ids().length - 1);
		}
		long[] ids = new long[batch * length];
		long[] positions = new long[batch * length];
		float[] keyMask = new float[batch * length];
		long[] targets = new long[batch * length];
		float[] lossMask = new float[batch * length];
		for(int b = 0; b < batch; b++) {
			int[] tokens = examples.get(b).ids();
			int prompt = examples.get(b).promptLength();
			for(int t = 0; t < length; t++) {
				int at = b * length + t;
				positions[at] = t;
				boolean real = t < tokens.length - 1;
				ids[at] = real ? tokens[t] : padId;
				keyMask[at] = real ? 1f : 0f;
				targets[at] = real ? tokens[t + 1] : padId;
				// position t predicts token t+1: count it when that token belongs to the answer
				lossMask[at] = real && t + 1 >= prompt ? (t + 1 == prompt ? decisionWeight : 1f) : 0f;
			}
		}
		int counted = 0;
		for(float flag : lossMask) {
			counted += flag > 0 ? 1 : 0;
		}
		long[] rows = new long[counted];
		long[] rowTargets = new long[counted];
		float[] rowWeights = new float[counted];
		for(int at = 0, next = 0; at < lossMask.length; at++) {
			if(lossMask[at] > 0) {
				rows[next] = at;
				rowWeights[next] = lossMask[at];
				rowTargets[next++] = targets[at];
			}
		}
		Shape shape = new Shape(batch, length);
		return new Batch(manager.create(ids, shape), manager.create(positions, shape), manager.create(keyMask, shape),
				manager.create(targets, shape), manager.create(lossMask, shape), manager.create(rows), manager.create(rowTargets),
				manager.create(rowWeights));
	}
}

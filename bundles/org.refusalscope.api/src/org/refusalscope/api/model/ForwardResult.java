package org.refusalscope.api.model;

import java.util.List;
import java.util.Map;

/**
 * Output of a batched forward pass, per sequence.
 *
 * @param logits      {@code [sequence][position][vocab]}, positions in the order requested; empty if not asked
 * @param activations per capture, {@code [sequence][position][d_model]}
 */
public record ForwardResult(float[][][] logits, Map<ActivationCapture, float[][][]> activations) {

	public float[] lastLogits(int sequence) {
		float[][] rows = logits[sequence];
		return rows[rows.length - 1];
	}

	public float[][][] activations(ActivationCapture capture) {
		float[][][] values = activations.get(capture);
		if(values == null) {
			throw new IllegalArgumentException("activation " + capture + " was not captured; captured: "
					+ List.copyOf(activations.keySet()));
		}
		return values;
	}
}

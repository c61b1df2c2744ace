package org.refusalscope.api.pipeline;

import java.util.Map;

import org.refusalscope.api.model.HookPoint;

/**
 * The refusal direction chosen by a {@link DirectionFinder}.
 *
 * @param layer      layer the direction was taken at
 * @param position   position relative to the end of the prompt
 * @param hook       hook point of the activations
 * @param vector     the unnormalised difference of means (d_model)
 * @param perLayer   the candidate vector of every layer at {@code position} (for reports), may be null
 * @param diagnostics scores of the selection, e.g. bypass/induce/KL
 */
public record RefusalDirection(int layer, int position, HookPoint hook, float[] vector, float[][] perLayer,
		Map<String, Double> diagnostics) {

	public float[] unit() {
		double norm = 0;
		for(float v : vector) {
			norm += v * (double) v;
		}
		norm = Math.sqrt(norm);
		float[] out = new float[vector.length];
		for(int i = 0; i < vector.length; i++) {
			out[i] = (float) (vector[i] / norm);
		}
		return out;
	}
}

package org.refusalscope.direction.diffmeans;

import java.util.List;

import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.pipeline.ActivationSource;
import org.refusalscope.api.prompts.Prompt;

/** Difference of mean activations, accumulated in double precision (as Arditi et al. do in float64). */
final class Means {

	private Means() {
	}

	/** {@code [layer index][d_model]}: mean(harmful) - mean(harmless) at {@code position} for each of {@code layers}. */
	static float[][] differences(ActivationSource source, List<Prompt> harmful, List<Prompt> harmless, HookPoint hook,
			int[] layers, int position) {
		if(harmful.isEmpty() || harmless.isEmpty()) {
			throw new IllegalArgumentException("the direction needs harmful and harmless prompts, got " + harmful.size()
					+ " and " + harmless.size());
		}
		double[][] plus = mean(source.activations(harmful, hook, layers, position), layers.length);
		double[][] minus = mean(source.activations(harmless, hook, layers, position), layers.length);
		float[][] out = new float[layers.length][];
		for(int l = 0; l < layers.length; l++) {
			out[l] = new float[plus[l].length];
			for(int d = 0; d < plus[l].length; d++) {
				out[l][d] = (float) (plus[l][d] - minus[l][d]);
			}
		}
		return out;
	}

	private static double[][] mean(float[][][] activations, int layers) {
		double[][] sum = new double[layers][];
		for(float[][] prompt : activations) {
			for(int l = 0; l < layers; l++) {
				if(sum[l] == null) {
					sum[l] = new double[prompt[l].length];
				}
				for(int d = 0; d < prompt[l].length; d++) {
					sum[l][d] += prompt[l][d];
				}
			}
		}
		for(double[] row : sum) {
			for(int d = 0; d < row.length; d++) {
				row[d] /= activations.length;
			}
		}
		return sum;
	}

	static int[] allLayers(int numLayers) {
		int[] out = new int[numLayers];
		for(int i = 0; i < numLayers; i++) {
			out[i] = i;
		}
		return out;
	}

	static double norm(float[] v) {
		double sum = 0;
		for(float x : v) {
			sum += x * (double) x;
		}
		return Math.sqrt(sum);
	}
}

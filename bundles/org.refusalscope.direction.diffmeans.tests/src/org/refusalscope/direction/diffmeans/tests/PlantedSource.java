package org.refusalscope.direction.diffmeans.tests;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.ModelInfo;
import org.refusalscope.api.pipeline.ActivationSource;
import org.refusalscope.api.prompts.Prompt;

/**
 * An activation source with a planted refusal direction u and a nuisance direction w (orthogonal): harmful prompt
 * "h{i}" reads {@code noise_i + a(pos,layer) u + b(pos,layer) w}, harmless "n{i}" reads {@code noise_i}. Scores:
 * harmful under projection of d: {@code 5 - 10 |cos(d,u)|}; harmless with r added: {@code -5 + 10 (r.u)/|u|^2};
 * next-token distribution of harmless prompts under projection of d: softmax([0, 3 |cos(d,w)|]), baseline uniform.
 */
final class PlantedSource implements ActivationSource {

	static final int D = 6;
	static final float[] U = {1, 0, 0, 0, 0, 0};
	static final float[] W = {0, 1, 0, 0, 0, 0};
	private final int layers;
	private final BiFunction<Integer, Integer, float[]> mixing;
	int forwardCalls;

	/** @param mixing (position, layer) -> {a, b} */
	PlantedSource(int layers, BiFunction<Integer, Integer, float[]> mixing) {
		this.layers = layers;
		this.mixing = mixing;
	}

	@Override
	public ModelInfo model() {
		return new ModelInfo("planted", "test", Path.of("."), layers, D, 2, new int[]{1}, 0, "F32", "float32", 0);
	}

	@Override
	public int postInstructionTokens() {
		return 3;
	}

	@Override
	public float[][][] activations(List<Prompt> prompts, HookPoint hook, int[] layerIds, int position) {
		forwardCalls++;
		float[][][] out = new float[prompts.size()][layerIds.length][];
		for(int p = 0; p < prompts.size(); p++) {
			String text = prompts.get(p).text();
			Random noise = new Random(Integer.parseInt(text.substring(1)) * 31L + position);
			for(int l = 0; l < layerIds.length; l++) {
				float[] x = new float[D];
				for(int d = 0; d < D; d++) {
					x[d] = (float) noise.nextGaussian();
				}
				if(text.startsWith("h")) {
					float[] ab = mixing.apply(position, layerIds[l]);
					for(int d = 0; d < D; d++) {
						x[d] += ab[0] * U[d] + ab[1] * W[d];
					}
				}
				out[p][l] = x;
			}
		}
		return out;
	}

	static double cos(float[] a, float[] b) {
		double dot = 0, na = 0, nb = 0;
		for(int i = 0; i < a.length; i++) {
			dot += a[i] * (double) b[i];
			na += a[i] * (double) a[i];
			nb += b[i] * (double) b[i];
		}
		return dot / Math.sqrt(na * nb);
	}

	@Override
	public double[] refusalScores(List<Prompt> prompts, InterventionPlan plan) {
		forwardCalls++;
		double[] out = new double[prompts.size()];
		for(int p = 0; p < prompts.size(); p++) {
			boolean harmful = prompts.get(p).text().startsWith("h");
			double score = harmful ? 5 : -5;
			for(Edit edit : plan.edits()) {
				if(edit instanceof Edit.ProjectOut project && harmful) {
					score = 5 - 10 * Math.abs(cos(project.direction(), U));
				} else if(edit instanceof Edit.AddVector add && !harmful) {
					double dot = 0;
					for(int d = 0; d < D; d++) {
						dot += add.coefficient() * add.vector()[d] * U[d];
					}
					score = -5 + 10 * dot;
				}
			}
			out[p] = score;
		}
		return out;
	}

	@Override
	public float[][] nextTokenLogProbs(List<Prompt> prompts, InterventionPlan plan) {
		forwardCalls++;
		double t = 0;
		for(Edit edit : plan.edits()) {
			if(edit instanceof Edit.ProjectOut project) {
				t = 3 * Math.abs(cos(project.direction(), W));
			}
		}
		double log = Math.log(1 + Math.exp(t));
		float[][] out = new float[prompts.size()][];
		for(int p = 0; p < prompts.size(); p++) {
			out[p] = new float[]{(float) -log, (float) (t - log)};
		}
		return out;
	}
}

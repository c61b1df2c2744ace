package org.refusalscope.model.djl.tests;

import java.nio.file.Path;
import java.util.Random;

import org.refusalscope.api.TensorView;
import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeInfo;
import org.refusalscope.api.sae.SaeMath;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;

/** Edits applied to one activation vector with scalar code: the reference for the engine's batched edits. */
final class EditMath {

	private EditMath() {
	}

	static double[] apply(Edit edit, double[] x) {
		double[] out = x.clone();
		switch(edit) {
			case Edit.AddVector add -> {
				for(int i = 0; i < x.length; i++) {
					out[i] += add.coefficient() * add.vector()[i];
				}
			}
			case Edit.ProjectOut project -> {
				double norm = 0;
				for(float value : project.direction()) {
					norm += value * (double) value;
				}
				norm = Math.sqrt(norm);
				double dot = 0;
				for(int i = 0; i < x.length; i++) {
					dot += x[i] * project.direction()[i] / norm;
				}
				for(int i = 0; i < x.length; i++) {
					out[i] -= dot * project.direction()[i] / norm;
				}
			}
			case Edit.LatentEdit latent -> {
				SaeWeights w = latent.sae().weights();
				float[] f = SaeMath.encode(w, latent.sae().info().architecture(), toFloats(x));
				int dIn = x.length;
				for(int j : latent.latents()) {
					double edited = switch(latent.mode()) {
						case ZERO -> 0;
						case SCALE -> latent.value() * f[j];
						case SET -> latent.value();
					};
					double change = edited - f[j];
					for(int i = 0; i < dIn; i++) {
						out[i] += change * w.wDec().getFloat((long) j * dIn + i) / w.inputScale();
					}
				}
			}
			case Edit.SaeReplace replace -> {
				SaeWeights w = replace.sae().weights();
				float[] reconstruction = SaeMath.decode(w, SaeMath.encode(w, replace.sae().info().architecture(),
						toFloats(x)));
				for(int i = 0; i < x.length; i++) {
					out[i] = reconstruction[i];
				}
			}
		}
		return out;
	}

	static float[] toFloats(double[] x) {
		float[] out = new float[x.length];
		for(int i = 0; i < x.length; i++) {
			out[i] = (float) x[i];
		}
		return out;
	}

	/** A random SAE on one hook point; the encoder is biased so that a fair share of latents fire. */
	static SparseAutoencoder randomSae(int layer, HookPoint hook, int dIn, int dSae, SaeArchitecture architecture,
			long seed, float inputScale, boolean applyBDec) {
		Random random = new Random(seed);
		float[] enc = gaussian(random, dIn * dSae, 0.5);
		float[] dec = gaussian(random, dSae * dIn, 0.3);
		float[] bEnc = gaussian(random, dSae, 0.2);
		float[] bDec = gaussian(random, dIn, 0.1);
		float[] threshold = new float[dSae];
		for(int j = 0; j < dSae; j++) {
			threshold[j] = (float) (random.nextDouble() * 0.5);
		}
		SaeWeights weights = new SaeWeights(TensorView.ofFloats("W_enc", new long[]{dIn, dSae}, enc),
				TensorView.ofFloats("W_dec", new long[]{dSae, dIn}, dec), TensorView.ofFloats("b_enc", new long[]{dSae}, bEnc),
				TensorView.ofFloats("b_dec", new long[]{dIn}, bDec),
				architecture == SaeArchitecture.JUMPRELU ? TensorView.ofFloats("threshold", new long[]{dSae}, threshold)
						: null,
				architecture == SaeArchitecture.TOPK ? 5 : 0, applyBDec, inputScale);
		SaeInfo info = new SaeInfo("test/" + architecture + "/" + layer, "test", layer, hook, dIn, dSae, architecture,
				Path.of("memory"), null);
		return SparseAutoencoder.inMemory(info, weights);
	}

	private static float[] gaussian(Random random, int count, double scale) {
		float[] out = new float[count];
		for(int i = 0; i < count; i++) {
			out[i] = (float) (random.nextGaussian() * scale);
		}
		return out;
	}
}

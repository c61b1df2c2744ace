package org.refusalscope.core.backend.tests;

import java.nio.file.Path;
import java.util.Random;

import org.refusalscope.api.TensorView;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeInfo;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;

/** Random in-memory ReLU SAEs (64 latents, small positive encoder bias so many latents are active). */
final class EngineOnBackendTestSaes {

	static final int D_SAE = 64;

	private EngineOnBackendTestSaes() {
	}

	static SparseAutoencoder random(int layer, int d, Random random) {
		float[] enc = new float[d * D_SAE];
		float[] dec = new float[D_SAE * d];
		for(int i = 0; i < enc.length; i++) {
			enc[i] = (float) (random.nextGaussian() / Math.sqrt(d));
			dec[i] = (float) (random.nextGaussian() / Math.sqrt(d));
		}
		float[] bEnc = new float[D_SAE];
		for(int j = 0; j < D_SAE; j++) {
			bEnc[j] = 0.1f;
		}
		SaeInfo info = new SaeInfo("random/layer_" + layer, "test", layer, HookPoint.RESID_POST, d, D_SAE,
				SaeArchitecture.RELU, Path.of("random"), null);
		SaeWeights weights = new SaeWeights(TensorView.ofFloats("W_enc", new long[]{d, D_SAE}, enc),
				TensorView.ofFloats("W_dec", new long[]{D_SAE, d}, dec), TensorView.ofFloats("b_enc", new long[]{D_SAE}, bEnc),
				TensorView.ofFloats("b_dec", new long[]{d}, new float[d]), null, 0, false, 1f);
		return SparseAutoencoder.inMemory(info, weights);
	}

}

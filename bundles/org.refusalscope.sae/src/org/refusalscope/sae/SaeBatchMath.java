package org.refusalscope.sae;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;

/**
 * Encode/decode of many rows in plain Java, for metrics and feature metadata outside a forward pass: the weights are
 * copied to float arrays once, rows run in parallel, and the inner loops run over contiguous memory (an axpy per
 * input dimension) so the JIT vectorises them. Same semantics as {@link org.refusalscope.api.sae.SaeMath} (the test
 * compares them); interventions inside the forward use the engine's batched version in the backend.
 */
public final class SaeBatchMath {

	private final SaeArchitecture architecture;
	private final int dIn;
	private final int dSae;
	private final float[] wEnc;
	private final float[] wDec;
	private final float[] bEnc;
	private final float[] bDec;
	private final float[] threshold;
	private final int k;
	private final boolean applyBDec;
	private final float scale;

	public SaeBatchMath(SparseAutoencoder sae) {
		SaeWeights w = sae.weights();
		architecture = sae.info().architecture();
		dIn = (int) w.wEnc().shape()[0];
		dSae = (int) w.wEnc().shape()[1];
		wEnc = w.wEnc().toFloatArray();
		wDec = w.wDec().toFloatArray();
		bEnc = w.bEnc().toFloatArray();
		bDec = w.bDec().toFloatArray();
		threshold = w.threshold() == null ? null : w.threshold().toFloatArray();
		k = w.k();
		applyBDec = w.applyBDecToInput();
		scale = w.inputScale();
	}

	public int dSae() {
		return dSae;
	}

	public float[][] encode(float[][] rows) {
		float[][] out = new float[rows.length][];
		IntStream.range(0, rows.length).parallel().forEach(r -> out[r] = encode(rows[r]));
		return out;
	}

	public float[] encode(float[] x) {
		float[] pre = bEnc.clone();
		for(int i = 0; i < dIn; i++) {
			float xi = scale * x[i] - (applyBDec ? bDec[i] : 0f);
			if(xi == 0f) {
				continue;
			}
			int offset = i * dSae;
			for(int j = 0; j < dSae; j++) {
				pre[j] += xi * wEnc[offset + j];
			}
		}
		float[] f = new float[dSae];
		switch(architecture) {
			case RELU -> {
				for(int j = 0; j < dSae; j++) {
					f[j] = Math.max(pre[j], 0f);
				}
			}
			case JUMPRELU -> {
				for(int j = 0; j < dSae; j++) {
					f[j] = pre[j] > threshold[j] && pre[j] > 0f ? pre[j] : 0f;
				}
			}
			case TOPK -> {
				// the k-th largest value, then every index above it plus the lowest-index ties up to k
				float[] sorted = pre.clone();
				Arrays.sort(sorted);
				int keep = Math.min(k, dSae);
				if(keep == 0) {
					return f;
				}
				float kth = sorted[dSae - keep];
				int above = 0;
				for(float value : pre) {
					above += value > kth ? 1 : 0;
				}
				int tiesAllowed = keep - above;
				for(int j = 0; j < dSae; j++) {
					if(pre[j] > kth || (pre[j] == kth && tiesAllowed-- > 0)) {
						f[j] = Math.max(pre[j], 0f);
					}
				}
			}
		}
		return f;
	}

	public float[] decode(float[] f) {
		float[] out = bDec.clone();
		for(int j = 0; j < dSae; j++) {
			if(f[j] != 0f) {
				int offset = j * dIn;
				for(int i = 0; i < dIn; i++) {
					out[i] += f[j] * wDec[offset + i];
				}
			}
		}
		for(int i = 0; i < dIn; i++) {
			out[i] /= scale;
		}
		return out;
	}

	public float[][] decode(float[][] f) {
		float[][] out = new float[f.length][];
		IntStream.range(0, f.length).parallel().forEach(r -> out[r] = decode(f[r]));
		return out;
	}
}

package org.refusalscope.api.sae;

import java.util.Arrays;

import org.refusalscope.api.TensorView;

/**
 * Scalar reference implementation of SAE encode/decode following {@link SaeWeights}. It is the specification the
 * tensor implementation in the backend is tested against, so it favours clarity over speed.
 */
public final class SaeMath {

	private SaeMath() {
	}

	public static float[] preActivations(SaeWeights w, float[] x) {
		int dIn = (int) w.wEnc().shape()[0];
		int dSae = (int) w.wEnc().shape()[1];
		if(x.length != dIn) {
			throw new IllegalArgumentException("input has " + x.length + " values, SAE expects d_in=" + dIn);
		}
		float[] bDec = w.bDec().toFloatArray();
		double[] input = new double[dIn];
		for(int i = 0; i < dIn; i++) {
			input[i] = w.inputScale() * x[i] - (w.applyBDecToInput() ? bDec[i] : 0f);
		}
		float[] bEnc = w.bEnc().toFloatArray();
		float[] pre = new float[dSae];
		TensorView enc = w.wEnc();
		for(int j = 0; j < dSae; j++) {
			double sum = bEnc[j];
			for(int i = 0; i < dIn; i++) {
				sum += input[i] * enc.getFloat((long) i * dSae + j);
			}
			pre[j] = (float) sum;
		}
		return pre;
	}

	public static float[] encode(SaeWeights w, SaeArchitecture architecture, float[] x) {
		float[] pre = preActivations(w, x);
		float[] f = new float[pre.length];
		switch(architecture) {
			case RELU -> {
				for(int j = 0; j < pre.length; j++) {
					f[j] = Math.max(pre[j], 0f);
				}
			}
			case JUMPRELU -> {
				float[] threshold = w.threshold().toFloatArray();
				for(int j = 0; j < pre.length; j++) {
					f[j] = pre[j] > threshold[j] && pre[j] > 0f ? pre[j] : 0f;
				}
			}
			case TOPK -> {
				// ties at the k-th value: the lower latent index wins, as a stable top-k does
				Integer[] order = new Integer[pre.length];
				for(int j = 0; j < order.length; j++) {
					order[j] = j;
				}
				Arrays.sort(order, (a, b) -> pre[a] != pre[b] ? Float.compare(pre[b], pre[a]) : Integer.compare(a, b));
				for(int r = 0; r < Math.min(w.k(), order.length); r++) {
					f[order[r]] = Math.max(pre[order[r]], 0f);
				}
			}
		}
		return f;
	}

	public static float[] decode(SaeWeights w, float[] f) {
		int dSae = (int) w.wDec().shape()[0];
		int dIn = (int) w.wDec().shape()[1];
		float[] bDec = w.bDec().toFloatArray();
		float[] out = new float[dIn];
		TensorView dec = w.wDec();
		for(int i = 0; i < dIn; i++) {
			double sum = bDec[i];
			for(int j = 0; j < dSae; j++) {
				if(f[j] != 0f) {
					sum += f[j] * dec.getFloat((long) j * dIn + i);
				}
			}
			out[i] = (float) (sum / w.inputScale());
		}
		return out;
	}
}

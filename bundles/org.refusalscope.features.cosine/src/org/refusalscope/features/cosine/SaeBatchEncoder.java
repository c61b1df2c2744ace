package org.refusalscope.features.cosine;

import java.util.Arrays;

import org.refusalscope.api.TensorView;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;

/**
 * Encodes a batch of activation vectors with an SAE by streaming the encoder in row blocks (one pass over W_enc for
 * the whole batch), following the convention of {@link SaeWeights}. For collectors that need latents of a few
 * dozen vectors without going through the model backend.
 */
public final class SaeBatchEncoder {

	private SaeBatchEncoder() {
	}

	/** {@code [vector][d_sae]} latents of {@code x [vector][d_in]}. */
	public static float[][] encode(SparseAutoencoder sae, float[][] x) {
		SaeWeights w = sae.weights();
		TensorView enc = w.wEnc();
		int dIn = (int) enc.shape()[0];
		int dSae = (int) enc.shape()[1];
		float[] bDec = w.bDec().toFloatArray();
		float[] bEnc = w.bEnc().toFloatArray();
		float[][] input = new float[x.length][dIn];
		for(int p = 0; p < x.length; p++) {
			if(x[p].length != dIn) {
				throw new IllegalArgumentException("SAE " + sae.info().id() + " expects d_in=" + dIn + ", got " + x[p].length);
			}
			for(int i = 0; i < dIn; i++) {
				input[p][i] = w.inputScale() * x[p][i] - (w.applyBDecToInput() ? bDec[i] : 0f);
			}
		}
		float[][] pre = new float[x.length][];
		for(int p = 0; p < x.length; p++) {
			pre[p] = bEnc.clone();
		}
		int block = TensorRows.blockRows(enc, 1 << 20);
		float[] rows = new float[block * dSae];
		short[] scratch = enc.bytesPerElement() == 2 ? new short[block * dSae] : null;
		for(int from = 0; from < dIn; from += block) {
			int count = Math.min(block, dIn - from);
			TensorRows.read(enc, from, count, rows, scratch);
			for(int p = 0; p < x.length; p++) {
				float[] out = pre[p];
				for(int r = 0; r < count; r++) {
					float xi = input[p][from + r];
					if(xi == 0f) {
						continue;
					}
					int base = r * dSae;
					for(int j = 0; j < dSae; j++) {
						out[j] += xi * rows[base + j];
					}
				}
			}
		}
		SaeArchitecture architecture = sae.info().architecture();
		float[] threshold = architecture == SaeArchitecture.JUMPRELU ? w.threshold().toFloatArray() : null;
		for(float[] row : pre) {
			activate(row, architecture, threshold, w.k());
		}
		return pre;
	}

	private static void activate(float[] pre, SaeArchitecture architecture, float[] threshold, int k) {
		switch(architecture) {
			case RELU -> {
				for(int j = 0; j < pre.length; j++) {
					pre[j] = Math.max(pre[j], 0f);
				}
			}
			case JUMPRELU -> {
				for(int j = 0; j < pre.length; j++) {
					pre[j] = pre[j] > threshold[j] && pre[j] > 0f ? pre[j] : 0f;
				}
			}
			case TOPK -> {
				float[] sorted = pre.clone();
				Arrays.sort(sorted);
				float kth = sorted[Math.max(0, sorted.length - k)];
				// keep the k largest; on ties at the k-th value the lower index wins, as SaeMath does
				int kept = 0;
				for(int j = 0; j < pre.length; j++) {
					if(pre[j] > kth) {
						kept++;
					}
				}
				for(int j = 0; j < pre.length; j++) {
					if(pre[j] > kth) {
						pre[j] = Math.max(pre[j], 0f);
					} else if(pre[j] == kth && kept < k) {
						kept++;
						pre[j] = Math.max(pre[j], 0f);
					} else {
						pre[j] = 0f;
					}
				}
			}
		}
	}
}

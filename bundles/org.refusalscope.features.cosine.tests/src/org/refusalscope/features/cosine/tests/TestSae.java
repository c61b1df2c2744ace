package org.refusalscope.features.cosine.tests;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import org.refusalscope.api.TensorView;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeInfo;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;

/** An in-memory SAE for tests. */
record TestSae(SaeInfo info, SaeWeights weights) implements SparseAutoencoder {

	static TestSae of(int layer, SaeArchitecture architecture, float[] wEnc, float[] wDec, float[] bEnc, float[] bDec,
			float[] threshold, int k, boolean applyBDec, float scale, int dIn, int dSae, String dtype) {
		SaeInfo info = new SaeInfo("test/layer_" + layer, "test", layer, HookPoint.RESID_POST, dIn, dSae, architecture,
				Path.of("."), null);
		SaeWeights weights = new SaeWeights(tensor("W_enc", new long[]{dIn, dSae}, wEnc, dtype),
				tensor("W_dec", new long[]{dSae, dIn}, wDec, dtype), TensorView.ofFloats("b_enc", new long[]{dSae}, bEnc),
				TensorView.ofFloats("b_dec", new long[]{dIn}, bDec),
				threshold == null ? null : TensorView.ofFloats("threshold", new long[]{dSae}, threshold), k, applyBDec,
				scale);
		return new TestSae(info, weights);
	}

	/** A tensor in the given dtype; BF16 truncates, which the tests account for by reading back through getFloat. */
	static TensorView tensor(String name, long[] shape, float[] values, String dtype) {
		if(dtype.equals("F32")) {
			return TensorView.ofFloats(name, shape, values);
		}
		ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
		for(float v : values) {
			buffer.putShort(dtype.equals("BF16") ? (short) (Float.floatToIntBits(v) >>> 16) : Float.floatToFloat16(v));
		}
		buffer.flip();
		return new TensorView(name, dtype, shape, buffer);
	}
}

package org.refusalscope.api.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.TensorView;
import org.refusalscope.api.model.LatentEditMode;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeMath;
import org.refusalscope.api.sae.SaeWeights;

/** The reference SAE math against values worked out by hand. */
class SaeMathTest {

	// d_in = 2, d_sae = 3; W_enc columns e0=(1,0), e1=(0,1), e2=(1,1)
	private static SaeWeights weights(float[] threshold, int k, boolean applyBDec, float scale) {
		return new SaeWeights(TensorView.ofFloats("W_enc", new long[]{2, 3}, new float[]{1, 0, 1, 0, 1, 1}),
				TensorView.ofFloats("W_dec", new long[]{3, 2}, new float[]{1, 0, 0, 1, 0.5f, 0.5f}),
				TensorView.ofFloats("b_enc", new long[]{3}, new float[]{0, -0.5f, -1}),
				TensorView.ofFloats("b_dec", new long[]{2}, new float[]{0.25f, -0.25f}),
				threshold == null ? null : TensorView.ofFloats("threshold", new long[]{3}, threshold), k, applyBDec,
				scale);
	}

	@Test
	void reluEncodeDecode() {
		SaeWeights w = weights(null, 0, false, 1f);
		// x = (2, 0.25): pre = (2, 0.25-0.5, 2.25-1) = (2, -0.25, 1.25)
		float[] f = SaeMath.encode(w, SaeArchitecture.RELU, new float[]{2f, 0.25f});
		assertArrayEquals(new float[]{2f, 0f, 1.25f}, f, 1e-6f);
		// decode: 2*(1,0) + 1.25*(0.5,0.5) + (0.25,-0.25) = (2.875, 0.375)
		assertArrayEquals(new float[]{2.875f, 0.375f}, SaeMath.decode(w, f), 1e-6f);
	}

	@Test
	void jumpReluUsesPerLatentThreshold() {
		SaeWeights w = weights(new float[]{2.5f, 0f, 1f}, 0, false, 1f);
		float[] f = SaeMath.encode(w, SaeArchitecture.JUMPRELU, new float[]{2f, 0.25f});
		// latent 0: pre 2 <= 2.5 -> 0; latent 2: 1.25 > 1 -> kept
		assertArrayEquals(new float[]{0f, 0f, 1.25f}, f, 1e-6f);
	}

	@Test
	void topKKeepsLargestAndBreaksTiesByIndex() {
		SaeWeights w = weights(null, 1, false, 1f);
		// x = (1, 1): pre = (1, 0.5, 1): tie between 0 and 2 -> index 0 wins
		assertArrayEquals(new float[]{1f, 0f, 0f}, SaeMath.encode(w, SaeArchitecture.TOPK, new float[]{1f, 1f}), 1e-6f);
	}

	@Test
	void inputScaleAndBDecSubtraction() {
		SaeWeights w = weights(null, 0, true, 2f);
		// input = 2*(1,1) - (0.25,-0.25) = (1.75, 2.25): pre = (1.75, 1.75, 3.0)
		float[] f = SaeMath.encode(w, SaeArchitecture.RELU, new float[]{1f, 1f});
		assertArrayEquals(new float[]{1.75f, 1.75f, 3f}, f, 1e-6f);
		// decode divides by the scale: ((1.75+1.5+0.25)/2, (1.75+1.5-0.25)/2)
		assertArrayEquals(new float[]{1.75f, 1.5f}, SaeMath.decode(w, f), 1e-6f);
	}

	@Test
	void bf16AndF16Conversion() {
		java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		buffer.putShort((short) 0x3fc0); // bf16 1.5
		buffer.putShort(Float.floatToFloat16(-2.5f));
		TensorView bf16 = new TensorView("a", "BF16", new long[]{1}, buffer.duplicate().position(0).limit(2).slice());
		assertEquals(1.5f, bf16.getFloat(0));
		TensorView f16 = new TensorView("b", "F16", new long[]{1}, buffer.duplicate().position(2).limit(4).slice());
		assertEquals(-2.5f, f16.toFloatArray()[0]);
	}

	@Test
	void parsesFeatureRefsAndModes() {
		assertEquals(new FeatureRef(12, 345), FeatureRef.parse(" 12:345 "));
		assertThrows(IllegalArgumentException.class, () -> FeatureRef.parse("12"));
		assertEquals(LatentEditMode.SCALE, LatentEditMode.parse("scale:-3"));
		assertEquals(-3f, LatentEditMode.parseValue("scale:-3"));
		assertThrows(IllegalArgumentException.class, () -> LatentEditMode.parseValue("set"));
		assertThrows(IllegalArgumentException.class, () -> LatentEditMode.parse("clamp"));
	}
}

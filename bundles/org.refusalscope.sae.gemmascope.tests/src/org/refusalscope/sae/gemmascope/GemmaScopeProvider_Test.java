package org.refusalscope.sae.gemmascope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeLoadOptions;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.io.npy.NpzWriter;
import org.refusalscope.sae.LazySparseAutoencoder;

/**
 * Writes small Gemma Scope style params.npz files and checks the provider's encode/decode against a JumpReLU
 * written out in the test: f_j = pre_j if pre_j > theta_j (and > 0), pre = x W_enc + b_enc with no b_dec subtraction.
 */
public class GemmaScopeProvider_Test {

	private static final int D_IN = 6;
	private static final int D_SAE = 10;

	@TempDir
	Path temp;

	/** Random weights; thresholds chosen so that some latents sit between 0 and their threshold. */
	private record Params(float[] wEnc, float[] wDec, float[] bEnc, float[] bDec, float[] threshold) {

		static Params random(long seed) {
			Random random = new Random(seed);
			float[] wEnc = gaussian(random, D_IN * D_SAE);
			float[] wDec = gaussian(random, D_SAE * D_IN);
			float[] bEnc = gaussian(random, D_SAE);
			float[] bDec = gaussian(random, D_IN);
			float[] threshold = new float[D_SAE];
			for(int j = 0; j < D_SAE; j++) {
				threshold[j] = 0.2f + 0.3f * (j % 4);
			}
			return new Params(wEnc, wDec, bEnc, bDec, threshold);
		}

		void write(Path file, boolean compressed) throws IOException {
			new NpzWriter().add("W_enc", new long[] {D_IN, D_SAE}, wEnc).add("W_dec", new long[] {D_SAE, D_IN}, wDec)
					.add("b_enc", new long[] {D_SAE}, bEnc).add("b_dec", new long[] {D_IN}, bDec)
					.add("threshold", new long[] {D_SAE}, threshold).write(file, compressed);
		}

		double[] expectedEncode(float[] x) {
			double[] f = new double[D_SAE];
			for(int j = 0; j < D_SAE; j++) {
				double pre = bEnc[j];
				for(int i = 0; i < D_IN; i++) {
					pre += x[i] * (double) wEnc[i * D_SAE + j];
				}
				f[j] = pre > threshold[j] ? pre : 0;
			}
			return f;
		}

		double[] expectedDecode(float[] f) {
			double[] out = new double[D_IN];
			for(int i = 0; i < D_IN; i++) {
				out[i] = bDec[i];
				for(int j = 0; j < D_SAE; j++) {
					out[i] += f[j] * (double) wDec[j * D_IN + i];
				}
			}
			return out;
		}
	}

	private static float[] gaussian(Random random, int n) {
		float[] values = new float[n];
		for(int i = 0; i < n; i++) {
			values[i] = (float) random.nextGaussian();
		}
		return values;
	}

	private static void assertClose(double[] expected, float[] actual) {
		assertEquals(expected.length, actual.length);
		for(int i = 0; i < expected.length; i++) {
			assertEquals(expected[i], actual[i], 1e-4, "element " + i);
		}
	}

	private Path conventionalFolder(int layer) throws IOException {
		Path folder = temp.resolve("gemma-scope-2b-pt-res/layer_" + layer + "/width_16k/average_l0_82");
		Files.createDirectories(folder);
		return folder;
	}

	@Test
	void encodesAndDecodesLikeAnIndependentJumpRelu() throws IOException {
		Params params = Params.random(1);
		Path folder = conventionalFolder(12);
		params.write(folder.resolve("params.npz"), false);
		GemmaScopeProvider provider = new GemmaScopeProvider();
		assertTrue(provider.canLoad(folder));
		List<SparseAutoencoder> saes = provider.load(folder, new SaeLoadOptions(D_IN, -1));
		assertEquals(1, saes.size());
		SparseAutoencoder sae = saes.get(0);
		assertFalse(((LazySparseAutoencoder) sae).isLoaded(), "weights are mapped on first use, not at load");
		assertEquals(12, sae.info().layer());
		assertEquals(HookPoint.RESID_POST, sae.info().hook());
		assertEquals(SaeArchitecture.JUMPRELU, sae.info().architecture());
		assertEquals(D_SAE, sae.info().dSae());
		assertEquals("gemma-scope/layer_12/width_" + D_SAE + "/average_l0_82", sae.info().id());
		assertNull(sae.info().neuronpediaId(), "toy sizes are not a published Neuronpedia SAE");
		assertFalse(sae.weights().applyBDecToInput());

		Random random = new Random(7);
		int active = 0;
		for(int trial = 0; trial < 20; trial++) {
			float[] x = gaussian(random, D_IN);
			double[] expected = params.expectedEncode(x);
			float[] f = sae.encode(x);
			assertClose(expected, f);
			assertClose(params.expectedDecode(f), sae.decode(f));
			for(int j = 0; j < D_SAE; j++) {
				active += f[j] > 0 ? 1 : 0;
			}
		}
		assertTrue(active > 10, "the test inputs exercise active latents: " + active);
		// the threshold matters: with a plain ReLU some latents would differ
		float[] gatedInput = null;
		for(int trial = 0; trial < 200 && gatedInput == null; trial++) {
			float[] x = gaussian(random, D_IN);
			float[] pre = org.refusalscope.api.sae.SaeMath.preActivations(sae.weights(), x);
			for(int j = 0; j < D_SAE; j++) {
				if(pre[j] > 0 && pre[j] <= params.threshold()[j]) {
					gatedInput = x;
					assertEquals(0f, sae.encode(x)[j], "positive pre-activation below its threshold is gated");
				}
			}
		}
		assertTrue(gatedInput != null, "some input has a latent between 0 and its threshold");
	}

	@Test
	void thresholdGatesPositivePreActivationsAndBDecIsNotSubtracted() throws IOException {
		// hand-made: identity-like encoder so pre = x + b_enc is known exactly
		float[] wEnc = new float[D_IN * D_SAE];
		for(int i = 0; i < D_IN; i++) {
			wEnc[i * D_SAE + i] = 1f;
		}
		float[] bEnc = new float[D_SAE];
		float[] bDec = {5f, 5f, 5f, 5f, 5f, 5f};
		float[] threshold = new float[D_SAE];
		java.util.Arrays.fill(threshold, 0.5f);
		Path file = temp.resolve("hand.npz");
		new NpzWriter().add("W_enc", new long[] {D_IN, D_SAE}, wEnc).add("W_dec", new long[] {D_SAE, D_IN}, new float[D_SAE * D_IN])
				.add("b_enc", new long[] {D_SAE}, bEnc).add("b_dec", new long[] {D_IN}, bDec)
				.add("threshold", new long[] {D_SAE}, threshold).write(file, false);
		SparseAutoencoder sae = new GemmaScopeProvider().load(file, new SaeLoadOptions(0, 3)).get(0);
		assertEquals(3, sae.info().layer(), "layer from the options when the path does not say it");
		float[] f = sae.encode(new float[] {0.4f, 0.5f, 0.6f, 2f, -1f, 0f});
		// 0.4 and 0.5 are positive but not above the threshold 0.5; b_dec = 5 would have made everything negative
		assertArrayEquals(new float[] {0f, 0f, 0.6f, 2f, 0f, 0f, 0f, 0f, 0f, 0f}, f);
		assertArrayEquals(bDec, sae.decode(f), "zero decoder: reconstruction is b_dec");
	}

	@Test
	void compressedNpzAndSeveralLayersUnderOneFolder() throws IOException {
		Params.random(2).write(conventionalFolder(3).resolve("params.npz"), true);
		Params.random(3).write(conventionalFolder(5).resolve("params.npz"), false);
		GemmaScopeProvider provider = new GemmaScopeProvider();
		Path root = temp.resolve("gemma-scope-2b-pt-res");
		List<SparseAutoencoder> saes = provider.load(root, SaeLoadOptions.defaults());
		assertEquals(List.of(3, 5), saes.stream().map(s -> s.info().layer()).toList());
		float[] x = gaussian(new Random(4), D_IN);
		assertClose(Params.random(2).expectedEncode(x), saes.get(0).encode(x));
	}

	@Test
	void errorsNameFileAndTensor() throws IOException {
		Params params = Params.random(5);
		GemmaScopeProvider provider = new GemmaScopeProvider();
		Path missing = temp.resolve("missing.npz");
		new NpzWriter().add("W_enc", new long[] {D_IN, D_SAE}, params.wEnc()).add("W_dec", new long[] {D_SAE, D_IN}, params.wDec())
				.add("b_enc", new long[] {D_SAE}, params.bEnc()).add("b_dec", new long[] {D_IN}, params.bDec()).write(missing, false);
		IOException noThreshold = assertThrows(IOException.class, () -> provider.load(missing, new SaeLoadOptions(0, 1)));
		assertTrue(noThreshold.getMessage().contains("missing.npz") && noThreshold.getMessage().contains("threshold"),
				noThreshold.getMessage());

		Path good = temp.resolve("good.npz");
		params.write(good, false);
		IOException wrongModel = assertThrows(IOException.class, () -> provider.load(good, new SaeLoadOptions(2304, 1)));
		assertTrue(wrongModel.getMessage().contains("W_enc") && wrongModel.getMessage().contains("2304"), wrongModel.getMessage());
		IOException noLayer = assertThrows(IOException.class, () -> provider.load(good, SaeLoadOptions.defaults()));
		assertTrue(noLayer.getMessage().contains("--sae-layer"), noLayer.getMessage());

		float[] nanThreshold = params.threshold().clone();
		nanThreshold[4] = Float.NaN;
		new Params(params.wEnc(), params.wDec(), params.bEnc(), params.bDec(), nanThreshold).write(temp.resolve("nan1.npz"), false);
		IOException nan = assertThrows(IOException.class, () -> provider.load(temp.resolve("nan1.npz"), new SaeLoadOptions(0, 1)));
		assertTrue(nan.getMessage().contains("threshold") && nan.getMessage().contains("NaN"), nan.getMessage());

		float[] nanEnc = params.wEnc().clone();
		nanEnc[17] = Float.NaN;
		new Params(nanEnc, params.wDec(), params.bEnc(), params.bDec(), params.threshold()).write(temp.resolve("nan2.npz"), false);
		SparseAutoencoder lazy = provider.load(temp.resolve("nan2.npz"), new SaeLoadOptions(0, 1)).get(0);
		UncheckedIOException late = assertThrows(UncheckedIOException.class, lazy::weights);
		assertTrue(late.getMessage().contains("nan2.npz") && late.getMessage().contains("W_enc"), late.getMessage());

		Path wrongDec = temp.resolve("wrongdec.npz");
		new NpzWriter().add("W_enc", new long[] {D_IN, D_SAE}, params.wEnc()).add("W_dec", new long[] {D_IN, D_SAE}, params.wDec())
				.add("b_enc", new long[] {D_SAE}, params.bEnc()).add("b_dec", new long[] {D_IN}, params.bDec())
				.add("threshold", new long[] {D_SAE}, params.threshold()).write(wrongDec, false);
		IOException shape = assertThrows(IOException.class, () -> provider.load(wrongDec, new SaeLoadOptions(0, 1)));
		assertTrue(shape.getMessage().contains("W_dec") && shape.getMessage().contains("[6, 10]"), shape.getMessage());
		assertFalse(provider.canLoad(temp.resolve("nothing-here")));
	}

	@Test
	void neuronpediaIdsForPublishedGemma2bSaes() {
		assertEquals("gemma-2-2b/12-gemmascope-res-16k", GemmaScopeProvider.neuronpediaId(2304, 16384, 12, HookPoint.RESID_POST));
		assertEquals("gemma-2-2b/20-gemmascope-res-65k", GemmaScopeProvider.neuronpediaId(2304, 65536, 20, HookPoint.RESID_POST));
		assertNull(GemmaScopeProvider.neuronpediaId(2304, 16384, 12, HookPoint.MLP_OUT));
		assertNull(GemmaScopeProvider.neuronpediaId(3584, 16384, 12, HookPoint.RESID_POST));
	}
}

package org.refusalscope.sae.llamascope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
import org.refusalscope.io.safetensors.SafetensorsWriter;
import org.refusalscope.sae.LazySparseAutoencoder;

/**
 * Writes small Llama Scope folders (nn.Linear layout, bf16 or f32) and compares the provider's encode/decode with
 * the Llama Scope forward written out here on the stored (untransposed) matrices: x' = s x with
 * s = sqrt(d_model)/norm_in, pre = encoder.weight x' + encoder.bias, f = act(pre), x_hat = (decoder.weight f + decoder.bias) / s.
 */
public class LlamaScopeProvider_Test {

	private static final int D_MODEL = 8;
	private static final int D_SAE = 12;
	private static final float NORM_IN = 3.5f;

	@TempDir
	Path temp;

	/** Values on a 1/8 grid so bf16 storage is exact and the reference needs no rounding model. */
	private static float[] grid(Random random, int n) {
		float[] values = new float[n];
		for(int i = 0; i < n; i++) {
			values[i] = (random.nextInt(33) - 16) / 8f;
		}
		return values;
	}

	private record Stored(float[] encoder, float[] encoderBias, float[] decoder, float[] decoderBias) {

		static Stored random(long seed) {
			Random random = new Random(seed);
			return new Stored(grid(random, D_SAE * D_MODEL), grid(random, D_SAE), grid(random, D_MODEL * D_SAE),
					grid(random, D_MODEL));
		}

		Path write(Path folder, String actFn, String dtype, String extraConfig) throws IOException {
			Files.createDirectories(folder.resolve("checkpoints"));
			new SafetensorsWriter().add("encoder.weight", new long[] {D_SAE, D_MODEL}, encoder, dtype)
					.add("encoder.bias", new long[] {D_SAE}, encoderBias, dtype)
					.add("decoder.weight", new long[] {D_MODEL, D_SAE}, decoder, dtype)
					.add("decoder.bias", new long[] {D_MODEL}, decoderBias, dtype)
					.write(folder.resolve("checkpoints/final.safetensors"));
			Files.writeString(folder.resolve("hyperparams.json"), "{\"d_model\": " + D_MODEL + ", \"d_sae\": " + D_SAE
					+ ", \"expansion_factor\": 1.5, \"hook_point_in\": \"blocks.15.hook_resid_post\", \"hook_point_out\": "
					+ "\"blocks.15.hook_resid_post\", \"act_fn\": \"" + actFn + "\", \"top_k\": 3, \"jump_relu_threshold\": 0.75, "
					+ "\"dataset_average_activation_norm\": {\"in\": " + NORM_IN + ", \"out\": " + NORM_IN + "}, "
					+ "\"norm_activation\": \"dataset-wise\", \"sparsity_include_decoder_norm\": true" + extraConfig + "}");
			return folder;
		}

		double[] pre(float[] x) {
			double scale = Math.sqrt(D_MODEL) / NORM_IN;
			double[] pre = new double[D_SAE];
			for(int j = 0; j < D_SAE; j++) {
				pre[j] = encoderBias[j];
				for(int i = 0; i < D_MODEL; i++) {
					pre[j] += encoder[j * D_MODEL + i] * (scale * x[i]); // encoder.weight is [d_sae, d_model]
				}
			}
			return pre;
		}

		double[] decode(float[] f) {
			double scale = Math.sqrt(D_MODEL) / NORM_IN;
			double[] out = new double[D_MODEL];
			for(int i = 0; i < D_MODEL; i++) {
				out[i] = decoderBias[i];
				for(int j = 0; j < D_SAE; j++) {
					out[i] += decoder[i * D_SAE + j] * (double) f[j]; // decoder.weight is [d_model, d_sae]
				}
				out[i] /= scale;
			}
			return out;
		}
	}

	private static void assertClose(double[] expected, float[] actual, String what) {
		assertEquals(expected.length, actual.length);
		for(int i = 0; i < expected.length; i++) {
			assertEquals(expected[i], actual[i], 1e-4 * Math.max(1, Math.abs(expected[i])), what + " element " + i);
		}
	}

	@Test
	void jumpReluWithScalarThresholdNormScalingAndTransposes() throws IOException {
		Stored stored = Stored.random(11);
		Path folder = stored.write(temp.resolve("Llama3_1-8B-Base-L15R-8x"), "jumprelu", "BF16", "");
		LlamaScopeProvider provider = new LlamaScopeProvider();
		assertTrue(provider.canLoad(folder));
		SparseAutoencoder sae = provider.load(folder, new SaeLoadOptions(D_MODEL, -1)).get(0);
		assertFalse(((LazySparseAutoencoder) sae).isLoaded());
		assertEquals(15, sae.info().layer());
		assertEquals(HookPoint.RESID_POST, sae.info().hook());
		assertEquals(SaeArchitecture.JUMPRELU, sae.info().architecture());
		assertArrayEquals(new long[] {D_MODEL, D_SAE}, sae.weights().wEnc().shape());
		assertArrayEquals(new long[] {D_SAE, D_MODEL}, sae.weights().wDec().shape());
		assertEquals(Math.sqrt(D_MODEL) / NORM_IN, sae.weights().inputScale(), 1e-6);

		Random random = new Random(3);
		int gated = 0, active = 0;
		for(int trial = 0; trial < 30; trial++) {
			float[] x = grid(random, D_MODEL);
			double[] pre = stored.pre(x);
			double[] expected = new double[D_SAE];
			for(int j = 0; j < D_SAE; j++) {
				expected[j] = pre[j] > 0.75 ? pre[j] : 0;
				gated += pre[j] > 0 && pre[j] <= 0.75 ? 1 : 0;
				active += expected[j] > 0 ? 1 : 0;
			}
			float[] f = sae.encode(x);
			assertClose(expected, f, "encode");
			assertClose(stored.decode(f), sae.decode(f), "decode");
		}
		assertTrue(gated > 0 && active > 0, "threshold exercised: gated " + gated + ", active " + active);
	}

	@Test
	void topKKeepsTheKLargestAndBreaksTiesByLowerIndex() throws IOException {
		// encoder = rows of the identity (latent j reads input j mod d_model), zero biases: pre_j = s x_(j mod 8)
		float[] encoder = new float[D_SAE * D_MODEL];
		for(int j = 0; j < D_SAE; j++) {
			encoder[j * D_MODEL + j % D_MODEL] = 1f;
		}
		Stored stored = new Stored(encoder, new float[D_SAE], grid(new Random(5), D_MODEL * D_SAE), new float[D_MODEL]);
		Path folder = stored.write(temp.resolve("topk"), "topk", "F32", "");
		SparseAutoencoder sae = new LlamaScopeProvider().load(folder, SaeLoadOptions.defaults()).get(0);
		assertEquals(SaeArchitecture.TOPK, sae.info().architecture());
		assertEquals(3, sae.weights().k());
		double s = Math.sqrt(D_MODEL) / NORM_IN;
		// x_1 = 2 feeds latents 1 and 9 (a tie for the top two); x_3 = x_5 = 1 feed latents 3, 11 and 5: a three-way
		// tie for the third place, which the lowest index (3) wins
		float[] x = {0, 2, 0, 1, 0, 1, 0, -4};
		float[] f = sae.encode(x);
		float[] expected = new float[D_SAE];
		expected[1] = (float) (2 * s);
		expected[9] = (float) (2 * s);
		expected[3] = (float) (1 * s);
		assertArrayEquals(expected, f, 1e-5f);
	}

	@Test
	void severalLayerFoldersErrorsAndThresholdTensor() throws IOException {
		Stored a = Stored.random(1);
		a.write(temp.resolve("all/L3R"), "jumprelu", "F32", "");
		Stored.random(2).write(temp.resolve("all/L7R"), "relu", "F32", "");
		Files.writeString(temp.resolve("all/L7R/hyperparams.json"),
				Files.readString(temp.resolve("all/L7R/hyperparams.json")).replace("blocks.15", "blocks.7"));
		Files.writeString(temp.resolve("all/L3R/hyperparams.json"),
				Files.readString(temp.resolve("all/L3R/hyperparams.json")).replace("blocks.15", "blocks.3"));
		List<SparseAutoencoder> saes = new LlamaScopeProvider().load(temp.resolve("all"), SaeLoadOptions.defaults());
		assertEquals(List.of(3, 7), saes.stream().map(sae -> sae.info().layer()).toList());
		assertEquals(SaeArchitecture.RELU, saes.get(1).info().architecture());

		IOException wrongModel = assertThrows(IOException.class,
				() -> new LlamaScopeProvider().load(temp.resolve("all/L3R"), new SaeLoadOptions(4096, -1)));
		assertTrue(wrongModel.getMessage().contains("final.safetensors") && wrongModel.getMessage().contains("4096"));

		Path broken = temp.resolve("broken");
		Files.createDirectories(broken.resolve("checkpoints"));
		new SafetensorsWriter().add("encoder.weight", new long[] {D_SAE, D_MODEL}, a.encoder())
				.add("decoder.weight", new long[] {D_MODEL, D_SAE}, a.decoder()).add("decoder.bias", new long[] {D_MODEL}, a.decoderBias())
				.write(broken.resolve("checkpoints/final.safetensors"));
		Files.copy(temp.resolve("all/L3R/hyperparams.json"), broken.resolve("hyperparams.json"));
		IOException missing = assertThrows(IOException.class, () -> new LlamaScopeProvider().load(broken, SaeLoadOptions.defaults()));
		assertTrue(missing.getMessage().contains("final.safetensors") && missing.getMessage().contains("encoder.bias"),
				missing.getMessage());

		float[] nanBias = a.decoderBias().clone();
		nanBias[2] = Float.NaN;
		new Stored(a.encoder(), a.encoderBias(), a.decoder(), nanBias).write(temp.resolve("nan"), "jumprelu", "F32", "");
		IOException nan = assertThrows(IOException.class, () -> new LlamaScopeProvider().load(temp.resolve("nan"), SaeLoadOptions.defaults()));
		assertTrue(nan.getMessage().contains("decoder.bias") && nan.getMessage().contains("NaN"), nan.getMessage());
	}

	@Test
	void neuronpediaIdForPublished8xResidualSaes() {
		assertEquals("llama3.1-8b/15-llamascope-res-32k", LlamaScopeProvider.neuronpediaId(4096, 32768, 15, HookPoint.RESID_POST));
		assertEquals(null, LlamaScopeProvider.neuronpediaId(4096, 32768, 15, HookPoint.MLP_OUT));
		assertEquals(null, LlamaScopeProvider.neuronpediaId(D_MODEL, D_SAE, 15, HookPoint.RESID_POST));
	}
}

package org.refusalscope.sae.saelens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.MappedByteBuffer;
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

/** Writes small SAELens folders and checks encode/decode against the SAELens forward written out in the test. */
public class SaeLensProvider_Test {

	private static final int D_IN = 5;
	private static final int D_SAE = 9;

	@TempDir
	Path temp;

	private record Params(float[] wEnc, float[] wDec, float[] bEnc, float[] bDec, float[] threshold) {

		static Params random(long seed) {
			Random random = new Random(seed);
			float[] threshold = new float[D_SAE];
			for(int j = 0; j < D_SAE; j++) {
				threshold[j] = 0.1f * (j + 1);
			}
			return new Params(gaussian(random, D_IN * D_SAE), gaussian(random, D_SAE * D_IN), gaussian(random, D_SAE),
					gaussian(random, D_IN), threshold);
		}

		Path write(Path folder, String cfgJson, boolean withThreshold) throws IOException {
			Files.createDirectories(folder);
			SafetensorsWriter writer = new SafetensorsWriter().add("W_enc", new long[] {D_IN, D_SAE}, wEnc)
					.add("W_dec", new long[] {D_SAE, D_IN}, wDec).add("b_enc", new long[] {D_SAE}, bEnc)
					.add("b_dec", new long[] {D_IN}, bDec);
			if(withThreshold) {
				writer.add("threshold", new long[] {D_SAE}, threshold);
			}
			writer.write(folder.resolve("sae_weights.safetensors"));
			Files.writeString(folder.resolve("cfg.json"), cfgJson);
			return folder;
		}

		double[] pre(float[] x, boolean subtractBDec) {
			double[] pre = new double[D_SAE];
			for(int j = 0; j < D_SAE; j++) {
				pre[j] = bEnc[j];
				for(int i = 0; i < D_IN; i++) {
					pre[j] += (x[i] - (subtractBDec ? bDec[i] : 0.0)) * wEnc[i * D_SAE + j];
				}
			}
			return pre;
		}

		double[] decode(float[] f) {
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
		for(int i = 0; i < expected.length; i++) {
			assertEquals(expected[i], actual[i], 1e-4, "element " + i);
		}
	}

	private static String v6(String architecture, boolean applyBDec, String extra) {
		return "{\"architecture\": \"" + architecture + "\", \"d_in\": " + D_IN + ", \"d_sae\": " + D_SAE
				+ ", \"dtype\": \"float32\", \"device\": \"cpu\", \"apply_b_dec_to_input\": " + applyBDec
				+ ", \"normalize_activations\": \"none\", \"reshape_activations\": \"none\"" + extra
				+ ", \"metadata\": {\"model_name\": \"toy\", \"hook_name\": \"blocks.6.hook_resid_post\", \"prepend_bos\": true, "
				+ "\"neuronpedia_id\": \"toy/6-res\"}}";
	}

	@Test
	void standardReluSubtractsBDecWhenConfigured() throws IOException {
		Params params = Params.random(1);
		SaeLensProvider provider = new SaeLensProvider();
		Path with = params.write(temp.resolve("with"), v6("standard", true, ""), false);
		Path without = params.write(temp.resolve("without"), v6("standard", false, ""), false);
		SparseAutoencoder a = provider.load(with, new SaeLoadOptions(D_IN, -1)).get(0);
		SparseAutoencoder b = provider.load(without, new SaeLoadOptions(D_IN, -1)).get(0);
		assertEquals(SaeArchitecture.RELU, a.info().architecture());
		assertEquals(6, a.info().layer());
		assertEquals(HookPoint.RESID_POST, a.info().hook());
		assertEquals("https://www.neuronpedia.org/toy/6-res/3", a.info().neuronpediaUrl(3));
		assertTrue(a.weights().wEnc().bytes() instanceof MappedByteBuffer, "SAELens weights stay memory-mapped");
		Random random = new Random(2);
		for(int trial = 0; trial < 10; trial++) {
			float[] x = gaussian(random, D_IN);
			double[] preWith = params.pre(x, true), preWithout = params.pre(x, false);
			double[] fWith = new double[D_SAE], fWithout = new double[D_SAE];
			for(int j = 0; j < D_SAE; j++) {
				fWith[j] = Math.max(0, preWith[j]);
				fWithout[j] = Math.max(0, preWithout[j]);
			}
			float[] encoded = a.encode(x);
			assertClose(fWith, encoded);
			assertClose(fWithout, b.encode(x));
			assertClose(params.decode(encoded), a.decode(encoded));
			assertNotEquals(java.util.Arrays.toString(encoded), java.util.Arrays.toString(b.encode(x)));
		}
	}

	@Test
	void jumpReluUsesPerLatentThresholds() throws IOException {
		Params params = Params.random(3);
		Path folder = params.write(temp.resolve("jr"), v6("jumprelu", false, ""), true);
		SparseAutoencoder sae = new SaeLensProvider().load(folder, SaeLoadOptions.defaults()).get(0);
		assertEquals(SaeArchitecture.JUMPRELU, sae.info().architecture());
		Random random = new Random(4);
		int gated = 0;
		for(int trial = 0; trial < 40; trial++) {
			float[] x = gaussian(random, D_IN);
			double[] pre = params.pre(x, false);
			double[] expected = new double[D_SAE];
			for(int j = 0; j < D_SAE; j++) {
				expected[j] = pre[j] > params.threshold()[j] ? pre[j] : 0;
				gated += pre[j] > 0 && pre[j] <= params.threshold()[j] ? 1 : 0;
			}
			assertClose(expected, sae.encode(x));
		}
		assertTrue(gated > 0, "some latents fall between 0 and their threshold");

		// a training checkpoint with log_threshold instead of threshold
		Path logFolder = temp.resolve("jrlog");
		params.write(logFolder, v6("jumprelu", false, ""), false);
		float[] log = new float[D_SAE];
		for(int j = 0; j < D_SAE; j++) {
			log[j] = (float) Math.log(params.threshold()[j]);
		}
		new SafetensorsWriter().add("W_enc", new long[] {D_IN, D_SAE}, params.wEnc()).add("W_dec", new long[] {D_SAE, D_IN}, params.wDec())
				.add("b_enc", new long[] {D_SAE}, params.bEnc()).add("b_dec", new long[] {D_IN}, params.bDec())
				.add("log_threshold", new long[] {D_SAE}, log).write(logFolder.resolve("sae_weights.safetensors"));
		float[] theta = new SaeLensProvider().load(logFolder, SaeLoadOptions.defaults()).get(0).weights().threshold().toFloatArray();
		assertArrayEquals(params.threshold(), theta, 1e-6f);
	}

	@Test
	void topKAndPre6Config() throws IOException {
		Params params = Params.random(5);
		Path v6 = params.write(temp.resolve("topk"), v6("topk", true, ", \"k\": 2, \"rescale_acts_by_decoder_norm\": false"), false);
		String pre6 = "{\"d_in\": " + D_IN + ", \"d_sae\": " + D_SAE + ", \"hook_point\": \"blocks.4.hook_resid_pre\", "
				+ "\"activation_fn_str\": \"topk\", \"activation_fn_kwargs\": {\"k\": 3}, \"apply_b_dec_to_input\": false, "
				+ "\"model_name\": \"toy\"}";
		Path old = params.write(temp.resolve("old"), pre6, false);
		SparseAutoencoder top2 = new SaeLensProvider().load(v6, SaeLoadOptions.defaults()).get(0);
		SparseAutoencoder top3 = new SaeLensProvider().load(old, SaeLoadOptions.defaults()).get(0);
		assertEquals(SaeArchitecture.TOPK, top3.info().architecture());
		assertEquals(3, top3.weights().k());
		assertEquals(4, top3.info().layer());
		assertEquals(HookPoint.RESID_PRE, top3.info().hook());
		Random random = new Random(6);
		for(int trial = 0; trial < 20; trial++) {
			float[] x = gaussian(random, D_IN);
			for(Object[] check : new Object[][] {{top2, 2, true}, {top3, 3, false}}) {
				SparseAutoencoder sae = (SparseAutoencoder) check[0];
				int k = (Integer) check[1];
				double[] pre = params.pre(x, (Boolean) check[2]);
				// independent top-k: repeatedly take the largest remaining pre-activation
				double[] expected = new double[D_SAE];
				boolean[] taken = new boolean[D_SAE];
				for(int r = 0; r < k; r++) {
					int best = -1;
					for(int j = 0; j < D_SAE; j++) {
						if(!taken[j] && (best < 0 || pre[j] > pre[best])) {
							best = j;
						}
					}
					taken[best] = true;
					expected[best] = Math.max(0, pre[best]);
				}
				assertClose(expected, sae.encode(x));
			}
		}
	}

	@Test
	void layerFoldersScalingFactorAndErrors() throws IOException {
		Params params = Params.random(7);
		Path all = temp.resolve("trained");
		for(int layer : new int[] {10, 2}) {
			params.write(all.resolve("layer_" + layer), v6("standard", true, "").replace("blocks.6", "blocks." + layer), false);
		}
		List<SparseAutoencoder> saes = new SaeLensProvider().load(all, SaeLoadOptions.defaults());
		assertEquals(List.of(2, 10), saes.stream().map(s -> s.info().layer()).toList());

		// legacy scaling_factor: x_hat = (f * scaling) W_dec + b_dec
		Path scaled = temp.resolve("scaled");
		params.write(scaled, v6("standard", false, ""), false);
		float[] scaling = new float[D_SAE];
		for(int j = 0; j < D_SAE; j++) {
			scaling[j] = 1f + j;
		}
		new SafetensorsWriter().add("W_enc", new long[] {D_IN, D_SAE}, params.wEnc()).add("W_dec", new long[] {D_SAE, D_IN}, params.wDec())
				.add("b_enc", new long[] {D_SAE}, params.bEnc()).add("b_dec", new long[] {D_IN}, params.bDec())
				.add("scaling_factor", new long[] {D_SAE}, scaling).write(scaled.resolve("sae_weights.safetensors"));
		float[] f = new float[D_SAE];
		f[2] = 1.5f;
		f[7] = 0.5f;
		float[] fScaled = f.clone();
		fScaled[2] *= scaling[2];
		fScaled[7] *= scaling[7];
		assertClose(params.decode(fScaled), new SaeLensProvider().load(scaled, SaeLoadOptions.defaults()).get(0).decode(f));

		SaeLensProvider provider = new SaeLensProvider();
		Path noThreshold = params.write(temp.resolve("nothr"), v6("jumprelu", false, ""), false);
		IOException missing = assertThrows(IOException.class, () -> provider.load(noThreshold, SaeLoadOptions.defaults()));
		assertTrue(missing.getMessage().contains("sae_weights.safetensors") && missing.getMessage().contains("threshold"));
		IOException model = assertThrows(IOException.class, () -> provider.load(all.resolve("layer_2"), new SaeLoadOptions(2304, -1)));
		assertTrue(model.getMessage().contains("2304"), model.getMessage());
		Path wrong = params.write(temp.resolve("wrong"), v6("standard", true, "").replace("\"d_sae\": 9", "\"d_sae\": 8"), false);
		IOException shape = assertThrows(IOException.class, () -> provider.load(wrong, SaeLoadOptions.defaults()));
		assertTrue(shape.getMessage().contains("W_enc") && shape.getMessage().contains("[5, 9]"), shape.getMessage());
		float[] nanBias = params.bEnc().clone();
		nanBias[0] = Float.NaN;
		Path nan = new Params(params.wEnc(), params.wDec(), nanBias, params.bDec(), params.threshold())
				.write(temp.resolve("nan"), v6("standard", true, ""), false);
		IOException nanError = assertThrows(IOException.class, () -> provider.load(nan, SaeLoadOptions.defaults()));
		assertTrue(nanError.getMessage().contains("b_enc") && nanError.getMessage().contains("NaN"));
		Path gated = params.write(temp.resolve("gated"), v6("gated", true, ""), false);
		IOException arch = assertThrows(IOException.class, () -> provider.load(gated, SaeLoadOptions.defaults()));
		assertTrue(arch.getMessage().contains("cfg.json") && arch.getMessage().contains("gated"));
	}
}

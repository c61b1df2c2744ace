package org.refusalscope.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.TensorView;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeInfo;
import org.refusalscope.api.sae.SaeMath;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;

/** Batch math, activation cache, collector, evaluator and feature examples against values computed here. */
public class SaeAnalysis_Test {

	private static final int D = 6;
	private static final int W = 10;

	@TempDir
	Path temp;

	private static float[] gaussian(Random random, int n, float scale) {
		float[] out = new float[n];
		for(int i = 0; i < n; i++) {
			out[i] = (float) random.nextGaussian() * scale;
		}
		return out;
	}

	static SparseAutoencoder sae(SaeArchitecture architecture, int layer, long seed, int k, boolean applyBDec, float scale) {
		Random random = new Random(seed);
		float[] threshold = new float[W];
		java.util.Arrays.fill(threshold, 0.3f);
		SaeWeights weights = new SaeWeights(TensorView.ofFloats("W_enc", new long[] {D, W}, gaussian(random, D * W, 0.7f)),
				TensorView.ofFloats("W_dec", new long[] {W, D}, gaussian(random, W * D, 0.5f)),
				TensorView.ofFloats("b_enc", new long[] {W}, gaussian(random, W, 0.2f)),
				TensorView.ofFloats("b_dec", new long[] {D}, gaussian(random, D, 0.2f)),
				architecture == SaeArchitecture.JUMPRELU ? TensorView.ofFloats("threshold", new long[] {W}, threshold) : null, k,
				applyBDec, scale);
		SaeInfo info = new SaeInfo("test", "test", layer, HookPoint.RESID_POST, D, W, architecture, null, "toy/" + layer + "-res");
		return new LazySparseAutoencoder(info, () -> weights);
	}

	@Test
	void batchMathMatchesTheReference() {
		Random random = new Random(1);
		for(SaeArchitecture architecture : SaeArchitecture.values()) {
			SparseAutoencoder sae = sae(architecture, 0, 2, 3, true, 1.7f);
			SaeBatchMath math = new SaeBatchMath(sae);
			float[][] rows = new float[30][];
			for(int r = 0; r < rows.length; r++) {
				rows[r] = gaussian(random, D, 1f);
			}
			rows[0] = new float[D]; // all-zero input: TopK picks among equal b_enc-driven values
			float[][] f = math.encode(rows);
			float[][] xHat = math.decode(f);
			for(int r = 0; r < rows.length; r++) {
				assertArrayEquals(SaeMath.encode(sae.weights(), architecture, rows[r]), f[r], 1e-5f, architecture + " row " + r);
				assertArrayEquals(SaeMath.decode(sae.weights(), f[r]), xHat[r], 1e-5f);
			}
		}
		// TopK ties: identical pre-activations, the lower indices win
		SaeWeights w = new SaeWeights(TensorView.ofFloats("W_enc", new long[] {1, 4}, new float[] {1, 1, 1, 1}),
				TensorView.ofFloats("W_dec", new long[] {4, 1}, new float[4]), TensorView.ofFloats("b_enc", new long[] {4}, new float[4]),
				TensorView.ofFloats("b_dec", new long[] {1}, new float[1]), null, 2, false, 1f);
		SparseAutoencoder ties = new LazySparseAutoencoder(new SaeInfo("t", "t", 0, HookPoint.RESID_POST, 1, 4, SaeArchitecture.TOPK,
				null, null), () -> w);
		assertArrayEquals(new float[] {2, 2, 0, 0}, new SaeBatchMath(ties).encode(new float[] {2}));
	}

	@Test
	void collectorWritesEveryNonBosPositionOfEveryLayerInChunks() throws IOException {
		FakeModel model = new FakeModel(D, 3, 5);
		List<String> prompts = List.of("abc", "hello", "xyz", "de", "hola");
		Map<Integer, ActivationCache> caches = ActivationCollector.collect(model, prompts, true, new int[] {0, 2},
				HookPoint.RESID_POST, temp.resolve("acts"), 2, 4, ProgressMonitor.NULL);
		int tokens = prompts.stream().mapToInt(String::length).sum();
		for(int layer : new int[] {0, 2}) {
			ActivationCache cache = ActivationCache.open(temp.resolve("acts/layer_" + layer));
			assertEquals(tokens, cache.totalRows());
			assertEquals((tokens + 3) / 4, cache.chunkCount(), "chunks of 4 rows");
			double[] expected = new double[D], actual = new double[D];
			for(String prompt : prompts) {
				for(int id : model.tokenize(prompt, false)) {
					float[] residual = model.residual(id, layer);
					for(int i = 0; i < D; i++) {
						expected[i] += residual[i];
					}
				}
			}
			for(int c = 0; c < cache.chunkCount(); c++) {
				float[] chunk = cache.chunk(c);
				for(int r = 0; r < cache.rows(c); r++) {
					for(int i = 0; i < D; i++) {
						actual[i] += chunk[r * D + i];
					}
				}
			}
			assertArrayEquals(expected, actual, 1e-3);
			assertEquals(caches.get(layer).totalRows(), cache.totalRows());
		}
	}

	@Test
	void evaluatorReportsL0FveCeAndKl() {
		FakeModel model = new FakeModel(D, 3, 7);
		SparseAutoencoder sae = sae(SaeArchitecture.RELU, 2, 8, 0, false, 1f);
		List<String> prompts = List.of("refuse", "comply", "abc", "xyzzy");
		SaeEvaluator.Result result = SaeEvaluator.evaluate(model, List.of(sae), prompts, false, 3, ProgressMonitor.NULL).get(0);
		double active = 0, error = 0, ceClean = 0, ceSpliced = 0, kl = 0;
		int rows = 0, predicted = 0;
		double[] sum = new double[D];
		double sumSq = 0;
		boolean[] fired = new boolean[W];
		for(String prompt : prompts) {
			int[] ids = model.tokenize(prompt, true);
			for(int p = 1; p < ids.length; p++) {
				float[] x = model.residual(ids[p], 2);
				float[] f = SaeMath.encode(sae.weights(), SaeArchitecture.RELU, x);
				float[] xHat = SaeMath.decode(sae.weights(), f);
				for(int j = 0; j < W; j++) {
					active += f[j] > 0 ? 1 : 0;
					fired[j] |= f[j] > 0;
				}
				for(int i = 0; i < D; i++) {
					error += (x[i] - xHat[i]) * (x[i] - xHat[i]);
					sum[i] += x[i];
					sumSq += x[i] * x[i];
				}
				rows++;
			}
			for(int p = 0; p + 1 < ids.length; p++) {
				float[] x = model.residual(ids[p], 2);
				double[] logP = SaeEvaluator.logSoftmax(model.logits(x));
				double[] logQ = SaeEvaluator.logSoftmax(model.logits(SaeMath.decode(sae.weights(), sae.encode(x))));
				ceClean -= logP[ids[p + 1]];
				ceSpliced -= logQ[ids[p + 1]];
				for(int v = 0; v < logP.length; v++) {
					kl += Math.exp(logP[v]) * (logP[v] - logQ[v]);
				}
				predicted++;
			}
		}
		double variance = sumSq;
		for(double s : sum) {
			variance -= s * s / rows;
		}
		int dead = 0;
		for(boolean f : fired) {
			dead += f ? 0 : 1;
		}
		assertEquals(2, result.layer());
		assertEquals(rows, result.tokens());
		assertEquals(active / rows, result.l0(), 1e-9);
		assertEquals(1 - error / variance, result.fve(), 1e-4);
		assertEquals((double) dead / W, result.dead_fraction(), 1e-12);
		assertEquals(ceClean / predicted, result.ce_loss_clean(), 1e-4);
		assertEquals(ceSpliced / predicted, result.ce_loss_spliced(), 1e-4);
		assertEquals(kl / predicted, result.kl(), 1e-5);
		assertTrue(result.kl() > 0, "a lossy SAE changes the next-token distribution");
	}

	@Test
	void featureExamplesFindTheTopTokens() {
		FakeModel model = new FakeModel(D, 3, 9);
		SparseAutoencoder sae = sae(SaeArchitecture.RELU, 1, 10, 0, false, 1f);
		List<String> prompts = List.of("abcdef", "ghijkl", "mnop");
		List<FeatureExamples.Latent> latents = FeatureExamples.collect(model, sae, prompts, false, null, 3, 2, ProgressMonitor.NULL);
		assertEquals(W, latents.size());
		for(FeatureExamples.Latent latent : latents) {
			float best = 0;
			String bestToken = null;
			int fires = 0, tokens = 0;
			for(String prompt : prompts) {
				for(char c : prompt.toCharArray()) {
					float value = sae.encode(model.residual(c - 'a' + 1, 1))[latent.feature()];
					tokens++;
					fires += value > 0 ? 1 : 0;
					if(value > best) {
						best = value;
						bestToken = Character.toString(c);
					}
				}
			}
			assertEquals(best, latent.maxActivation(), 1e-5f);
			assertEquals((double) fires / tokens, latent.frequency(), 1e-12);
			assertEquals("https://www.neuronpedia.org/toy/1-res/" + latent.feature(), latent.neuronpediaUrl());
			if(bestToken != null) {
				assertEquals(bestToken, latent.top().get(0).token());
				assertTrue(latent.top().size() <= 3);
				assertTrue(latent.top().get(0).context().endsWith(bestToken));
			}
		}
	}
}

package org.refusalscope.features.cosine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.TensorView;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.ModelInfo;
import org.refusalscope.api.pipeline.ActivationSource;
import org.refusalscope.api.pipeline.Candidate;
import org.refusalscope.api.pipeline.RefusalDirection;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeMath;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.features.cosine.ActivationDifference;
import org.refusalscope.features.cosine.CosineTopK;
import org.refusalscope.features.cosine.SaeBatchEncoder;

class FeatureCollectorsTest {

	private static float[] gaussian(Random random, int n, double scale) {
		float[] out = new float[n];
		for(int i = 0; i < n; i++) {
			out[i] = (float) (random.nextGaussian() * scale);
		}
		return out;
	}

	/** Decoder of {@code dSae} random rows with planted rows: planted[i] gets cosine targets[i] to unit e_0. */
	private static float[] plantedDecoder(Random random, int dSae, int d, int[] planted, double[] targets) {
		float[] dec = gaussian(random, dSae * d, 1.0 / Math.sqrt(d));
		// random rows have a small cosine with e_0; planted rows are set exactly
		for(int r = 0; r < dSae; r++) {
			dec[r * d] *= 0.1f;
		}
		for(int p = 0; p < planted.length; p++) {
			int row = planted[p] * d;
			double c = targets[p];
			for(int i = 0; i < d; i++) {
				dec[row + i] = 0;
			}
			dec[row] = (float) (3 * c);
			dec[row + 1] = (float) (3 * Math.sqrt(1 - c * c));
		}
		return dec;
	}

	private static RefusalDirection directionE0(int d, int layer) {
		float[] v = new float[d];
		v[0] = 7f;
		return new RefusalDirection(layer, -1, HookPoint.RESID_POST, v, null, Map.of());
	}

	@Test
	void cosineTopKFindsPlantedRowsAcrossBlocksAndDtypes() {
		int d = 512;
		int dSae = 5000;
		for(String dtype : List.of("F32", "BF16", "F16")) {
			Random random = new Random(1);
			float[] dec0 = plantedDecoder(random, dSae, d, new int[]{4321, 17, 2500}, new double[]{0.9, 0.8, -0.95});
			float[] dec1 = plantedDecoder(random, dSae, d, new int[]{4999}, new double[]{0.7});
			SparseAutoencoder l0 = TestSae.of(0, SaeArchitecture.RELU, new float[d * dSae], dec0, new float[dSae],
					new float[d], null, 0, false, 1f, d, dSae, dtype);
			SparseAutoencoder l3 = TestSae.of(3, SaeArchitecture.RELU, new float[d * dSae], dec1, new float[dSae],
					new float[d], null, 0, false, 1f, d, dSae, dtype);
			CosineTopK collector = new CosineTopK();
			List<Candidate> pool = collector.collect(directionE0(d, 0), Map.of(0, l0, 3, l3), null, List.of(), List.of(),
					new CosineTopK.Settings(2, null), ProgressMonitor.NULL);
			// sign kept: the anti-aligned row 2500 is not taken; pooled best first
			assertEquals(List.of(new FeatureRef(0, 4321), new FeatureRef(0, 17), new FeatureRef(3, 4999)),
					pool.subList(0, 3).stream().map(Candidate::feature).toList(), dtype);
			assertEquals(4, pool.size());
			double tolerance = dtype.equals("F32") ? 1e-6 : 1e-2;
			assertEquals(0.9, pool.get(0).cosine(), tolerance);
			assertEquals(0.8, pool.get(1).cosine(), tolerance);
			// every cosine equals an independent element-by-element computation
			for(Candidate c : pool) {
				TensorView dec = (c.feature().layer() == 0 ? l0 : l3).weights().wDec();
				double dot = 0, norm = 0;
				for(int i = 0; i < d; i++) {
					double v = dec.getFloat((long) c.feature().feature() * d + i);
					dot += v * (i == 0 ? 1 : 0);
					norm += v * v;
				}
				assertEquals(dot / Math.sqrt(norm), c.cosine(), 1e-5);
			}
		}
	}

	@Test
	void topKOrdersAndBreaksTiesByIndex() {
		assertArrayEquals(new int[]{3, 1, 4}, CosineTopK.topK(new double[]{0.1, 0.5, 0.2, 0.9, 0.5}, 3));
	}

	@Test
	void batchEncoderMatchesTheReferenceForEveryArchitecture() {
		Random random = new Random(9);
		int d = 40;
		int dSae = 300;
		for(SaeArchitecture architecture : SaeArchitecture.values()) {
			float[] threshold = architecture == SaeArchitecture.JUMPRELU ? gaussian(random, dSae, 0.2) : null;
			SparseAutoencoder sae = TestSae.of(2, architecture, gaussian(random, d * dSae, 0.3),
					gaussian(random, d * dSae, 0.3), gaussian(random, dSae, 0.1), gaussian(random, d, 0.1), threshold,
					architecture == SaeArchitecture.TOPK ? 12 : 0, architecture != SaeArchitecture.JUMPRELU, 1.5f, d, dSae,
					"F32");
			float[][] x = {gaussian(random, d, 1), gaussian(random, d, 1), gaussian(random, d, 1)};
			float[][] batch = SaeBatchEncoder.encode(sae, x);
			for(int p = 0; p < x.length; p++) {
				float[] reference = SaeMath.encode(sae.weights(), architecture, x[p]);
				assertArrayEquals(reference, batch[p], 1e-4f, architecture + " vector " + p);
			}
		}
	}

	@Test
	void activationDifferenceRanksLatentsByMeanDifference() {
		int d = 8;
		float[] identity = new float[d * d];
		for(int i = 0; i < d; i++) {
			identity[i * d + i] = 1;
		}
		SparseAutoencoder sae = TestSae.of(1, SaeArchitecture.RELU, identity, identity, new float[d], new float[d], null,
				0, false, 1f, d, d, "F32");
		// harmful: 5 e7 + e2 (+ e5 on the first prompt); harmless: e2 + 2 e3
		ActivationSource source = new ActivationSource() {
			@Override
			public ModelInfo model() {
				return new ModelInfo("t", "t", Path.of("."), 4, d, 2, new int[]{0}, 0, "F32", "float32", 0);
			}

			@Override
			public int postInstructionTokens() {
				return 2;
			}

			@Override
			public float[][][] activations(List<Prompt> prompts, HookPoint hook, int[] layers, int position) {
				float[][][] out = new float[prompts.size()][1][d];
				for(int p = 0; p < prompts.size(); p++) {
					float[] x = out[p][0];
					x[2] = 1;
					if(prompts.get(p).text().startsWith("h")) {
						x[7] = 5;
						x[5] = prompts.get(p).text().equals("h0") ? 6 : 0;
					} else {
						x[3] = 2;
					}
				}
				return out;
			}

			@Override
			public double[] refusalScores(List<Prompt> prompts, InterventionPlan plan) {
				throw new UnsupportedOperationException();
			}

			@Override
			public float[][] nextTokenLogProbs(List<Prompt> prompts, InterventionPlan plan) {
				throw new UnsupportedOperationException();
			}
		};
		ActivationDifference collector = new ActivationDifference();
		List<Candidate> top = collector.collect(directionE0(d, 1), Map.of(1, sae), source,
				List.of(Prompt.of("h0"), Prompt.of("h1")), List.of(Prompt.of("n0"), Prompt.of("n1")),
				new ActivationDifference.Settings(2, "eoi-mean", null), ProgressMonitor.NULL);
		assertEquals(List.of(new FeatureRef(1, 7), new FeatureRef(1, 5)), top.stream().map(Candidate::feature).toList());
		assertEquals(5.0, top.get(0).score(), 1e-9);
		assertEquals(3.0, top.get(1).score(), 1e-9);
		assertEquals(0.0, top.get(0).cosine(), 1e-9);
	}
}

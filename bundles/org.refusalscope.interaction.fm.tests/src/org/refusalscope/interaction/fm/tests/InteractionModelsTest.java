package org.refusalscope.interaction.fm.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.pipeline.InteractionData;
import org.refusalscope.api.pipeline.InteractionFit;
import org.refusalscope.api.pipeline.PairEffect;
import org.refusalscope.interaction.fm.FactorizationMachine;
import org.refusalscope.interaction.fm.FmParameters;
import org.refusalscope.interaction.fm.Masks;
import org.refusalscope.interaction.fm.PairwiseRidge;

class InteractionModelsTest {

	private static final int N = 24;

	private static List<FeatureRef> pool() {
		List<FeatureRef> out = new ArrayList<>();
		for(int i = 0; i < N; i++) {
			out.add(new FeatureRef(i / 6, 1000 + i));
		}
		return out;
	}

	/** Planted: small main effects, a strong synergy (0,1) of -4, a pair (2,3) of +2.5, noise sd 0.05. */
	private static InteractionData planted(boolean withPairs, long seed) {
		Random random = new Random(seed);
		double[] main = new double[N];
		for(int i = 0; i < N; i++) {
			main[i] = random.nextGaussian() * 0.5;
		}
		double[] qs = {0.1, 0.3, 0.5, 0.7, 0.9};
		int rows = 1500;
		boolean[][] masks = new boolean[rows][N];
		double[] y = new double[rows];
		for(int r = 0; r < rows; r++) {
			if(r < N) {
				masks[r][r] = true;
			} else {
				double q = qs[r % qs.length];
				for(int i = 0; i < N; i++) {
					masks[r][i] = random.nextDouble() < q;
				}
			}
			boolean[] z = masks[r];
			double value = 1.0;
			for(int i = 0; i < N; i++) {
				value += z[i] ? main[i] : 0;
			}
			if(withPairs) {
				value += (z[0] && z[1] ? -4.0 : 0) + (z[2] && z[3] ? 2.5 : 0);
			}
			y[r] = value + random.nextGaussian() * 0.05;
		}
		return new InteractionData(pool(), masks, y, Masks.holdOut(rows, 0.2, seed + 1));
	}

	@Test
	void factorizationMachineRecoversThePlantedPairs() {
		InteractionData data = planted(true, 11);
		FactorizationMachine fm = new FactorizationMachine();
		InteractionFit fit = fm.fit(data, fm.defaultSettings(), 5L, ProgressMonitor.NULL);
		assertTrue(fit.testR2() > 0.97, "FM test R^2 " + fit.testR2());
		assertTrue(fit.linearTestR2() < fit.testR2() - 0.05, "linear " + fit.linearTestR2() + " vs FM " + fit.testR2());
		PairEffect top = fit.topPairs().get(0);
		assertEquals(Set.of(new FeatureRef(0, 1000), new FeatureRef(0, 1001)), Set.of(top.a(), top.b()));
		assertEquals(-4.0, top.weight(), 0.4);
		PairEffect second = fit.topPairs().get(1);
		assertEquals(Set.of(new FeatureRef(0, 1002), new FeatureRef(0, 1003)), Set.of(second.a(), second.b()));
		assertEquals(2.5, second.weight(), 0.4);
		assertEquals(N, fit.mainEffects().length);
	}

	@Test
	void pairwiseRidgeRecoversThePlantedPairs() {
		InteractionData data = planted(true, 12);
		PairwiseRidge model = new PairwiseRidge();
		InteractionFit fit = model.fit(data, model.defaultSettings(), 5L, ProgressMonitor.NULL);
		assertTrue(fit.testR2() > 0.97, "pairwise ridge test R^2 " + fit.testR2());
		assertTrue(fit.linearTestR2() < fit.testR2() - 0.05);
		PairEffect top = fit.topPairs().get(0);
		assertEquals(Set.of(new FeatureRef(0, 1000), new FeatureRef(0, 1001)), Set.of(top.a(), top.b()));
		assertEquals(-4.0, top.weight(), 0.3);
	}

	@Test
	void withoutInteractionsTheLinearBaselineIsAsGood() {
		InteractionData data = planted(false, 13);
		FactorizationMachine fm = new FactorizationMachine();
		InteractionFit fit = fm.fit(data, fm.defaultSettings(), 3L, ProgressMonitor.NULL);
		assertTrue(fit.linearTestR2() > 0.99, "linear " + fit.linearTestR2());
		assertTrue(fit.testR2() > 0.97, "FM " + fit.testR2());
		assertTrue(Math.abs(fit.topPairs().get(0).weight()) < 0.3, "no strong pair: " + fit.topPairs().get(0));
	}

	@Test
	void linearPredictionUsesTheO_nkIdentity() {
		Random random = new Random(3);
		int n = 9;
		int k = 4;
		double[] v = new double[n * k];
		double[] w = new double[n];
		for(int i = 0; i < v.length; i++) {
			v[i] = random.nextGaussian();
		}
		for(int i = 0; i < n; i++) {
			w[i] = random.nextGaussian();
		}
		FmParameters p = new FmParameters(new double[]{0.7}, w, v, k);
		int[] active = {0, 2, 3, 7};
		// the naive double sum over pairs, written independently
		double expected = 0.7;
		for(int a : active) {
			expected += w[a];
		}
		for(int x = 0; x < active.length; x++) {
			for(int yy = x + 1; yy < active.length; yy++) {
				double dot = 0;
				for(int f = 0; f < k; f++) {
					dot += v[active[x] * k + f] * v[active[yy] * k + f];
				}
				expected += dot;
			}
		}
		assertEquals(expected, p.predict(active), 1e-12);
	}

	@Test
	void r2IsOneForPerfectAndZeroForTheMean() {
		double[] t = {1, 2, 3, 4};
		assertEquals(1.0, Masks.r2(t, t, new int[]{0, 1, 2, 3}), 1e-12);
		assertEquals(0.0, Masks.r2(t, new double[]{2.5, 2.5, 2.5, 2.5}, new int[]{0, 1, 2, 3}), 1e-12);
	}
}

package org.refusalscope.model.djl.saetrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeLoadOptions;
import org.refusalscope.api.sae.SaeTrainingReport;
import org.refusalscope.api.sae.SaeTrainingSettings;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.sae.saelens.SaeLensProvider;

/**
 * Trains on synthetic activations with planted sparse directions and checks that the SAE, read back through the
 * SAELens provider, recovers them (best decoder-row cosine > 0.9) and reconstructs raw activations.
 */
public class DjlSaeTrainer_Test {

	private static final int D_IN = 32;
	private static final int FEATURES = 48;

	@TempDir
	Path temp;

	private static SaeTrainingSettings settings(SaeArchitecture architecture, int epochs, float l0, boolean resume) {
		return new SaeTrainingSettings(architecture, 96, 4, 3e-3f, l0, 256, epochs, 42, 0, resume, 3,
				"blocks.3.hook_resid_post", "synthetic");
	}

	private static double fractionAbove(double[] cosines, double bar) {
		return Arrays.stream(cosines).filter(c -> c > bar).count() / (double) cosines.length;
	}

	private static double rawFve(SparseAutoencoder sae, PlantedFeatures data) {
		float[] chunk = data.chunk(0);
		double error = 0, variance = 0;
		double[] mean = new double[D_IN];
		int rows = 500;
		for(int r = 0; r < rows; r++) {
			for(int i = 0; i < D_IN; i++) {
				mean[i] += chunk[r * D_IN + i] / rows;
			}
		}
		for(int r = 0; r < rows; r++) {
			float[] x = Arrays.copyOfRange(chunk, r * D_IN, (r + 1) * D_IN);
			float[] xHat = sae.decode(sae.encode(x));
			for(int i = 0; i < D_IN; i++) {
				error += (x[i] - xHat[i]) * (x[i] - xHat[i]);
				variance += (x[i] - mean[i]) * (x[i] - mean[i]);
			}
		}
		return 1 - error / variance;
	}

	@Test
	void topKRecoversPlantedFeatures() throws IOException {
		PlantedFeatures data = new PlantedFeatures(D_IN, FEATURES, 3.0 / FEATURES, 0.02f, 4, 5000, 7);
		Path out = temp.resolve("topk");
		SaeTrainingReport report = new DjlSaeTrainer().train(data, settings(SaeArchitecture.TOPK, 8, 0, false), out, ProgressMonitor.NULL);
		SparseAutoencoder sae = new SaeLensProvider().load(out, new SaeLoadOptions(D_IN, -1)).get(0);
		assertEquals(SaeArchitecture.TOPK, sae.info().architecture());
		assertEquals(3, sae.info().layer());
		double[] cosines = data.bestCosines(sae.weights().wDec().toFloatArray(), 96);
		double recovered = fractionAbove(cosines, 0.9);
		double fve = rawFve(sae, data);
		System.err.printf("TopK: %.1f%% of %d planted directions recovered (cos > 0.9), mean best cos %.3f; train FVE %.3f, "
				+ "L0 %.2f, dead %.3f, %.0f rows/s; FVE on raw rows via the SAELens provider %.3f%n", 100 * recovered, FEATURES,
				Arrays.stream(cosines).average().orElse(0), report.fve(), report.meanL0(), report.deadFraction(),
				report.rowsPerSecond(), fve);
		assertTrue(recovered >= 0.9, "recovered fraction " + recovered);
		assertTrue(fve > 0.8, "reconstruction of raw activations through the saved, scale-folded SAE: " + fve);
		assertTrue(report.meanL0() <= 4.0 + 1e-9, "TopK keeps at most k latents: " + report.meanL0());
	}

	/** JumpReLU learns its thresholds more slowly than TopK: 20 epochs (8 gave 67-90 % recovered in a sweep). */
	@Test
	void jumpReluRecoversPlantedFeatures() throws IOException {
		PlantedFeatures data = new PlantedFeatures(D_IN, FEATURES, 3.0 / FEATURES, 0.02f, 4, 5000, 8);
		Path out = temp.resolve("jumprelu");
		SaeTrainingReport report = new DjlSaeTrainer().train(data, settings(SaeArchitecture.JUMPRELU, 20, 0.03f, false), out,
				ProgressMonitor.NULL);
		SparseAutoencoder sae = new SaeLensProvider().load(out, new SaeLoadOptions(D_IN, -1)).get(0);
		assertEquals(SaeArchitecture.JUMPRELU, sae.info().architecture());
		double[] cosines = data.bestCosines(sae.weights().wDec().toFloatArray(), 96);
		double recovered = fractionAbove(cosines, 0.9);
		double fve = rawFve(sae, data);
		System.err.printf("JumpReLU: %.1f%% of %d planted directions recovered (cos > 0.9), mean best cos %.3f; train FVE %.3f, "
				+ "L0 %.2f, dead %.3f, %.0f rows/s; raw FVE %.3f%n", 100 * recovered, FEATURES,
				Arrays.stream(cosines).average().orElse(0), report.fve(), report.meanL0(), report.deadFraction(),
				report.rowsPerSecond(), fve);
		assertTrue(recovered >= 0.9, "recovered fraction " + recovered);
		assertTrue(fve > 0.8, "raw FVE " + fve);
	}

	@Test
	void resumeReplaysTheSameRun() throws IOException {
		PlantedFeatures data = new PlantedFeatures(D_IN, FEATURES, 3.0 / FEATURES, 0.02f, 3, 1000, 9);
		Path straight = temp.resolve("straight");
		Path resumed = temp.resolve("resumed");
		SaeTrainingReport full = new DjlSaeTrainer().train(data, settings(SaeArchitecture.TOPK, 2, 0, false), straight, ProgressMonitor.NULL);
		new DjlSaeTrainer().train(data, settings(SaeArchitecture.TOPK, 1, 0, false), resumed, ProgressMonitor.NULL);
		SaeTrainingReport second = new DjlSaeTrainer().train(data, settings(SaeArchitecture.TOPK, 2, 0, true), resumed, ProgressMonitor.NULL);
		assertEquals(full.steps() / 2, second.resumedFromStep());
		assertEquals(full.steps(), second.steps());
		float[] a = new SaeLensProvider().load(straight, SaeLoadOptions.defaults()).get(0).weights().wDec().toFloatArray();
		float[] b = new SaeLensProvider().load(resumed, SaeLoadOptions.defaults()).get(0).weights().wDec().toFloatArray();
		assertArrayEquals(a, b, 1e-4f, "resumed run continues exactly where the first stopped");
	}
}

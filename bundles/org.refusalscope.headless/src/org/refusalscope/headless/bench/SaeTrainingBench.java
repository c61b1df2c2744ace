package org.refusalscope.headless.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.sae.ActivationChunks;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeTrainer;
import org.refusalscope.api.sae.SaeTrainingReport;
import org.refusalscope.api.sae.SaeTrainingSettings;

import com.google.gson.JsonObject;

/**
 * SAE training throughput (activation rows per second) of the engine's {@link SaeTrainer} on random activations:
 * TopK, one epoch over {@code rows} rows. The figure is the trainer's own {@code rowsPerSecond} plus the wall time
 * of the call (initialisation and the SAELens export included).
 */
final class SaeTrainingBench {

	private SaeTrainingBench() {
	}

	static JsonObject run(int dIn, int width, int batch, int rows, Path scratch) throws IOException {
		SaeTrainer trainer = trainer();
		float[] data = new float[rows * dIn];
		Random random = new Random(11);
		for(int i = 0; i < data.length; i++) {
			data[i] = (float) random.nextGaussian();
		}
		ActivationChunks chunks = new ActivationChunks() {
			@Override
			public int dIn() {
				return dIn;
			}

			@Override
			public int chunkCount() {
				return 1;
			}

			@Override
			public int rows(int index) {
				return rows;
			}

			@Override
			public float[] chunk(int index) {
				return data;
			}
		};
		SaeTrainingSettings settings = new SaeTrainingSettings(SaeArchitecture.TOPK, width, 64, 1e-4f, 0f, batch, 1, 0L,
				0, false, 0, "blocks.0.hook_resid_post", "bench-random");
		Path out = Files.createDirectories(scratch).resolve("sae-train-" + width);
		ProcessMemory.resetPeak();
		long start = System.nanoTime();
		SaeTrainingReport report = trainer.train(chunks, settings, out, ProgressMonitor.NULL);
		double seconds = (System.nanoTime() - start) / 1e9;
		JsonObject row = new JsonObject();
		row.addProperty("trainer", trainer.id());
		row.addProperty("architecture", "topk");
		row.addProperty("d_model", dIn);
		row.addProperty("width", width);
		row.addProperty("k", 64);
		row.addProperty("batch", batch);
		row.addProperty("rows", rows);
		row.addProperty("steps", report.steps());
		row.addProperty("activations_per_s", Stats.round(report.rowsPerSecond()));
		row.addProperty("wall_s", Stats.round(seconds));
		row.addProperty("peak_rss_mb", ProcessMemory.peakMb());
		return row;
	}

	private static SaeTrainer trainer() {
		BundleContext context = FrameworkUtil.getBundle(SaeTrainingBench.class).getBundleContext();
		ServiceTracker<SaeTrainer, SaeTrainer> tracker = new ServiceTracker<>(context, SaeTrainer.class, null);
		tracker.open();
		try {
			SaeTrainer trainer = tracker.waitForService(TimeUnit.SECONDS.toMillis(20));
			if(trainer == null) {
				throw new IllegalStateException("no SaeTrainer service is registered in this build");
			}
			return trainer;
		} catch(InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the SAE trainer", e);
		}
	}
}

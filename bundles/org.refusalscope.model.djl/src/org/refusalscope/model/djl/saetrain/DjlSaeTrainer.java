package org.refusalscope.model.djl.saetrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.sae.ActivationChunks;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeTrainer;
import org.refusalscope.api.sae.SaeTrainingReport;
import org.refusalscope.api.sae.SaeTrainingSettings;
import org.refusalscope.model.djl.Djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Trains TopK or JumpReLU SAEs on the embedded DJL engine (see {@link SaeStep} for the maths). Data order is a pure
 * function of the seed and the epoch, so a resumed run replays the same batches it would have seen; the checkpoint
 * ({@code outDir/checkpoint/state.safetensors}) holds parameters, Adam moments, dead-latent counters and the step.
 */
@Component(service = SaeTrainer.class)
public class DjlSaeTrainer implements SaeTrainer {

	static final String CHECKPOINT = "checkpoint/state.safetensors";
	/** JumpReLU initial threshold on normalised activations (Rajamanoharan et al. start at 0.001). */
	static final float INITIAL_THRESHOLD = 0.001f;

	@Override
	public String id() {
		return "djl";
	}

	@Override
	public SaeTrainingReport train(ActivationChunks data, SaeTrainingSettings settings, Path outDir, ProgressMonitor monitor)
			throws IOException {
		try {
			return Djl.withBundleClassLoader(() -> trainInEngine(data, settings, outDir, monitor));
		} catch(IllegalStateException e) {
			if(e.getCause() instanceof IOException io) {
				throw io;
			}
			throw e;
		}
	}

	private SaeTrainingReport trainInEngine(ActivationChunks data, SaeTrainingSettings settings, Path outDir,
			ProgressMonitor monitor) throws IOException {
		int dIn = data.dIn();
		int batch = settings.batchSize();
		List<int[]> schedule = schedule(data, settings.seed(), 0, batch); // (chunk, first row) per batch in epoch 0, for its length
		long stepsPerEpoch = schedule.size();
		long totalSteps = stepsPerEpoch * settings.epochs();
		long deadSteps = Math.max(10, Math.min(stepsPerEpoch, 1000));
		Path checkpoint = outDir.resolve(CHECKPOINT);
		try(NDManager manager = Djl.newManager()) {
			SaeState state;
			long resumedFrom = 0;
			if(settings.resume() && Files.isRegularFile(checkpoint)) {
				state = SaeState.load(manager, checkpoint, dIn, settings.width(), settings.architecture());
				resumedFrom = state.step;
			} else {
				float[] first = data.chunk(0);
				int rows = data.rows(0);
				float scale = inputScale(first, rows, dIn);
				float[] mean = new float[dIn];
				for(int r = 0; r < rows; r++) {
					for(int i = 0; i < dIn; i++) {
						mean[i] += first[r * dIn + i] * scale / rows;
					}
				}
				state = SaeState.initialise(manager, dIn, settings.width(), settings.architecture(), settings.seed(), mean,
						scale, INITIAL_THRESHOLD);
			}
			monitor.begin("Training " + settings.architecture().name().toLowerCase() + " SAE, width " + settings.width(),
					(int) Math.min(Integer.MAX_VALUE, totalSteps));
			monitor.worked((int) resumedFrom);
			long started = System.nanoTime();
			long rowsAtStart = state.rowsSeen;
			double sqError = 0, variance = 0, active = 0;
			long rowsLastEpoch = 0;
			float[] firedLastEpoch = new float[settings.width()];
			for(int epoch = 0; epoch < settings.epochs(); epoch++) {
				long epochStart = epoch * stepsPerEpoch;
				if(epochStart + stepsPerEpoch <= state.step) {
					continue; // finished before the resume
				}
				List<int[]> batches = schedule(data, settings.seed(), epoch, batch);
				boolean lastEpoch = epoch == settings.epochs() - 1;
				int loadedChunk = -1;
				float[] chunk = null;
				int[] order = null;
				for(int b = 0; b < batches.size(); b++) {
					if(epochStart + b < state.step) {
						continue;
					}
					monitor.checkCanceled();
					int[] position = batches.get(b);
					if(position[0] != loadedChunk) {
						loadedChunk = position[0];
						chunk = data.chunk(loadedChunk);
						order = permutation(data.rows(loadedChunk), settings.seed() * 1_000_003L + epoch * 7919L + loadedChunk);
					}
					int rows = Math.min(batch, data.rows(loadedChunk) - position[1]);
					float[] x = new float[rows * dIn];
					for(int r = 0; r < rows; r++) {
						System.arraycopy(chunk, order[position[1] + r] * dIn, x, r * dIn, dIn);
					}
					NDArray input = manager.create(x, new Shape(rows, dIn)).mul(state.inputScale);
					SaeStep.Stats stats = SaeStep.run(state, input, settings.k(), settings.sparsityCoeff(),
							settings.learningRate(), deadSteps);
					if(lastEpoch) {
						sqError += stats.sqError();
						variance += stats.variance();
						active += stats.activeCount();
						rowsLastEpoch += rows;
						for(int j = 0; j < firedLastEpoch.length; j++) {
							firedLastEpoch[j] += stats.firedPerLatent()[j];
						}
					}
					monitor.worked(1);
					if(state.step % 50 == 0) {
						monitor.subTask(String.format("step %d/%d, batch FVE %.3f, L0 %.1f", state.step, totalSteps,
								1 - stats.sqError() / Math.max(stats.variance(), 1e-12), stats.activeCount() / rows));
					}
					if(settings.checkpointEvery() > 0 && state.step % settings.checkpointEvery() == 0) {
						state.save(checkpoint);
					}
				}
			}
			state.save(checkpoint);
			SaeLensExport.write(state, settings, outDir);
			int dead = 0;
			for(float fired : firedLastEpoch) {
				dead += fired == 0 ? 1 : 0;
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			return new SaeTrainingReport(outDir, state.step, state.rowsSeen,
					variance > 0 ? 1 - sqError / variance : Double.NaN, rowsLastEpoch > 0 ? active / rowsLastEpoch : Double.NaN,
					rowsLastEpoch > 0 ? (double) dead / settings.width() : Double.NaN,
					(state.rowsSeen - rowsAtStart) / Math.max(seconds, 1e-9), resumedFrom);
		}
	}

	/** s = sqrt(d_in) / mean row norm, so the training data have mean norm sqrt(d_in) whatever the model's scale. */
	static float inputScale(float[] chunk, int rows, int dIn) {
		double total = 0;
		for(int r = 0; r < rows; r++) {
			double sq = 0;
			for(int i = 0; i < dIn; i++) {
				float v = chunk[r * dIn + i];
				sq += v * v;
			}
			total += Math.sqrt(sq);
		}
		double mean = total / Math.max(rows, 1);
		return mean > 0 ? (float) (Math.sqrt(dIn) / mean) : 1f;
	}

	/** Batches of one epoch as (chunk, first row in the chunk's permutation): chunks in a seeded random order. */
	static List<int[]> schedule(ActivationChunks data, long seed, int epoch, int batch) {
		List<Integer> chunks = new ArrayList<>();
		for(int c = 0; c < data.chunkCount(); c++) {
			chunks.add(c);
		}
		Collections.shuffle(chunks, new Random(seed * 31 + epoch));
		List<int[]> batches = new ArrayList<>();
		for(int c : chunks) {
			for(int start = 0; start < data.rows(c); start += batch) {
				batches.add(new int[] {c, start});
			}
		}
		return batches;
	}

	static int[] permutation(int n, long seed) {
		int[] order = new int[n];
		for(int i = 0; i < n; i++) {
			order[i] = i;
		}
		Random random = new Random(seed);
		for(int i = n - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int swap = order[i];
			order[i] = order[j];
			order[j] = swap;
		}
		return order;
	}
}

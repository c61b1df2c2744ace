package org.refusalscope.model.djl.saetrain;

import java.util.Random;

import org.refusalscope.api.sae.ActivationChunks;

/**
 * Synthetic activations with planted sparse structure: {@code x = Σ_i a_i d_i + noise} over a few of
 * {@code features} random unit directions {@code d_i} per row (each active with probability p, magnitude in
 * [1, 3]), held in memory in equal chunks. An SAE that works recovers the d_i as decoder rows.
 */
final class PlantedFeatures implements ActivationChunks {

	final float[][] directions;
	private final float[][] chunks;
	private final int dIn;
	private final int rowsPerChunk;

	PlantedFeatures(int dIn, int features, double activeProbability, float noise, int chunkCount, int rowsPerChunk, long seed) {
		this.dIn = dIn;
		this.rowsPerChunk = rowsPerChunk;
		Random random = new Random(seed);
		directions = new float[features][dIn];
		for(float[] direction : directions) {
			double norm = 0;
			for(int i = 0; i < dIn; i++) {
				direction[i] = (float) random.nextGaussian();
				norm += direction[i] * direction[i];
			}
			for(int i = 0; i < dIn; i++) {
				direction[i] /= (float) Math.sqrt(norm);
			}
		}
		chunks = new float[chunkCount][rowsPerChunk * dIn];
		for(float[] chunk : chunks) {
			for(int r = 0; r < rowsPerChunk; r++) {
				for(int f = 0; f < features; f++) {
					if(random.nextDouble() < activeProbability) {
						float magnitude = 1 + 2 * random.nextFloat();
						for(int i = 0; i < dIn; i++) {
							chunk[r * dIn + i] += magnitude * directions[f][i];
						}
					}
				}
				for(int i = 0; i < dIn; i++) {
					chunk[r * dIn + i] += noise * (float) random.nextGaussian() + 0.5f; // an offset for b_dec to learn
				}
			}
		}
	}

	@Override
	public int dIn() {
		return dIn;
	}

	@Override
	public int chunkCount() {
		return chunks.length;
	}

	@Override
	public int rows(int index) {
		return rowsPerChunk;
	}

	@Override
	public float[] chunk(int index) {
		return chunks[index];
	}

	/** For each planted direction, the best |cosine| with any decoder row of {@code wDec [width, dIn]}. */
	double[] bestCosines(float[] wDec, int width) {
		double[] best = new double[directions.length];
		for(int f = 0; f < directions.length; f++) {
			for(int j = 0; j < width; j++) {
				double dot = 0, norm = 0;
				for(int i = 0; i < dIn; i++) {
					dot += directions[f][i] * wDec[j * dIn + i];
					norm += wDec[j * dIn + i] * wDec[j * dIn + i];
				}
				best[f] = Math.max(best[f], dot / Math.sqrt(Math.max(norm, 1e-30)));
			}
		}
		return best;
	}
}

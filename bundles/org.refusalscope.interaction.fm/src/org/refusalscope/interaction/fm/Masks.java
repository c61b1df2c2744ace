package org.refusalscope.interaction.fm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.refusalscope.api.pipeline.InteractionData;

/** Mask rows as sparse index lists, the train/test split and R^2, shared by the interaction models. */
public final class Masks {

	private Masks() {
	}

	/** The ablated indices of each row. */
	public static int[][] active(boolean[][] masks) {
		int[][] out = new int[masks.length][];
		for(int r = 0; r < masks.length; r++) {
			int count = 0;
			for(boolean b : masks[r]) {
				if(b) {
					count++;
				}
			}
			int[] idx = new int[count];
			int k = 0;
			for(int i = 0; i < masks[r].length; i++) {
				if(masks[r][i]) {
					idx[k++] = i;
				}
			}
			out[r] = idx;
		}
		return out;
	}

	/** Rows not in {@code data.testRows()}, in order. */
	public static int[] trainRows(InteractionData data) {
		boolean[] test = new boolean[data.targets().length];
		for(int r : data.testRows()) {
			test[r] = true;
		}
		List<Integer> out = new ArrayList<>();
		for(int r = 0; r < test.length; r++) {
			if(!test[r]) {
				out.add(r);
			}
		}
		return out.stream().mapToInt(Integer::intValue).toArray();
	}

	/** A seeded shuffle of {@code rows}. */
	public static int[] shuffled(int[] rows, long seed) {
		int[] out = rows.clone();
		Random random = new Random(seed);
		for(int i = out.length - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int t = out[i];
			out[i] = out[j];
			out[j] = t;
		}
		return out;
	}

	/** A seeded random {@code fraction} of the rows as held-out rows (for building an {@link InteractionData}). */
	public static int[] holdOut(int rows, double fraction, long seed) {
		int[] all = new int[rows];
		for(int i = 0; i < rows; i++) {
			all[i] = i;
		}
		int[] order = shuffled(all, seed);
		int n = (int) Math.round(rows * fraction);
		int[] out = java.util.Arrays.copyOf(order, n);
		java.util.Arrays.sort(out);
		return out;
	}

	/** Coefficient of determination of {@code predicted} against {@code targets} over {@code rows}; NaN if empty. */
	public static double r2(double[] targets, double[] predicted, int[] rows) {
		if(rows.length == 0) {
			return Double.NaN;
		}
		double mean = 0;
		for(int r : rows) {
			mean += targets[r];
		}
		mean /= rows.length;
		double residual = 0;
		double total = 0;
		for(int r : rows) {
			residual += (targets[r] - predicted[r]) * (targets[r] - predicted[r]);
			total += (targets[r] - mean) * (targets[r] - mean);
		}
		// a constant target is fitted perfectly or not at all
		return total == 0 ? (residual < 1e-12 ? 1.0 : 0.0) : 1.0 - residual / total;
	}
}

package org.refusalscope.interaction.fm;

/**
 * Linear ridge regression on the masks with an unpenalised intercept: the linear baseline every interaction model is
 * compared with on the same split (method.md section 9.3).
 *
 * @param bias    intercept
 * @param weights one per pool feature
 */
public record RidgeRegression(double bias, double[] weights) {

	/**
	 * Fits on {@code rows}; the penalty is {@code lambda} times the number of rows, so it does not fade with more data.
	 */
	public static RidgeRegression fit(int[][] active, double[] targets, int[] rows, int n, double lambda) {
		double[] mean = new double[n];
		double yMean = 0;
		for(int r : rows) {
			for(int i : active[r]) {
				mean[i]++;
			}
			yMean += targets[r];
		}
		for(int i = 0; i < n; i++) {
			mean[i] /= rows.length;
		}
		yMean /= rows.length;
		// X^T X of the centred masks: sum over rows of z z^T, minus m * mean mean^T
		double[] gram = new double[n * n];
		double[] rhs = new double[n];
		for(int r : rows) {
			int[] idx = active[r];
			double y = targets[r] - yMean;
			for(int a = 0; a < idx.length; a++) {
				int row = idx[a] * n;
				for(int b = 0; b < idx.length; b++) {
					gram[row + idx[b]] += 1;
				}
				rhs[idx[a]] += y;
			}
		}
		int m = rows.length;
		for(int i = 0; i < n; i++) {
			for(int j = 0; j < n; j++) {
				gram[i * n + j] -= m * mean[i] * mean[j];
			}
			gram[i * n + i] += lambda * m + 1e-9;
		}
		double[] w = LinearAlgebra.choleskySolve(gram, rhs, n);
		double bias = yMean;
		for(int i = 0; i < n; i++) {
			bias -= w[i] * mean[i];
		}
		return new RidgeRegression(bias, w);
	}

	public double predict(int[] active) {
		double y = bias;
		for(int i : active) {
			y += weights[i];
		}
		return y;
	}

	public double[] predictAll(int[][] active) {
		double[] out = new double[active.length];
		for(int r = 0; r < active.length; r++) {
			out[r] = predict(active[r]);
		}
		return out;
	}
}

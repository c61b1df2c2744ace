package org.refusalscope.interaction.fm;

/** Dense symmetric positive-definite solves for the ridge models (sizes of a few hundred to a few thousand). */
final class LinearAlgebra {

	private LinearAlgebra() {
	}

	/**
	 * Solves {@code A x = b} for symmetric positive-definite A (row-major n x n) by Cholesky; A is overwritten by its
	 * factor.
	 */
	static double[] choleskySolve(double[] a, double[] b, int n) {
		for(int j = 0; j < n; j++) {
			int rowJ = j * n;
			double diagonal = a[rowJ + j];
			for(int k = 0; k < j; k++) {
				diagonal -= a[rowJ + k] * a[rowJ + k];
			}
			if(diagonal <= 0) {
				throw new IllegalStateException("matrix is not positive definite at row " + j + "; raise the ridge penalty");
			}
			double l = Math.sqrt(diagonal);
			a[rowJ + j] = l;
			for(int i = j + 1; i < n; i++) {
				int rowI = i * n;
				double sum = a[rowI + j];
				for(int k = 0; k < j; k++) {
					sum -= a[rowI + k] * a[rowJ + k];
				}
				a[rowI + j] = sum / l;
			}
		}
		double[] y = new double[n];
		for(int i = 0; i < n; i++) {
			double sum = b[i];
			int row = i * n;
			for(int k = 0; k < i; k++) {
				sum -= a[row + k] * y[k];
			}
			y[i] = sum / a[row + i];
		}
		double[] x = new double[n];
		for(int i = n - 1; i >= 0; i--) {
			double sum = y[i];
			for(int k = i + 1; k < n; k++) {
				sum -= a[k * n + i] * x[k];
			}
			x[i] = sum / a[i * n + i];
		}
		return x;
	}
}

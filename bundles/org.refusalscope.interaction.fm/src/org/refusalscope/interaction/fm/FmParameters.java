package org.refusalscope.interaction.fm;

/**
 * Parameters of a second-order factorization machine (Rendle 2010) over n binary inputs with rank k:
 * {@code y = w0 + sum_i w_i z_i + sum_{i<j} <v_i, v_j> z_i z_j}.
 *
 * @param w0 bias
 * @param w  linear weights [n]
 * @param v  factors, row-major [n][k]
 * @param k  rank
 */
public record FmParameters(double[] w0, double[] w, double[] v, int k) {

	public int n() {
		return w.length;
	}

	public FmParameters copy() {
		return new FmParameters(w0.clone(), w.clone(), v.clone(), k);
	}

	/**
	 * The prediction for the ablated indices, with the pairwise term in O(|active| k):
	 * {@code 1/2 sum_f [(sum_i v_if)^2 - sum_i v_if^2]}; {@code sums} receives sum_i v_if (needed by the gradient).
	 */
	public double predict(int[] active, double[] sums) {
		double y = w0[0];
		for(int i : active) {
			y += w[i];
		}
		double pairwise = 0;
		for(int f = 0; f < k; f++) {
			double sum = 0;
			double squares = 0;
			for(int i : active) {
				double value = v[i * k + f];
				sum += value;
				squares += value * value;
			}
			sums[f] = sum;
			pairwise += sum * sum - squares;
		}
		return y + 0.5 * pairwise;
	}

	public double predict(int[] active) {
		return predict(active, new double[k]);
	}

	/** The interaction weight {@code <v_i, v_j>}. */
	public double interaction(int i, int j) {
		double dot = 0;
		for(int f = 0; f < k; f++) {
			dot += v[i * k + f] * v[j * k + f];
		}
		return dot;
	}
}

package org.refusalscope.interaction.fm;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.pipeline.InteractionData;
import org.refusalscope.api.pipeline.InteractionFit;
import org.refusalscope.api.pipeline.InteractionModel;

/**
 * Ridge regression on every main effect and every pair {@code z_i z_j}, fitted exactly in its dual (kernel) form:
 * for binary masks the feature inner product is {@code s + s(s-1)/2} with s the number of inputs two masks share, so
 * the cost grows with the number of training rows, not with the n(n-1)/2 pairs. An unrestricted-rank alternative
 * to the factorization machine.
 */
@Component(service = InteractionModel.class)
public class PairwiseRidge implements InteractionModel<PairwiseRidge.Settings> {

	/**
	 * @param lambda      penalty of the pairwise model (times the number of rows)
	 * @param maxRows     training rows used at most (a seeded subsample above it; the dual solve is cubic in rows)
	 * @param ridgeLambda penalty of the linear baseline (times the number of rows)
	 * @param topPairs    number of pairs reported
	 */
	public record Settings(double lambda, int maxRows, double ridgeLambda, int topPairs) {
	}

	@Override
	public String id() {
		return "pairwise-ridge";
	}

	@Override
	public String name() {
		return "Pairwise ridge regression";
	}

	@Override
	public String description() {
		return "Ridge regression on all main effects and all feature pairs (exact, via the dual form), compared with "
				+ "a linear ridge model on the same held-out rows.";
	}

	@Override
	public Class<Settings> settingsType() {
		return Settings.class;
	}

	@Override
	public Settings defaultSettings() {
		return new Settings(1e-3, 3000, 1e-3, 20);
	}

	@Override
	public InteractionFit fit(InteractionData data, Settings settings, long seed, ProgressMonitor monitor) {
		Settings s = settings == null ? defaultSettings() : settings;
		int n = data.pool().size();
		int[][] active = Masks.active(data.masks());
		double[] y = data.targets();
		int[] allTrain = Masks.trainRows(data);
		int[] train = allTrain.length > s.maxRows()
				? java.util.Arrays.copyOf(Masks.shuffled(allTrain, seed), s.maxRows()) : allTrain;
		int m = train.length;
		if(m < 2) {
			throw new IllegalArgumentException("pairwise ridge needs at least 2 training rows, got " + m);
		}
		if(monitor != null) {
			monitor.begin("Pairwise ridge (" + n + " features, " + m + " rows)", -1);
		}
		boolean[][] masks = data.masks();
		double[] kernel = new double[m * m];
		for(int a = 0; a < m; a++) {
			if(monitor != null) {
				monitor.checkCanceled();
			}
			for(int b = a; b < m; b++) {
				double value = kernel(masks[train[b]], active[train[a]]);
				kernel[a * m + b] = value;
				kernel[b * m + a] = value;
			}
		}
		// centre the kernel (an unpenalised intercept) and the targets
		double[] rowMean = new double[m];
		double total = 0;
		for(int a = 0; a < m; a++) {
			double sum = 0;
			for(int b = 0; b < m; b++) {
				sum += kernel[a * m + b];
			}
			rowMean[a] = sum / m;
			total += sum;
		}
		total /= (double) m * m;
		double yMean = 0;
		for(int r : train) {
			yMean += y[r];
		}
		yMean /= m;
		double[] centred = new double[m * m];
		double[] rhs = new double[m];
		for(int a = 0; a < m; a++) {
			for(int b = 0; b < m; b++) {
				centred[a * m + b] = kernel[a * m + b] - rowMean[a] - rowMean[b] + total;
			}
			centred[a * m + a] += s.lambda() * m;
			rhs[a] = y[train[a]] - yMean;
		}
		double[] alpha = LinearAlgebra.choleskySolve(centred, rhs, m);
		// the primal weights: since sum(alpha) = 0 the feature means cancel, w_i = sum_r alpha_r z_ri, w_ij likewise
		double[] main = new double[n];
		double[] pair = new double[n * n];
		for(int a = 0; a < m; a++) {
			int[] idx = active[train[a]];
			for(int i : idx) {
				main[i] += alpha[a];
				for(int j : idx) {
					pair[i * n + j] += alpha[a];
				}
			}
		}
		double[] predicted = new double[y.length];
		for(int r = 0; r < y.length; r++) {
			double sum = 0;
			for(int a = 0; a < m; a++) {
				sum += alpha[a] * (kernel(masks[train[a]], active[r]) - rowMean[a]);
			}
			predicted[r] = yMean + sum;
		}
		// intercept at the empty mask, for reporting
		double bias = yMean;
		for(int a = 0; a < m; a++) {
			bias -= alpha[a] * rowMean[a];
		}
		RidgeRegression linear = RidgeRegression.fit(active, y, allTrain, n, s.ridgeLambda());
		return new InteractionFit(id(), Masks.r2(y, predicted, data.testRows()),
				Masks.r2(y, linear.predictAll(active), data.testRows()), bias, main,
				TopPairs.of(data.pool(), (i, j) -> pair[i * n + j], s.topPairs()));
	}

	private static double kernel(boolean[] mask, int[] active) {
		int shared = 0;
		for(int i : active) {
			if(mask[i]) {
				shared++;
			}
		}
		return shared + shared * (shared - 1) / 2.0;
	}
}

package org.refusalscope.interaction.fm;

import java.util.Random;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.pipeline.InteractionData;
import org.refusalscope.api.pipeline.InteractionFit;
import org.refusalscope.api.pipeline.InteractionModel;

/**
 * Second-order factorization machine over ablation masks (method.md section 9): MSE, Adam, L2 on w and V, early
 * stopping on a held-out part of the training rows, best of several seeds by validation loss. The linear ridge
 * baseline is fitted on the same training rows and scored on the same test rows.
 */
@Component(service = InteractionModel.class)
public class FactorizationMachine implements InteractionModel<FactorizationMachine.Settings> {

	/**
	 * @param rank               k
	 * @param learningRate       Adam step size
	 * @param l2                 weight decay on w and V
	 * @param maxEpochs          upper bound of passes over the training rows
	 * @param patience           epochs without validation improvement before stopping
	 * @param validationFraction part of the training rows used for early stopping
	 * @param batchSize          rows per Adam step
	 * @param seeds              restarts; the one with the lowest validation loss is kept
	 * @param ridgeLambda        penalty of the linear baseline (times the number of rows)
	 * @param topPairs           number of pairs reported
	 */
	public record Settings(int rank, double learningRate, double l2, int maxEpochs, int patience,
			double validationFraction, int batchSize, int seeds, double ridgeLambda, int topPairs) {
	}

	@Override
	public String id() {
		return "fm";
	}

	@Override
	public String name() {
		return "Factorization machine";
	}

	@Override
	public String description() {
		return "Second-order factorization machine (Rendle 2010) over ablation masks: main effects plus low-rank "
				+ "pairwise interactions, compared with a linear ridge model on the same held-out rows.";
	}

	@Override
	public Class<Settings> settingsType() {
		return Settings.class;
	}

	@Override
	public Settings defaultSettings() {
		return new Settings(8, 1e-2, 1e-4, 300, 20, 0.2, 64, 3, 1e-3, 20);
	}

	@Override
	public InteractionFit fit(InteractionData data, Settings settings, long seed, ProgressMonitor monitor) {
		Settings s = settings == null ? defaultSettings() : settings;
		ProgressMonitor progress = monitor == null ? ProgressMonitor.NULL : monitor;
		int n = data.pool().size();
		int[][] active = Masks.active(data.masks());
		double[] y = data.targets();
		int[] train = Masks.trainRows(data);
		if(train.length < 2) {
			throw new IllegalArgumentException("the factorization machine needs at least 2 training rows, got " + train.length);
		}
		int[] shuffled = Masks.shuffled(train, seed);
		int validationCount = Math.max(1, (int) Math.round(train.length * s.validationFraction()));
		int[] validation = java.util.Arrays.copyOfRange(shuffled, 0, validationCount);
		int[] fitRows = java.util.Arrays.copyOfRange(shuffled, validationCount, shuffled.length);
		progress.begin("Factorization machine (" + n + " features, " + y.length + " masks)", s.seeds());
		FmParameters best = null;
		double bestLoss = Double.POSITIVE_INFINITY;
		for(int restart = 0; restart < Math.max(1, s.seeds()); restart++) {
			progress.checkCanceled();
			AdamTrainer trainer = new AdamTrainer(n, s, seed * 1_000_003L + restart);
			FmParameters fitted = trainer.train(active, y, fitRows, validation, progress);
			double loss = AdamTrainer.mse(fitted, active, y, validation);
			if(loss < bestLoss) {
				bestLoss = loss;
				best = fitted;
			}
			progress.worked(1);
		}
		double[] predicted = new double[y.length];
		for(int r = 0; r < y.length; r++) {
			predicted[r] = best.predict(active[r]);
		}
		RidgeRegression linear = RidgeRegression.fit(active, y, train, n, s.ridgeLambda());
		double linearR2 = Masks.r2(y, linear.predictAll(active), data.testRows());
		return new InteractionFit(id(), Masks.r2(y, predicted, data.testRows()), linearR2, best.w0()[0],
				best.w().clone(), TopPairs.of(data.pool(), best::interaction, s.topPairs()));
	}

	/** Adam on the FM parameters; keeps the parameters of the best validation epoch. */
	static final class AdamTrainer {

		private final Settings settings;
		private final FmParameters p;
		private final double[] gw0 = new double[1];
		private final double[] gw;
		private final double[] gv;
		private final Adam adamW0;
		private final Adam adamW;
		private final Adam adamV;
		private final Random random;

		AdamTrainer(int n, Settings settings, long seed) {
			this.settings = settings;
			int k = settings.rank();
			random = new Random(seed);
			double[] v = new double[n * k];
			for(int i = 0; i < v.length; i++) {
				v[i] = random.nextGaussian() * 0.01;
			}
			p = new FmParameters(new double[1], new double[n], v, k);
			gw = new double[n];
			gv = new double[n * k];
			adamW0 = new Adam(1, settings.learningRate());
			adamW = new Adam(n, settings.learningRate());
			adamV = new Adam(n * k, settings.learningRate());
		}

		FmParameters train(int[][] active, double[] y, int[] rows, int[] validation, ProgressMonitor monitor) {
			// start the bias at the mean so the first epochs fit structure, not the offset
			double mean = 0;
			for(int r : rows) {
				mean += y[r];
			}
			p.w0()[0] = rows.length == 0 ? 0 : mean / rows.length;
			FmParameters best = p.copy();
			double bestLoss = mse(p, active, y, validation);
			int sinceBest = 0;
			int[] order = rows.clone();
			double[] sums = new double[p.k()];
			for(int epoch = 0; epoch < settings.maxEpochs() && sinceBest < settings.patience(); epoch++) {
				monitor.checkCanceled();
				shuffle(order);
				for(int start = 0; start < order.length; start += settings.batchSize()) {
					int end = Math.min(order.length, start + settings.batchSize());
					step(active, y, order, start, end, sums);
				}
				double loss = mse(p, active, y, validation);
				if(loss < bestLoss - 1e-12) {
					bestLoss = loss;
					best = p.copy();
					sinceBest = 0;
				} else {
					sinceBest++;
				}
			}
			return best;
		}

		private void step(int[][] active, double[] y, int[] order, int start, int end, double[] sums) {
			int k = p.k();
			gw0[0] = 0;
			java.util.Arrays.fill(gw, 0);
			java.util.Arrays.fill(gv, 0);
			double scale = 2.0 / (end - start);
			double[] v = p.v();
			for(int b = start; b < end; b++) {
				int r = order[b];
				double error = (p.predict(active[r], sums) - y[r]) * scale;
				gw0[0] += error;
				for(int i : active[r]) {
					gw[i] += error;
					int row = i * k;
					// d y / d v_if = z_i (sum_j v_jf z_j) - v_if z_i^2, with z_i = 1 for ablated inputs
					for(int f = 0; f < k; f++) {
						gv[row + f] += error * (sums[f] - v[row + f]);
					}
				}
			}
			double l2 = settings.l2();
			double[] w = p.w();
			for(int i = 0; i < w.length; i++) {
				gw[i] += 2 * l2 * w[i];
			}
			for(int i = 0; i < v.length; i++) {
				gv[i] += 2 * l2 * v[i];
			}
			adamW0.update(p.w0(), gw0);
			adamW.update(w, gw);
			adamV.update(v, gv);
		}

		private void shuffle(int[] order) {
			for(int i = order.length - 1; i > 0; i--) {
				int j = random.nextInt(i + 1);
				int t = order[i];
				order[i] = order[j];
				order[j] = t;
			}
		}

		static double mse(FmParameters p, int[][] active, double[] y, int[] rows) {
			double sum = 0;
			double[] sums = new double[p.k()];
			for(int r : rows) {
				double e = p.predict(active[r], sums) - y[r];
				sum += e * e;
			}
			return rows.length == 0 ? 0 : sum / rows.length;
		}
	}

	/** Adam (Kingma and Ba) state of one parameter array. */
	static final class Adam {

		private static final double BETA1 = 0.9;
		private static final double BETA2 = 0.999;
		private static final double EPSILON = 1e-8;
		private final double[] m;
		private final double[] s;
		private final double rate;
		private int t;

		Adam(int size, double rate) {
			m = new double[size];
			s = new double[size];
			this.rate = rate;
		}

		void update(double[] params, double[] grad) {
			t++;
			double c1 = 1 - Math.pow(BETA1, t);
			double c2 = 1 - Math.pow(BETA2, t);
			for(int i = 0; i < params.length; i++) {
				m[i] = BETA1 * m[i] + (1 - BETA1) * grad[i];
				s[i] = BETA2 * s[i] + (1 - BETA2) * grad[i] * grad[i];
				params[i] -= rate * (m[i] / c1) / (Math.sqrt(s[i] / c2) + EPSILON);
			}
		}
	}
}

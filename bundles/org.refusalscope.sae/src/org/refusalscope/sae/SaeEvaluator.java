package org.refusalscope.sae;

import java.util.ArrayList;
import java.util.List;

import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.model.ActivationCapture;
import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.PositionScope;
import org.refusalscope.api.sae.SparseAutoencoder;

/**
 * SAE quality on a prompt set, as SAELens' evals report it, raw (not normalised) values: mean L0 and fraction of
 * variance explained over every non-BOS position, the fraction of latents that never fired, and the next-token
 * cross-entropy of the clean forward and of the forward with the SAE spliced in ({@link Edit.SaeReplace}, no error
 * term) plus KL(clean || spliced), averaged over all predicted positions.
 */
public final class SaeEvaluator {

	/** One layer's metrics; field names as in the {@code sae-eval --json} contract. */
	public record Result(int layer, double l0, double fve, double dead_fraction, double ce_loss_clean, double ce_loss_spliced,
			double kl, long tokens) {
	}

	private SaeEvaluator() {
	}

	public static List<Result> evaluate(LanguageModel model, List<SparseAutoencoder> saes, List<String> prompts, boolean chat,
			int batchSize, ProgressMonitor monitor) {
		List<int[]> ids = PromptTokens.encode(model, prompts, chat);
		List<PromptTokens.Batch> batches = PromptTokens.batches(ids, batchSize);
		List<ActivationCapture> captures = saes.stream().map(s -> new ActivationCapture(s.info().layer(), s.info().hook())).distinct().toList();
		List<Accumulator> accumulators = new ArrayList<>();
		for(SparseAutoencoder sae : saes) {
			accumulators.add(new Accumulator(sae));
		}
		monitor.begin("Evaluating " + saes.size() + " SAE(s) on " + prompts.size() + " prompts", batches.size() * (1 + saes.size()));
		for(PromptTokens.Batch batch : batches) {
			monitor.checkCanceled();
			int[] positions = batch.allPositions();
			ForwardResult clean = model.forward(new ForwardRequest(batch.ids(), List.of(InterventionPlan.NONE), positions, true, captures));
			monitor.worked(1);
			for(Accumulator accumulator : accumulators) {
				SparseAutoencoder sae = accumulator.sae;
				ActivationCapture capture = new ActivationCapture(sae.info().layer(), sae.info().hook());
				float[][][] acts = clean.activations(capture);
				List<float[]> rows = new ArrayList<>();
				for(int s = 0; s < batch.ids().size(); s++) {
					int first = PromptTokens.firstContentPosition(batch.ids().get(s), model.info().bosTokenId());
					for(int p = first; p < acts[s].length; p++) {
						rows.add(acts[s][p]);
					}
				}
				accumulator.addActivations(rows.toArray(float[][]::new));
				InterventionPlan splice = new InterventionPlan(List.of(new Edit.SaeReplace(sae, PositionScope.ALL)));
				ForwardResult spliced = model.forward(new ForwardRequest(batch.ids(), List.of(splice), positions, true, List.of()));
				accumulator.addLogits(batch.ids(), clean.logits(), spliced.logits());
				monitor.worked(1);
			}
		}
		return accumulators.stream().map(Accumulator::result).toList();
	}

	private static final class Accumulator {

		final SparseAutoencoder sae;
		final SaeBatchMath math;
		final boolean[] fired;
		double active, sqError, sum2;
		double[] sum;
		long rows;
		double ceClean, ceSpliced, kl;
		long predicted;

		Accumulator(SparseAutoencoder sae) {
			this.sae = sae;
			this.math = new SaeBatchMath(sae);
			this.fired = new boolean[math.dSae()];
			this.sum = new double[sae.info().dIn()];
		}

		void addActivations(float[][] x) {
			float[][] f = math.encode(x);
			float[][] xHat = math.decode(f);
			for(int r = 0; r < x.length; r++) {
				for(int j = 0; j < f[r].length; j++) {
					if(f[r][j] != 0f) {
						active++;
						fired[j] = true;
					}
				}
				for(int i = 0; i < x[r].length; i++) {
					double d = x[r][i] - xHat[r][i];
					sqError += d * d;
					sum[i] += x[r][i];
					sum2 += x[r][i] * (double) x[r][i];
				}
			}
			rows += x.length;
		}

		/** Next-token CE at every position that has a next token, and KL(clean || spliced) at the same positions. */
		void addLogits(List<int[]> ids, float[][][] clean, float[][][] spliced) {
			for(int s = 0; s < ids.size(); s++) {
				int[] tokens = ids.get(s);
				for(int p = 0; p + 1 < tokens.length; p++) {
					double[] logP = logSoftmax(clean[s][p]);
					double[] logQ = logSoftmax(spliced[s][p]);
					ceClean -= logP[tokens[p + 1]];
					ceSpliced -= logQ[tokens[p + 1]];
					double divergence = 0;
					for(int v = 0; v < logP.length; v++) {
						divergence += Math.exp(logP[v]) * (logP[v] - logQ[v]);
					}
					kl += divergence;
					predicted++;
				}
			}
		}

		Result result() {
			// total variance: Σ||x - mean||² = Σ||x||² - n ||mean||²
			double meanSq = 0;
			for(double s : sum) {
				meanSq += s * s / Math.max(rows, 1);
			}
			double variance = sum2 - meanSq;
			int dead = 0;
			for(boolean f : fired) {
				dead += f ? 0 : 1;
			}
			return new Result(sae.info().layer(), active / Math.max(rows, 1), variance > 0 ? 1 - sqError / variance : Double.NaN,
					(double) dead / fired.length, predicted > 0 ? ceClean / predicted : Double.NaN,
					predicted > 0 ? ceSpliced / predicted : Double.NaN, predicted > 0 ? kl / predicted : Double.NaN, rows);
		}
	}

	static double[] logSoftmax(float[] logits) {
		double max = Double.NEGATIVE_INFINITY;
		for(float l : logits) {
			max = Math.max(max, l);
		}
		double total = 0;
		for(float l : logits) {
			total += Math.exp(l - max);
		}
		double logTotal = max + Math.log(total);
		double[] out = new double[logits.length];
		for(int v = 0; v < logits.length; v++) {
			out[v] = logits[v] - logTotal;
		}
		return out;
	}
}

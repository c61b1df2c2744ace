package org.refusalscope.direction.diffmeans;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.PositionScope;
import org.refusalscope.api.pipeline.ActivationSource;
import org.refusalscope.api.pipeline.DirectionFinder;
import org.refusalscope.api.pipeline.RefusalDirection;
import org.refusalscope.api.prompts.Prompt;

/**
 * Arditi et al.'s candidate grid with selection (method.md section 4.2): difference-in-means candidates at every
 * post-instruction position and layer (resid_pre, float64 means) on a training split, scored on a validation split by
 * bypass (directional ablation everywhere, harmful prompts), induce (vector added at its layer, harmless prompts) and
 * KL (harmless prompts under ablation); filtered and picked by {@link DirectionSelection}.
 */
@Component(service = DirectionFinder.class)
public class ArditiGrid implements DirectionFinder<ArditiGrid.Settings> {

	/**
	 * @param validationFraction part of each prompt set used for scoring (the rest builds the candidates)
	 * @param maxValidation      validation prompts per set at most (Arditi: 32)
	 * @param seed               split seed
	 * @param klThreshold        maximal KL (0.1)
	 * @param induceThreshold    minimal induce score (0.0)
	 * @param pruneLayerFraction last part of the layers never chosen (0.2)
	 */
	public record Settings(double validationFraction, int maxValidation, long seed, double klThreshold,
			double induceThreshold, double pruneLayerFraction) {
	}

	@Override
	public String id() {
		return "arditi-grid";
	}

	@Override
	public String name() {
		return "Candidate grid with selection (Arditi et al.)";
	}

	@Override
	public String description() {
		return "Difference-in-means candidates over post-instruction positions x layers (resid_pre), filtered by KL "
				+ "and induce scores; picks the lowest bypass score.";
	}

	@Override
	public Class<Settings> settingsType() {
		return Settings.class;
	}

	@Override
	public Settings defaultSettings() {
		return new Settings(0.2, 32, 42L, 0.1, 0.0, 0.2);
	}

	@Override
	public RefusalDirection find(ActivationSource source, List<Prompt> harmful, List<Prompt> harmless,
			Settings settings, ProgressMonitor monitor) {
		Settings s = settings == null ? defaultSettings() : settings;
		ProgressMonitor progress = monitor == null ? ProgressMonitor.NULL : monitor;
		int numLayers = source.model().numLayers();
		int eoi = Math.max(1, source.postInstructionTokens());
		List<List<Prompt>> harmfulSplit = split(harmful, s);
		List<List<Prompt>> harmlessSplit = split(harmless, s);
		List<Prompt> harmfulVal = harmfulSplit.get(1);
		List<Prompt> harmlessVal = harmlessSplit.get(1);
		int allowedLayers = 0;
		for(int l = 0; l < numLayers; l++) {
			allowedLayers += DirectionSelection.layerAllowed(l, numLayers, s.pruneLayerFraction()) ? 1 : 0;
		}
		progress.begin("Direction grid: " + eoi + " positions x " + numLayers + " layers", eoi * allowedLayers);
		float[][] baselineLogProbs = source.nextTokenLogProbs(harmlessVal, InterventionPlan.NONE);
		List<DirectionSelection.Scored> scored = new ArrayList<>();
		List<float[]> vectors = new ArrayList<>();
		Map<Integer, float[][]> byPosition = new LinkedHashMap<>();
		for(int position = -eoi; position <= -1; position++) {
			float[][] perLayer = Means.differences(source, harmfulSplit.get(0), harmlessSplit.get(0), HookPoint.RESID_PRE,
					Means.allLayers(numLayers), position);
			byPosition.put(position, perLayer);
			for(int layer = 0; layer < numLayers; layer++) {
				float[] r = perLayer[layer];
				vectors.add(r);
				// the last layers never pass the filter: spend no model calls on them
				if(!DirectionSelection.layerAllowed(layer, numLayers, s.pruneLayerFraction())) {
					scored.add(new DirectionSelection.Scored(position, layer, Double.NaN, Double.NaN, Double.NaN));
					continue;
				}
				progress.checkCanceled();
				progress.subTask("position " + position + ", layer " + layer);
				InterventionPlan ablate = new InterventionPlan(
						List.of(new Edit.ProjectOut(Edit.ALL_LAYERS, HookPoint.RESID_PRE, r, PositionScope.ALL)));
				InterventionPlan induce = new InterventionPlan(
						List.of(new Edit.AddVector(layer, HookPoint.RESID_PRE, r, 1.0f, PositionScope.ALL)));
				double bypass = mean(source.refusalScores(harmfulVal, ablate));
				double induced = mean(source.refusalScores(harmlessVal, induce));
				double kl = meanKl(baselineLogProbs, source.nextTokenLogProbs(harmlessVal, ablate));
				scored.add(new DirectionSelection.Scored(position, layer, bypass, induced, kl));
				progress.worked(1);
			}
		}
		DirectionSelection.Choice choice = DirectionSelection.select(scored, numLayers, s.klThreshold(),
				s.induceThreshold(), s.pruneLayerFraction());
		if(choice.best() < 0) {
			throw new IllegalStateException("no direction candidate passes the filters (KL <= " + s.klThreshold()
					+ ", induce >= " + s.induceThreshold() + ", layer < " + (int) (numLayers * (1 - s.pruneLayerFraction()))
					+ "); use diff-in-means with a fixed layer, or more prompts");
		}
		DirectionSelection.Scored best = scored.get(choice.best());
		Map<String, Double> diagnostics = new LinkedHashMap<>();
		diagnostics.put("bypass_score", best.bypass());
		diagnostics.put("induce_score", best.induce());
		diagnostics.put("kl_score", best.kl());
		diagnostics.put("candidates_passing", (double) choice.passing());
		diagnostics.put("candidates", (double) scored.size());
		diagnostics.put("vector_norm", Means.norm(vectors.get(choice.best())));
		return new RefusalDirection(best.layer(), best.position(), HookPoint.RESID_PRE, vectors.get(choice.best()),
				byPosition.get(best.position()), diagnostics);
	}

	/** [train, validation], seeded; with a single prompt both halves are that prompt. */
	private static List<List<Prompt>> split(List<Prompt> prompts, Settings s) {
		List<Prompt> shuffled = new ArrayList<>(prompts);
		Collections.shuffle(shuffled, new Random(s.seed()));
		int validation = Math.min(s.maxValidation(), Math.max(1, (int) Math.round(prompts.size() * s.validationFraction())));
		if(prompts.size() < 2) {
			return List.of(shuffled, shuffled);
		}
		return List.of(shuffled.subList(validation, shuffled.size()), shuffled.subList(0, validation));
	}

	private static double mean(double[] values) {
		double sum = 0;
		for(double v : values) {
			sum += v;
		}
		return sum / values.length;
	}

	/** Mean over prompts of KL(p || q) from log-probabilities. */
	static double meanKl(float[][] logP, float[][] logQ) {
		double total = 0;
		for(int i = 0; i < logP.length; i++) {
			double kl = 0;
			for(int t = 0; t < logP[i].length; t++) {
				double lp = logP[i][t];
				kl += Math.exp(lp) * (lp - logQ[i][t]);
			}
			total += kl;
		}
		return total / logP.length;
	}
}

package org.refusalscope.direction.diffmeans;

import java.util.List;

/**
 * The selection rule of Arditi et al. (method.md section 4.2, steps 3-4), kept apart so it can be checked against
 * their published {@code direction_evaluations.json}: discard NaN scores, layers in the last 20 %, KL above 0.1 and
 * induce scores below 0; pick the lowest bypass score (first in grid order on ties).
 */
public final class DirectionSelection {

	/**
	 * Scores of one candidate.
	 *
	 * @param bypass mean refusal score on harmful prompts with the direction ablated everywhere (lower is better)
	 * @param induce mean refusal score on harmless prompts with the raw vector added at its layer
	 * @param kl     mean KL(baseline || ablated) of the next-token distribution on harmless prompts
	 */
	public record Scored(int position, int layer, double bypass, double induce, double kl) {
	}

	/**
	 * @param best    index of the chosen candidate, -1 if none passes
	 * @param passing number of candidates passing the filters
	 */
	public record Choice(int best, int passing) {
	}

	private DirectionSelection() {
	}

	/** Whether a candidate at {@code layer} is scored at all (the last 20 % of layers never pass). */
	public static boolean layerAllowed(int layer, int numLayers, double pruneLayerFraction) {
		return layer < (int) (numLayers * (1.0 - pruneLayerFraction));
	}

	public static boolean passes(Scored c, int numLayers, double klThreshold, double induceThreshold,
			double pruneLayerFraction) {
		if(Double.isNaN(c.bypass()) || Double.isNaN(c.induce()) || Double.isNaN(c.kl())) {
			return false;
		}
		return layerAllowed(c.layer(), numLayers, pruneLayerFraction) && c.kl() <= klThreshold
				&& c.induce() >= induceThreshold;
	}

	public static Choice select(List<Scored> candidates, int numLayers, double klThreshold, double induceThreshold,
			double pruneLayerFraction) {
		int best = -1;
		int passing = 0;
		for(int i = 0; i < candidates.size(); i++) {
			Scored c = candidates.get(i);
			if(!passes(c, numLayers, klThreshold, induceThreshold, pruneLayerFraction)) {
				continue;
			}
			passing++;
			if(best < 0 || c.bypass() < candidates.get(best).bypass()) {
				best = i;
			}
		}
		return new Choice(best, passing);
	}
}

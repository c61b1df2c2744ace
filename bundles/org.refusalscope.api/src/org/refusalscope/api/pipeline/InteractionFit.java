package org.refusalscope.api.pipeline;

import java.util.List;

/**
 * A fitted interaction model and its comparison with a linear model on the same split.
 *
 * @param model        strategy id
 * @param testR2       held-out R^2 of the model
 * @param linearTestR2 held-out R^2 of ordinary least squares (ridge) on the masks, same split
 * @param bias         intercept
 * @param mainEffects  per pool feature
 * @param topPairs     strongest pairwise interactions by absolute weight
 */
public record InteractionFit(String model, double testR2, double linearTestR2, double bias, double[] mainEffects,
		List<PairEffect> topPairs) {
}

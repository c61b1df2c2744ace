package org.refusalscope.api.pipeline;

import java.util.Collection;
import java.util.List;

import org.refusalscope.api.FeatureRef;

/**
 * Evaluates ablations of feature sets on the prompt being dissected. Implemented by the core evaluation engine,
 * which batches the sets into one call and reuses the layers below the first edited one.
 */
public interface AblationOracle {

	/** Scores every set, in order, in as few batched model calls as possible. */
	List<AblationOutcome> evaluate(List<? extends Collection<FeatureRef>> sets);

	/** Model evaluations spent so far through this oracle. */
	int evaluationsUsed();
}

package org.refusalscope.api.pipeline;

import java.util.List;

import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.Strategy;

/**
 * Stage 2: prunes the candidate set of one prompt to a 1-minimal set whose ablation still flips refusal (no single
 * member can be removed without the prompt being refused again).
 */
public interface PruningStrategy<S> extends Strategy<S> {

	/**
	 * @param candidates ordered candidates; strategies may reorder by their settings
	 * @param oracle     evaluates ablations on the prompt; {@code refused == false} means flipped
	 */
	PruningResult prune(List<FeatureRef> candidates, AblationOracle oracle, S settings, ProgressMonitor monitor);
}

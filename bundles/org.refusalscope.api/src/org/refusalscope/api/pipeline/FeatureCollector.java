package org.refusalscope.api.pipeline;

import java.util.List;
import java.util.Map;

import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.Strategy;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SparseAutoencoder;

/** Stage 1b: collects SAE features related to the refusal direction. */
public interface FeatureCollector<S> extends Strategy<S> {

	/**
	 * @param saes     the SAE of each hooked layer
	 * @param harmful  harmful prompts (for activation-based collectors)
	 * @param harmless harmless prompts
	 * @return candidates, best first
	 */
	List<Candidate> collect(RefusalDirection direction, Map<Integer, SparseAutoencoder> saes,
			ActivationSource source, List<Prompt> harmful, List<Prompt> harmless, S settings,
			ProgressMonitor monitor);
}

package org.refusalscope.api.pipeline;

import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.Strategy;

/** Stage 3: fits a model of the refusal score over ablation masks to expose non-linear feature interactions. */
public interface InteractionModel<S> extends Strategy<S> {

	InteractionFit fit(InteractionData data, S settings, long seed, ProgressMonitor monitor);
}

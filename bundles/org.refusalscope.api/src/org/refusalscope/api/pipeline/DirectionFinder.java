package org.refusalscope.api.pipeline;

import java.util.List;

import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.Strategy;
import org.refusalscope.api.prompts.Prompt;

/** Stage 1a: finds a direction in the residual stream that mediates refusal. */
public interface DirectionFinder<S> extends Strategy<S> {

	RefusalDirection find(ActivationSource source, List<Prompt> harmful, List<Prompt> harmless, S settings,
			ProgressMonitor monitor);
}

package org.refusalscope.api.judge;

import org.refusalscope.api.Strategy;

/**
 * Decides whether the model refused. Text judges read the completion; score judges read the refusal score (the
 * log-odds of refusal-starting tokens at the first generated position).
 */
public interface RefusalJudge<S> extends Strategy<S> {

	/** True when {@link #judge} needs a generated completion (so callers generate before judging). */
	boolean needsCompletion();

	Verdict judge(JudgeInput input, S settings);
}

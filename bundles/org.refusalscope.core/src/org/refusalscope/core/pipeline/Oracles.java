package org.refusalscope.core.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.judge.JudgeInput;
import org.refusalscope.api.judge.RefusalJudge;
import org.refusalscope.api.model.GenerationResult;
import org.refusalscope.api.pipeline.AblationOracle;
import org.refusalscope.api.pipeline.AblationOutcome;
import org.refusalscope.api.prompts.Prompt;

/** The two oracles of stage 2: the one-forward proxy and the generation-plus-judge verdict. */
public final class Oracles {

	private Oracles() {
	}

	/** Refused iff the refusal score at the first generated position exceeds {@code threshold}. */
	public static AblationOracle proxy(EvaluationEngine engine, Prompt prompt, double threshold) {
		return new Counting(engine) {
			@Override
			List<AblationOutcome> run(List<? extends Collection<FeatureRef>> sets) {
				double[] scores = engine.scoreSets(prompt, sets);
				List<AblationOutcome> out = new ArrayList<>();
				for(double score : scores) {
					out.add(new AblationOutcome(score, score > threshold));
				}
				return out;
			}
		};
	}

	/** Greedy generation judged by {@code judge}; the score is read from the first-step logits. */
	public static <S> AblationOracle verdict(EvaluationEngine engine, Prompt prompt, RefusalJudge<S> judge, S settings,
			int maxNewTokens) {
		return new Counting(engine) {
			@Override
			List<AblationOutcome> run(List<? extends Collection<FeatureRef>> sets) {
				List<GenerationResult> generations = engine.generateSets(prompt, sets, maxNewTokens);
				List<AblationOutcome> out = new ArrayList<>();
				for(GenerationResult g : generations) {
					double score = engine.score(g);
					boolean refused = judge.judge(new JudgeInput(prompt.text(), g.text(), score), settings).refused();
					out.add(new AblationOutcome(score, refused));
				}
				return out;
			}
		};
	}

	/** Counts the model evaluations an oracle caused (cache hits of the engine are free). */
	private abstract static class Counting implements AblationOracle {

		private final EvaluationEngine engine;
		private int used;

		Counting(EvaluationEngine engine) {
			this.engine = engine;
		}

		abstract List<AblationOutcome> run(List<? extends Collection<FeatureRef>> sets);

		@Override
		public List<AblationOutcome> evaluate(List<? extends Collection<FeatureRef>> sets) {
			long before = engine.evaluations();
			List<AblationOutcome> out = run(sets);
			used += (int) (engine.evaluations() - before);
			return out;
		}

		@Override
		public int evaluationsUsed() {
			return used;
		}
	}
}

package org.refusalscope.core.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.judge.JudgeInput;
import org.refusalscope.api.judge.RefusalJudge;
import org.refusalscope.api.model.GenerationResult;
import org.refusalscope.api.pipeline.AblationOracle;
import org.refusalscope.api.pipeline.AblationOutcome;
import org.refusalscope.api.pipeline.Candidate;
import org.refusalscope.api.pipeline.EvaluationRecord;
import org.refusalscope.api.pipeline.InteractionModel;
import org.refusalscope.api.pipeline.PruningResult;
import org.refusalscope.api.pipeline.PruningStrategy;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.core.runs.DissectionResults;

/**
 * Stages 2 and 3 for one prompt: baseline verdict, pruning with the proxy, confirmation and 1-minimality certificate
 * with the verdict judge (re-pruning with the judge itself when the proxy's set does not hold up), and interactions.
 */
final class PromptDissection {

	/** The strategies and settings of one run. */
	record Plan(ResolvedStrategy<PruningStrategy<?>> pruning, ResolvedStrategy<InteractionModel<?>> interaction,
			ResolvedStrategy<RefusalJudge<?>> judge, RunSettings settings) {
	}

	private PromptDissection() {
	}

	static DissectionResults.PromptResult run(EvaluationEngine engine, Prompt prompt, List<Candidate> pooled,
			Plan plan, ProgressMonitor monitor) {
		RunSettings s = plan.settings();
		long start = engine.evaluations();
		List<Candidate> candidates = CandidateRanking.rerank(engine, prompt, pooled, s.rerank(), s.rerankTop());
		int tokens = s.maxNewTokens();
		boolean redact = s.redactCompletions();
		List<FeatureRef> refs = candidates.stream().map(Candidate::feature).toList();
		AblationOracle verdict = verdictOracle(engine, prompt, plan);
		monitor.subTask("baseline");
		DissectionResults.Outcome baseline = outcome(engine, prompt, List.of(), plan, redact);
		Map<FeatureRef, Double> activations = baselineActivations(engine, prompt, refs);
		List<DissectionResults.CandidateFeature> candidateRows = candidates.stream()
				.map(c -> new DissectionResults.CandidateFeature(c.feature().layer(), c.feature().feature(), c.cosine(),
						activations.get(c.feature())))
				.toList();
		if(!baseline.refused()) {
			DissectionResults.Outcome full = outcome(engine, prompt, refs, plan, redact);
			return new DissectionResults.PromptResult(prompt.text(), baseline, candidateRows, List.of(), full,
					(int) (engine.evaluations() - start), List.of(), null, List.of());
		}
		monitor.subTask("pruning " + refs.size() + " candidates");
		AblationOracle proxy = Oracles.proxy(engine, prompt, s.proxyThreshold());
		PruningResult pruned = prune(plan, refs, proxy, monitor);
		List<EvaluationRecord> trace = new ArrayList<>(pruned.trace());
		List<FeatureRef> minimal = pruned.flipped() ? pruned.minimalSet() : null;
		boolean disagreement = false;
		if(minimal != null && !certified(verdict, minimal)) {
			disagreement = true;
			// the proxy's set does not hold up under the verdict judge: prune again with the judge as the oracle,
			// from that set if the judge says it flips, else from all candidates; its last pass is the certificate
			monitor.subTask("re-pruning with the verdict judge");
			boolean proxySetFlips = !verdict.evaluate(List.of(minimal)).get(0).refused();
			PruningResult again = prune(plan, proxySetFlips ? minimal : refs, verdict, monitor);
			for(EvaluationRecord r : again.trace()) {
				trace.add(new EvaluationRecord("judge " + r.step(), r.set(), r.score(), r.refused(), r.accepted()));
			}
			minimal = again.flipped() ? again.minimalSet() : null;
		} else if(minimal == null && !verdict.evaluate(List.of(refs)).get(0).refused()) {
			// the judge sees a flip the proxy missed: prune with the judge
			disagreement = true;
			PruningResult again = prune(plan, refs, verdict, monitor);
			for(EvaluationRecord r : again.trace()) {
				trace.add(new EvaluationRecord("judge " + r.step(), r.set(), r.score(), r.refused(), r.accepted()));
			}
			minimal = again.flipped() ? again.minimalSet() : null;
		}
		DissectionResults.Outcome ablated = outcome(engine, prompt, minimal == null ? refs : minimal, plan, redact);
		DissectionResults.Interactions interactions = null;
		List<DissectionResults.HydraFeature> hydra = List.of();
		if(minimal != null && plan.interaction() != null && Boolean.TRUE.equals(s.stage3().enabled())) {
			monitor.subTask("interactions");
			InteractionStage.Output out = InteractionStage.run(engine, prompt, minimal, refs, pruned.trace(),
					plan.interaction(), s.stage3(), s.seed(), monitor);
			interactions = out.interactions();
			hydra = out.hydra();
		}
		List<DissectionResults.MinimalSetFeature> minimalRows = minimal == null ? List.of()
				: minimal.stream().sorted().map(f -> new DissectionResults.MinimalSetFeature(f.layer(), f.feature(),
						activations.get(f))).toList();
		return new DissectionResults.PromptResult(prompt.text(), baseline, candidateRows, minimalRows, ablated,
				(int) (engine.evaluations() - start), traceRows(trace), interactions, hydra, disagreement);
	}

	/**
	 * Max SAE activation after BOS at baseline of every candidate, from one forward that captures all their layers
	 * (none when activation re-ranking measured them already: the engine caches baseline activations, and stage 3
	 * reads them from that cache too). The minimal set is pruned from the candidates, so its values are among these.
	 */
	static Map<FeatureRef, Double> baselineActivations(EvaluationEngine engine, Prompt prompt, List<FeatureRef> refs) {
		Map<FeatureRef, Double> out = new HashMap<>();
		if(refs.isEmpty()) {
			return out;
		}
		double[] values = engine.latentActivations(prompt, List.of(), refs);
		for(int i = 0; i < refs.size(); i++) {
			out.put(refs.get(i), values[i]);
		}
		return out;
	}

	/** The set flips under the judge and removing any single member un-flips it (all in one batched call). */
	static boolean certified(AblationOracle verdict, List<FeatureRef> set) {
		List<List<FeatureRef>> sets = new ArrayList<>();
		sets.add(set);
		for(int i = 0; i < set.size(); i++) {
			List<FeatureRef> smaller = new ArrayList<>(set);
			smaller.remove(i);
			sets.add(smaller);
		}
		List<AblationOutcome> outcomes = verdict.evaluate(sets);
		if(outcomes.get(0).refused()) {
			return false;
		}
		for(int i = 1; i < outcomes.size(); i++) {
			if(!outcomes.get(i).refused()) {
				return false;
			}
		}
		return true;
	}

	@SuppressWarnings({"unchecked", "rawtypes"})
	private static PruningResult prune(Plan plan, List<FeatureRef> refs, AblationOracle oracle, ProgressMonitor monitor) {
		PruningStrategy raw = plan.pruning().strategy();
		return raw.prune(refs, oracle, plan.pruning().settings(), monitor);
	}

	@SuppressWarnings({"unchecked", "rawtypes"})
	static AblationOracle verdictOracle(EvaluationEngine engine, Prompt prompt, Plan plan) {
		RefusalJudge raw = plan.judge().strategy();
		if(!raw.needsCompletion()) {
			// a score judge needs no generation: the proxy scores judged by it
			AblationOracle scores = Oracles.proxy(engine, prompt, Double.POSITIVE_INFINITY);
			return new AblationOracle() {
				@Override
				public List<AblationOutcome> evaluate(List<? extends java.util.Collection<FeatureRef>> sets) {
					List<AblationOutcome> out = new ArrayList<>();
					for(AblationOutcome o : scores.evaluate(sets)) {
						boolean refused = raw.judge(new JudgeInput(prompt.text(), null, o.refusalScore()),
								plan.judge().settings()).refused();
						out.add(new AblationOutcome(o.refusalScore(), refused));
					}
					return out;
				}

				@Override
				public int evaluationsUsed() {
					return scores.evaluationsUsed();
				}
			};
		}
		return Oracles.verdict(engine, prompt, raw, plan.judge().settings(), plan.settings().maxNewTokens());
	}

	/** Greedy completion under the ablation of {@code set}, judged by the verdict judge. */
	@SuppressWarnings({"unchecked", "rawtypes"})
	static DissectionResults.Outcome outcome(EvaluationEngine engine, Prompt prompt, List<FeatureRef> set, Plan plan,
			boolean redact) {
		GenerationResult g = engine.generateSets(prompt, List.of(set), plan.settings().maxNewTokens()).get(0);
		double score = engine.score(g);
		RefusalJudge raw = plan.judge().strategy();
		boolean refused = raw.judge(new JudgeInput(prompt.text(), g.text(), score), plan.judge().settings()).refused();
		return new DissectionResults.Outcome(refused, score, redact ? null : g.text());
	}

	private static List<DissectionResults.TraceStep> traceRows(List<EvaluationRecord> trace) {
		List<DissectionResults.TraceStep> out = new ArrayList<>();
		for(int i = 0; i < trace.size(); i++) {
			EvaluationRecord r = trace.get(i);
			out.add(new DissectionResults.TraceStep(i, r.step(), r.set().size(), r.score(), r.refused(), r.accepted()));
		}
		return out;
	}
}

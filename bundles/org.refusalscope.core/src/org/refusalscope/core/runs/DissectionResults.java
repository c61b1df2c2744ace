package org.refusalscope.core.runs;

import java.util.List;

import com.google.gson.annotations.SerializedName;

/**
 * The content of a run's {@code results.json} (schema in {@code results.schema.json}, field names as settled in
 * contracts.md). The headless runner writes it, the workbench and reports read it.
 */
public record DissectionResults(@SerializedName("schema_version") int schemaVersion, RunInfo run, Summary summary,
		List<PromptResult> prompts) {

	public static final int SCHEMA_VERSION = 1;

	/**
	 * @param model          model name or folder
	 * @param sae            SAE ids / locations
	 * @param chatTemplate   the chat template source used
	 * @param direction      layer/position of the refusal direction
	 * @param strategies     role id to strategy id
	 * @param version        RefusalScope version that wrote the run
	 */
	public record RunInfo(String model, List<String> sae, @SerializedName("chat_template") String chatTemplate,
			Direction direction, java.util.Map<String, String> strategies, String version) {
	}

	public record Direction(int layer, int position, String hook, @SerializedName("vector_norm") double vectorNorm) {
	}

	public record Summary(@SerializedName("n_prompts") int nPrompts,
			@SerializedName("refused_at_baseline") int refusedAtBaseline, int flipped,
			@SerializedName("median_minimal_set_size") double medianMinimalSetSize,
			@SerializedName("fm_beats_linear") int fmBeatsLinear) {
	}

	/**
	 * @param evaluations             every model evaluation spent on this prompt across all stages
	 * @param proxyJudgeDisagreement  true when the proxy's (refusal score) minimal set did not hold up under the verdict
	 *                                judge, or the judge saw a flip the proxy missed, so the set was pruned again with
	 *                                the judge; null when not applicable (not refused at baseline) or not recorded
	 */
	public record PromptResult(String prompt, Outcome baseline, List<CandidateFeature> candidates,
			@SerializedName("minimal_set") List<MinimalSetFeature> minimalSet, Outcome ablated, int evaluations,
			@SerializedName("pruning_trace") List<TraceStep> pruningTrace, Interactions interactions,
			List<HydraFeature> hydra, @SerializedName("proxy_judge_disagreement") Boolean proxyJudgeDisagreement) {

		/** A result without the proxy/judge comparison (the first schema of this record). */
		public PromptResult(String prompt, Outcome baseline, List<CandidateFeature> candidates,
				List<MinimalSetFeature> minimalSet, Outcome ablated, int evaluations, List<TraceStep> pruningTrace,
				Interactions interactions, List<HydraFeature> hydra) {
			this(prompt, baseline, candidates, minimalSet, ablated, evaluations, pruningTrace, interactions, hydra, null);
		}
	}

	/** Judged response; {@code completion} is null when completions are redacted. */
	public record Outcome(boolean refused, @SerializedName("refusal_score") double refusalScore, String completion) {
	}

	public record Feature(int layer, int feature) {
	}

	/**
	 * @param activation the feature's max SAE activation over the prompt's positions after BOS at baseline (no edits);
	 *                   null in files written before it was recorded (optional in schema 1, so old files still read)
	 */
	public record CandidateFeature(int layer, int feature, double cosine, Double activation) {

		public CandidateFeature(int layer, int feature, double cosine) {
			this(layer, feature, cosine, null);
		}
	}

	/**
	 * A member of the minimal set.
	 *
	 * @param activation as in {@link CandidateFeature}: max SAE activation after BOS at baseline, null in older files
	 */
	public record MinimalSetFeature(int layer, int feature, Double activation) {

		public MinimalSetFeature(int layer, int feature) {
			this(layer, feature, null);
		}

		/** The feature without its measurement, for look-ups against candidates, pairs and hydra features. */
		public Feature ref() {
			return new Feature(layer, feature);
		}
	}

	/** One evaluation of the pruning stage, for the pruning curve. */
	public record TraceStep(int step, String action, @SerializedName("set_size") int setSize,
			@SerializedName("refusal_score") double refusalScore, boolean refused, boolean accepted) {
	}

	public record Interactions(@SerializedName("fm_test_r2") double fmTestR2,
			@SerializedName("linear_test_r2") double linearTestR2, @SerializedName("n_masks") int nMasks,
			@SerializedName("main_effects") List<Effect> mainEffects, @SerializedName("top_pairs") List<Pair> topPairs) {
	}

	public record Effect(int layer, int feature, double weight) {
	}

	public record Pair(Feature a, Feature b, double weight) {
	}

	/**
	 * A latent dormant at baseline that wakes up once the minimal set is ablated and whose additional ablation moves
	 * the score toward compliance ({@code deltaRefusalScore < 0}).
	 */
	public record HydraFeature(int layer, int feature, @SerializedName("baseline_activation") double baselineActivation,
			@SerializedName("ablated_activation") double ablatedActivation,
			@SerializedName("delta_refusal_score") double deltaRefusalScore) {
	}
}

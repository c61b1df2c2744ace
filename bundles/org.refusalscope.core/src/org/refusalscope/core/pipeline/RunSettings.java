package org.refusalscope.core.pipeline;

import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.annotations.SerializedName;

/**
 * Everything a dissection run is configured by, one JSON-serialisable object shared by {@code dissect --config}, the
 * workbench and the saved {@code config.json}. Strategy settings stay JSON until the chosen strategy converts them to
 * its own settings type. Null fields mean "the default" ({@link #withDefaults()}).
 *
 * @param model             model location or {@code default}
 * @param sae               SAE location(s) or {@code default}
 * @param direction         direction finder id and settings
 * @param collector         feature collector id and settings
 * @param pruning           pruning strategy id and settings
 * @param interaction       interaction model id and settings
 * @param judge             verdict judge id (confirmation and reported verdicts), {@code substring} by default
 * @param proxyThreshold    refused iff refusal score above it, inside the pruning loop
 * @param ablateMode        {@code zero}, {@code scale:C} or {@code set:C}
 * @param maxNewTokens      greedy tokens generated for verdicts
 * @param seed              seed of mask sampling, splits and model fits
 * @param maxBatch          sequences per batched forward
 * @param stage3            mask sampling and hydra settings
 * @param redactCompletions store verdicts and scores only
 * @param rerank            per-prompt re-ranking of the pooled candidates: {@code none}, {@code activation},
 *                          {@code ablation}
 * @param rerankTop         candidates kept per prompt after re-ranking, 0 = all
 */
public record RunSettings(String model, String sae, StrategyChoice direction, StrategyChoice collector,
		StrategyChoice pruning, StrategyChoice interaction, String judge,
		@SerializedName("proxy_threshold") Double proxyThreshold, @SerializedName("ablate_mode") String ablateMode,
		@SerializedName("max_new_tokens") Integer maxNewTokens, Long seed, @SerializedName("max_batch") Integer maxBatch,
		Stage3 stage3, @SerializedName("redact_completions") Boolean redactCompletions, String rerank,
		@SerializedName("rerank_top") Integer rerankTop) {

	/** Settings without re-ranking (the constructor of the first schema of this record). */
	public RunSettings(String model, String sae, StrategyChoice direction, StrategyChoice collector,
			StrategyChoice pruning, StrategyChoice interaction, String judge, Double proxyThreshold, String ablateMode,
			Integer maxNewTokens, Long seed, Integer maxBatch, Stage3 stage3, Boolean redactCompletions) {
		this(model, sae, direction, collector, pruning, interaction, judge, proxyThreshold, ablateMode, maxNewTokens,
				seed, maxBatch, stage3, redactCompletions, null, null);
	}

	/** A strategy by id with its settings as JSON (null = the strategy's defaults). */
	public record StrategyChoice(String id, JsonElement settings) {

		public static StrategyChoice of(String id) {
			return new StrategyChoice(id, null);
		}
	}

	/**
	 * @param enabled          run stage 3 at all
	 * @param randomMasks      Bernoulli masks per prompt, besides the structured ones
	 * @param densities        ablation probabilities the random masks cycle through
	 * @param activeThreshold  tau: a latent is active when its max activation over the prompt exceeds it
	 * @param dormantThreshold epsilon: dormant at baseline when at most this
	 * @param maxPool          pool size cap (S plus the most active others)
	 * @param testFraction     held-out masks for R^2
	 */
	public record Stage3(Boolean enabled, @SerializedName("random_masks") Integer randomMasks, List<Double> densities,
			@SerializedName("active_threshold") Double activeThreshold,
			@SerializedName("dormant_threshold") Double dormantThreshold, @SerializedName("max_pool") Integer maxPool,
			@SerializedName("test_fraction") Double testFraction) {

		public static Stage3 defaults() {
			return new Stage3(true, 600, List.of(0.1, 0.3, 0.5, 0.7, 0.9), 0.0, 0.0, 64, 0.2);
		}
	}

	public static RunSettings defaults() {
		return new RunSettings("default", "default", StrategyChoice.of("diff-in-means"), StrategyChoice.of("cosine-topk"),
				StrategyChoice.of("backward"), StrategyChoice.of("fm"), "substring", 0.0, "zero", 48, 42L, 256,
				Stage3.defaults(), false, "none", 0);
	}

	/** This object with every null field filled from {@link #defaults()}. */
	public RunSettings withDefaults() {
		RunSettings d = defaults();
		Stage3 s = stage3 == null ? d.stage3 : stage3;
		Stage3 ds = Stage3.defaults();
		Stage3 filled = new Stage3(or(s.enabled(), ds.enabled()), or(s.randomMasks(), ds.randomMasks()),
				or(s.densities(), ds.densities()), or(s.activeThreshold(), ds.activeThreshold()),
				or(s.dormantThreshold(), ds.dormantThreshold()), or(s.maxPool(), ds.maxPool()),
				or(s.testFraction(), ds.testFraction()));
		return new RunSettings(or(model, d.model), or(sae, d.sae), or(direction, d.direction), or(collector, d.collector),
				or(pruning, d.pruning), or(interaction, d.interaction), or(judge, d.judge),
				or(proxyThreshold, d.proxyThreshold), or(ablateMode, d.ablateMode), or(maxNewTokens, d.maxNewTokens),
				or(seed, d.seed), or(maxBatch, d.maxBatch), filled, or(redactCompletions, d.redactCompletions),
				or(rerank, d.rerank), or(rerankTop, d.rerankTop));
	}

	private static <T> T or(T value, T fallback) {
		return value == null ? fallback : value;
	}
}
